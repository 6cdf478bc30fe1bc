"""The till's forms: open a shift, close it, and a manager's approval and fixes."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sessions_app.cash import Denomination, count_total, denominations
from sessions_app.closing.sales import PaymentMethod, payment_methods
from sessions_app.formatting import MOVEMENT_NAMES, coin_label, in_sentence, plain_amount
from sessions_app.forms.fields import (
    MoneyField,
    NoteField,
    UpstreamVersionField,
    reason_field,
    set_choices,
    whole_coins,
)
from sessions_app.money import active_currency
from sessions_app.movement_reasons import OTHER_REASON, kinds_by_reason, reason_label, reasons_for

MAX_PIECES = 100_000  # of one note or coin in one drawer


class CashCountForm(forms.Form):
    """A form with a cash total and one quantity field per note and coin; the total must agree
    with them, or is filled in from them."""

    cash_total_field: str
    # Fields required in effect (a total or a count): their label must not say "optional".
    no_optional_mark: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.no_optional_mark = frozenset({self.cash_total_field})
        self.denominations: list[Denomination] = denominations()
        for denomination in self.denominations:
            self.fields[denomination.field_name] = forms.IntegerField(
                label=coin_label(denomination.value),
                required=False,
                min_value=0,
                max_value=MAX_PIECES,
                error_messages={
                    "invalid": _("Count whole pieces: 0, 1, 2 …"),
                    "min_value": _("Count whole pieces: 0, 1, 2 …"),
                },
                widget=forms.NumberInput(
                    attrs={
                        "inputmode": "numeric",
                        "class": "count",
                        "min": 0,
                        "data-denomination": format(denomination.value, "f"),
                    }
                ),
            )

    def count_fields(self) -> list[forms.BoundField]:
        return [self[denomination.field_name] for denomination in self.denominations]

    def count_open(self) -> bool:
        """Whether the notes-and-coins panel starts open: it holds a count, or an error."""
        if not self.is_bound:
            return False
        return any(field.errors or field.value() for field in self.count_fields())

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        cleaned["cash_count"] = self._cash_count(cleaned)
        if self.cash_total_field not in self.errors:
            try:
                whole_coins(cleaned.get(self.cash_total_field))
            except ValidationError as error:
                self.add_error(self.cash_total_field, error)
        return cleaned

    def _cash_count(self, cleaned: dict[str, Any]) -> dict[Decimal, int] | None:
        if any(field.name in self.errors for field in self.count_fields()):
            return None  # the pieces are wrong: their own errors say so, not a total
        counts = {
            denomination.value: cleaned.get(denomination.field_name) or 0
            for denomination in self.denominations
        }
        if not any(counts.values()):
            if cleaned.get(self.cash_total_field) is None and self.cash_total_field not in (
                self.errors
            ):
                self.add_error(
                    self.cash_total_field,
                    _("Enter the cash total, or count the notes and coins."),
                )
            return None
        total = active_currency().exact(count_total(counts))
        typed = cleaned.get(self.cash_total_field)
        if typed is not None and typed != total:
            self.add_error(
                self.cash_total_field,
                _("The total does not match the notes and coins counted (%(total)s).")
                % {"total": plain_amount(total)},
            )
            return counts
        cleaned[self.cash_total_field] = total
        return counts


class TillSelect(forms.Select):
    """A till picker: tills with an open shift are shown but cannot be chosen, and each till
    carries the float its last shift left (the page pre-fills the float from it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.busy: dict[str, str] = {}
        self.handover_floats: dict[str, str] = {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        value = str(option["value"])
        if value in self.busy:
            option["attrs"]["disabled"] = True
            option["label"] = f"{option['label']} — {self.busy[value]}"
        if value in self.handover_floats:
            option["attrs"]["data-handover-float"] = self.handover_floats[value]
        return option


class OpenShiftForm(CashCountForm):
    cash_total_field = "opening_amount"

    station = forms.ChoiceField(label=_("Till"), widget=TillSelect)
    opening_amount = MoneyField(
        label=_("Opening float"),
        required=False,
        help_text=_("The cash in the drawer now. Type the total or count it below."),
    )
    opening_note = NoteField(label=_("Opening note"))
    # The number of an open whose answer was lost, when the person has checked the till and
    # confirms it was not created: it is opened again with that number.
    confirm_not_created = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    not_created_checked = forms.BooleanField(
        required=False,
        label=_("I looked at the till: it shows no open shift. It was not created."),
    )
    # Shown when the till reports itself in use and no shift of it is known.
    confirm_in_use = forms.BooleanField(
        required=False,
        label=_("I checked the till: no shift is open on it. Open one here."),
    )

    def __init__(
        self,
        *args: Any,
        till_choices: list[tuple[str, str]],
        busy: dict[str, str] | None = None,
        handover_floats: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offer_tills(till_choices)
        self.show_tills(busy=busy or {}, handover_floats=handover_floats or {})

    def offer_tills(self, till_choices: list[tuple[str, str]]) -> None:
        """The tills to choose from (a posted form is checked against the one it names)."""
        set_choices(self.fields["station"], [("", _("Choose a till")), *till_choices])

    def show_tills(self, *, busy: dict[str, str], handover_floats: dict[str, str]) -> None:
        """What the till picker shows beside each till (only needed to show the form)."""
        widget = self.fields["station"].widget
        assert isinstance(widget, TillSelect)
        widget.busy = busy
        widget.handover_floats = handover_floats


class CloseShiftForm(CashCountForm):
    cash_total_field = "counted_cash"

    closing_note = NoteField(label=_("Closing note"))
    variance_reason = NoteField(
        label=_("Reason for the difference"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    close_request_id = forms.RegexField(
        regex=r"^[0-9a-f]{32}$",
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The form was damaged; reload the page.")},
    )
    updated_at = UpstreamVersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.methods: list[PaymentMethod] = payment_methods()
        super().__init__(*args, **kwargs)
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

    def method_fields(self) -> list[forms.BoundField]:
        return [self[f"counted_{method.key}"] for method in self.methods]

    def hidden_value_fields(self) -> list[forms.BoundField]:
        """Every typed value, to carry through the confirmation step unchanged."""
        names = [f"counted_{method.key}" for method in self.methods]
        names += [denomination.field_name for denomination in self.denominations]
        names += ["closing_note", "close_request_id", "updated_at"]
        return [self[name] for name in names]

    def counted(self) -> dict[str, Decimal]:
        return {
            method.key: self.cleaned_data.get(f"counted_{method.key}") or Decimal(0)
            for method in self.methods
        }


class ApproveShiftForm(forms.Form):
    reason = NoteField(
        label=_("Reason for the difference"),
        required=False,
        max_length=500,
        help_text=_(
            "Needed when the shift has none yet (a till's close, for one); kept with the shift."
        ),
    )
    comment = NoteField(
        label=_("Approval comment"),
        required=True,
        max_length=500,
        help_text=_("What you found and what was done; it is stored with the shift."),
    )
    with_movements = forms.BooleanField(
        required=False,
        label=_("Approve the cash moved that waits for approval too (listed above)"),
    )
    updated_at = UpstreamVersionField()

    def __init__(self, *args: Any, reason_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reason_required:  # checked with the comment, so both are told at once
            reason = self.fields["reason"]
            reason.required = True
            reason.error_messages["required"] = _(
                "This shift has no reason for its difference yet: give one (what you found) "
                "to approve it."
            )


class TakeOverForm(forms.Form):
    """A manager takes over a shift a till holds open, after looking at the till."""

    reason = reason_field(
        _("Why the till no longer holds this shift"),
        _("For example: the iPad on Till 2 is broken; the cashier left without closing."),
    )


class ConflictChoiceForm(forms.Form):
    KEEP_THEIRS, APPLY_OURS = "keep_theirs", "apply_ours"
    choice = forms.ChoiceField(
        choices=[
            (KEEP_THEIRS, _("Keep what Final POS has now")),
            (APPLY_OURS, _("Apply the dashboard's version again")),
        ]
    )


class CorrectShiftForm(forms.Form):
    """A manager's correction of a closed shift's declared amounts and note."""

    closing_note = NoteField(label=_("Closing note"))
    reason = reason_field(
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
            )  # not checked for whole coins: a till may have written 100.03, kept as it is
        self.order_fields([*(f"counted_{m.key}" for m in self.methods), "closing_note", "reason"])

    def method_fields(self) -> list[forms.BoundField]:
        return [self[f"counted_{method.key}"] for method in self.methods]

    def counted(self) -> dict[str, Decimal]:
        return {m.key: self.cleaned_data[f"counted_{m.key}"] for m in self.methods}


class ReopenShiftForm(forms.Form):
    reason = reason_field(
        _("Reason for reopening"), _("The earlier close is kept in the shift's report.")
    )
    updated_at = UpstreamVersionField()


class DeleteShiftForm(forms.Form):
    """Deleting needs the shift's number typed out, so it is never done by a slip."""

    confirmation = forms.CharField(label=_("Type the shift number to confirm"), max_length=40)
    reason = reason_field(_("Reason for deleting"))

    def __init__(self, *args: Any, session_number: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_number = session_number
        self.fields["confirmation"].help_text = _("Type %(number)s.") % {"number": session_number}

    def clean_confirmation(self) -> str:
        typed: str = self.cleaned_data["confirmation"].strip()
        if typed.casefold() != self.session_number.casefold():
            raise ValidationError(
                _("That is not this shift's number; type %(number)s to delete it."),
                params={"number": self.session_number},
                code="mismatch",
            )
        return typed


class ReasonSelect(forms.Select):
    """Each reason names the kinds of movement it is for (data-kinds), so the page offers
    only those of the kind chosen (static/js/site.js); the form checks the pair either way."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"data-movement-reason": "", **(attrs or {})})
        self.kinds: dict[str, list[str]] = {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        kinds = self.kinds.get(str(option["value"]))
        if kinds:
            option["attrs"]["data-kinds"] = " ".join(kinds)
        return option


class CashMovementForm(forms.Form):
    """Cash put into or taken out of the drawer during a shift."""

    KIND_CHOICES = [
        ("pay_out", _("Pay-out: cash taken out to pay for something")),
        ("drop", _("Safe drop: cash taken out to the safe")),
        ("pay_in", _("Pay-in: cash put into the drawer")),
    ]

    kind = forms.ChoiceField(
        label=_("What happened"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    amount = MoneyField(label=_("Amount"), validators=[whole_coins])
    reason = forms.ChoiceField(label=_("Reason"), widget=ReasonSelect)
    note = NoteField(
        label=_("Note"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What it was for: the supplier, a receipt number."),
    )
    movement_id = forms.RegexField(
        regex=r"^[0-9a-f]{32}$",
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The form was damaged; reload the page.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = kinds_by_reason()
        reasons = [(reason, reason_label(reason)) for reason in kinds]
        set_choices(self.fields["reason"], [("", _("Choose a reason")), *reasons])
        widget = self.fields["reason"].widget
        assert isinstance(widget, ReasonSelect)
        widget.kinds = kinds
        if OTHER_REASON in kinds:
            self.fields["note"].help_text = _(
                "What it was for: the supplier, a receipt number. Needed for “%(reason)s”."
            ) % {"reason": reason_label(OTHER_REASON)}

    def clean_amount(self) -> Decimal:
        amount: Decimal | None = self.cleaned_data.get("amount")
        if amount is None or amount <= 0:
            raise ValidationError(_("Enter an amount above zero."), code="zero")
        return amount

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        kind, reason = cleaned.get("kind"), cleaned.get("reason")
        if kind and reason and reason not in reasons_for(kind):
            self.add_error(
                "reason",
                ValidationError(
                    _("“%(reason)s” is not a reason for a %(kind)s; choose one of: %(fitting)s."),
                    params={
                        "reason": reason_label(reason),
                        "kind": in_sentence(str(MOVEMENT_NAMES[kind])),
                        "fitting": ", ".join(reason_label(each) for each in reasons_for(kind)),
                    },
                    code="kind",
                ),
            )
        if reason == OTHER_REASON and not cleaned.get("note"):
            self.add_error("note", _("Say what the cash was for."))
        return cleaned
