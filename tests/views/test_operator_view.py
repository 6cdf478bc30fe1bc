"""The operator's view (/ops/, Django's admin): superusers only, behind the dashboard's own
sign-in; queued and failed tasks with "Run again", the refresh lease and write locks with
whether their holder is alive, lockouts and the audit trail, all read-only; staff accounts and
Final POS's records are not changed here."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from sessions_app.models import AuditEntry, JobLease, ShiftWriteLock
from sessions_app.services.liveness import process_id

pytestmark = pytest.mark.django_db


def test_a_visitor_signs_in_on_the_dashboards_own_throttled_page(client):
    response = client.get("/ops/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/ops/"
    assert b"Sign in" in response.content


def test_a_manager_is_refused(client, manager):
    client.force_login(manager)
    assert client.get("/ops/", follow=True).status_code == 403
    assert client.get("/ops/sessions_app/auditentry/", follow=True).status_code == 403


def test_a_superuser_sees_tasks_leases_locks_lockouts_and_the_audit(client, superuser):
    client.force_login(superuser)
    page = client.get("/ops/").content.decode()
    for listing in (
        "/ops/django_tasks_database/dbtaskresult/",
        "/ops/sessions_app/joblease/",
        "/ops/sessions_app/shiftwritelock/",
        "/ops/sessions_app/stationclaim/",
        "/ops/sessions_app/signinfailure/",
        "/ops/sessions_app/auditentry/",
    ):
        assert f'href="{listing}"' in page, listing
        assert client.get(listing).status_code == 200
    assert "/ops/auth/user/" not in page  # staff change on the Staff page, audited


def test_a_lock_shows_whether_its_holder_is_alive(client, superuser):
    ShiftWriteLock.objects.create(
        session_id="5e55107a11ce000000000001",
        holder="Sam Rivera",
        token="a" * 32,
        acquired_at=timezone.now(),
        process=process_id(),
    )
    JobLease.objects.create(
        name="refresh",
        holder="w",
        token="b" * 32,
        renewed_at=timezone.now() - timedelta(minutes=1),
        process="till-close-worker-1:4242:1",  # another machine, silent for a minute: dead
    )
    client.force_login(superuser)
    locks = client.get("/ops/sessions_app/shiftwritelock/").content.decode()
    assert "Sam Rivera" in locks and 'alt="True"' in locks
    leases = client.get("/ops/sessions_app/joblease/").content.decode()
    assert 'alt="False"' in leases


def test_nothing_is_changed_from_the_operators_view(client, superuser):
    entry = AuditEntry.objects.create(
        at=timezone.now(),
        actor_name="Mia",
        action="close",
        object_type="session",
        summary="Closed",
        accepted=True,
    )
    client.force_login(superuser)
    assert client.get(f"/ops/sessions_app/auditentry/{entry.pk}/change/").status_code == 200
    assert client.post(f"/ops/sessions_app/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/ops/sessions_app/auditentry/add/").status_code == 403
    assert client.get("/ops/auth/user/").status_code == 404


def test_a_search_with_a_nul_is_answered_not_a_500(client, superuser):
    client.force_login(superuser)
    assert client.get("/ops/sessions_app/auditentry/", {"q": "Mia\x00"}).status_code == 200
    assert client.get("/ops/django_tasks_database/dbtaskresult/", {"q": "\x00"}).status_code == 200


def test_run_again_queues_a_failed_task_anew_with_its_arguments(client, superuser, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    failed = DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": ["5e55107a11ce000000000001"], "kwargs": {}},
        task_path="sessions_app.tasks.review_alert",
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="smtplib.SMTPServerDisconnected",
        traceback="...",
    )
    client.force_login(superuser)
    page = client.post(
        "/ops/django_tasks_database/dbtaskresult/",
        {"action": "run_again", "_selected_action": [str(failed.pk)]},
        follow=True,
    ).content.decode()
    assert "1 task queued to run again." in page
    again = DBTaskResult.objects.exclude(pk=failed.pk).get()
    assert again.status == TaskResultStatus.READY
    assert (again.task_path, again.args_kwargs) == (failed.task_path, failed.args_kwargs)
    failed.refresh_from_db()
    assert failed.status == TaskResultStatus.FAILED  # kept as it was
