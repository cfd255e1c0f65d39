"""A small SQL dialect layer so one projection's SQL runs on SQLite and on PostgreSQL.

Views write with `?` placeholders; on PostgreSQL they become `%s`. `transaction()` is one atomic unit on
both (on PostgreSQL also a pipeline, so a batch's writes go out without waiting for each answer): SQLite takes the write lock up front (`BEGIN IMMEDIATE`), so two runners on one file serialise;
PostgreSQL runners serialise on the tracking row (`lock_tracking`, `SELECT … FOR UPDATE`). A
PostgreSQL ViewDB given `reopen` opens a new connection when the server dropped the one it had (a
restart): a query outside a transaction that met the drop is asked again once on the new
connection; any other statement fails with its error, and the next one, outside any transaction,
runs on a new connection, so an API process or a projector recovers by itself.

Inside a transaction a view may defer writes that read no other table (`defer_insert`: a row of
`INSERT INTO t VALUES (…)`; `defer_update`: one row's `col = col + n` and `col = value`, merged per
row): they go out together, many rows per statement, before the first statement that names their
table, and at the latest before the commit, so every statement sees what it would have seen had each
write gone out at once, and a batch's rows commit with its tracking position or not at all.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from storage.outage import is_outage

if TYPE_CHECKING:
    import psycopg

INSERT_VALUES = re.compile(r"INSERT INTO (\w+) VALUES \((.*)\)\Z", re.DOTALL)
PG_PARAMETERS = 65_535  # PostgreSQL's limit of parameters in one statement
ROWS_PER_STATEMENT = 1000  # a multi-row INSERT's rows: few statements, bounded query text


@lru_cache(maxsize=256)
def _rows_statement(table: str, row: str, count: int) -> str:
    """`INSERT INTO table VALUES (row), (row), …` for `count` rows, each `?` of `row` numbered as
    PostgreSQL's `$1, $2, …` across the rows."""
    parts = row.split("?")
    width, numbered = len(parts) - 1, []
    for index in range(count):
        numbered.append(
            "("
            + "".join(
                part + (f"${index * width + at + 1}" if at < width else "")
                for at, part in enumerate(parts)
            )
            + ")"
        )
    return f"INSERT INTO {table} VALUES {', '.join(numbered)}"


@lru_cache(maxsize=256)
def _inserted_table(statement: str) -> str:
    """The table of a statement `defer_insert` may defer (a plain INSERT … VALUES), or ValueError."""
    insert = INSERT_VALUES.match(statement)
    if insert is None:
        msg = f"only INSERT INTO … VALUES (…) can be deferred, not {statement[:40]!r}"
        raise ValueError(msg)
    return insert.group(1)


@lru_cache(maxsize=256)
def _named(table: str) -> re.Pattern[str]:
    return re.compile(rf"\b{table}\b")


class _Deferred:
    """One table's deferred writes: insert statements' rows, then updates merged per row."""

    def __init__(self) -> None:
        self.inserts: dict[str, list[tuple[object, ...]]] = {}
        # (key column, key) → (columns added to, columns set): later adds sum, later sets win.
        self.updates: dict[tuple[str, object], tuple[dict[str, int], dict[str, object]]] = {}


class ViewDB:
    def __init__(
        self, connection: Any, *, dialect: str, reopen: Callable[[], Any] | None = None
    ) -> None:
        self.connection = connection
        self.dialect = dialect
        self._reopen = reopen
        self._lock = threading.RLock()
        # Transactions open (0 or 1: a view's batch never nests one); a connection is never
        # replaced inside one.
        self._depth = 0
        self._deferred: dict[str, _Deferred] = {}
        # What a batch has already looked up, for its handlers (a fund's foundation...): emptied
        # when the transaction ends, so it never outlives the rows it was read from.
        self.memo: dict[object, Any] = {}

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
            if self._deferred:
                self._flush_named(statement)
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
        with self._lock:
            if self._deferred:
                self._flush_named(statement)
            self._write_many(statement, rows)

    def _write_many(self, statement: str, rows: Sequence[Sequence[object]]) -> None:
        if not rows:
            return
        insert = INSERT_VALUES.match(statement)
        if self.dialect == "sqlite" or insert is None:
            if self.dialect == "postgresql":
                statement = statement.replace("%", "%%").replace("?", "%s")
            self._live().cursor().executemany(statement, [tuple(r) for r in rows])
            return
        # Many rows per statement instead of a statement per row (psycopg's own cost per
        # statement bounded PostgreSQL's rebuild: docs/PERFORMANCE.md), with PostgreSQL's own `$n`
        # placeholders, which psycopg sends as they are instead of parsing the text for `%s`.
        from psycopg import RawCursor

        table, row = insert.group(1), insert.group(2)
        width = row.count("?")
        per = max(1, min(ROWS_PER_STATEMENT, PG_PARAMETERS // max(1, width)))
        cursor = RawCursor(self._live())
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            cursor.execute(
                _rows_statement(table, row, len(chunk)), [value for r in chunk for value in r]
            )

    # --- deferred writes ---------------------------------------------------------------------------

    def defer_insert(
        self, statement: str, params: Sequence[object], *, key: tuple[str, object] | None = None
    ) -> None:
        """`statement` (`INSERT INTO t VALUES (…)`, reading nothing) with `params`, sent later with
        others like it (at once outside a transaction). `key`: the row's key column and value, so a
        row no deferred update names can go in beside them without sending them first."""
        table = _inserted_table(statement)
        with self._lock:
            if not self._depth:
                self.execute(statement, params)
                return
            pending = self._deferred.get(table)
            if pending is not None and pending.updates and (key is None or key in pending.updates):
                self._flush(table)  # a row inserted after updates to it goes in after them
            self._deferred.setdefault(table, _Deferred()).inserts.setdefault(statement, []).append(
                tuple(params)
            )

    def defer_update(
        self,
        table: str,
        key_column: str,
        key: object,
        *,
        add: dict[str, int] | None = None,
        assign: dict[str, object] | None = None,
    ) -> None:
        """`UPDATE table SET c = c + n (add), c = v (assign) WHERE key_column = key`, merged with the
        row's other deferred updates (sums summed, the latest value kept) and sent later."""
        with self._lock:
            if not self._depth:
                self._write_updates(
                    table, {(key_column, key): (dict(add or {}), dict(assign or {}))}
                )
                return
            pending = self._deferred.setdefault(table, _Deferred())
            adds, sets = pending.updates.get((key_column, key), ({}, {}))
            if set(add or ()) & set(sets) or set(assign or ()) & set(adds):
                self._flush(table)  # a column both added to and set: in order, not merged
                pending = self._deferred.setdefault(table, _Deferred())
                adds, sets = {}, {}
            pending.updates[(key_column, key)] = (adds, sets)
            for column, amount in (add or {}).items():
                adds[column] = adds.get(column, 0) + amount
            sets.update(assign or {})

    def _flush_named(self, statement: str) -> None:
        """Send the deferred writes of every table `statement` names (as a whole word: the name
        of a table is no name's part, so `disclosure_relief` is not in `disclosure_relief_cases`)."""
        for table in [t for t in self._deferred if _named(t).search(statement)]:
            self._flush(table)

    def flush(self) -> None:
        """Send every deferred write now (the transaction still decides whether they commit)."""
        with self._lock:
            for table in list(self._deferred):
                self._flush(table)

    def _flush(self, table: str) -> None:
        pending = self._deferred.pop(table)
        for statement, rows in pending.inserts.items():
            self._write_many(statement, rows)
        self._write_updates(table, pending.updates)

    def _write_updates(
        self,
        table: str,
        updates: dict[tuple[str, object], tuple[dict[str, int], dict[str, object]]],
    ) -> None:
        # One statement per shape of update, every row of that shape in one `executemany`.
        shapes: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[tuple[object, ...]]] = {}
        for (key_column, key), (adds, sets) in updates.items():
            if not adds and not sets:
                continue
            shape = (key_column, tuple(adds), tuple(sets))
            shapes.setdefault(shape, []).append((*adds.values(), *sets.values(), key))
        for (key_column, added, set_), rows in shapes.items():
            if self.dialect == "postgresql" and len(rows) > 1:
                self._update_rows(table, key_column, added, set_, rows)
                continue
            assignments = [f"{c} = {c} + ?" for c in added] + [f"{c} = ?" for c in set_]
            self._write_many(
                f"UPDATE {table} SET {', '.join(assignments)} WHERE {key_column} = ?", rows
            )

    def _update_rows(
        self,
        table: str,
        key_column: str,
        added: tuple[str, ...],
        set_: tuple[str, ...],
        rows: Sequence[tuple[object, ...]],
    ) -> None:
        """Many rows' updates in one statement per chunk on PostgreSQL (`UPDATE … FROM (VALUES …)`):
        `executemany` would send one statement per row. Each key is there once (merged per row)."""
        from psycopg import RawCursor

        columns = [*(f"a{i}" for i in range(len(added))), *(f"s{i}" for i in range(len(set_)))]
        assignments = [f"{c} = {table}.{c} + v.a{i}" for i, c in enumerate(added)] + [
            f"{c} = v.s{i}" for i, c in enumerate(set_)
        ]
        width = len(columns) + 1
        per = max(1, min(ROWS_PER_STATEMENT, PG_PARAMETERS // width))
        cursor = RawCursor(self._live())
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            values = _rows_statement("v", ", ".join("?" * width), len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {', '.join(assignments)}"
                f" FROM ({values.removeprefix('INSERT INTO v ')}) AS v({', '.join(columns)}, k)"
                f" WHERE {table}.{key_column} = v.k",
                [value for r in chunk for value in r],
            )

    @contextmanager
    def transaction(self) -> Iterator[ViewDB]:
        with self._lock:
            connection = self._live()  # a new one only here, before the transaction begins
            self._depth += 1
            try:
                if self.dialect == "sqlite":
                    connection.execute("BEGIN IMMEDIATE")
                    try:
                        yield self
                        self.flush()
                    except BaseException:
                        connection.execute("ROLLBACK")
                        raise
                    connection.execute("COMMIT")
                else:
                    with connection.transaction(), connection.pipeline():
                        yield self
                        self.flush()
            finally:
                # Whatever was not sent is dropped with the transaction it belonged to.
                self._depth -= 1
                self._deferred.clear()
                self.memo.clear()

    def lock_tracking(self, view: str) -> int:
        """The view's position, locked until the transaction ends (PostgreSQL) — SQLite already
        holds the database's write lock inside `transaction()`."""
        suffix = " FOR UPDATE" if self.dialect == "postgresql" else ""
        rows = self.execute(f"SELECT position FROM view_tracking WHERE view = ?{suffix}", (view,))
        return int(rows[0][0])
