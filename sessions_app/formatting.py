"""How money, differences and results read on pages, e-mails and messages (days and times:
dates.py).

Plain functions (no business logic); templatetags/tills.py registers them as filters.
"""

import re
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Any

from babel.core import Locale
from babel.numbers import (
    NumberPattern,
    get_currency_precision,
    get_decimal_symbol,
    get_group_symbol,
)
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from sessions_app.cash import current_locale
from sessions_app.closing.variance import BALANCED, MIXED, OVER, SHORT, differences
from sessions_app.money import Currency, active_currency, currency

if TYPE_CHECKING:
    from sessions_app.models import AuditEntry

MINUS = "\u2212"  # the typographic minus sign: as wide as a plus in tabular figures
_LETTERS_THEN_DIGIT = re.compile(r"^([^\W\d_]+)(\d)")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _currency(code: str | None) -> Currency:
    return currency(code) if code else active_currency()


@cache
def _pattern(locale: str) -> tuple[Locale, NumberPattern]:
    # Loading the locale's data is most of what formatting one amount costs: once per locale.
    parsed = Locale.parse(locale)
    return parsed, parsed.currency_formats["standard"]


@cache
def _whole_pattern(locale: str) -> NumberPattern:
    """The language's currency pattern without decimals: "100 $" in German, "$100" in English."""
    pattern = copy(_pattern(locale)[1])
    pattern.frac_prec = (0, 0)
    return pattern


def _babel_format(amount: Decimal, locale_name: str, code: str, *, whole: bool = False) -> str:
    """The amount's size in the language's way, with the currency's decimals (none if whole)
    and symbol where that language puts it: $1,234.50, 1.234,50 €, ¥2,480, KWD 6.000 (no
    sign)."""
    locale, pattern = _pattern(locale_name)
    if whole:
        pattern = _whole_pattern(locale_name)
    text = str(
        pattern.apply(
            abs(amount), locale, currency=code, currency_digits=not whole, group_separator=True
        )
    )
    # CLDR's currency spacing, which Babel leaves out: a symbol of letters keeps a no-break
    # space from the digits ("CHF 15.70", "KWD 6.000"); "$15.70" stays as it is.
    return _LETTERS_THEN_DIGIT.sub("\\1\u00a0\\2", text, count=1)


# Amounts a layout must write exactly as Babel does before it is used: ties of the rounding,
# no group, one group, several, and no decimals left.
_CHECKED_AMOUNTS = tuple(
    Decimal(text)
    for text in (
        "0", "0.004", "0.005", "0.015", "0.5", "1", "9.995", "12.345", "999.99", "1000",
        "1234.5", "12345.675", "123456.78", "1234567.891", "1000000000",
    )
)  # fmt: skip


@dataclass(frozen=True)
class _AmountLayout:
    """Babel's way of writing one currency in one language, read once: what goes before and
    after the digits, the decimals and the signs. Writing an amount is then a quantize and a
    format (Babel's apply costs tens of microseconds an amount, and a page has hundreds)."""

    prefix: str
    suffix: str
    quantum: Decimal
    group: str
    decimal: str

    def write(self, amount: Decimal) -> str:
        digits = format(abs(amount).quantize(self.quantum), ",f")
        # Python's signs to the language's (three replaces cost less than a str.translate).
        digits = digits.replace(",", "\0").replace(".", self.decimal).replace("\0", self.group)
        return f"{self.prefix}{digits}{self.suffix}"


@cache
def _layout(locale_name: str, code: str) -> _AmountLayout | None:
    """The layout when it writes every checked amount exactly as Babel does, else None (an
    unusual pattern: Indian grouping, significant digits, a scale), and Babel writes each."""
    locale, pattern = _pattern(locale_name)
    if pattern.grouping != (3, 3) or pattern.int_prec[0] != 1 or pattern.exp_prec:
        return None
    quantum = Decimal(1).scaleb(-get_currency_precision(code))
    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    sample = Decimal("1234567.891")
    digits = _AmountLayout("", "", quantum, group, decimal).write(sample)
    prefix, found, suffix = _babel_format(sample, locale_name, code).partition(digits)
    if not found:
        return None
    layout = _AmountLayout(prefix, suffix, quantum, group, decimal)
    for amount in _CHECKED_AMOUNTS:
        if layout.write(amount) != _babel_format(amount, locale_name, code):
            return None
    return layout


def _format(amount: Decimal, code: str | None) -> str:
    """The amount's size in the active language's way (_babel_format), from the layout read
    once per language and currency when there is one."""
    locale_name, chosen = current_locale(), _currency(code).code
    layout = _layout(locale_name, chosen)
    if layout is None:
        return _babel_format(amount, locale_name, chosen)
    return layout.write(amount)


def money(value: Any, code: str | None = None) -> str:
    """12.5 -> $12.50 (in the shift's currency, or the page's); negative amounts get a minus
    sign; None -> an em dash."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return (MINUS if amount < 0 else "") + _format(amount, code)


def signed_money(value: Any, code: str | None = None) -> str:
    """A variance: +$3.00, -$4.50 (with a true minus sign), $0.00."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    sign = "+" if amount > 0 else MINUS if amount < 0 else ""
    return sign + _format(amount, code)


def money_affixes(code: str | None = None) -> tuple[str, str]:
    """What the page's money writes before and after an amount's digits ("$" and "" in
    English, "" and " $" in German), for a total the browser adds up (static/js/site.js);
    nothing for a language whose money Babel writes in an unusual layout."""
    layout = _layout(current_locale(), _currency(code).code)
    return (layout.prefix, layout.suffix) if layout is not None else ("", "")


def coin_label(value: Decimal, code: str | None = None) -> str:
    """A note or coin as the page's money reads it, a whole one without decimals: $100 and
    $0.25 in English, 100 $ and 0,25 $ in German, KWD 0.100 (Kuwaiti fils)."""
    if value != value.to_integral_value():
        return money(value, code)
    return _babel_format(value, current_locale(), _currency(code).code, whole=True)


def plain_amount(value: Any, code: str | None = None) -> str:
    """An amount as a form field shows it for editing: the language's decimal sign, the
    currency's decimals, no symbol and no grouping ("1234,50" in German)."""
    amount = _decimal(value)
    if amount is None:
        return ""
    chosen = _currency(code)
    text = format(chosen.exact(amount), "f")
    return text.replace(".", get_decimal_symbol(current_locale()))


_RESULT_LABELS = {
    OVER: gettext_lazy("Over"),
    SHORT: gettext_lazy("Short"),
    BALANCED: gettext_lazy("Balanced"),
    MIXED: gettext_lazy("Mixed"),
}
_RESULT_WORDS = {
    OVER: pgettext_lazy("result inside a sentence", "over"),
    SHORT: pgettext_lazy("result inside a sentence", "short"),
    BALANCED: pgettext_lazy("result inside a sentence", "balanced"),
    MIXED: pgettext_lazy("result inside a sentence", "mixed"),
}


def result_label(result: str | None) -> str:
    label = _RESULT_LABELS.get(result or "")
    return str(label) if label is not None else _("Not available")


def result_word(result: str | None) -> str:
    """The result inside a sentence ("… (short)"): its own msgid, so a language whose nouns keep
    their capital (German "Fehlbetrag") is not lower-cased."""
    word = _RESULT_WORDS.get(result or "")
    return str(word) if word is not None else pgettext("result inside a sentence", "not available")


# Languages whose nouns keep their capital inside a sentence ("Bar", "Karte").
_NOUNS_CAPITALISED = {"de"}


def in_sentence(name: str) -> str:
    """A role's or a kind of movement's name inside a sentence: "pay-in" in English,
    "Einzahlung" in German. Not for a payment method: its label is a name ("Oliver Pay")."""
    language = (get_language() or "en").split("-")[0]
    return name if language in _NOUNS_CAPITALISED else name.lower()


# The audit trail's actions (AuditEntry.action), as the page names them.
AUDIT_ACTION_NAMES = {
    "open": gettext_lazy("Opening"),
    "close": gettext_lazy("Closing"),
    "movement": gettext_lazy("Cash movement"),
    "approve": gettext_lazy("Approval"),
    "correct": gettext_lazy("Correction"),
    "reopen": gettext_lazy("Reopening"),
    "delete": gettext_lazy("Deletion"),
    "import": gettext_lazy("Added by id"),
    "takeover": gettext_lazy("Takeover"),
    "write_back": gettext_lazy("Write-back"),
    "conflict": gettext_lazy("Two versions settled"),
    "setup": gettext_lazy("Setup"),
    "staff": gettext_lazy("Staff"),
}


def audit_action(action: str) -> str:
    return str(AUDIT_ACTION_NAMES.get(action, action.replace("_", " ").capitalize()))


MOVEMENT_NAMES = {
    "pay_in": gettext_lazy("Pay-in"),
    "pay_out": gettext_lazy("Pay-out"),
    "drop": gettext_lazy("Safe drop"),
}

_RESULT_BADGES = {
    "over": ("badge--over", "\u25b2"),
    "short": ("badge--short", "\u25bc"),
    "balanced": ("badge--balanced", "\u2713"),
    "mixed": ("badge--mixed", "\u25b2\u25bc"),
}


def result_badge(result: str | None) -> SafeString:
    """Over, short or balanced as a badge that says it in words and an icon, not colour alone.
    (A function rather than an included template: it is drawn on every row of long tables.)"""
    modifier, icon = _RESULT_BADGES.get(result or "", ("", ""))
    if not modifier:
        return format_html('<span class="badge">{}</span>', _("Not available"))
    return format_html(
        '<span class="badge {}"><span aria-hidden="true">{}</span> {}</span>',
        modifier,
        icon,
        result_label(result),
    )


_OUTCOME_BADGES = {
    "accepted": ("badge--balanced", "✓"),
    "landed": ("badge--balanced", "✓"),
    "refused": ("badge--short", "✗"),
    "not_landed": ("badge--short", "✗"),
    "unknown": ("badge--review", "?"),
}


def outcome_badge(entry: "AuditEntry") -> SafeString:
    """What became of an audited write, in words that claim nothing that did not happen."""
    modifier, icon = _OUTCOME_BADGES.get(entry.outcome, ("", "·"))
    return format_html(
        '<span class="badge {}"><span aria-hidden="true">{}</span> {}</span>',
        modifier,
        icon,
        entry.get_outcome_display(),
    )


def differences_text(variances: Mapping[str, Decimal | str] | None) -> str:
    """Each tender's difference in words, cash first, each tender named as its label reads
    everywhere else: "Cash short by $30.42, Oliver Pay over by $30.42". Never one sum across
    tenders."""
    lines = differences(variances)
    if not lines:
        return _("expected amounts not available")
    if all(line.result == BALANCED for line in lines):
        return _("every tender balanced")
    words = []
    for line in lines:
        if line.result == BALANCED:
            continue
        template = (
            _("%(method)s over by %(amount)s")
            if line.amount > 0
            else _("%(method)s short by %(amount)s")
        )
        words.append(template % {"method": line.name, "amount": money(abs(line.amount))})
    return ", ".join(words)


def other_tenders(
    variances: Mapping[str, Decimal | str] | None, code: str | None = None
) -> SafeString:
    """The tenders other than cash that are off, for a table cell beside the cash difference,
    in the shift's currency (``code``; the page's when not given)."""
    off = [
        line for line in differences(variances) if line.key != "cash" and line.result != BALANCED
    ]
    return format_html_join(
        " ",
        '<span class="tender-diff">{} {}</span>',
        ((line.name, signed_money(line.amount, code)) for line in off),
    )
