"""History and insights filters (read from the query string), and adding a shift by id."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.forms.fields import MoneyField, QuickSelect, set_choices


class HistoryFilterForm(forms.Form):
    """The history filters, read from the query string (so views can be bookmarked)."""

    STATE_CHOICES = [
        ("", _("Any state")),
        ("open", _("Open")),
        ("closed", _("Closed")),
        ("needs_review", _("Needs review")),
        ("conflict", _("Two versions to choose between")),
        ("deleted", _("Deleted")),
    ]
    RESULT_CHOICES = [
        ("", _("Any result")),
        ("over", _("Over")),
        ("short", _("Short")),
        ("mixed", _("Mixed: over on one tender, short on another")),
        ("balanced", _("Balanced")),
    ]
    SORT_CHOICES = [
        ("-date", _("Newest first")),
        ("date", _("Oldest first")),
        ("-variance", _("Largest difference on one tender first")),
    ]

    outlet = forms.ChoiceField(label=_("Outlet"), required=False, widget=QuickSelect)
    station = forms.ChoiceField(label=_("Till"), required=False, widget=QuickSelect)
    cashier = forms.CharField(label=_("Cashier"), required=False, max_length=200)
    closed_by = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=STATE_CHOICES, widget=QuickSelect
    )
    result = forms.ChoiceField(
        label=_("Result"), required=False, choices=RESULT_CHOICES, widget=QuickSelect
    )
    min_variance = MoneyField(
        label=_("Difference at least"),
        required=False,
        help_text=_("On any one tender."),
    )
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=SORT_CHOICES, widget=QuickSelect
    )

    def __init__(
        self,
        *args: Any,
        outlets: list[tuple[str, str]],
        tills: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["outlet"], [("", _("All outlets")), *outlets])
        set_choices(self.fields["station"], [("", _("All tills")), *tills])
        # Every filter is optional; saying so on each label is noise.
        self.no_optional_mark = frozenset(self.fields)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            # Neither date applies until the range makes sense: both are marked, as the page
            # says the list is not filtered by the fields marked.
            self.add_error("date_from", _("The start date is after the end date."))
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class InsightsFilterForm(HistoryFilterForm):
    """The period and scope of the insights page (the history filters minus state, result,
    minimum and sort)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("state", "result", "min_variance", "sort", "closed_by"):
            del self.fields[name]


class AddShiftForm(forms.Form):
    session_id = forms.RegexField(
        label=_("Final POS session id"),
        regex=r"^\s*[A-Za-z0-9]{24}\s*$",
        help_text=_("24 letters and digits, as shown in Final POS."),
        error_messages={"invalid": _("A Final POS id is 24 letters and digits.")},
    )

    def clean_session_id(self) -> str:
        session_id: str = self.cleaned_data["session_id"]
        return session_id.strip()
