"""A small SQL dialect layer so one projection's SQL runs on SQLite and on PostgreSQL.

Views write with `?` placeholders; on PostgreSQL they become `%s`. `transaction()` is one atomic unit on
both (on PostgreSQL also a pipeline, so a batch's writes go out without waiting for each answer): SQLite takes the write lock up front (`BEGIN IMMEDIATE`), so two runners on one file serialise;
PostgreSQL runners serialise on the tracking row (`lock_tracking`, `SELECT … FOR UPDATE`). A
PostgreSQL ViewDB given `reopen` opens a new connection when the server dropped the one it had (a
restart): a query outside a transaction that met the drop is asked again once on the new
connection; any other statement fails with its error, and the next one, outside any transaction,
runs on a new connection, so an API process or a projector recovers by itself.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from storage.outage import is_outage

if TYPE_CHECKING:
    import psycopg


class ViewDB:
    def __init__(
        self, connection: Any, *, dialect: str, reopen: Callable[[], Any] | None = None
    ) -> None:
        self.connection = connection
        self.dialect = dialect
        self._reopen = reopen
        self._depth = 0  # transactions open: a connection is never replaced inside one
        self._lock = threading.RLock()

    @classmethod
    def sqlite(cls, path: str) -> ViewDB:
        return cls(
            sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30),
            dialect="sqlite",
        )

    @classmethod
    def postgres(
        cls,
        connection: psycopg.Connection[Any],
        *,
        schema: str,
        reopen: Callable[[], psycopg.Connection[Any]] | None = None,
    ) -> ViewDB:
        # Imported here, not above: a verifier that reads views from SQLite never loads psycopg.
        from psycopg import sql

        def prepared(connection: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
            connection.autocommit = True
            if schema:
                connection.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
            return connection

        again = None if reopen is None else (lambda: prepared(reopen()))
        return cls(prepared(connection), dialect="postgresql", reopen=again)

    def close(self) -> None:
        self.connection.close()

    def _live(self) -> Any:
        """The connection, a new one if the server dropped the last (only between transactions: a
        statement inside one must fail with the transaction, never run outside it)."""
        if self._reopen is not None and self._depth == 0 and self.connection.broken:
            self.connection = self._reopen()
        return self.connection

    def execute(self, statement: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        if self.dialect == "postgresql":
            # psycopg reads % as a placeholder: a literal one (LIKE '%x%') is written %%.
            statement = statement.replace("%", "%%").replace("?", "%s")
        query = statement.lstrip()[:6].upper() == "SELECT"
        # One connection serves the runner's thread and readers (the API's /health): one at a time.
        with self._lock:
            try:
                cursor = self._live().execute(statement, tuple(params))
            except Exception as error:
                # A connection that sat idle while the server restarted fails its first statement;
                # a query outside a transaction is asked again, once, on a new connection (a write
                # is not: it may have reached the server).
                if not (query and self._depth == 0 and self._reopen and is_outage(error)):
                    raise
                cursor = self._live().execute(statement, tuple(params))
            # Only queries are read back: in PostgreSQL's pipeline mode a write costs no round trip.
            if not query:
                return []
            return [tuple(row) for row in cursor.fetchall()]

    def execute_many(self, statement: str, rows: Sequence[Sequence[object]]) -> None:
        if not rows:
            return
        if self.dialect == "postgresql":
            statement = statement.replace("%", "%%").replace("?", "%s")
        with self._lock:
            self._live().cursor().executemany(statement, [tuple(r) for r in rows])

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
                connection = self._live()
                self._depth += 1
                try:
                    with connection.transaction(), connection.pipeline():
                        yield self
                finally:
                    self._depth -= 1

    def lock_tracking(self, view: str) -> int:
        """The view's position, locked until the transaction ends (PostgreSQL) — SQLite already
        holds the database's write lock inside `transaction()`."""
        suffix = " FOR UPDATE" if self.dialect == "postgresql" else ""
        rows = self.execute(f"SELECT position FROM view_tracking WHERE view = ?{suffix}", (view,))
        return int(rows[0][0])
