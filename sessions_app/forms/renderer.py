"""The site's form renderer: Django's own, except that a plain <input> is written here.

Django renders every widget through the template engine, and a page of filters or a count
with a dozen inputs spent more time there than in its queries. The inputs below all use
Django's `django/forms/widgets/input.html` unchanged (this project overrides none of them),
so writing that template's output in Python gives the same HTML; tests/forms/test_renderer.py
compares the two for every kind. Every other widget (selects, radios, text areas) still goes
through its template.

A field with its label, help and errors (`{{ field.as_field_group }}`) is written here too, as
templates/partials/field.html writes it: a page of filters spent a third of its template time
including that template once per field. The test compares the two for every field of every
form, bound and with errors."""

from typing import Any

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FIELD_TEMPLATE = "partials/field.html"

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


def field_html(field: BoundField) -> SafeString:
    """What templates/partials/field.html writes for this field, line for line."""
    errors = field.errors
    optional = ""
    # As the template's {% if %} reads it: a form without no_optional_mark marks nothing.
    unmarked = getattr(field.form, "no_optional_mark", None)
    if not field.field.required and unmarked is not None and field.name not in unmarked:
        optional = f' <span class="optional">{conditional_escape(_("(optional)"))}</span>'
    help_text = ""
    if field.help_text:
        help_text = (
            f'<p class="help" id="{_text(field.auto_id)}_helptext">{_text(field.help_text)}</p>'
        )
    error_list = ""
    if errors:
        items = "".join(f"<li>{_text(error)}</li>" for error in errors)
        error_list = f'<ul class="errorlist" id="{_text(field.auto_id)}_error">{items}</ul>'
    return mark_safe(  # noqa: S308 - every value escaped, the widget is Django's safe HTML
        f'<div class="field{" field--invalid" if errors else ""}">\n'
        f'  <label for="{_text(field.id_for_label)}">{_text(field.label)}{optional}</label>\n'
        f"  {help_text}\n"
        f"  {_text(field)}\n"
        f"  {error_list}\n"
        "</div>\n"
    )


def _text(value: Any) -> str:
    """A value as a template prints it: str() of it, escaped unless it is safe HTML."""
    return str(conditional_escape(value))


class QuickInputRenderer(DjangoTemplates):
    field_template_name = FIELD_TEMPLATE

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in INPUT_TEMPLATES and _plain(context.get("widget")):
            return input_html(context["widget"])
        if template_name == FIELD_TEMPLATE and isinstance(context.get("field"), BoundField):
            return field_html(context["field"])
        return super().render(template_name, context, request=request)
