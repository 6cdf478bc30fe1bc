"""finalpos_dashboard/database_cache.py: Django's cache table with set_many as one statement,
against the test database for real (SQLite in CI's first pass, PostgreSQL in its second)."""

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finalpos_dashboard.database_cache import ROWS_PER_STATEMENT, BulkDatabaseCache

TABLE = "test_bulk_cache"


@pytest.fixture
def table(db):
    call_command("createcachetable", TABLE, verbosity=0)
    return TABLE


def _bulk(table, **options):
    return BulkDatabaseCache(table, {"OPTIONS": options})


def test_many_keys_written_at_once_read_back_by_djangos_own_cache(table):
    values = {
        f"card:{number}": {"html": f"<li>{number} & co</li>", "n": number} for number in range(12)
    }
    assert _bulk(table).set_many(values, timeout=300) == []
    assert DatabaseCache(table, {}).get_many(list(values)) == values


def test_keys_already_there_are_replaced_and_new_ones_added(table):
    djangos = DatabaseCache(table, {})
    djangos.set("a", "old a", 300)
    djangos.set("b", "old b", 300)
    _bulk(table).set_many({"b": "new b", "c": "new c"}, timeout=300)
    assert djangos.get_many(["a", "b", "c"]) == {"a": "old a", "b": "new b", "c": "new c"}


def test_a_timeout_of_zero_has_lapsed_and_none_never_does(table):
    cache = _bulk(table)
    cache.set_many({"gone": 1, "gone_too": 2}, timeout=0)
    cache.set_many({"kept": 3, "kept_too": 4}, timeout=None)
    assert cache.get_many(["gone", "gone_too", "kept", "kept_too"]) == {"kept": 3, "kept_too": 4}


def test_the_version_is_part_of_the_key(table):
    cache = _bulk(table)
    cache.set_many({"x": "one", "y": "one"}, version=1)
    cache.set_many({"x": "two", "y": "two"}, version=2)
    assert cache.get("x", version=1) == "one" and cache.get("x", version=2) == "two"


def test_a_full_table_is_culled_as_djangos_set_culls_it(table):
    cache = _bulk(table, MAX_ENTRIES=10, CULL_FREQUENCY=2)
    cache.set_many({f"first:{n}": n for n in range(15)})
    cache.set_many({f"second:{n}": n for n in range(3)})
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - the test's own table
        count = cursor.fetchone()[0]
    assert count < 15 + 3  # a share of the 15 went before the second write
    assert cache.get_many([f"second:{n}" for n in range(3)]) == {f"second:{n}": n for n in range(3)}


def test_more_keys_than_one_statement_takes_are_all_written(table):
    values = {f"k{n}": n for n in range(ROWS_PER_STATEMENT * 2 + 7)}
    _bulk(table).set_many(values)
    assert _bulk(table).get_many(list(values)) == values


def test_ten_keys_cost_two_statements_where_djangos_set_costs_several_each(table):
    values = {f"card:{n}": n for n in range(10)}
    with CaptureQueriesContext(connection) as ours:
        _bulk(table).set_many(values)
    with CaptureQueriesContext(connection) as djangos:
        DatabaseCache(table, {}).set_many({f"other:{n}": n for n in range(10)})
    written = [q["sql"] for q in ours.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(written) == 2  # the count, and one INSERT … ON CONFLICT
    assert len(djangos.captured_queries) >= 30
