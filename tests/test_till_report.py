"""A till's own report read as figures, for the shapes the dashboard knows; anything else is
left as the till wrote it, and nothing breaks the reading."""

import json
from decimal import Decimal

import pytest

from sessions_app.closing.till_report import LONGEST_READ, read_till_report


def test_the_final_pos_apps_json_report_is_read_as_figures():
    figures = read_till_report(
        json.dumps(
            {
                "source": "final-pos-ipad",
                "totals": {"cash": "212.40", "card": "96.10", "giftCard": "25.00"},
                "cashDrawer": {
                    "openingCash": "150.00",
                    "expectedCash": "215.40",
                    "closingCash": "212.40",
                    "overUnder": "-3.00",
                },
            }
        )
    )
    assert figures is not None and figures.shape == "json"
    assert figures.declared == {
        "cash": Decimal("212.40"),
        "card": Decimal("96.10"),
        "giftCard": Decimal("25.00"),
    }
    assert (figures.opening_cash, figures.expected_cash, figures.over_under) == (
        Decimal("150.00"),
        Decimal("215.40"),
        Decimal("-3.00"),
    )


def test_a_drawer_summary_alone_is_read_too():
    figures = read_till_report('{"cashDrawer":{"expectedCash":"100.00","closingCash":"99.00"}}')
    assert figures is not None and figures.declared == {}
    assert figures.counted_cash == Decimal("99.00")


def test_the_apps_text_report_is_read_line_by_line():
    figures = read_till_report("END OF SESSION S-2026-0007\ncash: 181.00\ncard: 42.5\n")
    assert figures is not None and figures.shape == "text"
    assert figures.declared == {"cash": Decimal("181.00"), "card": Decimal("42.50")}


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "Thanks for shopping!",
        json.dumps(["a", "list"]),
        json.dumps({"totals": "not an object"}),
        json.dumps({"totals": {"cash": "lots"}}),
        "{" * 10_000,
        "END OF SESSION\n" + "cash: 1\n" * (LONGEST_READ // 8),
        "nul\x00{",
    ],
    ids=["none", "empty", "prose", "list", "bad-totals", "bad-amount", "deep", "huge", "nul"],
)
def test_any_other_report_is_left_as_written(text):
    assert read_till_report(text) is None
