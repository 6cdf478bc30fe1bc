"""The operator's view in a real Chromium: a superuser signs in on the dashboard's own page,
finds a failed task and runs it again; Django's admin renders under the site's
Content-Security-Policy (its scripts carry the nonce), and passes axe."""

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_superuser_runs_a_failed_task_again_from_the_operators_view(
    page: Page, live_server, superuser, settings, axe_check, screenshot
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": ["5e55107a11ce000000000001"], "kwargs": {}},
        task_path="sessions_app.tasks.review_alert",
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="smtplib.SMTPServerDisconnected",
        traceback="Traceback ...",
    )
    errors: list[str] = []

    def keep_error(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", keep_error)

    page.goto(f"{live_server.url}/ops/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/ops/")
    sign_in_page_user(page, "root")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tasks, locks, lockouts")
    axe_check("the operator's view")
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check("the operator's view at phone width")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Task Results").click()
    page.get_by_role("checkbox", name="Select this object for an action").first.check()
    page.get_by_role("combobox", name="Action").select_option("run_again")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("1 task queued to run again.")).to_be_visible()
    screenshot("operator-tasks-desktop")
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    assert not [error for error in errors if "Content Security Policy" in error], errors


def sign_in_page_user(page: Page, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
