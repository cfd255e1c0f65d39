"""A small SQL dialect layer so one projection's SQL runs on SQLite and on PostgreSQL.

Views write with `?` placeholders; on PostgreSQL they become `%s`. `transaction()` is one atomic unit on
both (on PostgreSQL also a pipeline, so a batch's writes go out without waiting for each answer): SQLite takes the write lock up front (`BEGIN IMMEDIATE`), so two runners on one file serialise;
PostgreSQL runners serialise on the tracking row (`lock_tracking`, `SELECT … FOR UPDATE`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg


class ViewDB:
    def __init__(self, connection: Any, *, dialect: str) -> None:
        self.connection = connection
        self.dialect = dialect
        self._lock = threading.RLock()

    @classmethod
    def sqlite(cls, path: str, *, durable: bool = True) -> ViewDB:
        """A SQLite file in write-ahead-log mode (readers never wait for the writer). A store that
        is not `durable` (the views: everything in them is recomputed from the log) also skips the
        fsync of each commit (`synchronous=NORMAL`): a power cut can take back its last
        transactions, each with its tracking position, so the runner simply projects them again;
        a crash of the process loses nothing. The API keys and the vault stay fully synchronous."""
        connection = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=30
        )
        if path != ":memory:":
            connection.execute("PRAGMA journal_mode=WAL")
            if not durable:
                connection.execute("PRAGMA synchronous=NORMAL")
        return cls(connection, dialect="sqlite")

    @classmethod
    def postgres(cls, connection: psycopg.Connection[Any], *, schema: str) -> ViewDB:
        # Imported here, not above: a verifier that reads views from SQLite never loads psycopg.
        from psycopg import sql

        connection.autocommit = True
        if schema:
            connection.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        return cls(connection, dialect="postgresql")

    def close(self) -> None:
        self.connection.close()

    def execute(self, statement: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        if self.dialect == "postgresql":
            # psycopg reads % as a placeholder: a literal one (LIKE '%x%') is written %%.
            statement = statement.replace("%", "%%").replace("?", "%s")
        # One connection serves the runner's thread and readers (the API's /health): one at a time.
        with self._lock:
            cursor = self.connection.execute(statement, tuple(params))
            # Only queries are read back: in PostgreSQL's pipeline mode a write costs no round trip.
            if statement.lstrip()[:6].upper() != "SELECT":
                return []
            return [tuple(row) for row in cursor.fetchall()]

    def execute_many(self, statement: str, rows: Sequence[Sequence[object]]) -> None:
        if not rows:
            return
        if self.dialect == "postgresql":
            statement = statement.replace("%", "%%").replace("?", "%s")
        with self._lock:
            self.connection.cursor().executemany(statement, [tuple(r) for r in rows])

    @contextmanager
    def transaction(self) -> Iterator[ViewDB]:
        with self._lock:
            if self.dialect == "sqlite":
                self.connection.execute("BEGIN IMMEDIATE")
                try:
                    yield self
                except BaseException:
                    self.connection.execute("ROLLBACK")
                    raise
                self.connection.execute("COMMIT")
            else:
                with self.connection.transaction(), self.connection.pipeline():
                    yield self

    def lock_tracking(self, view: str) -> int:
        """The view's position, locked until the transaction ends (PostgreSQL) — SQLite already
        holds the database's write lock inside `transaction()`."""
        suffix = " FOR UPDATE" if self.dialect == "postgresql" else ""
        rows = self.execute(f"SELECT position FROM view_tracking WHERE view = ?{suffix}", (view,))
        return int(rows[0][0])
