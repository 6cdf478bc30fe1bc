"""Formatting filters for money and variance; no business logic."""

from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

MINUS = "\u2212"  # the typographic minus sign: as wide as a plus in tabular figures
CURRENCY_SYMBOLS = {"USD": "$", "CAD": "$", "AUD": "$", "NZD": "$", "EUR": "€", "GBP": "£"}


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _format(amount: Decimal) -> str:
    number = number_format(abs(amount), 2, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(settings.CURRENCY)
    return f"{symbol}{number}" if symbol else f"{number} {settings.CURRENCY}"


@register.filter
def money(value) -> str:
    """12.5 -> $12.50; negative amounts get a minus sign; None -> an em dash."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return (MINUS if amount < 0 else "") + _format(amount)


@register.filter
def signed_money(value) -> str:
    """A variance: +$3.00, -$4.50 (with a true minus sign), $0.00."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    sign = "+" if amount > 0 else MINUS if amount < 0 else ""
    return sign + _format(amount)


@register.filter
def result_label(result: str) -> str:
    return {"over": _("Over"), "short": _("Short"), "balanced": _("Balanced")}.get(
        result or "", _("Not available")
    )


_RESULT_BADGES = {
    "over": ("badge--over", "\u25b2"),
    "short": ("badge--short", "\u25bc"),
    "balanced": ("badge--balanced", "\u2713"),
}


@register.filter
def result_badge(result: str):
    """Over, short or balanced as a badge that says it in words and an icon, not colour alone.
    (A filter rather than an included template: it is drawn on every row of long tables.)"""
    modifier, icon = _RESULT_BADGES.get(result or "", ("", ""))
    if not modifier:
        return format_html('<span class="badge">{}</span>', _("Not available"))
    return format_html(
        '<span class="badge {}"><span aria-hidden="true">{}</span> {}</span>',
        modifier,
        icon,
        result_label(result),
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
