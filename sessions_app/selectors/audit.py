"""The audit trail as managers read it."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sessions_app.closing.sales import tender_name
from sessions_app.formatting import plain_amount, result_label
from sessions_app.models import AuditEntry, SessionRecord
from sessions_app.money import currency, is_known_currency, using
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


def _amount(value: Any, code: str) -> str:
    """In the shift's currency's decimals (the page may list several outlets')."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not is_known_currency(code):
        return plain_amount(amount)
    with using(currency(code)):
        return plain_amount(amount)


def _result(result: Any) -> str:
    return result_label(result) if result else "—"


def _review(state: Any) -> str:
    return {"needs_review": _("needs review"), "approved": _("approved")}.get(state or "", "—")


def changes_text(entry: AuditEntry) -> str:
    """What a write to a shift changed, from the before and after it kept: "Counted cash
    230.00 → 190.00 · Result short → balanced". Empty when it kept neither."""
    before, after = entry.before or {}, entry.after or {}
    if not before or not after:
        return ""
    code = str(after.get("currency") or before.get("currency") or "")
    changes = []
    if before.get("opening_amount") != after.get("opening_amount"):
        changes.append(
            (
                _("Float"),
                _amount(before.get("opening_amount"), code),
                _amount(after.get("opening_amount"), code),
            )
        )
    counted_before, counted_after = before.get("counted") or {}, after.get("counted") or {}
    for key in dict.fromkeys([*counted_before, *counted_after]):
        if counted_before.get(key) != counted_after.get(key):
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
    if before.get("closing_note") != after.get("closing_note"):
        changes.append(
            (_("Closing note"), before.get("closing_note") or "—", after.get("closing_note") or "—")
        )
    return " · ".join(f"{label} {old} → {new}" for label, old, new in changes)
