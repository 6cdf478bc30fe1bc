"""Every filter refuses what the database cannot store or compare (a NUL: PostgreSQL answers
an error for it) with the filter's own error, never a 500; the page still lists, by the
filters that were valid (the CSV export, which lists nothing on a page, sends such a link back
to the history). Run on SQLite and on PostgreSQL."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00",
    "cal\x00",
    "\x00' OR 1=1 --",
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
]

FILTERS = [
    ("sessions_app:audit_list", ["actor", "action", "page"]),
    (
        "sessions_app:shift_history",
        [
            "cashier",
            "closed_by",
            "outlet",
            "station",
            "state",
            "result",
            "sort",
            "date_from",
            "min_variance",
            "page",
        ],
    ),
    ("sessions_app:shift_export", ["cashier", "closed_by", "outlet", "station", "date_to"]),
    ("sessions_app:insights", ["cashier", "closed_by", "outlet", "station", "date_from"]),
    ("sessions_app:shift_open", ["station"]),
    ("sessions_app:staff_list", ["page"]),
]


@pytest.mark.parametrize(("name", "parameters"), FILTERS, ids=[name for name, _ in FILTERS])
@pytest.mark.parametrize("value", HOSTILE, ids=["nul", "name-nul", "nul-sql", "control-and-long"])
def test_an_unstorable_filter_value_is_refused_cleanly(mia, name, parameters, value):
    for parameter in parameters:
        response = mia.get(reverse(name), {parameter: value}, follow=True)
        assert response.status_code == 200, (parameter, response.status_code)
        if name == "sessions_app:shift_export" and not response.streaming:
            # Refused: no file, and the history says what to fix.
            [(where, _status)] = response.redirect_chain
            assert where.startswith(reverse("sessions_app:shift_history") + "?"), parameter
            page = response.content.decode()  # the filter in error, so no CSV offered
            assert reverse("sessions_app:shift_export") not in page, parameter


def test_the_audit_trail_names_the_refused_filter_and_keeps_the_others(mia):
    page = mia.get(reverse("sessions_app:audit_list"), {"actor": "cal\x00", "action": "close"})
    text = page.content.decode()
    assert "Null characters are not allowed." in text
    assert 'aria-invalid="true"' in text
    assert '<option value="close" selected>' in text  # the valid filter still applies
