"""The site's form renderer: Django's own, except that a plain <input> is written here.

Django renders every widget through the template engine, and a page of filters or a count
with a dozen inputs spent more time there than in its queries. The inputs below all use
Django's `django/forms/widgets/input.html` unchanged (this project overrides none of them),
so writing that template's output in Python gives the same HTML; tests/forms/test_renderer.py
compares the two for every kind. Every other widget (selects, radios, text areas) still goes
through its template."""

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "color",
        "date",
        "datetime",
        "email",
        "hidden",
        "input",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)


def input_html(widget: dict[str, Any]) -> SafeString:
    """What django/forms/widgets/input.html (with attrs.html) writes for this widget."""
    parts = [
        '<input type="',
        conditional_escape(widget["type"]),
        '" name="',
        conditional_escape(widget["name"]),
        '"',
    ]
    # str() is the template's `|stringformat:'s'`: a safe string stays safe (str returns it).
    if widget["value"] is not None:
        parts += [' value="', conditional_escape(str(widget["value"])), '"']
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        parts += [" ", conditional_escape(name)]
        if value is not True:
            parts += ['="', conditional_escape(str(value)), '"']
    parts.append(">")
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


def _plain(widget: Any) -> bool:
    """Whether input_html writes what the template would: the template also calls a value
    that is callable, and copes with a widget without a type; those go to the template."""
    if not isinstance(widget, dict) or "type" not in widget or callable(widget.get("value")):
        return False
    return not any(callable(value) for value in widget.get("attrs", {}).values())


class QuickInputRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in INPUT_TEMPLATES and _plain(context.get("widget")):
            return input_html(context["widget"])
        return super().render(template_name, context, request=request)
