"""The blind count's first count, kept as counted: a three-decimal currency's last digit too."""

from decimal import Decimal

import pytest

from sessions_app.services.blind_count import blind_count_reveal, blind_count_trace

pytestmark = pytest.mark.django_db


def test_a_three_decimal_first_count_is_kept_exactly_and_a_recount_by_a_fils_is_traced(
    open_shift, cashier
):
    counted = {"cash": Decimal("100.125"), "card": Decimal("0")}
    blind_count_reveal(record=open_shift, counted=counted, revealed_to=cashier)

    same = blind_count_trace(record=open_shift, counted=counted)
    assert same is not None and same.first_count["cash"] == Decimal("100.125")
    assert not same.recounted

    recount = blind_count_trace(record=open_shift, counted=counted | {"cash": Decimal("100.124")})
    assert recount is not None and recount.recounted
