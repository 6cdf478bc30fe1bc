"""The rows of the long tables (the history, insights), formatted once per request in Python,
so their templates print each cell as a plain value.

A page of 50 shifts has about 400 formatted values; through template filters and tags each
costs tens of microseconds (the locale's formats looked up, a template node per value).
Here the formats are read once per request, the same date is formatted once, and each row is
a handful of string operations."""

from collections.abc import Iterable, Mapping
from datetime import tzinfo
from html import escape
from urllib.parse import quote, urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sessions_app.closing.variance import BALANCED, MIXED, OVER, SHORT, other_tenders_off
from sessions_app.dates import DateTimes, ago, long_day
from sessions_app.formatting import money, other_tenders, result_badge, signed_money
from sessions_app.models import SessionRecord
from sessions_app.selectors.history import HistoryShift
from sessions_app.selectors.insights import DayVariance, VarianceSummary

_ID = "0" * 24  # a placeholder for a shift's id in a URL built once


def url_maker(name: str) -> tuple[str, str]:
    """A URL of one shift split around its id (reversed once, not once per row)."""
    before, after = reverse(name, args=[_ID]).split(_ID)
    return before, after


# One shift of the history (templates/history/list.html has the table around it). Every value
# is escaped before it goes in, except the badges, which formatting.py builds as safe HTML.
HISTORY_ROW = (
    "<tr>"
    '<td data-label="{l_shift}"><span><a href="{url}">{number}</a>{state}</span></td>'
    '<td class="num" data-label="{l_difference}">{cash_difference}</td>'
    '<td data-label="{l_result}"><span>{result}</span></td>'
    '<td data-label="{l_where}">{where}</td>'
    '<td data-label="{l_opened}"><time datetime="{opened_iso}">{opened}</time></td>'
    '<td data-label="{l_cashier}">{opened_by}</td>'
    '<td data-label="{l_closed}">{closed}</td>'
    '<td class="num" data-label="{l_float}">{opening}</td>'
    '<td class="num" data-label="{l_counted}">{counted}</td>'
    "</tr>"
)


def history_rows(
    records: Iterable[HistoryShift],
    outlet_names: dict[str, str],
    till_names: dict[str, str],
    zones: Mapping[str, tzinfo],
) -> list[SafeString]:
    """The rows of the history's table, as HTML; each shift's times on its outlet's clock."""
    times = DateTimes()
    before, after = url_maker("sessions_app:shift_detail")
    badges = {result: result_badge(result) for result in (OVER, SHORT, BALANCED, MIXED, "")}
    open_badge = format_html('<span class="badge badge--open">{}</span>', _("Open"))
    states = {
        "deleted": format_html(' <span class="badge">{}</span>', _("Deleted")),
        "needs_review": format_html(
            ' <span class="badge badge--review">{}</span>', _("Needs review")
        ),
        "approved": format_html(' <span class="badge">{}</span>', _("Approved")),
    }
    two_versions = format_html(' <span class="badge badge--review">{}</span>', _("Two versions"))
    # Each cell says what it is, for a phone, where a row is a block of labelled lines.
    labels = {
        f"l_{key}": escape(text)
        for key, text in {
            "shift": _("Shift"),
            "difference": _("Cash difference"),
            "result": _("Result"),
            "where": _("Outlet · till"),
            "opened": _("Opened"),
            "cashier": _("Cashier"),
            "closed": _("Closed"),
            "float": _("Float"),
            "counted": _("Cash counted"),
        }.items()
    }
    rows = []
    for shift in records:
        state = "deleted" if shift.deleted_at else shift.review_state
        if shift.close_time:
            result = badges.get(shift.result) or result_badge(shift.result)
            if shift.variances and other_tenders_off(shift.variances):
                result = format_html(
                    "{} {}", result, other_tenders(shift.variances, shift.currency)
                )
            closing = times.local(shift.close_time, zones.get(shift.outlet_id))
            closed = (
                f'<time datetime="{closing.isoformat()}">'
                f"{escape(times.short_local(closing))}</time>"
            )
        else:
            result, closed = open_badge, "—"
        outlet = outlet_names.get(shift.outlet_id) or shift.outlet_id
        till = till_names.get(shift.station_id) or shift.station_id
        opening = times.local(shift.open_time, zones.get(shift.outlet_id))
        row = HISTORY_ROW.format(
            url=escape(f"{before}{shift.id}{after}"),
            number=escape(shift.session_number),
            state=states.get(state, "") + (two_versions if shift.in_conflict else ""),
            cash_difference=escape(signed_money(shift.cash_variance, shift.currency)),
            result=result,
            where=escape(f"{outlet} · {till}"),
            opened_iso=opening.isoformat(),
            opened=escape(times.short_local(opening)),
            opened_by=escape(shift.opened_by),
            closed=closed,
            opening=escape(money(shift.opening_amount, shift.currency)),
            counted=escape(money(shift.closing_amount, shift.currency)),
            **labels,
        )
        rows.append(mark_safe(row))  # noqa: S308 - every value above escaped or built safe
    return rows


# A closed shift in the board's short tables (recent closes, largest differences);
# templates/board/partials/shift_table.html has the table around it. Every value is escaped
# before it goes in, except the badges, which formatting.py builds as safe HTML.
SHIFT_ROW = (
    "<tr>"
    '<td data-label="{l_shift}"><span><a href="{url}">{number}</a>{review}</span></td>'
    '<td class="num" data-label="{l_difference}">{cash_difference}</td>'
    '<td data-label="{l_result}"><span>{result}</span></td>'
    '<td data-label="{l_till}"><span>{till} <span class="muted">{outlet}</span></span></td>'
    '<td data-label="{l_when}">{when}</td>'
    '<td data-label="{l_closed_by}">{closed_by}</td>'
    "</tr>"
)


def shift_rows(
    records: Iterable[SessionRecord],
    outlet_names: dict[str, str],
    till_names: dict[str, str],
    *,
    when: str,
    zones: Mapping[str, tzinfo],
) -> list[SafeString]:
    """The rows of the board's tables, as HTML: `when` is "closed" (how long ago) or
    "business_day"."""
    before, after = url_maker("sessions_app:shift_detail")
    badges = {result: result_badge(result) for result in (OVER, SHORT, BALANCED, MIXED, "")}
    times = DateTimes("DATETIME_FORMAT")
    review = format_html(' <span class="badge badge--review">{}</span>', _("Needs review"))
    # Each cell says what it is, for a phone, where a row is a block of labelled lines.
    labels = {
        f"l_{key}": escape(text)
        for key, text in {
            "shift": _("Shift"),
            "difference": _("Cash difference"),
            "result": _("Result"),
            "till": _("Till"),
            "when": _("Closed") if when == "closed" else _("Business day"),
            "closed_by": _("Closed by"),
        }.items()
    }
    rows = []
    for shift in records:
        result = badges.get(shift.result) or result_badge(shift.result)
        if shift.variances and other_tenders_off(shift.variances):
            result = format_html("{} {}", result, other_tenders(shift.variances, shift.currency))
        if when == "closed" and shift.close_time:
            moment = times.local(shift.close_time, zones.get(shift.outlet_id))
            moment_text = (
                f'<time datetime="{escape(moment.isoformat())}" '
                f'title="{escape(times.short_local(moment))}">{escape(ago(shift.close_time))}</time>'
            )
        else:
            moment_text = escape(date_format(shift.business_date, "SHORT_DATE_FORMAT"))
        row = SHIFT_ROW.format(
            url=escape(f"{before}{shift.id}{after}"),
            number=escape(shift.session_number),
            review=review if shift.needs_review else "",
            cash_difference=escape(signed_money(shift.cash_variance, shift.currency)),
            result=result,
            till=escape(till_names.get(shift.station_id) or shift.station_id),
            outlet=escape(outlet_names.get(shift.outlet_id, "")),
            when=moment_text,
            closed_by=escape(shift.closed_by),
            **labels,
        )
        rows.append(mark_safe(row))  # noqa: S308 - every value above escaped or built safe
    return rows


# A cashier or a till on the insights page, with the link to exactly its shifts
# (templates/insights/partials/summary_table.html has the table around it). Every value is
# escaped before it goes in.
SUMMARY_ROW = (
    '<tr><th scope="row">{label}</th><td class="num">{shifts}</td>'
    '<td class="num">{total}</td><td class="num">{average}</td><td class="num">{short}</td>'
    '<td class="num">{beyond}</td><td class="num">{others}</td>'
    '<td><a href="{url}" aria-label="{link_label}">{w_shifts}</a></td></tr>'
)
BEYOND_BADGE = '<span class="badge badge--short"><span aria-hidden="true">▼</span> {count}</span>'


def summary_rows(
    summaries: Iterable[VarianceSummary], *, param: str, period: dict[str, str]
) -> list[SafeString]:
    """`param` is the history's filter for one row (closed_by, station); `period` the rest of
    the link (the dates, the outlet, closed shifts by the largest difference)."""
    history = reverse("sessions_app:shift_history")
    rest = urlencode({**period, "state": "closed", "sort": "-variance"}, quote_via=quote)
    link_label = _("Shifts of %(name)s")
    w_shifts = escape(_("Shifts"))
    rows = []
    for row in summaries:
        beyond = row.shorts_beyond_threshold
        text = SUMMARY_ROW.format(
            label=escape(row.label),
            shifts=row.shifts,
            total=escape(signed_money(row.total)),
            average=escape(signed_money(row.average)),
            short=escape(signed_money(row.short)),
            beyond=BEYOND_BADGE.format(count=beyond) if beyond else "0",
            others=row.other_tenders_off,
            url=escape(f"{history}?{param}={quote(row.key, safe='/')}&{rest}"),
            link_label=escape(link_label % {"name": row.label}),
            w_shifts=w_shifts,
        )
        rows.append(mark_safe(text))  # noqa: S308 - every value above escaped or a number
    return rows


DAY_ROW = (
    '<tr><th scope="row">{day}</th><td class="num">{shifts}</td><td class="num">{over}</td>'
    '<td class="num">{short}</td><td class="num">{total}</td></tr>'
)


def day_rows(days: Iterable[DayVariance]) -> list[SafeString]:
    """The insights chart's figures as table rows."""
    return [
        mark_safe(  # noqa: S308 - every value escaped
            DAY_ROW.format(
                day=escape(long_day(day.day)),
                shifts=day.shifts,
                over=escape(signed_money(day.over)),
                short=escape(signed_money(day.short)),
                total=escape(signed_money(day.total)),
            )
        )
        for day in days
    ]
