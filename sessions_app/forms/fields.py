"""Form fields for what people type at a till: money, notes, and the version they saw."""

from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from html import escape
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from sessions_app.cash import AmountError, parse_amount
from sessions_app.finalpos.errors import FinalPOSError
from sessions_app.finalpos.records import time_from_wire
from sessions_app.formatting import plain_amount
from sessions_app.money import active_cash_step

NOTE_MAX_LENGTH = 1000
Label = str | Promise


class MoneyField(forms.CharField):
    """An amount as typed at a till, in the person's language ("15,00" in German) and the
    page's currency (its decimals: none for JPY, three for KWD); non-negative, at most a
    billion. Shown back for editing the same way."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "class": "money"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        if len(text) > 40:
            raise ValidationError(_("That amount is too long."), code="invalid_amount")
        try:
            return parse_amount(text)
        except AmountError as error:
            raise ValidationError(str(error), code="invalid_amount") from None

    def prepare_value(self, value: Any) -> Any:
        return plain_amount(value) if isinstance(value, Decimal | int) else value


class NoteField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", NOTE_MAX_LENGTH)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        # Keep line breaks and tabs; drop other control characters a paste can carry.
        return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())


def reason_field(label: Label, help_text: Label = "") -> NoteField:
    return NoteField(
        label=label,
        required=True,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


class UpstreamVersionField(forms.CharField):
    """The updatedAt of the session as it was shown, to refuse overwriting a newer one."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return time_from_wire(text)
        except FinalPOSError:
            raise ValidationError(_("The form was damaged; reload the page."), code="bad") from None


class Pairs(BaseChoiceIterator):
    """Choices that are already (value, label) pairs, as Django keeps them: taken as they are.
    Django normalises a plain list item by item, which for a manager's 250 tills was a
    millisecond of every history, insights and open page."""

    def __init__(self, pairs: Sequence[tuple[str, Label]]) -> None:
        self.pairs = list(pairs)

    def __iter__(self) -> Iterator[tuple[str, Label]]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


def set_choices(field: forms.Field, choices: Sequence[tuple[str, Label]]) -> None:
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{field!r} has no choices")
    field.choices = Pairs(choices)


@lru_cache(maxsize=64)
def _written_options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """Each option's key and its HTML before and after the place of " selected", escaped once
    per list (a manager's 250 tills come back on every page of the history). html.escape,
    which Django's escape calls, and a join: format_html per option costs several times as
    much."""
    return tuple(
        (key, f'<option value="{escape(key)}"', f">{escape(label)}</option>")
        for key, label in choices
    )


class QuickSelect(forms.Select):
    """A <select> whose options are written here rather than through one template each: with
    Django's own widget, 250 tills cost about 10 ms of every history page."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        each = _written_options(tuple((str(key), str(label)) for key, label in self.choices))
        options = mark_safe(  # noqa: S308 - every key and label escaped in _written_options
            "".join(
                f"{start}{' selected' if key in chosen else ''}{end}" for key, start, end in each
            )
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        written = format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
                for key, value in final_attrs.items()
                if value is not False
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, written, options)


def whole_coins(amount: Decimal | None) -> None:
    """Cash is made of the coins in use: where cash is rounded to 0.05, 100.03 cannot be in a
    drawer (a validator for the fields that hold cash)."""
    step = active_cash_step()
    if amount is None or not step or amount % step == 0:
        return
    lower = (amount // step) * step
    raise ValidationError(
        _("Cash here is counted in steps of %(step)s, the smallest coin: %(lower)s or %(higher)s?"),
        params={
            "step": plain_amount(step),
            "lower": plain_amount(lower),
            "higher": plain_amount(lower + step),
        },
        code="coins",
    )
