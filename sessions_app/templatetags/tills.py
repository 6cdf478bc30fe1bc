"""The template filters of this project: sessions_app.formatting, registered for templates."""

from typing import Any

from django import template

from sessions_app import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("signed_money", formatting.signed_money)
register.filter("result_label", formatting.result_label)
register.filter("result_badge", formatting.result_badge)
register.filter("other_tenders", formatting.other_tenders)
register.filter("differences_text", formatting.differences_text)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
