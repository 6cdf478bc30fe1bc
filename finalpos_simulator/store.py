"""The simulator's state: JSON documents in its own SQLite file, shared by all processes."""

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    session_id TEXT,
    body TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS documents_by_session ON documents (kind, session_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _session_of(kind: str, document: dict[str, Any]) -> str | None:
    """The session a transaction belongs to (the column the list filters on). Any other
    record may carry a field of that name with anything in it: a till's own data."""
    session_id = document.get("sessionId")
    return session_id if kind == "transaction" and isinstance(session_id, str) else None


class Store:
    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as connection:
            connection.executescript(SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    def insert(self, kind: str, document: dict[str, Any]) -> None:
        self._connection().execute(
            "INSERT INTO documents (kind, id, session_id, body) VALUES (?, ?, ?, ?)",
            (kind, document["id"], _session_of(kind, document), json.dumps(document)),
        )

    def insert_raw(self, kind: str, document_id: str, body: str) -> None:
        """A record exactly as given, even one JSON tools refuse to write (tests of what a
        real company's data can hold)."""
        self._connection().execute(
            "INSERT INTO documents (kind, id, session_id, body) VALUES (?, ?, ?, ?)",
            (kind, document_id, None, body),
        )

    def insert_many(self, kind: str, documents: list[dict[str, Any]]) -> None:
        connection = self._connection()
        connection.execute("BEGIN")
        try:
            connection.executemany(
                "INSERT INTO documents (kind, id, session_id, body) VALUES (?, ?, ?, ?)",
                [(kind, d["id"], _session_of(kind, d), json.dumps(d)) for d in documents],
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def get(self, kind: str, document_id: str) -> dict[str, Any] | None:
        row = (
            self._connection()
            .execute("SELECT body FROM documents WHERE kind = ? AND id = ?", (kind, document_id))
            .fetchone()
        )
        return json.loads(row[0]) if row else None

    def get_raw(self, kind: str, document_id: str) -> str | None:
        """The stored JSON text, as it is."""
        row = (
            self._connection()
            .execute("SELECT body FROM documents WHERE kind = ? AND id = ?", (kind, document_id))
            .fetchone()
        )
        return row[0] if row else None

    def replace(self, kind: str, document: dict[str, Any]) -> bool:
        cursor = self._connection().execute(
            "UPDATE documents SET body = ?, session_id = ? WHERE kind = ? AND id = ?",
            (json.dumps(document), _session_of(kind, document), kind, document["id"]),
        )
        return cursor.rowcount == 1

    def delete(self, kind: str, document_id: str) -> bool:
        cursor = self._connection().execute(
            "DELETE FROM documents WHERE kind = ? AND id = ?", (kind, document_id)
        )
        return cursor.rowcount == 1

    def find(
        self,
        kind: str,
        *,
        skip: int = 0,
        limit: int | None = None,
        session_id: str | None = None,
        newest_first: bool = False,
        open_only: bool = False,
    ) -> list[dict[str, Any]]:
        query = "SELECT body FROM documents WHERE kind = ?"
        params: list[Any] = [kind]
        if session_id is not None:
            query += " AND session_id = ?"
            params.append(session_id)
        if open_only:  # sessions with no closeTime (a record that is not JSON counts as closed)
            query += (
                " AND CASE WHEN json_valid(body) THEN json_extract(body, '$.closeTime') "
                "ELSE 'unreadable' END IS NULL"
            )
        query += " ORDER BY seq DESC" if newest_first else " ORDER BY seq"
        query += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, skip]
        return [json.loads(row[0]) for row in self._connection().execute(query, params)]

    def ids(self, kind: str) -> list[str]:
        return [
            row[0]
            for row in self._connection().execute(
                "SELECT id FROM documents WHERE kind = ? ORDER BY seq", (kind,)
            )
        ]

    def count(self, kind: str) -> int:
        return (
            self._connection()
            .execute("SELECT COUNT(*) FROM documents WHERE kind = ?", (kind,))
            .fetchone()[0]
        )

    def get_meta(self, key: str) -> str | None:
        row = self._connection().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._connection().execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def swap_meta(self, key: str, expected: str, value: str) -> bool:
        """Sets the value only if it is still ``expected``: one process wins a race."""
        cursor = self._connection().execute(
            "UPDATE meta SET value = ? WHERE key = ? AND value = ?", (value, key, expected)
        )
        return cursor.rowcount == 1

    def increment_meta(self, key: str) -> int:
        """Adds one to a counter kept in meta and returns it; atomic across processes."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(
                "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                (key,),
            )
            value = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return int(value[0])

    def clear(self) -> None:
        connection = self._connection()
        connection.execute("DELETE FROM documents")
        connection.execute("DELETE FROM meta")
