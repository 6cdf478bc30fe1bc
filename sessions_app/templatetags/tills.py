"""The template filters of this project: sessions_app.formatting, registered for templates."""

from datetime import datetime
from typing import Any

from django import template

from sessions_app import dates, formatting
from sessions_app.movement_reasons import reason_label
from sessions_app.policy import outlet_zone
from sessions_app.selectors.audit import actor_text, changes_text

register = template.Library()

register.filter("money", formatting.money)
register.simple_tag(formatting.money_affixes, name="money_affixes")
register.filter("signed_money", formatting.signed_money)
register.filter("result_label", formatting.result_label)
register.filter("result_badge", formatting.result_badge)
register.filter("outcome_badge", formatting.outcome_badge)
register.filter("ago", dates.ago)
register.filter("audit_action", formatting.audit_action)
register.filter("audit_changes", changes_text)
register.filter("audit_actor", actor_text)
register.filter("reason_label", reason_label)


@register.filter
def movement_kind(kind: str) -> str:
    """A cash movement's kind as a name: Pay-in, Pay-out, Safe drop."""
    return str(formatting.MOVEMENT_NAMES.get(kind, kind))


@register.filter
def when(moment: datetime | None, outlet_id: str = "") -> str:
    """{{ shift.close_time|when }} in the page's zone; {{ entry.at|when:entry.outlet_id }} on a
    page of several outlets, in that outlet's."""
    return dates.when(moment, outlet_zone(outlet_id) if outlet_id else None)


@register.filter
def when_long(moment: datetime | None, outlet_id: str = "") -> str:
    return dates.when_long(moment, outlet_zone(outlet_id) if outlet_id else None)


@register.filter
def at_time(moment: datetime | None, outlet_id: str = "") -> str:
    """The time of day alone, with the zone: 7:14 a.m. EST."""
    if moment is None:
        return ""
    return dates.time_of_day(moment, outlet_zone(outlet_id) if outlet_id else None)


register.filter("other_tenders", formatting.other_tenders)
register.filter("differences_text", formatting.differences_text)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
