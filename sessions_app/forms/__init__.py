"""Input validators: every form turns what was typed into typed values, or into field errors."""

from sessions_app.forms.fields import NOTE_MAX_LENGTH, MoneyField, NoteField, UpstreamVersionField
from sessions_app.forms.history import AddSessionForm, HistoryFilterForm, InsightsFilterForm
from sessions_app.forms.setup import (
    AlertPreferencesForm,
    OutletForm,
    OutletSettingsForm,
    StationForm,
)
from sessions_app.forms.shifts import (
    ApproveShiftForm,
    CashCountForm,
    CashMovementForm,
    CloseShiftForm,
    CorrectShiftForm,
    DeleteShiftForm,
    OpenShiftForm,
    ReopenShiftForm,
)

__all__ = [
    "NOTE_MAX_LENGTH",
    "AddSessionForm",
    "AlertPreferencesForm",
    "ApproveShiftForm",
    "CashCountForm",
    "CashMovementForm",
    "CloseShiftForm",
    "CorrectShiftForm",
    "DeleteShiftForm",
    "HistoryFilterForm",
    "InsightsFilterForm",
    "MoneyField",
    "NoteField",
    "OpenShiftForm",
    "OutletForm",
    "OutletSettingsForm",
    "ReopenShiftForm",
    "StationForm",
    "UpstreamVersionField",
]
