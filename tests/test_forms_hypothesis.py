"""Every form against random and hostile input: it never raises, and what it accepts is valid.

The views are thin over these forms, so a form that cannot raise is a page that cannot 500 on
input; test_hostile_posts_never_500 then drives a sample of the same input through the pages.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions_app import forms
from tests.conftest import PASSWORD
from tests.helpers import present

HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e9",
            "1e10",
            "NaN",
            "Infinity",
            "-0",
            "0.001",
            "1,000.00",
            "12.345",
            "$5",
            "€5,00",
            "\x00",
            "\u202e1",
            "１２３",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../etc/passwd",
            "%00",
            "9" * 400,
            "2026-02-30",
            "0000-00-00",
            "aaaaaaaaaaaaaaaaaaaaaaaa",
            "=HYPERLINK(1)",
            "\r\n",
            "\u0085",
        ]
    ),
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHOICES = [("aaaaaaaaaaaaaaaaaaaaaaa1", "Alpha")]


def _data(form_class, draw_values, **kwargs) -> dict[str, str]:
    names = list(form_class(**kwargs).fields)
    return dict(zip(names, draw_values, strict=False))


def _money_is_sound(value) -> None:
    if value is not None:
        assert isinstance(value, Decimal) and value.is_finite()
        assert Decimal(0) <= value <= Decimal(10**9)
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int) and exponent >= -2


def _text_is_sound(value: str, limit: int) -> None:
    assert len(value) <= limit
    assert all(ch in "\n\t" or ch.isprintable() for ch in value)


FORMS = [
    (forms.OpenShiftForm, {"till_choices": CHOICES}),
    (forms.CloseShiftForm, {}),
    (forms.CorrectShiftForm, {}),
    (forms.ApproveShiftForm, {}),
    (forms.ReopenShiftForm, {}),
    (forms.DeleteShiftForm, {"session_number": "S-2026-0001"}),
    (forms.HistoryFilterForm, {"outlets": CHOICES, "tills": CHOICES}),
    (forms.InsightsFilterForm, {"outlets": CHOICES, "tills": CHOICES}),
    (forms.AddShiftForm, {}),
    (forms.OutletForm, {}),
    (forms.TillForm, {}),
]


@pytest.mark.parametrize(("form_class", "kwargs"), FORMS, ids=[f.__name__ for f, _ in FORMS])
@FAST
@given(values=st.lists(HOSTILE, min_size=0, max_size=30))
def test_forms_never_raise_and_accept_only_valid_values(form_class, kwargs, values):
    form = form_class(_data(form_class, values, **kwargs), **kwargs)
    if not form.is_valid():
        assert form.errors
        return
    for name, value in form.cleaned_data.items():
        field = form.fields.get(name)
        if isinstance(field, forms.MoneyField):
            _money_is_sound(value)
        elif isinstance(field, forms.NoteField):
            _text_is_sound(value, present(field.max_length))
        elif name in ("date_from", "date_to") and value is not None:
            assert isinstance(value, date)
        elif name == "session_id":
            assert re.fullmatch(r"[A-Za-z0-9]{24}", value)
        elif name == "updated_at" and value is not None:
            assert value.tzinfo is not None
    if form_class is forms.DeleteShiftForm:
        assert form.cleaned_data["confirmation"].casefold() == "s-2026-0001"


@FAST
@given(amount=HOSTILE, note=HOSTILE)
def test_money_and_notes_in_a_close_are_valid_or_refused(amount, note):
    form = forms.CloseShiftForm(
        {
            "counted_cash": amount,
            "counted_card": amount,
            "counted_oliverPay": "0",
            "closing_note": note,
            "close_request_id": "a" * 32,
            "updated_at": "",
        }
    )
    if form.is_valid():
        for value in form.counted().values():
            _money_is_sound(value)
        _text_is_sound(form.cleaned_data["closing_note"], forms.NOTE_MAX_LENGTH)
    else:
        assert "counted_cash" in form.errors or "closing_note" in form.errors


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(values=st.lists(HOSTILE, min_size=9, max_size=9))
def test_hostile_posts_never_500(client, manager, closed_shift, values):
    client.login(username="mia", password=PASSWORD)
    shift = closed_shift.id
    posts = [
        (
            reverse("sessions_app:shift_correct", args=[shift]),
            {
                "counted_cash": values[0],
                "counted_card": values[1],
                "counted_oliverPay": values[2],
                "closing_note": values[3],
                "reason": values[4],
                "updated_at": values[5],
            },
        ),
        (
            reverse("sessions_app:shift_delete", args=[shift]),
            {"confirmation": values[6], "reason": values[7]},
        ),
        (reverse("sessions_app:shift_add"), {"session_id": values[8]}),
        (
            reverse("sessions_app:outlet_create"),
            dict(
                zip(
                    ["name", "address", "city", "state", "post_code", "country", "phone"],
                    values,
                    strict=False,
                )
            ),
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code < 500
    query = dict(
        zip(
            [
                "outlet",
                "station",
                "cashier",
                "date_from",
                "date_to",
                "state",
                "result",
                "min_variance",
                "sort",
            ],
            values,
            strict=True,
        )
    )
    for name in ("shift_history", "shift_export", "insights", "audit_list"):
        assert client.get(reverse(f"sessions_app:{name}"), query).status_code < 500
