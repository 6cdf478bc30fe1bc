"""Small helpers the tests share."""

import re
from html.parser import HTMLParser

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


_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _PrintedText(HTMLParser):
    """The words of a page's `<article>` as its print stylesheet lays it out: what is inside
    an element of class `no-print` is left out (static/css/site.css hides it on paper), the
    print header is kept."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside the article
        self.hidden_at: int | None = None
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.depth == 0 and tag != "article":
            return
        self.depth += 1
        if self.hidden_at is None and "no-print" in classes:
            self.hidden_at = self.depth

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or self.depth == 0:
            return
        if self.hidden_at == self.depth:
            self.hidden_at = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and self.hidden_at is None:
            self.words.append(data)


def printed_text(page: str) -> str:
    """The text a printer gets of the page's report (its `<article>`), spaces collapsed."""
    parser = _PrintedText()
    parser.feed(page)
    return " ".join(" ".join(parser.words).split())


def full_reads_of(table: str, sql: str) -> list[str]:
    """The steps of the database's plan for `sql` (as CaptureQueriesContext records it) that
    read every row of `table`: none for a query that finds its rows through indexes. SQLite
    names them (SCAN). On PostgreSQL the table is analysed and the query run with sequential
    scans, hash and merge joins off, so only index paths are left, as with many rows: a step
    on `table` that looked at half its rows or more (an index read end to end and filtered)
    is one. A few hundred rows are enough."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [row[-1] for row in cursor.fetchall() if row[-1].startswith("SCAN ")]
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        [[rows]] = cursor.fetchall()
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        for method in ("seqscan", "hashjoin", "mergejoin"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        [[document]] = cursor.fetchall()
    found: list[str] = []
    nodes = [document[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("Plans", []))
        if node.get("Relation Name") != table:
            continue
        looked_at = (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node[
            "Actual Loops"
        ]
        if looked_at * 2 >= rows:
            found.append(f"{node['Node Type']} {node.get('Index Name', table)}: {looked_at}")
    return found
