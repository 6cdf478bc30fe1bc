"""The manager's day and the cashier's close in Chromium, with nothing that contradicts itself:
a close whose answer was lost, a blind outlet's X report, a reopened shift's timeline, the
outage board, the review queue, the 80 mm Z receipt, and a lockout a manager lifts. Each
writes a screenshot at 390 and 1280 px (artifacts/screenshots/, the README's tour takes
copies)."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from sessions_app.finalpos import circuit
from sessions_app.models import AuditEntry, SessionRecord
from tests.conftest import add_faults
from tests.e2e.conftest import every_row_rendered
from tests.helpers import present

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def _shoot(page: Page, screenshot, name: str) -> None:
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        screenshot(f"{name}-{label}", jpeg=True)
    page.set_viewport_size(DESKTOP)


def _count_till_2(page: Page, cash: str) -> None:
    page.get_by_role("link", name="Close the shift on Till 2").click()
    page.get_by_label("Cash counted in the drawer").fill(cash)
    page.get_by_label("Card", exact=True).fill("0")
    page.get_by_label("Oliver Pay").fill("0")
    page.get_by_role("button", name="Review before closing").click()
    reason = page.get_by_label("Reason for the difference")
    if reason.count():
        reason.fill("Counted twice")


def _close_a_demo_shift(*, cash: str) -> SessionRecord:
    from django.contrib.auth.models import User

    from sessions_app.services.shift_close import shift_close

    open_shift = present(
        SessionRecord.objects.filter(
            close_time__isnull=True, session_number__startswith="D-"
        ).first()
    )
    return shift_close(
        record=open_shift,
        closed_by_user=User.objects.get(username="cashier"),
        counted={"cash": Decimal(cash), "card": Decimal("0"), "oliverPay": Decimal("0")},
        variance_reason="Till was short at hand-over",
        seen_updated_at=None,
        close_request_id="b" * 32,
    ).record


def test_a_close_whose_answer_was_lost_has_one_outcome_and_one_action(
    page: Page, live_server, sign_in, demo_company, simulator, screenshot, axe_check
):
    sign_in("cashier", "cashier-demo")
    _count_till_2(page, "250.00")
    # The close lands, its answer is lost, and Final POS cannot be asked again for a while.
    add_faults(
        simulator,
        {"action": "drop", "method": "PUT", "path_contains": "/session/", "when": "after"},
        # the re-read just before the write goes through; every read after it fails
        {
            "action": "status",
            "status": 503,
            "method": "GET",
            "path_contains": "/session/",
            "skip": 1,
        },
    )
    page.get_by_role("button", name="Close shift").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Not confirmed yet")
    main = page.locator("main")
    expect(main).to_contain_text("the answer was lost")
    expect(main).not_to_contain_text("Nothing has been written yet")
    expect(page.get_by_role("button", name="Close shift")).to_have_count(0)
    expect(page.get_by_role("button", name="Check again")).to_be_visible()
    axe_check("a close not confirmed yet")
    _shoot(page, screenshot, "close-not-confirmed")
    page.reload()  # a GET: nothing is sent again
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not confirmed yet")
    assert simulator.simulator.calls["PUT /v1/api/session/{id}"] == 1

    simulator.simulator.faults.rules.clear()  # Final POS answers again
    page.get_by_role("button", name="Check again").click()

    expect(page.locator(".messages")).to_contain_text("Saved: Final POS has the close")
    expect(page.get_by_role("heading", level=1)).to_contain_text("End-of-shift report")
    entry = AuditEntry.objects.get(action="close")
    assert entry.outcome == "landed" and entry.settled_at is not None


def test_a_blind_outlets_x_report_keeps_expected_from_the_cashier(
    page: Page, live_server, sign_in, demo_company, screenshot, axe_check
):
    sign_in("cashier", "cashier-demo")
    page.get_by_role("link", name="X report of the shift on Till 2").click()
    main = page.locator("main")
    expect(main).to_contain_text("counts blind")
    expect(main).not_to_contain_text("Expected")
    axe_check("a blind outlet's X report")
    _shoot(page, screenshot, "x-report-blind")


def test_a_reopened_shift_keeps_its_whole_timeline(
    page: Page, live_server, sign_in, demo_company, screenshot, axe_check
):
    from django.contrib.auth.models import User

    from sessions_app.services.shift_close import shift_close
    from sessions_app.services.shift_review import shift_approve, shift_correct
    from sessions_app.services.shift_undo import shift_reopen

    manager = User.objects.get(username="manager")
    record = present(
        SessionRecord.objects.filter(
            close_time__isnull=True, session_number__startswith="D-"
        ).first()
    )
    closed = shift_close(
        record=record,
        closed_by_user=User.objects.get(username="cashier"),
        counted={"cash": Decimal("100.00"), "card": Decimal("0"), "oliverPay": Decimal("0")},
        variance_reason="Short",
        seen_updated_at=None,
        close_request_id="a" * 32,
    ).record
    if closed.needs_review:
        closed = shift_approve(
            record=closed, approved_by_user=manager, comment="Seen", seen_updated_at=None
        ).record
    corrected = shift_correct(
        record=closed,
        corrected_by_user=manager,
        counted={"cash": Decimal("100.00"), "card": Decimal("72.20"), "oliverPay": Decimal("0")},
        closing_note="",
        reason="Card slip found",
        seen_updated_at=None,
    ).record
    shift_reopen(
        record=corrected, reopened_by_user=manager, reason="Count again", seen_updated_at=None
    )

    sign_in("manager", "manager-demo")
    page.goto(f"{live_server.url}/sessions/{record.id}/")
    timeline = page.locator("ol.timeline")
    for line in ("Closed by", "Corrected by", "Card slip found", "Reopened by", "Count again"):
        expect(timeline).to_contain_text(line)
    earlier = page.locator(".earlier-close")
    expect(earlier).to_contain_text("The cashier's own count")
    expect(earlier).to_contain_text("Then corrected by")
    axe_check("a reopened shift's timeline")
    _shoot(page, screenshot, "reopened-timeline")


def test_the_outage_board_says_once_what_still_works(
    page: Page, live_server, sign_in, demo_company, screenshot, axe_check, settings
):
    sign_in("cashier", "cashier-demo")
    for _failure in range(settings.FINALPOS_CIRCUIT_FAILURES):
        circuit.record_failure()
    page.goto(f"{live_server.url}/")
    banner = page.locator(".paused-banner")
    expect(banner).to_have_count(1)
    expect(banner).to_contain_text("You can still count a drawer")
    expect(page.locator("main .alert")).to_have_count(0)  # no stack of warnings besides it
    expect(page.locator("body")).not_to_contain_text("HTTP 503")
    axe_check("the board while Final POS is not answering")
    _shoot(page, screenshot, "outage-board")


def test_a_manager_approves_from_the_review_queue(
    page: Page, live_server, sign_in, demo_company, axe_check
):
    _close_a_demo_shift(cash="10.00")
    assert SessionRecord.objects.filter(review_state="needs_review").exists()
    sign_in("manager", "manager-demo")
    page.get_by_role("navigation").get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review")
    axe_check("the review queue")
    first = page.locator(".review-item").first
    number = first.get_by_role("heading").get_by_role("link").inner_text()
    reason = first.get_by_label("Reason for the difference")
    if reason.count():
        reason.fill("Short changed a customer")
    first.get_by_label("Approval comment").fill("Spoke to the cashier")
    first.get_by_role("button", name=f"Approve {number}").click()

    expect(page.locator(".messages")).to_contain_text(f"Shift {number} approved")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review")
    assert SessionRecord.objects.get(session_number=number).review_state == "approved"


def test_the_z_report_prints_on_an_80_mm_roll(
    page: Page, live_server, sign_in, demo_company, screenshot, axe_check
):
    closed = _close_a_demo_shift(cash="250.00")
    sign_in("manager", "manager-demo")
    page.goto(f"{live_server.url}/sessions/{closed.id}/")
    page.get_by_role("link", name="Receipt (80 mm)").click()
    main = page.locator("main")
    for words in ("Z report · end of shift", "Gross sales", "Net sales", "Tax included"):
        expect(main).to_contain_text(words)
    page.wait_for_load_state("load")  # the receipt stylesheet applied
    width = page.evaluate("document.querySelector('.receipt').getBoundingClientRect().width")
    assert 270 <= width <= 285  # 74 mm of paper at 96 dpi
    axe_check("the 80 mm Z receipt")
    _shoot(page, screenshot, "z-receipt-80mm")


def test_a_manager_unlocks_a_cashier_locked_out_by_failed_sign_ins(
    page: Page, browser, live_server, sign_in, demo_company, settings, axe_check
):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _attempt in range(3):
        sign_in("cashier", "not-my-password")
    sign_in("cashier", "cashier-demo")
    expect(page.locator("main")).to_contain_text("ask a manager to unlock your account")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    axe_check("a locked-out sign-in")

    manager_page = browser.new_context(base_url=live_server.url).new_page()
    manager_page.goto("/accounts/login/")
    manager_page.get_by_label("Username").fill("manager")
    manager_page.get_by_label("Password").fill("manager-demo")
    manager_page.get_by_role("button", name="Sign in").click()
    manager_page.goto("/staff/")
    expect(manager_page.locator("main")).to_contain_text("Locked out")
    manager_page.get_by_role("button", name="Unlock cashier").click()
    expect(manager_page.locator(".messages")).to_contain_text("cashier can sign in again now")
    expect(manager_page.get_by_role("button", name="Unlock cashier")).to_have_count(0)

    sign_in("cashier", "cashier-demo")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Sign in")
    assert AuditEntry.objects.filter(summary__startswith="Unlocked sign-in for cashier").exists()


def test_on_a_phone_the_closed_shifts_read_without_scrolling_sideways(
    page: Page, live_server, sign_in, demo_company, screenshot
):
    _close_a_demo_shift(cash="250.00")
    sign_in("manager", "manager-demo")
    for width, path, table in (
        (PHONE["width"], "/", "#recent-heading ~ .table-wrap"),
        (PHONE["width"], "/sessions/", ".table-wrap"),
        (320, "/sessions/", ".table-wrap"),  # WCAG's reflow width
    ):
        page.set_viewport_size({**PHONE, "width": width})
        page.goto(f"{live_server.url}{path}")
        wrap = page.locator(table).first
        expect(wrap).to_contain_text("Result")  # every cell labelled
        # History's rows off screen are not laid out, and each row clips what overflows it:
        # measured laid out, nothing may reach past the frame.
        with every_row_rendered(page):
            sideways = wrap.evaluate("frame => frame.scrollWidth - frame.clientWidth")
            past_the_edge = wrap.evaluate(
                """frame => {
                  const edge = frame.getBoundingClientRect().right + 1;
                  return [...frame.querySelectorAll("td *, th *")]
                    .filter(node => node.getBoundingClientRect().right > edge).length;
                }"""
            )
        assert sideways <= 1, f"{path} scrolls {sideways}px sideways at {width}px"
        assert past_the_edge == 0, f"{path}: {past_the_edge} elements past the edge at {width}px"
        badge = wrap.locator(".badge").first
        box, frame = badge.bounding_box(), wrap.bounding_box()
        assert box and frame and box["x"] + box["width"] <= frame["x"] + frame["width"]
    page.set_viewport_size(PHONE)
    screenshot("history-phone", jpeg=True)
