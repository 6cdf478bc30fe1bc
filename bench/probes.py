"""The pages issue 25 judges in-process, with the data each one shows: the board (warm and
cold), the history under every filter, sort and page, insights and the shift report."""

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from bench import scale
from bench.inprocess import Probe

DEEP_PAGE = 40  # the history's last page (sessions_app.views.history.MAX_PAGES)
CASHIER = "Cashier 003"  # one of the eight cashiers of the first outlet
HISTORY_MARKER = "<tbody>"  # the table of shifts: never on an empty list or another page


def month_of_interest(today: date) -> tuple[date, date]:
    """The calendar month holding the day five days ago: it has shifts at every seed stage
    (the smallest holds the last ten days)."""
    day = today - timedelta(days=5)
    first = day.replace(day=1)
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, after - timedelta(days=1)


def history_filters(info: dict[str, Any]) -> dict[str, dict[str, str]]:
    today = date.fromisoformat(info["today"])
    first, last = month_of_interest(today)
    return {
        "all": {},
        "short": {"result": "short"},
        "outlet": {"outlet": info["outlet"]},
        "cashier": {"cashier": CASHIER},
        "month": {"date_from": first.isoformat(), "date_to": last.isoformat()},
        "week": {
            "date_from": (today - timedelta(days=7)).isoformat(),
            "date_to": (today - timedelta(days=1)).isoformat(),
        },
    }


FILTER_NAMES = {
    "all": "every shift",
    "short": "short only",
    "outlet": "one outlet",
    "cashier": f"cashier “{CASHIER}”",
    "month": "one month",
    "week": "the last seven days",
}
SORT_NAMES = {"-date": "newest first", "date": "oldest first", "-variance": "by difference"}


def history_path(filters: dict[str, str], sort: str = "-date", page: int = 1) -> str:
    query = dict(filters)
    if sort != "-date":
        query["sort"] = sort
    if page != 1:
        query["page"] = str(page)
    return "/sessions/" + (f"?{urlencode(query)}" if query else "")


def history_probe(info: dict[str, Any], which: str, sort: str = "-date", page: int = 1) -> Probe:
    name = f"History · owner, {FILTER_NAMES[which]}"
    if sort != "-date":
        name += f", {SORT_NAMES[sort]}"
    if page != 1:
        name += f", page {page}"
    key = f"history_{which}" + ("" if sort == "-date" else f"_{sort.strip('-')}")
    key += "" if page == 1 else f"_p{page}"
    path = history_path(history_filters(info)[which], sort, page)
    return Probe(key, name, "owner", path, HISTORY_MARKER)


def growth_probes(info: dict[str, Any]) -> list[Probe]:
    """Measured at every seed stage (2,500, 20,000 and every shift): their growth is a target."""
    return [
        history_probe(info, "all"),
        history_probe(info, "all", "-variance"),
        history_probe(info, "all", "-date", DEEP_PAGE),
        history_probe(info, "short"),
        history_probe(info, "month"),
        Probe("insights_owner", "Insights · owner", "owner", "/insights/", "By cashier"),
    ]


def history_matrix(info: dict[str, Any]) -> list[Probe]:
    """Every filter, with every sort, on the first and the last page."""
    return [
        history_probe(info, which, sort, page)
        for which in FILTER_NAMES
        for sort in SORT_NAMES
        for page in (1, DEEP_PAGE)
    ]


def board_probes() -> list[Probe]:
    first = "Store 01"
    return [
        Probe("board_regional", "Board · regional, warm", "regional", "/", first),
        Probe("board_regional_cold", "Board · regional, cold", "regional", "/", first, cold=True),
        Probe("board_owner", "Board · owner, warm", "owner", "/", first),
        Probe("board_owner_cold", "Board · owner, cold", "owner", "/", first, cold=True),
    ]


def report_probe(info: dict[str, Any]) -> Probe:
    return Probe(
        "report",
        "Shift report · owner",
        "owner",
        f"/sessions/{info['report_id']}/",
        info["report_number"],
    )


def tills_label(tills: int) -> str:
    outlets = tills // scale.TILLS_PER_OUTLET
    return f"{outlets:,} outlets, {tills:,} tills"
