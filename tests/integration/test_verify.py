"""`verify_local` catches tampering done behind the application's back, in SQLite and in PostgreSQL,
and names the position."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql

from cli.compose import open_ledger, open_views, service_views
from cli.main import main
from domain.foundations.fund import Fund
from domain.ledger import Ledger
from projections.disclosure import DisclosureView
from projections.runner import Runner, stop_reasons, stopped_views
from projections.transparency import TransparencyView
from storage.database import Database
from storage.viewdb import ViewDB
from tests.deployments import deployment
from tests.support import donate, open_fund, register
from transparency import local
from transparency.leaf import stored_leaf_hash
from transparency.local import verify_local
from transparency.log_audit import key_name
from transparency.merkle import HASH_SIZE
from transparency.signed_note import Signer, checkpoint_body
from transparency.tlog import MemoryTree

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


def change_an_event(database: Database, position: int) -> None:
    """Change the amount in the state bytes of the event at `position` (a donation of 1 yuan)."""
    # The field and its value, not '100' alone: a random id or timestamp may hold those digits too.
    old, new = '"amount_fen":100,', '"amount_fen":999,'
    if database.backend == "sqlite":
        change = f"CAST(REPLACE(CAST(state AS TEXT), '{old}', '{new}') AS BLOB)"
    else:
        change = f"convert_to(replace(convert_from(state, 'UTF8'), '{old}', '{new}'), 'UTF8')"
    run_sql(
        database,
        f"UPDATE EVENTS SET state = {change} WHERE {position_column(database)} = {position}",
    )


def rewrite_history_without_the_key(ledger: Ledger, views: ViewDB, database: Database) -> None:
    """The insider's attack of issue 14: change an event, recompute the whole stored tree from the
    events as they now are, overwrite every checkpoint's `root` column to match, and leave the
    signed notes alone (without the key they cannot be re-signed)."""
    change_an_event(database, 5)
    tree = MemoryTree()
    tree.extend(stored_leaf_hash(n) for n in ledger.recorder.select_notifications(1, 1000))
    rows = [
        (level, index, bytes(hashes[index * HASH_SIZE : (index + 1) * HASH_SIZE]))
        for level, hashes in enumerate(tree.levels)
        for index in range(len(hashes) // HASH_SIZE)
    ]
    with views.transaction():
        views.execute("DELETE FROM tlog_hashes")
        views.execute_many("INSERT INTO tlog_hashes VALUES (?, ?, ?)", rows)
        for (size,) in views.execute("SELECT size FROM tlog_checkpoints"):
            views.execute(
                "UPDATE tlog_checkpoints SET root = ? WHERE size = ?", (tree.root(int(size)), size)
            )


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
        return verify_local(
            ledger, views, signer.verifier_key(), [DisclosureView()], origin=ORIGIN
        ).problems

    assert problems() == []
    return problems


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_changed_byte_in_an_event_is_found_at_its_position(
    verified: Callable[[], list[str]], backend_database: Database
) -> None:
    change_an_event(backend_database, 5)
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
def test_a_deleted_stored_hash_is_named_and_breaks_the_consistency_proof_through_it(
    verified: Callable[[], list[str]], views: ViewDB
) -> None:
    with views.transaction():
        views.execute("DELETE FROM tlog_hashes WHERE level = 1 AND idx = 0")
    assert verified() == [
        "position 1: the stored tree has no hash at level 1, index 0 (a stored hash was deleted)",
        "checkpoint at size 6: inconsistent with the one at size 3",
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_events_deleted_from_the_end_are_reported_with_every_finding_most_basic_first(
    verified: Callable[[], list[str]], backend_database: Database
) -> None:
    run_sql(backend_database, f"DELETE FROM EVENTS WHERE {position_column(backend_database)} >= 7")
    problems = verified()
    assert problems[:2] == [
        "position 7: the tree holds events the log no longer has (events were deleted)",
        "checkpoint at size 8: the log holds only 6 events",
    ]
    # The two deleted donations' index rows are left without their events.
    assert [p.split(",")[0][:31] for p in problems[2:4]] == ["command index: a row for comman"] * 2
    assert problems[4:] == [
        "view disclosure is at position 8 but the log ends at 6:"
        " events were deleted from the end of the log",
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_history_rewritten_and_re_signed_since_the_kept_checkpoint_is_refused(
    ledger: Ledger, views: ViewDB, signer: Signer, backend_database: Database, tmp_path: Path
) -> None:
    fund_id = open_fund(ledger, register(ledger))
    for _ in range(6):
        donate(ledger, fund_id, "1")
    runner = Runner(
        ledger, views, [TransparencyView(signer, ORIGIN), DisclosureView()], batch_size=3
    )
    runner.catch_up()
    state, key = tmp_path / "kept" / "state", signer.verifier_key()
    first = verify_local(ledger, views, key, [DisclosureView()], state=state)
    assert (first.problems, first.kept, first.kept_now) == ([], None, True)
    kept = state.read_text()
    # An insider changes a donation and re-projects everything, re-signing with the real key: the
    # log is consistent with itself again, and only the checkpoint kept before tells.
    # It backdates the event's recording time, which no index row or snapshot repeats.
    column = position_column(backend_database)
    stamp = '"timestamp":{"_type_":"datetime_iso","_data_":"'
    if backend_database.backend == "sqlite":
        change = f"CAST(REPLACE(CAST(state AS TEXT), '{stamp}20', '{stamp}19') AS BLOB)"
    else:
        change = (
            f"convert_to(replace(convert_from(state, 'UTF8'), '{stamp}20', '{stamp}19'), 'UTF8')"
        )
    run_sql(backend_database, f"UPDATE EVENTS SET state = {change} WHERE {column} = 5")
    runner.rebuild("transparency")
    runner.rebuild("disclosure")
    runner.catch_up()
    assert verify_local(ledger, views, key, [DisclosureView()]).problems == []
    refused = "checkpoint at size 8 is not consistent with the one verified before at size 8"
    assert verify_local(ledger, views, key, [DisclosureView()], state=state).problems == [
        f"{refused}: the first 8 entries now have another root",
        f"{refused}: the log's consistency proof does not verify",
    ]
    assert state.read_text() == kept


@pytest.fixture
def deployed(backend_database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Signer:
    """`mingzhang` pointed at a deployment of 10 events: checkpoints at 3, 6 and 8, then 2 more
    events not signed yet."""
    signer = Signer.generate(ORIGIN)
    settings = deployment(monkeypatch, backend_database, signer, tmp_path / "var")
    ledger, views = open_ledger(settings), open_views(settings)
    fund_id = open_fund(ledger, register(ledger))
    for _ in range(6):
        donate(ledger, fund_id, "1")
    Runner(ledger, views, service_views(settings), batch_size=3).catch_up()
    donate(ledger, fund_id, "1")
    donate(ledger, fund_id, "1")
    views.close()
    ledger.close()
    return signer


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_local_verify_counts_only_signed_events_and_says_whose_key_it_trusted(
    deployed: Signer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify"]) == 0
    err = capsys.readouterr().err
    assert (
        "verify: signatures checked against this deployment's own key"
        f" ({key_name(deployed.verifier_key())}); pass --key with the published key to check it"
        " independently"
    ) in err
    assert (
        "verified 8 events and 3 checkpoints; 2 later events are not yet covered by a signed"
        " checkpoint"
    ) in err
    assert main(["verify", "--key", deployed.verifier_key()]) == 0
    assert "own key" not in capsys.readouterr().err


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_local_verify_keeps_the_latest_checkpoint_in_a_new_state_file(
    deployed: Signer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    assert main(["verify", "--state", str(state)]) == 0
    assert f"first verification: nothing was kept in {state}" in capsys.readouterr().err
    assert state.read_text().split("\n")[1] == "8"
    state.write_text(deployed.sign(checkpoint_body(ORIGIN, 9, bytes(32))))
    assert main(["verify", "--state", str(state)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "mingzhang: verify: rollback: the latest checkpoint is at size 8, smaller than the one"
        f" verified before at size 9 (state file {state})"
    )


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_local_verify_prints_every_finding_of_a_truncated_log_each_on_a_line_of_its_own(
    deployed: Signer, backend_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    run_sql(backend_database, f"DELETE FROM EVENTS WHERE {position_column(backend_database)} >= 7")
    assert main(["verify", "--key", deployed.verifier_key()]) == 1
    err = capsys.readouterr().err
    assert all(line.startswith("mingzhang:") for line in err.split("\n") if "mingzhang:" in line)
    findings = [line for line in err.splitlines() if line.startswith("mingzhang:")]
    assert findings[:2] == [
        "mingzhang: verify: position 7: the tree holds events the log no longer has"
        " (events were deleted)",
        "mingzhang: verify: checkpoint at size 8: the log holds only 6 events",
    ]
    assert (
        "mingzhang: verify: view disclosure is at position 8 but the log ends at 6: events"
        " were deleted from the end of the log"
    ) in findings[2:]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_command_applied_twice_after_its_index_row_was_deleted_is_found(
    verified: Callable[[], list[str]], ledger: Ledger, backend_database: Database
) -> None:
    (stored,) = ledger.recorder.select_notifications(8, 1)  # the last donation
    donation = ledger.mapper.to_domain_event(stored)
    assert isinstance(donation, Fund.DonationReceived)
    fund_id, donation_id = donation.originator_id, donation.donation_id
    key = donation_id.hex if backend_database.backend == "sqlite" else donation_id
    run_sql(backend_database, "DELETE FROM ledger_commands WHERE command_id = %s", (key,))
    donate(ledger, fund_id, "1", donation_id=donation_id)  # a retry, recorded again at position 9
    assert verified() == [
        f"command {donation_id} was applied twice: the events at positions 8 and 9 each carry it"
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_history_rewritten_without_the_key_is_found_against_the_signed_notes(
    verified: Callable[[], list[str]], ledger: Ledger, views: ViewDB, backend_database: Database
) -> None:
    rewrite_history_without_the_key(ledger, views, backend_database)
    disclosure = Runner(ledger, views, [DisclosureView()])
    disclosure.rebuild("disclosure")
    disclosure.catch_up()
    problems = verified()
    assert problems[:2] == [
        "checkpoint at size 6: the stored root column is not the signed root; the table was"
        " edited (and 1 later checkpoint likewise)",
        "position 6: the checkpoint's root is not the root of the log's first 6 events",
    ]
    # The command index, which the insider left alone, still holds the amount the donor gave.
    assert [p.split(" records ")[1] for p in problems[2:]] == [
        "another amount than its event at position 5"
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_the_server_signs_nothing_on_a_tree_rewritten_under_its_last_signed_checkpoint(
    verified: Callable[[], list[str]],
    ledger: Ledger,
    views: ViewDB,
    backend_database: Database,
    signer: Signer,
) -> None:
    rewrite_history_without_the_key(ledger, views, backend_database)
    signed = views.execute("SELECT size, note FROM tlog_checkpoints ORDER BY size")
    donate(ledger, open_fund(ledger, register(ledger)), "1")
    Runner(ledger, views, [TransparencyView(signer, ORIGIN)], batch_size=3).catch_up()
    assert views.execute("SELECT size, note FROM tlog_checkpoints ORDER BY size") == signed
    assert stopped_views(views) == [("transparency", 9, "InconsistentLog")]
    reason = (
        "the stored tree is not consistent with the last signed checkpoint (size 8);"
        " nothing more is signed"
    )
    assert stop_reasons(views) == {"transparency": reason}
    assert f"view transparency stopped at position 9: InconsistentLog: {reason}" in verified()


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_checkpoint_whose_note_does_not_open_stops_the_server_signing(
    verified: Callable[[], list[str]], ledger: Ledger, views: ViewDB, signer: Signer
) -> None:
    forger = Signer.generate(ORIGIN)
    note = views.execute("SELECT note FROM tlog_checkpoints WHERE size = 8")[0][0]
    with views.transaction():
        views.execute(
            "UPDATE tlog_checkpoints SET note = ? WHERE size = 8",
            (forger.sign(note.split("\n\n")[0] + "\n"),),
        )
    donate(ledger, open_fund(ledger, register(ledger)), "1")
    Runner(ledger, views, [TransparencyView(signer, ORIGIN)], batch_size=3).catch_up()
    assert views.execute("SELECT MAX(size) FROM tlog_checkpoints")[0][0] == 8
    assert stop_reasons(views) == {
        "transparency": "the last checkpoint stored (size 8) does not open with this"
        f" deployment's key: the note has no signature by {ORIGIN}; nothing more is signed"
    }


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_root_column_edited_alone_is_named_as_an_edited_table(
    verified: Callable[[], list[str]], views: ViewDB
) -> None:
    with views.transaction():
        views.execute("UPDATE tlog_checkpoints SET root = ? WHERE size = 6", (bytes(32),))
    assert verified() == [
        "checkpoint at size 6: the stored root column is not the signed root; the table was edited"
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_size_column_edited_is_named_as_an_edited_table(
    verified: Callable[[], list[str]], views: ViewDB
) -> None:
    with views.transaction():
        views.execute("UPDATE tlog_checkpoints SET size = 7 WHERE size = 6")
    assert verified() == [
        "checkpoint at size 6: the stored size column says 7, not the signed size; the table was"
        " edited"
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_checkpoint_of_another_origin_is_found_even_when_signed_by_the_real_key(
    verified: Callable[[], list[str]], ledger: Ledger, views: ViewDB, signer: Signer
) -> None:
    root = views.execute("SELECT root FROM tlog_checkpoints WHERE size = 6")[0][0]
    other = signer.sign(checkpoint_body("elsewhere.test/ledger", 6, bytes(root)))
    with views.transaction():
        views.execute("UPDATE tlog_checkpoints SET note = ? WHERE size = 6", (other,))
    assert verified() == [
        f"checkpoint at size 6: its origin 'elsewhere.test/ledger' is not {ORIGIN!r}"
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
@pytest.mark.parametrize(("level", "index"), [(0, 3), (0, 5), (1, 1)])
def test_a_deleted_stored_hash_is_named_at_any_level_even_off_every_proof_path(
    verified: Callable[[], list[str]], views: ViewDB, level: int, index: int
) -> None:
    with views.transaction():
        views.execute("DELETE FROM tlog_hashes WHERE level = ? AND idx = ?", (level, index))
    assert verified()[0] == (
        f"position {(index << level) + 1}: the stored tree has no hash at level {level},"
        f" index {index} (a stored hash was deleted)"
    )


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
@pytest.mark.parametrize(("level", "index"), [(1, 4), (2, 2), (5, 0)])
def test_a_stored_hash_beyond_what_the_events_make_is_named_at_any_level(
    verified: Callable[[], list[str]], views: ViewDB, level: int, index: int
) -> None:
    with views.transaction():
        views.execute("INSERT INTO tlog_hashes VALUES (?, ?, ?)", (level, index, bytes(32)))
    assert verified() == [
        f"position {(index << level) + 1}: the stored tree has a hash at level {level},"
        f" index {index}, beyond the log's 8 events (a stored hash was added)"
    ]


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_a_changed_stored_leaf_hash_is_told_apart_from_a_changed_event(
    verified: Callable[[], list[str]], views: ViewDB
) -> None:
    with views.transaction():
        views.execute("UPDATE tlog_hashes SET hash = ? WHERE level = 0 AND idx = 4", (bytes(32),))
    assert verified()[0] == (
        "position 5: the stored leaf hash was changed; the event still matches the signed"
        " checkpoint at size 6"
    )


@pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)
def test_verify_of_a_log_whose_views_were_never_built_says_how_to_build_them(
    backend_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = deployment(monkeypatch, backend_database, Signer.generate(ORIGIN), tmp_path / "var")
    ledger = open_ledger(settings)
    open_fund(ledger, register(ledger))
    ledger.close()
    assert main(["verify"]) == 1
    assert capsys.readouterr().err == (
        "mingzhang: verify: the log holds 2 events but no transparency tree yet, so nothing is"
        " signed: build the views with `mingzhang rebuild` (or run `mingzhang serve`)\n"
    )
