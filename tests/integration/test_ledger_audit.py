"""`verify` checks what the ledger loads instead of events: an insider who inflates a fund's snapshot,
or deletes, forges or edits a command-index row, is named, on SQLite and PostgreSQL, and an honest
ledger that exercises every kind of event passes."""

from __future__ import annotations

import json
import sqlite3
from typing import Any
from uuid import UUID, uuid4

import pytest
from psycopg import sql

from demo.generator import fill
from domain.ledger import FUND_SNAPSHOT_INTERVAL, Ledger
from domain.money import Money
from storage.database import Database
from tests.stored_format.generate import Story
from tests.support import donate, funded, open_fund, pay, register
from transparency.ledger_audit import audit_ledger

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def tables(database: Database) -> dict[str, str]:
    if database.backend == "sqlite":
        return {"events": "stored_events", "snapshots": "stored_snapshots"}
    return {"events": "ledger_events", "snapshots": "ledger_snapshots"}


def run_sql(database: Database, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Read or write the database directly, as an insider with database access would."""
    statement = statement.format(**tables(database))
    if database.backend == "sqlite":
        with sqlite3.connect(database.sqlite_path) as db:
            return db.execute(statement.replace("%s", "?"), params).fetchall()
    with database.connect() as conn:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(database.schema)))
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def key(database: Database, some_id: UUID) -> str | UUID:
    return some_id.hex if database.backend == "sqlite" else some_id


def position_of_donation(ledger: Ledger, donation_id: UUID) -> int:
    position = 0
    while notifications := ledger.recorder.select_notifications(position + 1, 1000):
        for notification in notifications:
            if donation_id.hex in bytes(notification.state).decode():
                return notification.id
        position = notifications[-1].id
    raise AssertionError(donation_id)


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_an_inflated_fund_snapshot_and_the_overdraft_it_allowed_are_named(
    ledger: Ledger, backend_database: Database
) -> None:
    fund_id = open_fund(ledger, register(ledger))
    for _ in range(FUND_SNAPSHOT_INTERVAL - 1):
        donate(ledger, fund_id, "1")  # the fund's 100th event: a snapshot holding 99.00
    (state,) = run_sql(
        backend_database,
        "SELECT state FROM {snapshots} WHERE originator_id = %s",
        (key(backend_database, fund_id),),
    )[0]
    snapshot = json.loads(bytes(state))
    snapshot["state"]["balance"]["_data_"] += Money.yuan("10000000").fen
    run_sql(
        backend_database,
        "UPDATE {snapshots} SET state = %s WHERE originator_id = %s",
        (json.dumps(snapshot).encode(), key(backend_database, fund_id)),
    )
    # A ledger started now (a restarted worker) loads the fund from the snapshot and believes it;
    # the running one keeps the fund it had in its cache.
    restarted = Ledger(env=backend_database.eventsourcing_env())
    try:
        pay(restarted, fund_id, "5000000")
    finally:
        restarted.close()
    assert audit_ledger(ledger) == [
        f"fund {fund_id}: the snapshot at version 100 does not match its events"
        " (field balance: snapshot 10000099.00 CNY, events 99.00 CNY)",
        f"fund {fund_id}: the available balance went negative at version 101:"
        " balance -4999901.00 CNY, available -4999901.00 CNY",
        f"fund {fund_id}: balance -4999901.00 CNY is negative",
        f"fund {fund_id}: reserved 0.00 CNY exceeds balance -4999901.00 CNY",
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_an_honest_ledger_with_every_kind_of_event_and_a_snapshotted_fund_passes(
    ledger: Ledger,
) -> None:
    fill(ledger, events=300, seed=2021, progress=None)
    Story(ledger).run()  # every kind of event, and 105 donations to one fund
    assert ledger.snapshots is not None
    assert audit_ledger(ledger) == []


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_donation_repeated_after_its_index_row_was_deleted_is_named_with_both_positions(
    ledger: Ledger, backend_database: Database
) -> None:
    fund_id = funded(ledger, "100")
    donation_id = donate(ledger, fund_id, "50")
    first = ledger.head()
    run_sql(
        backend_database,
        "DELETE FROM ledger_commands WHERE command_id = %s",
        (key(backend_database, donation_id),),
    )
    donate(ledger, fund_id, "50", donation_id=donation_id)  # a client's retry, applied again
    assert ledger.get_fund(fund_id).balance == Money.yuan("200")
    assert audit_ledger(ledger) == [
        f"command {donation_id} was applied twice: the events at positions {first}"
        f" and {first + 1} each carry it",
    ]
    # The second donation wrote a row again; without it the first is named as missing too.
    run_sql(
        backend_database,
        "DELETE FROM ledger_commands WHERE command_id = %s",
        (key(backend_database, donation_id),),
    )
    assert audit_ledger(ledger) == [
        f"command {donation_id} was applied twice: the events at positions {first}"
        f" and {first + 1} each carry it",
        f"command index: no row for command {donation_id}, whose event is at position {first}",
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_forged_index_row_that_no_event_carries_is_named(
    ledger: Ledger, backend_database: Database
) -> None:
    fund_id = funded(ledger, "100")
    donation_id = donate(ledger, fund_id, "50")
    (record,) = run_sql(
        backend_database,
        "SELECT record FROM ledger_commands WHERE command_id = %s",
        (key(backend_database, donation_id),),
    )[0]
    forged = uuid4()  # would make a real donation with this id "a repeat", never recorded
    run_sql(
        backend_database,
        "INSERT INTO ledger_commands VALUES (%s, %s, %s)",
        (key(backend_database, forged), key(backend_database, fund_id), bytes(record)),
    )
    assert audit_ledger(ledger) == [
        f"command index: a row for command {forged}, on aggregate {fund_id}, that no event carries"
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_an_edited_index_row_is_named_by_its_field_or_its_aggregate(
    ledger: Ledger, backend_database: Database
) -> None:
    fund_id = funded(ledger, "100")
    other_fund = open_fund(ledger)
    donation_id = donate(ledger, fund_id, "50")
    position = position_of_donation(ledger, donation_id)
    (record,) = run_sql(
        backend_database,
        "SELECT record FROM ledger_commands WHERE command_id = %s",
        (key(backend_database, donation_id),),
    )[0]
    edited = bytes(record).replace(b'"_data_":5000', b'"_data_":9000')
    assert edited != bytes(record)
    run_sql(
        backend_database,
        "UPDATE ledger_commands SET record = %s WHERE command_id = %s",
        (edited, key(backend_database, donation_id)),
    )
    assert audit_ledger(ledger) == [
        f"command index: the row for command {donation_id} records another amount"
        f" than its event at position {position}"
    ]
    run_sql(
        backend_database,
        "UPDATE ledger_commands SET record = %s, aggregate_id = %s WHERE command_id = %s",
        (bytes(record), key(backend_database, other_fund), key(backend_database, donation_id)),
    )
    assert audit_ledger(ledger) == [
        f"command index: the row for command {donation_id} names aggregate {other_fund},"
        f" but its event at position {position} is on {fund_id}"
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_snapshot_beyond_a_funds_last_event_or_of_another_aggregate_is_named(
    ledger: Ledger, backend_database: Database
) -> None:
    foundation = register(ledger)
    fund_id = open_fund(ledger, foundation)
    for _ in range(FUND_SNAPSHOT_INTERVAL - 1):
        donate(ledger, fund_id, "1")
    # Copies of the fund's snapshot: one at a version it never reached, one under another aggregate.
    for originator, version in ((fund_id, 1100), (foundation, 1)):
        run_sql(
            backend_database,
            "INSERT INTO {snapshots} (originator_id, originator_version, topic, state)"
            " SELECT %s, %s, topic, state FROM {snapshots}"
            " WHERE originator_id = %s AND originator_version = 100",
            (key(backend_database, originator), version, key(backend_database, fund_id)),
        )
    assert audit_ledger(ledger) == [
        f"aggregate {foundation}: a snapshot at version 1, but only funds are snapshotted",
        f"fund {fund_id}: a snapshot at version 1100, beyond its last event (version 100)",
    ]
