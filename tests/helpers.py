"""Small helpers the tests share."""

import re

import requests


def present[T](value: T | None) -> T:
    """The value, failing the test where it is missing (a row, a regex match, a pipe): what
    the test reads next is then typed as there."""
    assert value is not None
    return value


def close_form(browser: requests.Session, url: str) -> dict[str, str]:
    """The close form at ``url`` of a running server, as a cashier sends it: 240.00 cash and
    60.00 card counted, confirmed, with the page's CSRF token and close request id."""
    page = browser.get(url).text
    return {
        "csrfmiddlewaretoken": present(
            re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        )[1],
        "close_request_id": present(
            re.search(r'name="close_request_id" value="([0-9a-f]{32})"', page)
        )[1],
        "counted_cash": "240.00",
        "counted_card": "60.00",
        "counted_oliverPay": "0",
        "action": "confirm",
    }
