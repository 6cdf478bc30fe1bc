"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

In CI (CI=true) these tests must run; on a machine without Chromium they are skipped with a
message saying how to enable them.
"""

import functools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the main thread, which makes Django
# refuse ORM calls (including the live server's test database setup) without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "e2e" in Path(str(item.fspath)).parts]
    if not browser_items or Path(CHROMIUM_PATH).exists():
        return
    message = (
        f"Chromium not found at {CHROMIUM_PATH}: browser tests need it. "
        "Install it with `sudo apt-get install chromium` (or set CHROMIUM_PATH)."
    )
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"CI=true and {message}")
    skip = pytest.mark.skip(reason=message)
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


# History's rows off screen skip rendering until scrolled to (content-visibility: auto). The
# style that shows them is a constructed style sheet: the page's CSP refuses the <style>
# element Playwright's own `style` option adds.
_SHOW_EVERY_ROW = """css => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return () => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter(s => s !== sheet);
  };
}"""


@contextmanager
def every_row_rendered(page) -> Iterator[None]:
    """Rows off screen laid out and painted as if scrolled to, for a whole-page picture or a
    measure of every row."""
    shown = page.evaluate_handle(_SHOW_EVERY_ROW, "* { content-visibility: visible !important; }")
    try:
        yield
    finally:
        shown.evaluate("hide => hide()")


def take_screenshot(page, name: str, *, jpeg: bool = False) -> Path:
    """The whole page, saved as artifacts/screenshots/NAME.png, and NAME.jpg when `jpeg` (the
    README's tour)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    with every_row_rendered(page):
        page.screenshot(path=str(path), full_page=True)
        if jpeg:
            page.screenshot(path=path.with_suffix(".jpg"), type="jpeg", quality=70, full_page=True)
    return path


def sign_in_on(page, url: str, username: str, password: str) -> None:
    """Signs in through the login form of the dashboard at ``url``."""
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def screenshot(page):
    return functools.partial(take_screenshot, page)


@pytest.fixture
def axe_check(page):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(label: str) -> None:
        results = axe.run(page)
        assert results.violations_count == 0, f"axe on {label}:\n{results.generate_report()}"

    return check


@pytest.fixture
def sign_in(page, live_server):
    return functools.partial(sign_in_on, page, live_server.url)


@pytest.fixture
def demo_store(finalpos, simulator, settings, seed_demo):
    """The demo company in the loopback simulator, its accounts, outlets and tills; each test
    indexes the shifts it needs."""
    from sessions_app.demo import demo_users_create
    from sessions_app.services.catalog import catalog_refresh

    store = simulator.simulator.store
    seed_demo(store)
    settings.FINALPOS_DEMO_MODE = True
    catalog_refresh()
    demo_users_create()
    return store


@pytest.fixture
def demo_company(demo_store, settings):
    """The demo company with its open shifts indexed, a blind count and low thresholds."""
    from sessions_app.services.index import shift_fetch

    settings.BLIND_COUNT = True
    settings.VARIANCE_REASON_THRESHOLD = 5
    settings.VARIANCE_APPROVAL_THRESHOLD = 20
    for document in demo_store.find("session"):
        if not document.get("closeTime"):
            shift_fetch(session_id=document["id"])
    return demo_store
