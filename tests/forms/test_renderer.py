"""The site's form renderer writes a plain <input> in Python; it must write exactly what
Django's own template writes, for every kind of input, value and attribute."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from sessions_app.forms.renderer import INPUT_TEMPLATES, QuickInputRenderer

WIDGETS = [
    forms.TextInput(),
    forms.TextInput(attrs={"placeholder": gettext_lazy("Name"), "required": True}),
    forms.TextInput(attrs={"disabled": False, "data-x": 0, "autofocus": True}),
    forms.NumberInput(attrs={"step": "0.01", "min": 0, "inputmode": "decimal"}),
    forms.DateInput(attrs={"type": "date"}),
    forms.DateTimeInput(),
    forms.TimeInput(),
    forms.EmailInput(attrs={"autocomplete": "off"}),
    forms.URLInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.SearchInput(),
    forms.TelInput(),
    forms.ColorInput(),
]
VALUES = [None, "", "15,00", 'a "quoted" <b>value</b> & more', mark_safe("<i>safe</i>"), 42]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda widget: type(widget).__name__)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_every_input_is_written_as_djangos_template_writes_it(widget, value):
    attrs = {"id": "id_<field>", "aria-describedby": 'help "x"', "class": "money"}
    ours = widget.render("amount<&>", value, attrs=attrs, renderer=QuickInputRenderer())
    djangos = widget.render("amount<&>", value, attrs=attrs, renderer=DjangoTemplates())
    assert ours == djangos


def test_the_kinds_written_here_are_the_ones_that_only_include_the_input_template():
    renderer = DjangoTemplates()
    for name in INPUT_TEMPLATES - {"django/forms/widgets/input.html"}:
        source = renderer.get_template(name).template.source.strip()
        assert source == '{% include "django/forms/widgets/input.html" %}', name


def test_other_widgets_still_use_their_templates():
    widget = forms.Select(choices=[("a", "<A>"), ("b", "B")])
    ours = widget.render("pick", "b", renderer=QuickInputRenderer())
    assert ours == widget.render("pick", "b", renderer=DjangoTemplates())
    assert '<option value="b" selected>B</option>' in ours


def test_a_callable_value_or_attribute_goes_to_the_template_which_calls_it():
    widget = forms.TextInput(attrs={"data-when": lambda: "now"})
    ours = widget.render("note", "typed", renderer=QuickInputRenderer())
    assert ours == widget.render("note", "typed", renderer=DjangoTemplates())
    assert 'value="typed"' in ours and 'data-when="now"' in ours
