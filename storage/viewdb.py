"""A small SQL dialect layer so one projection's SQL runs on SQLite and on PostgreSQL.

Views write with `?` placeholders; on PostgreSQL they become `%s`. `transaction()` is one atomic unit on
both: SQLite takes the write lock up front (`BEGIN IMMEDIATE`), so two runners on one file serialise;
PostgreSQL runners serialise on the tracking row (`lock_tracking`, `SELECT … FOR UPDATE`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql


class ViewDB:
    def __init__(self, connection: Any, *, dialect: str) -> None:
        self.connection = connection
        self.dialect = dialect
        self._lock = threading.RLock()

    @classmethod
    def sqlite(cls, path: str) -> ViewDB:
        return cls(
            sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30),
            dialect="sqlite",
        )

    @classmethod
    def postgres(cls, connection: psycopg.Connection[Any], *, schema: str) -> ViewDB:
        connection.autocommit = True
        if schema:
            connection.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        return cls(connection, dialect="postgresql")

    def close(self) -> None:
        self.connection.close()

    def execute(self, statement: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        if self.dialect == "postgresql":
            statement = statement.replace("?", "%s")
        cursor = self.connection.execute(statement, tuple(params))
        rows = cursor.fetchall() if cursor.description else []
        return [tuple(row) for row in rows]

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
                with self.connection.transaction():
                    yield self

    def lock_tracking(self, view: str) -> int:
        """The view's position, locked until the transaction ends (PostgreSQL) — SQLite already
        holds the database's write lock inside `transaction()`."""
        suffix = " FOR UPDATE" if self.dialect == "postgresql" else ""
        rows = self.execute(f"SELECT position FROM view_tracking WHERE view = ?{suffix}", (view,))
        return int(rows[0][0])
