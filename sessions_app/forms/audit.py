"""The audit trail's filters: what a manager can narrow it by, checked like every other input
(a NUL typed or pasted into "Who" is an error shown by the field, never a database error)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.formatting import AUDIT_ACTION_NAMES

AUDIT_ACTIONS = list(AUDIT_ACTION_NAMES)  # one list: the names the page shows


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "")] + [(a, a) for a in AUDIT_ACTIONS]
    )
    # CharField refuses NUL characters (PostgreSQL cannot compare text with one).
    actor = forms.CharField(label=_("Who"), required=False, max_length=100, strip=True)
