"""A field with its label, help and errors is written in Python (forms/renderer.py field_html);
it must write exactly what templates/partials/field.html writes, for every kind of field, in
every state, in the site's forms and in one made to reach every branch of the template."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from sessions_app.forms import (
    AddShiftForm,
    ApproveShiftForm,
    CashMovementForm,
    HistoryFilterForm,
    InsightsFilterForm,
    OpenShiftForm,
    TakeOverForm,
)
from sessions_app.forms.fields import QuickSelect
from sessions_app.forms.renderer import FIELD_TEMPLATE, QuickInputRenderer, field_html


class EveryBranch(forms.Form):
    no_optional_mark = frozenset({"quiet"})

    name = forms.CharField(label='Name <&> "quoted"', help_text="Plain & <help>")
    note = forms.CharField(
        required=False, widget=forms.Textarea, help_text=mark_safe("<b>safe</b> help")
    )
    quiet = forms.CharField(required=False, label=gettext_lazy("Comment"))
    kind = forms.ChoiceField(
        choices=[("a", "A & B"), ("b", "<b>")], widget=QuickSelect, required=False
    )
    ticked = forms.BooleanField(required=False)
    picked = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        self.add_error("name", 'A second error with <markup> & "quotes"')
        return self.cleaned_data


def _forms():
    outlets = [("o1", "North & South"), ("o2", "<East>")]
    tills = [("t1", "Till 1 · North & South"), ("t2", "Till 2 · <East>")]
    junk = {"name": "x" * 300, "opening_amount": "abc", "amount": "-", "date_from": "nope"}
    made = []
    for data in (None, {}, junk):
        made += [
            EveryBranch(data),
            EveryBranch(data, auto_id=False),
            EveryBranch(data, prefix="p", auto_id="field_%s"),
            HistoryFilterForm(data, outlets=outlets, tills=tills),
            InsightsFilterForm(data, outlets=outlets, tills=tills),
            OpenShiftForm(data, till_choices=tills),
            AddShiftForm(data),
            ApproveShiftForm(data),
            CashMovementForm(data),
            TakeOverForm(data),
        ]
    return made


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_field_is_written_as_the_template_writes_it(db, language):
    compared = 0
    with override(language):
        for form in _forms():
            form.is_valid() if form.is_bound else None
            for field in form:
                assert field_html(field) == render_to_string(FIELD_TEMPLATE, {"field": field}), (
                    type(form).__name__,
                    field.name,
                )
                compared += 1
    assert compared > 100


def test_the_renderer_writes_a_field_group_in_python_and_anything_else_through_templates():
    form = EveryBranch({"name": ""})
    form.is_valid()
    assert isinstance(form.renderer, QuickInputRenderer)
    group = form["name"].as_field_group()
    assert group == render_to_string(FIELD_TEMPLATE, {"field": form["name"]})
    assert 'class="field field--invalid"' in group and "This field is required." in group
    # Another template for a field still goes through the template engine.
    assert "<label" in form["name"].render("django/forms/field.html")
