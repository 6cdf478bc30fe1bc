"""Custom error pages in the site's look."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_page_gets_the_custom_404(client, cashier):
    client.force_login(cashier)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()
    assert b"Back to the tills" in response.content


def test_the_500_page_renders_without_a_database_or_context(rf):
    from sessions_app.views.site import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
