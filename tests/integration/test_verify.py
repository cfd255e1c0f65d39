"""`verify_local` catches tampering done behind the application's back, in SQLite and in PostgreSQL,
and names the position."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from psycopg import sql

from domain.ledger import Ledger
from projections.disclosure import DisclosureView
from projections.runner import Runner
from projections.transparency import TransparencyView
from storage.database import Database
from storage.viewdb import ViewDB
from tests.support import donate, open_fund, register
from transparency import local
from transparency.local import verify_local
from transparency.signed_note import Signer

ORIGIN = "mingzhang.test/ledger"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def run_sql(database: Database, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Write to the event store directly, as an attacker with database access would."""
    if database.backend == "sqlite":
        with sqlite3.connect(database.sqlite_path) as db:
            db.execute(statement.replace("EVENTS", "stored_events").replace("%s", "?"), params)
    else:
        with database.connect() as conn:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(database.schema)))
            conn.execute(statement.replace("EVENTS", "ledger_events"), params)


def position_column(database: Database) -> str:
    return "rowid" if database.backend == "sqlite" else "notification_id"


@pytest.fixture
def signer() -> Signer:
    return Signer.generate(ORIGIN)


@pytest.fixture
def verified(ledger: Ledger, views: ViewDB, signer: Signer) -> Callable[[], list[str]]:
    fund_id = open_fund(ledger, register(ledger))
    for _ in range(6):
        donate(ledger, fund_id, "1")
    Runner(
        ledger, views, [TransparencyView(signer, ORIGIN), DisclosureView()], batch_size=3
    ).catch_up()

    def problems() -> list[str]:
        return verify_local(ledger, views, signer.verifier_key(), [DisclosureView()]).problems

    assert problems() == []
    return problems


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_changed_byte_in_an_event_is_found_at_its_position(
    verified: Callable[[], list[str]], backend_database: Database
) -> None:
    column = position_column(backend_database)
    if backend_database.backend == "sqlite":
        change = "CAST(REPLACE(CAST(state AS TEXT), '100', '999') AS BLOB)"
    else:
        change = "convert_to(replace(convert_from(state, 'UTF8'), '100', '999'), 'UTF8')"
    run_sql(backend_database, f"UPDATE EVENTS SET state = {change} WHERE {column} = 5")
    assert verified()[0].startswith("position 5: an event was changed")


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_deleted_event_is_found(
    verified: Callable[[], list[str]], backend_database: Database
) -> None:
    run_sql(backend_database, f"DELETE FROM EVENTS WHERE {position_column(backend_database)} = 4")
    assert verified()[0].startswith("position 4: an event was changed, removed")


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_an_event_inserted_into_the_middle_of_the_log_is_found(
    verified: Callable[[], list[str]], backend_database: Database
) -> None:
    column = position_column(backend_database)
    # Make room at position 4 (two steps, so no position is ever held twice), then forge an event
    # there: a copy of event 5 under a version its fund never had.
    run_sql(backend_database, f"UPDATE EVENTS SET {column} = {column} + 1000 WHERE {column} >= 4")
    run_sql(backend_database, f"UPDATE EVENTS SET {column} = {column} - 999 WHERE {column} >= 1000")
    run_sql(
        backend_database,
        f"INSERT INTO EVENTS ({column}, originator_id, originator_version, topic, state)"
        f" SELECT 4, originator_id, originator_version + 100, topic, state FROM EVENTS"
        f" WHERE {column} = 6",
    )
    assert verified()[0].startswith("position 4: an event was changed, removed, inserted")


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_two_swapped_events_are_found(
    verified: Callable[[], list[str]], backend_database: Database
) -> None:
    column = position_column(backend_database)
    if backend_database.backend == "sqlite":
        statement = (
            f"UPDATE EVENTS SET state = CASE {column} WHEN 3 THEN (SELECT state FROM EVENTS WHERE {column} = 6)"
            f" ELSE (SELECT state FROM EVENTS WHERE {column} = 3) END WHERE {column} IN (3, 6)"
        )
    else:
        statement = (
            f"UPDATE EVENTS e SET state = o.state FROM EVENTS o WHERE e.{column} IN (3, 6)"
            f" AND o.{column} = CASE e.{column} WHEN 3 THEN 6 ELSE 3 END"
        )
    run_sql(backend_database, statement)
    assert verified()[0].startswith("position 3: an event was changed")


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_changed_stored_hash_is_found(verified: Callable[[], list[str]], views: ViewDB) -> None:
    with views.transaction():
        views.execute("UPDATE tlog_hashes SET hash = ? WHERE level = 1 AND idx = 1", (bytes(32),))
    assert verified()[0] == "position 3: a stored hash was changed (tree level 1, index 1)"


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_checkpoint_forged_with_another_key_is_found(
    verified: Callable[[], list[str]], views: ViewDB
) -> None:
    forger = Signer.generate(ORIGIN)
    note = views.execute("SELECT note FROM tlog_checkpoints WHERE size = 3")[0][0]
    body = note.split("\n\n")[0] + "\n"
    with views.transaction():
        views.execute("UPDATE tlog_checkpoints SET note = ? WHERE size = 3", (forger.sign(body),))
    assert verified()[0].startswith("checkpoint at size 3: the note has no signature")


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_checkpoint_replaced_by_an_inconsistent_one_is_found(
    verified: Callable[[], list[str]], views: ViewDB, signer: Signer
) -> None:
    from transparency.signed_note import checkpoint_body

    forged = signer.sign(checkpoint_body(ORIGIN, 6, bytes(32)))  # even signed by the real key
    with views.transaction():
        views.execute(
            "UPDATE tlog_checkpoints SET note = ?, root = ? WHERE size = 6", (forged, bytes(32))
        )
    assert (
        verified()[0]
        == "position 6: the checkpoint's root is not the root of the log's first 6 events"
    )


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_view_that_no_longer_matches_the_log_is_found(
    verified: Callable[[], list[str]], views: ViewDB
) -> None:
    (fund_id,) = views.execute("SELECT fund_id FROM disclosure_funds")[0]
    with views.transaction():
        views.execute("UPDATE disclosure_funds SET balance_fen = balance_fen + 100")
    assert verified() == [
        f"view disclosure: disclosure_funds row fund_id={fund_id} field balance_fen is 700"
        " but the log gives 600 (as of position 8)"
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_deleted_view_row_is_named_as_missing(
    verified: Callable[[], list[str]], views: ViewDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local, "ROWS_PER_PAGE", 1)  # the keyset walk crosses pages
    (organization_id,) = views.execute("SELECT organization_id FROM disclosure_organizations")[0]
    with views.transaction():
        views.execute("DELETE FROM disclosure_organizations")
    assert verified() == [
        f"view disclosure: disclosure_organizations row organization_id={organization_id},"
        " which the log gives, is missing (as of position 8)"
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_view_row_the_log_does_not_give_is_named(
    verified: Callable[[], list[str]], views: ViewDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local, "ROWS_PER_PAGE", 1)
    forged = "ffffffff-ffff-4fff-bfff-ffffffffffff"  # sorts after the real fund's id
    with views.transaction():
        views.execute(
            "INSERT INTO disclosure_funds SELECT ?, foundation_id, kind, name, opened_on,"
            " received_fen, anonymous_fen, granted_fen, paid_fen, transferred_in_fen,"
            " transferred_out_fen, reversed_in_fen, reversed_out_fen, balance_fen, closed_on,"
            " leaf_index, last_leaf_index FROM disclosure_funds",
            (forged,),
        )
    assert verified() == [
        f"view disclosure: disclosure_funds row fund_id={forged} is not one the log gives"
        " (as of position 8)"
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_deleted_stored_hash_breaks_the_consistency_proof_through_it(
    verified: Callable[[], list[str]], views: ViewDB
) -> None:
    with views.transaction():
        views.execute("DELETE FROM tlog_hashes WHERE level = 1 AND idx = 0")
    assert verified()[0] == "checkpoint at size 6: inconsistent with the one at size 3"
