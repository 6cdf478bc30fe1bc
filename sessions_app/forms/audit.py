"""The audit trail's filters: what a manager can narrow it by, checked like every other input
(a NUL typed or pasted into "Who" is an error shown by the field, never a database error)."""

from django import forms
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = [
    "open",
    "close",
    "movement",
    "approve",
    "correct",
    "reopen",
    "delete",
    "import",
    "takeover",
    "write_back",
    "conflict",
    "setup",
    "staff",
]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "")] + [(a, a) for a in AUDIT_ACTIONS]
    )
    # CharField refuses NUL characters (PostgreSQL cannot compare text with one).
    actor = forms.CharField(label=_("Who"), required=False, max_length=100, strip=True)
