"""The demo manager finds last week's short tills, downloads them for the accountant, and
corrects a miscount with the original kept."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sessions_app.models import SessionRecord
from sessions_app.services.index import shift_fetch

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_history(demo_store):
    for session_id in demo_store.ids("session")[-60:]:
        shift_fetch(session_id=session_id)


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

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("history-short-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    largest = page.locator("table tbody tr").first.get_by_role("link").first
    number = largest.inner_text()
    record = SessionRecord.objects.get(session_number=number)
    largest.click()
    page.get_by_role("link", name="Correct the count").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Correct shift {number}")
    axe_check("correct a shift")
    cash = page.get_by_label("Cash counted in the drawer")
    original = cash.input_value()
    cash.fill(f"{record.closing_amount + 5:.2f}")  # the index keeps three decimals
    page.get_by_label("Reason for the correction").fill("Recounted the bag: $5 more")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("the original figures are kept in its report")).to_be_visible()
    corrections = page.get_by_role("region", name="Corrections")
    expect(corrections).to_contain_text("Corrected by Maya Okafor")
    expect(corrections).to_contain_text("Recounted the bag: $5 more")
    expect(corrections.get_by_role("row", name=re.compile("Cash"))).to_contain_text(f"${original}")
    audit = page.get_by_role("region", name="Audit trail")
    expect(audit).to_contain_text(f"Correct {number}: Recounted the bag")
    expect(audit).to_contain_text("Saved in Final POS")
    axe_check("corrected shift report")
    screenshot("shift-corrected-desktop")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit").click()
    expect(page.get_by_role("table")).to_contain_text(f"Correct {number}")
    axe_check("audit trail")


def test_the_manager_reads_insights_and_manages_setup(
    page: Page, live_server, sign_in, demo_history, screenshot, axe_check
):
    sign_in("manager", "manager-demo")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="By cashier")).to_be_visible()
    expect(page.get_by_role("img", name="Net cash difference per business day")).to_be_visible()
    axe_check("insights")
    screenshot("insights-desktop")

    nav.get_by_role("link", name="Setup").click()
    axe_check("setup")
    page.get_by_role("link", name="Add a till to").first.click()
    page.get_by_label("Till name").fill("Pop-up till")
    page.get_by_role("button", name="Add till").click()
    expect(page.get_by_text("Till Pop-up till added")).to_be_visible()
    page.get_by_role("link", name="Rename Pop-up till").click()
    axe_check("rename a till")
    page.get_by_label("Till name").fill("Patio till")
    page.get_by_role("button", name="Save name").click()
    page.get_by_role("link", name="Delete Patio till").click()
    axe_check("delete a till")
    page.get_by_role("button", name="Delete till").click()
    expect(page.get_by_text("Till Patio till deleted")).to_be_visible()
    page.get_by_role("link", name="New outlet").click()
    axe_check("new outlet")

    page.get_by_role("link", name="Alerts").click()
    page.get_by_label("E-mail me when a shift at my outlets needs review").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Your e-mail settings are saved: the weekly digest only.")
    ).to_be_visible()
    axe_check("alerts")
