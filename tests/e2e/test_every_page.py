"""Every page of the dashboard at phone, tablet and desktop widths, in the light and the dark
scheme: no axe violations of any impact, no sideways scrolling of the page itself, touch
targets of at least 44 px on the till pages, and a screenshot of each (artifacts/screenshots).

The pages that only follow a POST (the close review step, forms with errors) are checked by
the flow tests in test_close_shift.py and test_keyboard.py."""

import functools
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page

from finalpos_simulator.seed import OUTLET_IDS as DEMO_OUTLET_IDS
from finalpos_simulator.tills import TillActivity
from sessions_app.models import SessionRecord, Station
from sessions_app.services.discovery import shifts_discover
from sessions_app.services.index import shift_fetch
from sessions_app.services.index_refresh import shifts_refresh
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_open import shift_open
from tests.e2e.conftest import sign_in_on, take_screenshot
from tests.helpers import present

pytestmark = pytest.mark.django_db(transaction=True)

TOUCH_TARGET_PX = 44
# A phrase each page must show, so a redirect or an error page is not checked in its place.
MUST_SHOW = {
    "history-empty": "No shifts match these filters.",
    "board": "Tills",
    "close-form": "Close the shift on",
    "shift-report": "End-of-shift report",
    "x-report": "What the drawer should hold",
    "movement-form": "Cash in or out of the drawer",
    "till-shift-report": "Opened on the till",
    "take-over": "Take over shift",
    "z-receipt": "Z report · end of shift",
    "x-receipt": "X report · shift still open",
    "conflict": "Two versions of this shift",
}
# The README's tour (docs/screenshots/), also saved as JPEG: `make screenshots` copies them.
TOUR = {
    "board-cashier-phone",
    "close-form-cashier-phone",
    "shift-report-cashier-phone",
    "board-desktop",
    "history-desktop",
    "insights-desktop",
    "board-tablet-dark",
}
TILL_PAGES = {
    "open-form",
    "close-form",
    "close-form-cashier",
    "open-form-cashier",
    "movement-form",
    "movement-form-cashier",
}


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    scheme: Literal["light", "dark"]


VIEWPORTS = [
    Viewport("phone", 390, 844, "light"),
    Viewport("tablet-dark", 768, 1024, "dark"),
    Viewport("desktop", 1280, 900, "light"),
]


@pytest.fixture
def demo_everything(demo_store):
    shifts_discover()
    shifts = SessionRecord.objects.filter(outlet_id=DEMO_OUTLET_IDS[0])
    closed = present(shifts.filter(close_time__isnull=False).order_by("-close_time").first())
    open_shift = present(shifts.filter(close_time__isnull=True).first())
    till = present(Station.objects.filter(outlet_id=DEMO_OUTLET_IDS[0]).first())
    demo_cashier = User.objects.get(username="cashier")
    held = _a_shift_a_till_holds_open(demo_store)
    in_conflict = _a_close_a_till_wrote_over(demo_store, demo_cashier)
    manager_pages = {
        "board": "/",
        "open-form": "/sessions/open/",
        "close-form": f"/sessions/{open_shift.id}/close/",
        "x-report": f"/sessions/{open_shift.id}/x/",
        "movement-form": f"/sessions/{open_shift.id}/movements/new/",
        "open-shift-report": f"/sessions/{open_shift.id}/",
        "till-shift-report": f"/sessions/{held.id}/",
        "take-over": f"/sessions/{held.id}/take-over/",
        "conflict": f"/sessions/{in_conflict.id}/",
        "shift-report": f"/sessions/{closed.id}/",
        "z-receipt": f"/sessions/{closed.id}/receipt/",
        "x-receipt": f"/sessions/{open_shift.id}/x/receipt/",
        "correct": f"/sessions/{closed.id}/correct/",
        "reopen": f"/sessions/{closed.id}/reopen/",
        "delete": f"/sessions/{closed.id}/delete/",
        "history": "/sessions/",
        "history-empty": "/sessions/?cashier=nobody-by-this-name",
        "history-deleted": "/sessions/?state=deleted",
        "insights": "/insights/",
        "audit": "/audit/",
        "staff": "/staff/",
        "staff-new": "/staff/new/",
        "staff-edit": f"/staff/{demo_cashier.pk}/",
        "staff-password": f"/staff/{demo_cashier.pk}/password/",
        "setup": "/setup/",
        "outlet-edit": f"/setup/outlets/{DEMO_OUTLET_IDS[0]}/",
        "outlet-new": "/setup/outlets/new/",
        "till-new": f"/setup/outlets/{DEMO_OUTLET_IDS[0]}/tills/new/",
        "till-edit": f"/setup/tills/{till.id}/",
        "till-delete": f"/setup/tills/{till.id}/delete/",
        "alerts": "/account/alerts/",
        "language": "/account/language/",
        "outlet-rules": f"/setup/outlets/{DEMO_OUTLET_IDS[0]}/rules/",
        "not-found": "/sessions/000000000000000000000000/",
    }
    cashier_pages = {
        "board-cashier": "/",
        "open-form-cashier": "/sessions/open/",
        "close-form-cashier": f"/sessions/{open_shift.id}/close/",
        "x-report-cashier": f"/sessions/{open_shift.id}/x/",
        "movement-form-cashier": f"/sessions/{open_shift.id}/movements/new/",
        "shift-report-cashier": f"/sessions/{closed.id}/",
        "language-cashier": "/account/language/",
    }
    return manager_pages, cashier_pages


def _a_shift_a_till_holds_open(store) -> SessionRecord:
    busy = set(
        SessionRecord.objects.filter(close_time__isnull=True).values_list("station_id", flat=True)
    )
    free = present(
        Station.objects.filter(outlet_id=DEMO_OUTLET_IDS[0]).exclude(id__in=busy).first()
    )
    till = TillActivity(store, rng=random.Random(4))
    session = till.open_session(store.get("station", free.id), cashier="Rosa Lind")
    till.sell(session, count=3)
    return shift_fetch(session_id=session["id"])


def _a_close_a_till_wrote_over(store, cashier) -> SessionRecord:
    """A shift opened and closed here, then written over by a till's queued copy."""
    busy = set(
        SessionRecord.objects.filter(close_time__isnull=True).values_list("station_id", flat=True)
    )
    free = present(
        Station.objects.filter(outlet_id=DEMO_OUTLET_IDS[0]).exclude(id__in=busy).first()
    )
    record = shift_open(till=free, opened_by_user=cashier, opening_amount=Decimal(200)).record
    copy = store.get("session", record.id)
    shift_close(
        record=record,
        closed_by_user=cashier,
        counted={"cash": Decimal("212.00")},
        variance_reason="Counted twice",
        seen_updated_at=None,
        close_request_id="e" * 32,
    )
    till = TillActivity(store, rng=random.Random(5))
    till.queue(free.id, "stale", copy, ticks=1)
    till.send_queued(free.id, all_now=True)
    shifts_refresh()
    return SessionRecord.objects.get(id=record.id)


def _page_problems(page: Page, name: str, viewport: Viewport, axe) -> list[str]:
    problems = []
    results = axe.run(page)
    if results.violations_count:
        problems.append(f"axe: {results.generate_report()}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        widest = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
               .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
               .filter(el => !el.closest('.site-nav'))
               .slice(0, 4).map(el => el.outerHTML.slice(0, 100))"""
        )
        problems.append(f"the page scrolls sideways by {overflow}px: {widest}")
    if name in TILL_PAGES:
        small = page.evaluate(
            """min => [...document.querySelectorAll(
                 'main form button, main form input:not([type=hidden]), main form select, '
                 + 'main form textarea, main summary, main .button')]
               .filter(el => el.offsetParent !== null)
               .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
               .filter(([, height]) => height < min)""",
            TOUCH_TARGET_PX,
        )
        problems += [f"touch target {height:.0f}px high: {html}" for html, height in small]
    return problems


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: viewport.name)
def test_every_page_is_accessible_and_fits(new_context, live_server, demo_everything, viewport):
    """Every page at one viewport, in a browser context of its own; every problem at that
    viewport is reported together. One test per viewport, so parallel workers share them."""
    from axe_playwright_python.sync_playwright import Axe

    page = new_context().new_page()
    problems = {
        f"{name} at {viewport.name}": found
        for name, found in _problems_at(page, live_server, demo_everything, viewport, Axe()).items()
    }
    page.context.close()

    assert not problems, "\n".join(
        f"{name}: " + "; ".join(found) for name, found in problems.items()
    )


def _problems_at(page: Page, live_server, demo_everything, viewport: Viewport, axe) -> dict:
    """Every page at one viewport: what is wrong with each (nothing, on a good day)."""
    manager_pages, cashier_pages = demo_everything
    screenshot = functools.partial(take_screenshot, page)
    sign_in = functools.partial(sign_in_on, page, live_server.url)
    page.set_viewport_size({"width": viewport.width, "height": viewport.height})
    page.emulate_media(color_scheme=viewport.scheme)
    problems: dict[str, list[str]] = {}

    def check(name: str, status: int = 200, expected_status: int = 200) -> None:
        found = [f"status {status}"] if status != expected_status else []
        if name in MUST_SHOW and MUST_SHOW[name] not in page.inner_text("main"):
            found.append(f"does not show {MUST_SHOW[name]!r}")
        found += _page_problems(page, name, viewport, axe)
        if found:
            problems[name] = found
        shot = f"{name}-{viewport.name}"
        screenshot(shot, jpeg=shot in TOUR)

    def visit(name: str, path: str) -> None:
        response = page.goto(f"{live_server.url}{path}")
        check(name, present(response).status, 404 if name == "not-found" else 200)

    visit("login", "/accounts/login/")
    sign_in("manager", "manager-demo")
    for name, path in manager_pages.items():
        visit(name, path)
    if viewport.name == "desktop":  # the shift report's print layout: the report alone
        page.goto(f"{live_server.url}{manager_pages['shift-report']}")
        page.emulate_media(media="print")
        for chrome in (page.locator(".site-header"), page.get_by_role("button", name="Print")):
            if chrome.is_visible():
                problems.setdefault("shift-report-print", []).append(f"{chrome} is printed")
        screenshot("shift-report-print")
        page.emulate_media(media="screen")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    check("signed-out")
    sign_in("cashier", "cashier-demo")
    for name, path in cashier_pages.items():
        visit(name, path)
    return problems
