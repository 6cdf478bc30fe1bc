"""The audit trail as managers read it."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sessions_app.closing.sales import tender_name
from sessions_app.formatting import money, plain_amount, result_label
from sessions_app.models import AuditEntry, SessionRecord
from sessions_app.money import is_known_currency
from sessions_app.roles import User
from sessions_app.selectors.scope import in_scope


def audit_for_shift(*, record: SessionRecord) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type="session", object_id=record.id)


def audit_list(*, user: User, action: str = "", actor: str = "") -> QuerySet[AuditEntry]:
    """Audit entries at the user's outlets (all for superusers), newest first."""
    entries = in_scope(AuditEntry.objects.all(), user=user)
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    return entries


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _same_amount(before: Any, after: Any) -> bool:
    """Kept as text, "150.00" and "150.0" are one amount: only a change of value is shown."""
    old, new = _decimal(before), _decimal(after)
    if old is None or new is None:
        return before == after
    return old == new


def _amount(value: Any, code: str) -> str:
    """In the shift's currency, with its sign and decimals (the page may list several
    outlets')."""
    amount = _decimal(value)
    if amount is None:
        return "—" if value in (None, "") else str(value)
    if not is_known_currency(code):
        return plain_amount(amount)
    return money(amount, code)


def _result(result: Any) -> str:
    return result_label(result) if result else "—"


def _review(state: Any) -> str:
    return {"needs_review": _("needs review"), "approved": _("approved")}.get(state or "", "—")


def actor_text(entry: AuditEntry) -> str:
    """Who made the write, in the page's language when it was the dashboard itself."""
    if entry.actor_id is None and entry.actor_name == AuditEntry.SYSTEM_ACTOR:
        return _("The dashboard")
    return entry.actor_name


def changes_text(entry: AuditEntry) -> str:
    """What a write to a shift changed, from the before and after it kept: "Counted cash
    230.00 → 190.00 · Result short → balanced". Empty when it kept neither."""
    before, after = entry.before or {}, entry.after or {}
    if not before or not after:
        return ""
    code = str(after.get("currency") or before.get("currency") or "")
    changes = []
    if not _same_amount(before.get("opening_amount"), after.get("opening_amount")):
        changes.append(
            (
                _("Float"),
                _amount(before.get("opening_amount"), code),
                _amount(after.get("opening_amount"), code),
            )
        )
    counted_before, counted_after = before.get("counted") or {}, after.get("counted") or {}
    for key in dict.fromkeys([*counted_before, *counted_after]):
        if not _same_amount(counted_before.get(key), counted_after.get(key)):
            changes.append(
                (
                    _("Counted %(tender)s") % {"tender": tender_name(key)},
                    _amount(counted_before.get(key), code),
                    _amount(counted_after.get(key), code),
                )
            )
    if before.get("result") != after.get("result"):
        changes.append((_("Result"), _result(before.get("result")), _result(after.get("result"))))
    if before.get("review_state") != after.get("review_state"):
        changes.append(
            (_("Review"), _review(before.get("review_state")), _review(after.get("review_state")))
        )
    for key, label in (
        ("closing_note", _("Closing note")),
        ("variance_reason", _("Reason for the difference")),
        ("review_comment", _("Approval comment")),
    ):
        # Kept since these were recorded: an older entry without them shows no change.
        if key in before and key in after and before[key] != after[key]:
            changes.append((label, before[key] or "—", after[key] or "—"))
    return " · ".join(f"{label} {old} → {new}" for label, old, new in changes)
