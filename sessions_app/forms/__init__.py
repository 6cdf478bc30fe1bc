"""Input validators: every form turns what was typed into typed values, or into field errors."""

from sessions_app.forms.fields import NOTE_MAX_LENGTH, MoneyField, NoteField, UpstreamVersionField
from sessions_app.forms.history import AddShiftForm, HistoryFilterForm, InsightsFilterForm
from sessions_app.forms.setup import (
    AlertPreferencesForm,
    LanguagePreferenceForm,
    OutletForm,
    OutletSettingsForm,
    TillForm,
)
from sessions_app.forms.shifts import (
    ApproveShiftForm,
    CashCountForm,
    CashMovementForm,
    CloseShiftForm,
    ConflictChoiceForm,
    CorrectShiftForm,
    DeleteShiftForm,
    OpenShiftForm,
    ReopenShiftForm,
    TakeOverForm,
)
from sessions_app.forms.staff import (
    EMAIL_LINK,
    NewStaffForm,
    PasswordForm,
    StaffForm,
)

__all__ = [
    "EMAIL_LINK",
    "NOTE_MAX_LENGTH",
    "AddShiftForm",
    "AlertPreferencesForm",
    "ApproveShiftForm",
    "CashCountForm",
    "CashMovementForm",
    "CloseShiftForm",
    "ConflictChoiceForm",
    "CorrectShiftForm",
    "DeleteShiftForm",
    "HistoryFilterForm",
    "InsightsFilterForm",
    "LanguagePreferenceForm",
    "MoneyField",
    "NewStaffForm",
    "NoteField",
    "OpenShiftForm",
    "OutletForm",
    "OutletSettingsForm",
    "PasswordForm",
    "ReopenShiftForm",
    "StaffForm",
    "TakeOverForm",
    "TillForm",
    "UpstreamVersionField",
]
