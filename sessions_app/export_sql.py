"""The CSV export's line, written by the database: every cell formatted and quoted in SQL
(for SQLite and PostgreSQL alike), so Python only joins the lines (sessions_app/exports.py).

The cells read exactly as Python's csv module with formulas neutralised would write them:
free text that starts like a spreadsheet formula gets a leading apostrophe, a cell holding a
comma, a quote or a line break is quoted, amounts have their currency's decimals (none for
JPY, three for KWD), times are ISO 8601 in the outlet's own time zone to the second."""

from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from babel.numbers import list_currencies
from django.db import connections, transaction
from django.db.models import (
    Case,
    CharField,
    F,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Combinable
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Concat, RowNumber
from django.db.models.lookups import IsNull

from sessions_app.models import Outlet, SessionRecord, Station
from sessions_app.money import currency

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]  # what a spreadsheet would run
TEXT = CharField()
Cell = Combinable  # a column (F) or an expression


@dataclass(frozen=True)
class Offset:
    until: datetime | None  # this offset holds before this instant (None: from then on)
    seconds: int

    @property
    def label(self) -> str:
        """As Python's isoformat writes an offset: +01:00, -03:30."""
        sign = "-" if self.seconds < 0 else "+"
        hours, rest = divmod(abs(self.seconds), 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


@dataclass(frozen=True)
class Offsets:
    by_outlets: list[tuple[list[str], list[Offset]]]  # outlets sharing a zone, its offsets
    default: list[Offset]  # for any other outlet: the site's zone


class LocalTime(Func):
    """A UTC timestamp shifted by a number of seconds, as YYYY-MM-DDTHH:MM:SS."""

    output_field = TEXT
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        moment, params = compiler.compile(self.source_expressions[0])
        seconds, more = compiler.compile(self.source_expressions[1])
        return (
            f"strftime('%%Y-%%m-%%dT%%H:%%M:%%S', {moment}, ({seconds}) || ' seconds')",
            [*params, *more],
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        moment, params = compiler.compile(self.source_expressions[0])
        seconds, more = compiler.compile(self.source_expressions[1])
        return (
            f"to_char(({moment} AT TIME ZONE 'UTC') + ({seconds}) * interval '1 second', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS')",
            [*params, *more],
        )


class Minor(Func):
    """A decimal column as text with a number of decimals (SQLite keeps it as a float, whose
    nearest value below 10^12 always prints back to the stored thousandths)."""

    output_field = TEXT
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        value, params = compiler.compile(self.source_expressions[0])
        decimals, more = compiler.compile(self.source_expressions[1])
        return f"printf('%%.*f', {decimals}, {value})", [*more, *params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        value, params = compiler.compile(self.source_expressions[0])
        decimals, more = compiler.compile(self.source_expressions[1])
        return f"round({value}, {decimals})::text", [*params, *more]


@cache
def _decimals_by_currency() -> dict[int, list[str]]:
    """The currencies that do not have two decimals, by their decimals (CLDR, via Babel)."""
    found: dict[int, list[str]] = {}
    for code in sorted(list_currencies()):
        decimals = currency(code).decimals
        if decimals != 2:
            found.setdefault(decimals, []).append(code)
    return found


def currency_decimals() -> Cell:
    """The decimals of each shift's own currency."""
    return Case(
        *(
            When(currency__in=codes, then=Value(decimals, output_field=IntegerField()))
            for decimals, codes in _decimals_by_currency().items()
        ),
        default=Value(2, output_field=IntegerField()),
    )


class IsoDate(Func):
    """A date as YYYY-MM-DD (SQLite keeps it so; PostgreSQL writes it so, its dates being
    ISO for Django's connections)."""

    output_field = TEXT

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="%(expressions)s")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s)::text")


class OtherTenders(Func):
    """The tenders declared that the dashboard does not reconcile: "giftCard 25.00; voucher
    5.00", by key (in code point order, as Python sorts), or ""."""

    output_field = TEXT
    arity = 1

    def __init__(self, expression: Any, *, configured: list[str]) -> None:
        super().__init__(expression)
        self.configured = configured

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        known = ", ".join(["%s"] * len(self.configured))
        # json_remove first: most shifts declare only the configured tenders. Only compiled
        # SQL and placeholders go into the text (the S608 below).
        template = (
            f"CASE WHEN json_remove({sql}, {known}) = '{{}}' "  # noqa: S608
            "THEN '' ELSE coalesce((SELECT group_concat(tender, '; ') FROM "
            f"(SELECT key || ' ' || value AS tender FROM json_each({sql}) "
            f"WHERE key NOT IN ({known}) ORDER BY key)), '') END"
        )
        paths = [f'$."{key}"' for key in self.configured]
        return template, [*params, *paths, *params, *self.configured]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        known = ", ".join(["%s"] * len(self.configured))
        template = (
            f"CASE WHEN ({sql} - ARRAY[{known}]::text[]) = '{{}}'::jsonb THEN '' ELSE "  # noqa: S608
            "coalesce((SELECT string_agg(key || ' ' || value, '; ' ORDER BY key COLLATE \"C\") "
            f"FROM jsonb_each_text({sql}) WHERE key NOT IN ({known})), '') END"
        )
        return template, [*params, *self.configured, *params, *self.configured]


def amount(field: str) -> Cell:
    return Case(
        When(IsNull(F(field), True), then=Value("")),
        default=Minor(F(field), currency_decimals()),
    )


def _offset_case(field: str, offsets: list[Offset], part: str) -> Cell:
    def value(offset: Offset) -> Value:
        if part == "seconds":
            return Value(offset.seconds, output_field=IntegerField())
        return Value(offset.label, output_field=TEXT)

    *changes, last = offsets
    if not changes:
        return value(last)
    return Case(
        *(When(**{f"{field}__lt": offset.until}, then=value(offset)) for offset in changes),
        default=value(last),
    )


def local_time(field: str, offsets: Offsets) -> Cell:
    """The instant on the outlet's clock, ISO 8601 with its offset; "" when there is none."""
    parts = {}
    for part in ("seconds", "label"):
        parts[part] = Case(
            *(
                When(outlet_id__in=outlets, then=_offset_case(field, zone, part))
                for outlets, zone in offsets.by_outlets
            ),
            default=_offset_case(field, offsets.default, part),
        )
    return Case(
        When(IsNull(F(field), True), then=Value("")),
        default=Concat(LocalTime(F(field), parts["seconds"]), parts["label"]),
        output_field=TEXT,
    )


# A free-text cell, from its column {c}: quoted when it holds a comma, a quote or a line
# break (as Python's csv module does, quoting no more), with a leading apostrophe when it
# starts like a spreadsheet formula.
_SAFE = (
    "CASE WHEN {c} {matches} %s THEN '\"' || "
    "CASE WHEN substr({c}, 1, 1) IN ({starts}) THEN '''' ELSE '' END || "
    "replace({c}, '\"', '\"\"') || '\"' "
    "WHEN substr({c}, 1, 1) IN ({starts}) THEN '''' || {c} ELSE {c} END"
)
# What needs quoting, as each database matches a pattern.
_QUOTE_WHEN = {"sqlite": ("GLOB", '*[",\n\r]*'), "postgresql": ("~", '[",\n\r]')}


def csv_lines_sql(
    records: QuerySet[SessionRecord], *, methods: list[str], offsets: Offsets
) -> tuple[str, list[Any]]:
    """The query of the export's lines (one text column, in the shifts' order): the cells
    first (the outlet's and till's names, times on the outlet's clock, amounts, per method),
    then, a level up, free text made safe and every cell joined. The cells are fenced
    (OFFSET 0) so the databases do not fold both levels into one expression that would look
    each name up once per reference."""
    cells: list[tuple[Cell, bool]] = [  # (cell, free text)
        (F("session_number"), True),
        (F("id"), False),
        (F("outlet_id"), True),  # its name is joined in a level up
        (F("station_id"), True),
        (IsoDate(F("business_date")), False),
        (F("opened_by"), True),
        (local_time("open_time", offsets), False),
        (F("closed_by"), True),
        (local_time("close_time", offsets), False),
        (F("currency"), False),
        (amount("opening_amount"), False),
        (amount("closing_amount"), False),
        (amount("rounding"), False),
        (F("result"), False),
        (F("review_state"), False),
    ]
    from_json = [
        Coalesce(KT(f"{column}__{key}"), Value(""), output_field=TEXT)
        for key in methods
        for column in ("counted", "expected", "variances")
    ]
    cells.append(
        (
            Case(
                When(export_methods=",".join(methods), then=F("export_figures")),
                default=Line(*from_json),
                output_field=TEXT,
            ),
            False,
        )
    )
    cells += [
        (F("variance_reason"), True),
        (F("approved_by"), True),
        (F("review_comment"), True),
        (OtherTenders(F("counted"), configured=methods), True),
    ]
    names = [f"cell_{index}" for index in range(len(cells))]
    vendor = connections[records.db].vendor
    annotated = records.annotate(
        **{
            name: Coalesce(cell, Value(""), output_field=TEXT)
            for name, (cell, _) in zip(names, cells, strict=True)
        }
    )
    # The lines keep the shifts' order: on PostgreSQL, by their position in it, as its joins
    # below may hand the rows on in any order (they did, at times, in the tests).
    # SQLite keeps the left table of a LEFT JOIN in the outer loop, in its order.
    position = ["cell_position"] if vendor == "postgresql" else []
    if position:
        order: list[Any] = list(records.query.order_by)  # the shifts' order (shift_history's)
        annotated = annotated.annotate(cell_position=Window(RowNumber(), order_by=order))
    sql, params = (
        annotated.values_list(*names, *position).query.get_compiler(using=records.db).as_sql()
    )
    fence = " LIMIT -1 OFFSET 0" if vendor == "sqlite" else " OFFSET 0"
    matches, pattern = _QUOTE_WHEN[vendor]
    starts = ", ".join(["%s"] * len(FORMULA_STARTS))
    line_params: list[Any] = []
    line: list[str] = []
    # The names of the outlet and the till by a join (a lookup per line cost more than the
    # rest of the line); an outlet or till the catalog no longer holds shows its id.
    shown = dict(zip(names, names, strict=True))
    shown[names[2]] = f"COALESCE(outlet.name, {names[2]})"
    shown[names[3]] = f"COALESCE(station.name, {names[3]})"
    for name, (_cell, free) in zip(names, cells, strict=True):
        if free:
            line.append(_SAFE.format(c=shown[name], matches=matches, starts=starts))
            line_params += [pattern, *FORMULA_STARTS, *FORMULA_STARTS]
        else:
            line.append(name)
    # One call joins the cells: a chain of || copies the growing line once per cell.
    if vendor == "sqlite":
        joined = f"printf('{','.join(['%%s'] * len(line))}', {', '.join(line)})"
    else:
        joined = f"concat_ws(',', {', '.join(line)})"
    # Only compiled SQL, column names and placeholders go into the text.
    outlets, stations = Outlet._meta.db_table, Station._meta.db_table
    names_joined = (
        f"LEFT JOIN {outlets} AS outlet ON outlet.id = {names[2]} "
        f"LEFT JOIN {stations} AS station ON station.id = {names[3]}"
    )
    in_order = " ORDER BY cells.cell_position" if position else ""
    query = f"SELECT {joined} FROM ({sql}{fence}) AS cells {names_joined}{in_order}"  # noqa: S608
    return query, [*line_params, *params]


class Line(Func):
    """Cells joined by commas (every one never NULL)."""

    output_field = TEXT
    arg_joiner = " || ',' || "
    template = "(%(expressions)s)"


def csv_lines(
    records: QuerySet[SessionRecord], *, methods: list[str], offsets: Offsets
) -> Iterator[str]:
    """The export's lines, straight from a cursor in chunks (a server-side cursor on
    PostgreSQL: memory stays flat whatever the number of shifts). On PostgreSQL, in one
    read-only transaction that turns the JIT compiler off for the query, which would spend
    most of a second compiling a query that takes two to run."""
    sql, params = csv_lines_sql(records, methods=methods, offsets=offsets)
    connection = connections[records.db]
    # On SQLite a transaction begins IMMEDIATE (settings): it would hold every write off for
    # the whole export. One statement reads one snapshot there anyway.
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(using=records.db) if postgresql else nullcontext():
        if postgresql:
            with connection.cursor() as settings:
                settings.execute("SET LOCAL jit = off")
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(2000):
                for (text,) in rows:
                    yield text
