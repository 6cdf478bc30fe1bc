"""Input validators: every form turns what was typed into typed values, or into field errors."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sessions_app.cash import AmountError, Denomination, count_total, denominations, parse_amount
from sessions_app.closing import PaymentMethod, payment_methods
from sessions_app.finalpos.errors import FinalPOSError
from sessions_app.finalpos.records import time_from_wire
from sessions_app.models import StaffProfile

NOTE_MAX_LENGTH = 1000
MAX_PIECES = 100_000  # of one note or coin in one drawer


class MoneyField(forms.CharField):
    """An amount as typed at a till (non-negative, two decimals, at most a billion)."""

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
        if text in self.empty_values:
            return None
        if len(text) > 40:
            raise ValidationError(_("Enter an amount like 125.50."), code="invalid_amount")
        try:
            return parse_amount(text)
        except AmountError as error:
            raise ValidationError(str(error), code="invalid_amount") from None


class NoteField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", NOTE_MAX_LENGTH)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        # Keep line breaks and tabs; drop other control characters a paste can carry.
        return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())


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


class CashCountMixin:
    """Adds one quantity field per note and coin; the cash total must agree with them."""

    cash_total_field: str

    def add_count_fields(self) -> None:
        # Required in effect (a total or a count), so the label must not say "optional".
        self.fields[self.cash_total_field].hide_optional = True  # type: ignore[attr-defined]
        self.denominations: list[Denomination] = denominations()
        for denomination in self.denominations:
            self.fields[denomination.field_name] = forms.IntegerField(
                label=denomination.label,
                required=False,
                min_value=0,
                max_value=MAX_PIECES,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "class": "count", "min": 0,
                           "data-denomination": format(denomination.value, "f")}
                ),
            )  # fmt: skip

    def count_fields(self) -> list[forms.BoundField]:
        return [self[denomination.field_name] for denomination in self.denominations]

    def clean_cash_count(self, cleaned: dict[str, Any]) -> dict[Decimal, int] | None:
        counts = {
            denomination.value: cleaned.get(denomination.field_name) or 0
            for denomination in self.denominations
        }
        if not any(counts.values()):
            if cleaned.get(self.cash_total_field) is None and self.cash_total_field not in (
                self.errors  # type: ignore[attr-defined]
            ):
                self.add_error(  # type: ignore[attr-defined]
                    self.cash_total_field,
                    _("Enter the cash total, or count the notes and coins."),
                )
            return None
        total = count_total(counts)
        typed = cleaned.get(self.cash_total_field)
        if typed is not None and typed != total:
            self.add_error(  # type: ignore[attr-defined]
                self.cash_total_field,
                _("The total does not match the notes and coins counted (%(total)s).")
                % {"total": total},
            )
            return counts
        cleaned[self.cash_total_field] = total
        return counts


class OpenShiftForm(CashCountMixin, forms.Form):
    cash_total_field = "opening_amount"

    station = forms.ChoiceField(label=_("Till"))
    opening_amount = MoneyField(
        label=_("Opening float"),
        required=False,
        help_text=_("The cash in the drawer now. Type the total or count it below."),
    )
    opening_note = NoteField(label=_("Opening note"))

    def __init__(self, *args: Any, station_choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [("", _("Choose a till")), *station_choices]
        self.add_count_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["cash_count"] = self.clean_cash_count(cleaned)
        return cleaned


class CloseShiftForm(CashCountMixin, forms.Form):
    cash_total_field = "counted_cash"

    closing_note = NoteField(label=_("Closing note"))
    variance_reason = NoteField(
        label=_("Reason for the difference"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    close_request_id = forms.RegexField(
        regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput, error_messages={
            "invalid": _("The form was damaged; reload the page.")}
    )  # fmt: skip
    updated_at = UpstreamVersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.methods: list[PaymentMethod] = payment_methods()
        for method in self.methods:
            is_cash = method.key == "cash"
            self.fields[f"counted_{method.key}"] = MoneyField(
                label=_("Cash counted in the drawer") if is_cash else method.name,
                required=not is_cash,
                help_text=(
                    _("Float included. Type the total or count the notes and coins below.")
                    if is_cash
                    else _("The total on the %(method)s report (0 if none).")
                    % {"method": method.name}
                ),
                error_messages={"required": _("Enter the amount (0 if none).")},
            )
        self.add_count_fields()

    def method_fields(self) -> list[forms.BoundField]:
        return [self[f"counted_{method.key}"] for method in self.methods]

    def hidden_value_fields(self) -> list[forms.BoundField]:
        """Every typed value, to carry through the confirmation step unchanged."""
        names = [f"counted_{method.key}" for method in self.methods]
        names += [denomination.field_name for denomination in self.denominations]
        names += ["closing_note", "close_request_id", "updated_at"]
        return [self[name] for name in names]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["cash_count"] = self.clean_cash_count(cleaned)
        return cleaned

    def counted(self) -> dict[str, Decimal]:
        return {
            method.key: self.cleaned_data.get(f"counted_{method.key}") or Decimal(0)
            for method in self.methods
        }


class ApproveShiftForm(forms.Form):
    comment = NoteField(
        label=_("Approval comment"),
        required=True,
        max_length=500,
        help_text=_("What you found and what was done; it is stored with the shift."),
    )
    updated_at = UpstreamVersionField()


def _reason_field(label: str, help_text: str = "") -> NoteField:
    return NoteField(
        label=label,
        required=True,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


class CorrectShiftForm(forms.Form):
    """A manager's correction of a closed shift's declared amounts and note."""

    closing_note = NoteField(label=_("Closing note"))
    reason = _reason_field(
        _("Reason for the correction"),
        _("Stored with the shift beside the original figures, with your name."),
    )
    updated_at = UpstreamVersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.methods: list[PaymentMethod] = payment_methods()
        for method in self.methods:
            self.fields[f"counted_{method.key}"] = MoneyField(
                label=_("Cash counted in the drawer") if method.key == "cash" else method.name,
                error_messages={"required": _("Enter the amount (0 if none).")},
            )
        self.order_fields([*(f"counted_{m.key}" for m in self.methods), "closing_note", "reason"])

    def method_fields(self) -> list[forms.BoundField]:
        return [self[f"counted_{method.key}"] for method in self.methods]

    def counted(self) -> dict[str, Decimal]:
        return {m.key: self.cleaned_data[f"counted_{m.key}"] for m in self.methods}


class ReopenShiftForm(forms.Form):
    reason = _reason_field(
        _("Reason for reopening"), _("The earlier close is kept in the shift's report.")
    )
    updated_at = UpstreamVersionField()


class DeleteShiftForm(forms.Form):
    """Deleting needs the shift's number typed out, so it is never done by a slip."""

    confirmation = forms.CharField(label=_("Type the shift number to confirm"), max_length=40)
    reason = _reason_field(_("Reason for deleting"))

    def __init__(self, *args: Any, session_number: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_number = session_number
        self.fields["confirmation"].help_text = _("Type %(number)s.") % {"number": session_number}

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"].strip()
        if typed.casefold() != self.session_number.casefold():
            raise ValidationError(
                _("That is not this shift's number; type %(number)s to delete it."),
                params={"number": self.session_number},
                code="mismatch",
            )
        return typed


class HistoryFilterForm(forms.Form):
    """The history filters, read from the query string (so views can be bookmarked)."""

    STATE_CHOICES = [("", _("Any state")), ("open", _("Open")), ("closed", _("Closed")),
                     ("needs_review", _("Needs review"))]  # fmt: skip
    RESULT_CHOICES = [("", _("Any result")), ("over", _("Over")), ("short", _("Short")),
                      ("balanced", _("Balanced"))]  # fmt: skip
    SORT_CHOICES = [("-date", _("Newest first")), ("date", _("Oldest first")),
                    ("-variance", _("Largest difference first"))]  # fmt: skip

    outlet = forms.ChoiceField(label=_("Outlet"), required=False)
    station = forms.ChoiceField(label=_("Till"), required=False)
    cashier = forms.CharField(label=_("Cashier"), required=False, max_length=200)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)
    result = forms.ChoiceField(label=_("Result"), required=False, choices=RESULT_CHOICES)
    min_variance = MoneyField(label=_("Difference at least"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, outlets: list[tuple[str, str]],
                 stations: list[tuple[str, str]], **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["outlet"].choices = [("", _("All outlets")), *outlets]
        self.fields["station"].choices = [("", _("All tills")), *stations]
        for field in self.fields.values():
            field.hide_optional = True  # every filter is optional; saying so is noise

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class InsightsFilterForm(HistoryFilterForm):
    """The period and scope of the insights page (the history filters minus state, result,
    minimum and sort)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("state", "result", "min_variance", "sort"):
            del self.fields[name]


class AddSessionForm(forms.Form):
    session_id = forms.RegexField(
        label=_("Final POS session id"),
        regex=r"^\s*[A-Za-z0-9]{24}\s*$",
        help_text=_("24 letters and digits, as shown in Final POS."),
        error_messages={"invalid": _("A Final POS id is 24 letters and digits.")},
    )

    def clean_session_id(self) -> str:
        return self.cleaned_data["session_id"].strip()


class OutletForm(forms.Form):
    """An outlet's details; the fields Final POS requires on create are required here."""

    name = forms.CharField(label=_("Name"), max_length=200)
    alias = forms.CharField(label=_("Short name"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=300)
    address2 = forms.CharField(label=_("Address line 2"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=120)
    state = forms.CharField(label=_("State or province"), max_length=120)
    post_code = forms.CharField(label=_("Post code"), max_length=40)
    country = forms.CharField(
        label=_("Country"), max_length=80, help_text=_("Two-letter code, like US or CA.")
    )
    phone = forms.RegexField(
        label=_("Phone"),
        max_length=40,
        regex=r"^\+?[0-9 ().-]{5,}$",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter a phone number, like +1 207 555 0100.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.strip()
        return cleaned


class StationForm(forms.Form):
    name = forms.CharField(label=_("Till name"), max_length=200)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Give the till a name."), code="required")
        return name


class AlertPreferencesForm(forms.ModelForm):
    class Meta:
        model = StaffProfile
        fields = ["variance_alerts"]
        labels = {"variance_alerts": _("E-mail me when a shift at my outlets needs review")}
        help_texts = {
            "variance_alerts": _(
                "Sent when a shift closes with a difference above the approval limit."
            )
        }
