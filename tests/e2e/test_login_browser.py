"""Signing in through a real Chromium, with an accessibility check."""

import pytest
from playwright.sync_api import Page, expect

from sessions_app.demo import demo_users_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_manager_signs_in(page: Page, live_server, sign_in, settings, screenshot):
    settings.FINALPOS_DEMO_MODE = True
    demo_users_create()
    sign_in("manager", "manager-demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tills")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff")
    ).to_be_visible()
    expect(page.get_by_text("Demo mode")).to_be_visible()
    screenshot("board-manager-desktop")


def test_a_wrong_password_is_explained(page: Page, live_server, sign_in, settings):
    settings.FINALPOS_DEMO_MODE = True
    demo_users_create()
    sign_in("manager", "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username")
    expect(page.get_by_label("Username")).to_have_value("manager")


def test_the_login_page_has_no_accessibility_violations(page: Page, live_server, axe_check):
    page.goto(f"{live_server.url}/accounts/login/")
    axe_check("login page")
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check("login page at phone width")
