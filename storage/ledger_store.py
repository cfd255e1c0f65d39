"""Event-store recorders for the `Ledger` that also keep the command index, on every backend.

Each recorder is the eventsourcing library's application recorder plus one table, `…_commands`
(command id primary key → aggregate id, encoded record). `Application.save(..., commands=[...])`
passes the rows down to `insert_events`, and each recorder writes them inside the transaction that
writes the events, so a command's row exists exactly when its events do. Reusing a command id violates
the primary key, which surfaces as the library's `IntegrityError` and makes the ledger reload and
decide again, exactly like a lost race on an aggregate version.

On PostgreSQL the recorder also numbers the events itself: the library's `bigserial` spends a number
on every insert that rolls back (a writer that lost a race on a fund's version, under several API
workers, many times a second) and skips up to 32 after a crash, while the transparency log's leaves
are the positions 1, 2, 3… with no gap. Inside the table lock that already orders writers, each
insert takes the numbers after the highest one committed, so a transaction that does not commit
leaves no hole (`make stress` found the holes; tests/integration/test_positions_without_gaps.py).

The factories are named by `storage.database.Database.eventsourcing_env` in `PERSISTENCE_MODULE`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteFactory,
)
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from domain.command_index import CommandRow


def _rows(kwargs: dict[str, Any]) -> Sequence[CommandRow]:
    rows: Sequence[CommandRow] = kwargs.get("commands", ())
    return rows


class MemoryLedgerRecorder(POPOApplicationRecorder):
    def __init__(self) -> None:
        super().__init__()
        self._commands: dict[UUID, CommandRow] = {}

    def _assert_uniqueness(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        super()._assert_uniqueness(stored_events, **kwargs)
        ids = [row.command_id for row in _rows(kwargs)]
        if len(set(ids)) != len(ids) or any(i in self._commands for i in ids):
            msg = f"command id already recorded: {ids}"
            raise IntegrityError(msg)

    def _update_table(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        notification_ids = super()._update_table(stored_events, **kwargs)
        for row in _rows(kwargs):
            self._commands[row.command_id] = row
        return notification_ids

    def select_command(self, command_id: UUID) -> CommandRow | None:
        with self._database_lock:
            return self._commands.get(command_id)

    def position_of(self, originator_id: UUID, originator_version: int) -> int | None:
        with self._database_lock:
            index = self._stored_events_index[str(originator_id)].get(originator_version)
        return None if index is None else index + 1

    def select_commands_by_id(self, command_ids: Sequence[UUID]) -> dict[UUID, CommandRow]:
        with self._database_lock:
            return {i: self._commands[i] for i in command_ids if i in self._commands}

    def select_commands(self, after: UUID | None, limit: int) -> list[CommandRow]:
        with self._database_lock:
            ids = sorted(i for i in self._commands if after is None or i > after)[:limit]
            return [self._commands[i] for i in ids]


class MemoryLedgerFactory(POPOFactory):
    def application_recorder(self) -> ApplicationRecorder:
        return MemoryLedgerRecorder()


class SQLiteLedgerRecorder(SQLiteApplicationRecorder):
    commands_table_name = "ledger_commands"

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {self.commands_table_name} ("
            "command_id TEXT PRIMARY KEY, aggregate_id TEXT NOT NULL, record BLOB NOT NULL)",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        for row in _rows(kwargs):
            c.execute(
                f"INSERT INTO {self.commands_table_name} VALUES (?, ?, ?)",
                (row.command_id.hex, row.aggregate_id.hex, row.record),
            )
        return notification_ids

    def select_command(self, command_id: UUID) -> CommandRow | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT aggregate_id, record FROM {self.commands_table_name} WHERE command_id = ?",
                (command_id.hex,),
            )
            found = c.fetchone()
        if found is None:
            return None
        return CommandRow(command_id, UUID(found[0]), bytes(found[1]))

    def position_of(self, originator_id: UUID, originator_version: int) -> int | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT rowid FROM {self.events_table_name} "
                "WHERE originator_id = ? AND originator_version = ?",
                (originator_id.hex, originator_version),
            )
            found = c.fetchone()
        return None if found is None else int(found[0])

    def select_commands_by_id(self, command_ids: Sequence[UUID]) -> dict[UUID, CommandRow]:
        if not command_ids:
            return {}
        marks = ", ".join("?" * len(command_ids))  # at most 500: under SQLite's variable limit
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT command_id, aggregate_id, record FROM {self.commands_table_name} "
                f"WHERE command_id IN ({marks})",
                [command_id.hex for command_id in command_ids],
            )
            found = c.fetchall()
        rows = (CommandRow(UUID(row[0]), UUID(row[1]), bytes(row[2])) for row in found)
        return {row.command_id: row for row in rows}

    def select_commands(self, after: UUID | None, limit: int) -> list[CommandRow]:
        # Ids are stored as lowercase hex, whose text order is the order of their bytes.
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT command_id, aggregate_id, record FROM {self.commands_table_name} "
                "WHERE command_id > ? ORDER BY command_id LIMIT ?",
                ("" if after is None else after.hex, limit),
            )
            found = c.fetchall()
        return [CommandRow(UUID(row[0]), UUID(row[1]), bytes(row[2])) for row in found]


class SQLiteLedgerFactory(SQLiteFactory):
    application_recorder_class = SQLiteLedgerRecorder


class PostgresLedgerRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        table = Identifier(events_table_name.removesuffix("_events") + "_commands")
        schema = Identifier(self.datastore.schema)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{table} (command_id uuid PRIMARY KEY, "
                "aggregate_id uuid NOT NULL, record bytea NOT NULL)"
            ).format(schema=schema, table=table)
        )
        self.insert_command = SQL("INSERT INTO {schema}.{table} VALUES (%s, %s, %s)").format(
            schema=schema, table=table
        )
        self.copy_events_statement = SQL(
            "COPY {schema}.{table} (notification_id, originator_id, originator_version, topic, state)"
            " FROM STDIN (FORMAT BINARY)"
        ).format(schema=schema, table=Identifier(events_table_name))
        # Positions without holes. The library numbers events from the column's sequence, and a
        # sequence never gives a number back: a transaction that draws ids and then fails (a lost
        # race on an aggregate's version, which writers in two processes meet on a busy fund; a
        # dropped connection) leaves them unused forever, and the transparency log, whose leaf i is
        # position i + 1, stops at the hole. So the ids are the table's highest plus the event's
        # place in the batch, read under the EXCLUSIVE table lock the library takes first (no other
        # writer can read the same highest); a rolled-back insert then leaves nothing behind.
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} AS t ("
            "notification_id, originator_id, originator_version, topic, state) "
            "SELECT (SELECT COALESCE(MAX(notification_id), 0) FROM {schema}.{table}) + e.n, "
            "e.originator_id, e.originator_version, e.topic, e.state "
            "FROM unnest(%s::{schema}.{stored_event_type}[]) WITH ORDINALITY "
            "AS e(originator_id, originator_version, topic, state, n) "
            "ORDER BY e.n RETURNING notification_id"
        ).format(
            schema=schema,
            table=Identifier(events_table_name),
            stored_event_type=Identifier(self.stored_event_type_name),
        )
        self.select_command_statement = SQL(
            "SELECT aggregate_id, record FROM {schema}.{table} WHERE command_id = %s"
        ).format(schema=schema, table=table)
        self.select_position_statement = SQL(
            "SELECT notification_id FROM {schema}.{table} "
            "WHERE originator_id = %s AND originator_version = %s"
        ).format(schema=schema, table=Identifier(events_table_name))
        self.select_commands_by_id_statement = SQL(
            "SELECT command_id, aggregate_id, record FROM {schema}.{table} "
            "WHERE command_id = ANY(%s)"
        ).format(schema=schema, table=table)
        # uuid order is the order of the id's bytes; the nil uuid sorts before every other.
        self.select_commands_statement = SQL(
            "SELECT command_id, aggregate_id, record FROM {schema}.{table} "
            "WHERE command_id > %s ORDER BY command_id LIMIT %s"
        ).format(schema=schema, table=table)

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        rows = _rows(kwargs)
        if rows:
            curs.executemany(
                self.insert_command,
                [(row.command_id, row.aggregate_id, row.record) for row in rows],
            )
        super()._insert_events(curs, stored_events, **kwargs)

    def copy_events(self, stored_events: Sequence[StoredEvent]) -> None:
        """Append `stored_events` after the log's head in one transaction with `COPY … (FORMAT
        BINARY)`, for a bundle's import: under the same EXCLUSIVE lock as every insert, numbered
        the same way (the highest committed + the event's place). The library's insert sends the
        events as one composite array, whose text psycopg escapes field by field; in cProfile of a
        20,002-entry import that dump was 0.77 of 2.0 s. A repeated (id, version) is the library's
        IntegrityError, as from `insert_events`."""
        if not stored_events:
            return
        try:
            with (
                self.datastore.get_connection() as conn,
                conn.transaction(),
                conn.cursor() as curs,
            ):
                self._lock_table(curs)
                self._notify_channel(curs)
                curs.execute(self.max_notification_id_statement)
                found = curs.fetchone()
                head = int(found["max"] or 0) if found is not None else 0
                with curs.copy(self.copy_events_statement) as copy:
                    copy.set_types(
                        ["int8", self.datastore.originator_id_type, "int8", "text", "bytea"]
                    )
                    for place, event in enumerate(stored_events, start=1):
                        copy.write_row(
                            (
                                head + place,
                                event.originator_id,
                                event.originator_version,
                                event.topic,
                                event.state,
                            )
                        )
        except psycopg.IntegrityError as error:
            raise IntegrityError(error) from error

    def select_command(self, command_id: UUID) -> CommandRow | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_command_statement, (command_id,), prepare=True)
            found = curs.fetchone()
        if found is None:
            return None
        return CommandRow(command_id, found["aggregate_id"], bytes(found["record"]))

    def position_of(self, originator_id: UUID, originator_version: int) -> int | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                self.select_position_statement, (originator_id, originator_version), prepare=True
            )
            found = curs.fetchone()
        return None if found is None else int(found["notification_id"])

    def select_commands_by_id(self, command_ids: Sequence[UUID]) -> dict[UUID, CommandRow]:
        if not command_ids:
            return {}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_commands_by_id_statement, (list(command_ids),), prepare=True)
            found = curs.fetchall()
        rows = (
            CommandRow(row["command_id"], row["aggregate_id"], bytes(row["record"]))
            for row in found
        )
        return {row.command_id: row for row in rows}

    def select_commands(self, after: UUID | None, limit: int) -> list[CommandRow]:
        start = UUID(int=0) if after is None else after
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_commands_statement, (start, limit), prepare=True)
            found = curs.fetchall()
        return [
            CommandRow(row["command_id"], row["aggregate_id"], bytes(row["record"]))
            for row in found
        ]


class PostgresLedgerFactory(PostgresFactory):
    application_recorder_class = PostgresLedgerRecorder
