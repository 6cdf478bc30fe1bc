"""A superuser adds a cashier entirely in the browser; the cashier signs in with the password
they were given and sees their outlet's tills, and only those."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "plum-orchard-lantern-42"


def test_a_superuser_adds_a_cashier_who_then_signs_in(
    page: Page, live_server, sign_in, superuser, tills, axe_check, screenshot
):
    sign_in("root", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
    page.get_by_role("link", name="Add a staff member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a staff member")
    axe_check("the new staff member form")
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check("the new staff member form at phone width")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("staff-new-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Username").fill("tess")
    page.get_by_label("First name").fill("Tess")
    page.get_by_label("Last name").fill("Till")
    page.get_by_role("textbox", name="E-mail").fill("tess@example.com")
    page.get_by_role("group", name="Role").get_by_label("Cashier").check()
    page.get_by_role("group", name="Outlets they work at").get_by_label("Alpha Street").check()
    page.get_by_label("Type a password now and tell them").check()
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("The same password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Add staff member").click()

    expect(page.get_by_text("tess added. Give them their password in person.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="tess@example.com")
    expect(row).to_contain_text("Tess Till")
    expect(row).to_contain_text("Cashier")
    expect(row).to_contain_text("Alpha Street")
    axe_check("the staff list")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")

    sign_in("tess", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tills")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Alpha Street")
    expect(main).to_contain_text("Till 1")
    expect(main).not_to_contain_text("Beta Mall")
    expect(main).not_to_contain_text("Beta till")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff")
    ).to_have_count(0)
