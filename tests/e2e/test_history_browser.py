"""The demo manager finds last week's short tills and downloads them for the accountant."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sessions_app.demo import demo_users_create
from sessions_app.models import SessionRecord
from sessions_app.services import catalog_refresh, session_import
from sessions_app.simulator.seed import seed_demo_company

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_history(finalpos, simulator, settings):
    store = simulator.simulator.store
    seed_demo_company(store)
    settings.FINALPOS_DEMO_MODE = True
    demo_users_create()
    catalog_refresh()
    for session_id in store.ids("session")[-60:]:
        session_import(session_id=session_id)


def test_the_manager_filters_history_and_downloads_the_csv(
    page: Page, live_server, sign_in, demo_history, screenshot, axe_check
):
    sign_in("manager", "manager-demo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shift history")
    axe_check("history")
    page.get_by_label("Result").select_option("short")
    page.get_by_label("Sort").select_option("-variance")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"result=short.*sort=-variance"))
    shorts = SessionRecord.objects.filter(result="short").count()
    expect(page.get_by_text(f"{shorts} shifts", exact=True)).to_be_visible()
    axe_check("filtered history")
    screenshot("history-short-desktop")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == shorts and {row["result"] for row in rows} == {"short"}

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit").click()
    axe_check("audit trail")
    page.set_viewport_size({"width": 390, "height": 844})
    page.go_back()
    screenshot("history-short-phone")
