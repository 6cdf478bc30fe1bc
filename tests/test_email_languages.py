"""Every e-mail the dashboard sends is written in its recipient's language: the one they chose
under My preferences, else LANGUAGE_CODE (an e-mail has no browser to ask), whatever language
the person or the process that caused it was using. The expected texts are the German
catalogue's own (tests/catalogues.py), so these tests follow locale/de as it is translated."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation

from sessions_app import notifications
from sessions_app.models import SessionRecord, StaffProfile
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP
from sessions_app.selectors.digest import week_before
from sessions_app.services.digest import weekly_digests_due
from sessions_app.services.shift_close import shift_close
from sessions_app.services.staff_admin import staff_password_link_send
from tests.catalogues import filled, translated, translated_plural
from tests.conftest import OUTLET_A, make_shifts

GERMAN_SHORT_DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")  # 30.11.2026


def _speaks(user, language: str) -> None:
    StaffProfile.objects.filter(user=user).update(language=language)


def _one_to(address: str):
    [message] = [message for message in mail.outbox if message.to == [address]]
    return message


@pytest.mark.django_db(transaction=True)  # alerts are queued once the close commits
def test_review_alerts_reach_each_manager_in_their_language(
    open_shift, cashier, manager, make_staff, settings
):
    settings.SITE_URL = "https://tills.example.com"
    settings.LANGUAGE_CODE = "fr"  # for a manager who chose none
    _speaks(manager, "de")
    french = make_staff("max", MANAGER_GROUP, [OUTLET_A])
    with translation.override("es"):  # the cashier's page: it must not leak into the e-mails
        shift_close(
            record=open_shift,
            closed_by_user=cashier,
            counted={"cash": Decimal("200.00"), "card": Decimal("60.00")},
            variance_reason="Drawer was open during the rush",
            seen_updated_at=None,
            close_request_id="e" * 32,
        )

    german = _one_to(manager.email)
    subject = filled(
        translated("de", "Shift %(number)s at %(outlet)s needs review: %(differences)s")
    )
    assert subject.fullmatch(german.subject), german.subject
    assert "Alpha Street" in german.subject and "40,00" in german.subject  # German figures
    assert filled(translated("de", "Result: %(result)s")).search(german.body)
    review = "Review and approve it (you are asked to sign in first): %(link)s"
    assert filled(translated("de", review)).search(german.body)
    assert filled(translated("fr", review)).search(_one_to(french.email).body)


@pytest.mark.django_db
def test_the_weekly_digest_is_in_the_managers_language(manager, tills, settings):
    _speaks(manager, "de")
    start, _end = week_before(timezone.localdate())
    make_shifts(2, variance="-6.00")
    SessionRecord.objects.update(business_date=start)
    type(manager).objects.update(date_joined=timezone.now() - timedelta(days=30))

    with translation.override("en"):
        weekly_digests_due()

    digest = _one_to(manager.email)
    subject = filled(translated("de", "Your week at the tills: %(start)s to %(end)s"))
    assert subject.fullmatch(digest.subject), digest.subject
    assert len(GERMAN_SHORT_DATE.findall(digest.subject)) == 2
    closed = translated_plural("de", "%(count)s shift closed", "%(count)s shifts closed", 2)
    assert closed % {"count": 2} in digest.body
    assert translated("de", "Every shift of the week:") in digest.body


@pytest.mark.django_db
def test_an_invitation_is_in_the_new_members_language(manager, make_staff):
    member = make_staff("nia", CASHIER_GROUP, [OUTLET_A])
    _speaks(member, "de")
    with translation.override("fr"):  # the manager's page
        staff_password_link_send(member=member, invitation=True, sent_by_user=manager)
    [invitation] = mail.outbox
    assert invitation.subject == translated("de", "Your account on the till dashboard")
    assert translated("de", "Choose your password here (the link works once):") in invitation.body


@pytest.mark.django_db
def test_a_password_link_from_a_manager_is_in_the_members_language(manager, cashier):
    _speaks(cashier, "de")
    with translation.override("fr"):
        staff_password_link_send(member=cashier, invitation=False, sent_by_user=manager)
    [link] = mail.outbox
    assert link.subject == translated("de", "Choose a new password for the till dashboard")
    assert translated("de", "Choose a new one here (the link works once):") in link.body


@pytest.mark.django_db
def test_forgot_your_password_is_in_the_accounts_language(cashier, settings):
    _speaks(cashier, "de")
    settings.LANGUAGE_CODE = "es"  # not theirs: they chose German
    with translation.override("fr"):  # the signed-out browser that asked
        assert notifications.password_reset_send(
            email=cashier.email, origin="https://tills.example.com"
        )
    [link] = mail.outbox
    assert link.subject == translated("de", "Choose a new password for the till dashboard")
    ignore = "If you did not ask for this, ignore this e-mail: your password stays as it is."
    assert translated("de", ignore) in link.body


@pytest.mark.django_db
def test_someone_who_chose_no_language_is_written_to_in_language_code(cashier, settings):
    settings.LANGUAGE_CODE = "es"
    notifications.password_reset_send(email=cashier.email, origin="https://tills.example.com")
    [link] = mail.outbox
    assert link.subject == translated("es", "Choose a new password for the till dashboard")
