"""Django's cache table, with `set_many` as one statement.

Django's DatabaseCache writes many keys one at a time, and each costs a count of the whole
table, a savepoint, a read and a write: the board keeping its ten outlet cards made about fifty
statements. Here the table is counted (and culled) once and every key written by one
`INSERT … ON CONFLICT DO UPDATE`, which SQLite and PostgreSQL both understand; what is stored
is exactly what Django's own `set` stores, so its `get` reads it."""

import base64
import pickle
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now

ROWS_PER_STATEMENT = 300  # 900 parameters: under SQLite's oldest limit of 999


class BulkDatabaseCache(DatabaseCache):
    _table: str  # Django's, which django-stubs leaves out, as it does _cull

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        if len(data) < 2:
            return super().set_many(data, timeout=timeout, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        expires = connection.ops.adapt_datetimefield_value(self._expiry(timeout))
        rows = []
        for key, value in data.items():
            pickled = pickle.dumps(value, self.pickle_protocol)
            # As Django's own set: the column holds text, base64 of the pickle.
            encoded = base64.b64encode(pickled).decode("latin1")
            rows.append((self.make_and_validate_key(key, version=version), encoded, expires))
        try:
            with transaction.atomic(using=db), connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - the table's name
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, tz_now().replace(microsecond=0), count)  # type: ignore[attr-defined]
                for start in range(0, len(rows), ROWS_PER_STATEMENT):
                    batch = rows[start : start + ROWS_PER_STATEMENT]
                    values = ", ".join(["(%s, %s, %s)"] * len(batch))
                    cursor.execute(
                        f"INSERT INTO {table} (cache_key, value, expires) VALUES {values} "  # noqa: S608
                        "ON CONFLICT (cache_key) DO UPDATE "
                        "SET value = excluded.value, expires = excluded.expires",
                        [part for row in batch for part in row],
                    )
        except DatabaseError:
            return list(data)  # as Django's own set: a write that fails is not an error
        return []

    def _expiry(self, timeout: float | None) -> datetime:
        """When the entries lapse, as Django's own set works it out."""
        backend_timeout = self.get_backend_timeout(timeout)
        if backend_timeout is None:
            return datetime.max.replace(microsecond=0)
        zone = UTC if settings.USE_TZ else None
        return datetime.fromtimestamp(backend_timeout, tz=zone).replace(microsecond=0)
