"""The weekly digest: each manager's week at their outlets, queued once per week by the
worker's pass and mailed by its task."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from sessions_app.models import SessionRecord, StaffProfile
from sessions_app.selectors.digest import week_before, week_digest
from sessions_app.services.digest import weekly_digests_due
from tests.conftest import OUTLET_B, make_shifts
from tests.helpers import present

pytestmark = pytest.mark.django_db


def _last_week() -> tuple[date, date]:
    return week_before(timezone.localdate())


def _joined_before(start: date) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.update(date_joined=timezone.now() - timedelta(days=30))


def test_the_week_counts_shorts_and_names_cashiers_short_again(manager, tills):
    start, end = _last_week()
    days_back = (timezone.localdate() - start).days
    make_shifts(3, opened_by="Sam Rivera", variance="-6.00", start=0)
    make_shifts(2, opened_by="Priya Shah", variance="4.00", start=100)
    SessionRecord.objects.update(business_date=start + timedelta(days=1))
    make_shifts(1, outlet=OUTLET_B, variance="-50.00", start=200)  # not Mia's outlet

    digest = week_digest(user=manager, start=start, end=end)

    assert (digest.closed, digest.short, digest.over) == (5, 3, 2)
    [sam] = digest.repeated_shorts
    assert (sam.name, sam.shorts, sam.total_short) == ("Sam Rivera", 3, Decimal("18"))
    assert days_back >= 7


def test_each_manager_gets_last_weeks_digest_once(manager, manager_b, tills):
    start, _end = _last_week()
    make_shifts(2, variance="-6.00")
    SessionRecord.objects.update(business_date=start)
    SessionRecord.objects.filter(pk=present(SessionRecord.objects.first()).pk).update(
        review_state="needs_review"
    )

    _joined_before(start)
    assert weekly_digests_due() == 2  # both managers: the task sends one each
    assert weekly_digests_due() == 0  # already sent for that week

    to_mia = next(message for message in mail.outbox if message.to == [manager.email])
    assert "Your week at the tills" in to_mia.subject
    assert "2 shifts closed: 2 short on cash, 0 over." in to_mia.body
    assert "Cal Cashier: 2 shorts" in to_mia.body
    assert "1 shift still waits for your review: http" in to_mia.body and "/review/" in to_mia.body
    to_bob = [message for message in mail.outbox if message.to == [manager_b.email]]
    assert not to_bob  # nothing happened at his outlet: no news, no e-mail


def test_a_manager_who_turned_it_off_gets_none(manager, tills):
    start, _end = _last_week()
    make_shifts(1, variance="-6.00")
    SessionRecord.objects.update(business_date=start)
    StaffProfile.objects.filter(user=manager).update(weekly_digest=False)
    _joined_before(start)
    weekly_digests_due()
    assert not mail.outbox


def test_a_manager_whose_account_is_newer_than_the_week_gets_none_for_it(manager, tills):
    start, _end = _last_week()
    make_shifts(1, variance="-6.00")
    SessionRecord.objects.update(business_date=start)
    assert weekly_digests_due() == 0  # made today: last week is not theirs to read about
    assert not mail.outbox
