"""The tamper suite: an insider with write access to the database changes a small demo ledger behind the
application's back, and each verifier an auditor can run either catches it, naming what and where, or
is shown not to (and the table says which check does).

Each case builds its own ledger (the demo dataset, projected and signed in batches, so there are many
checkpoints) on SQLite and on PostgreSQL, runs `mingzhang verify --url` once over real HTTP to keep the
checkpoint an auditor would have kept, applies one tampering with plain SQL, and then runs the three
verifiers as a user would, through `cli.main.main`: local `verify`, `verify --url` with the state kept
before, and `verify --bundle` of an export made after the tampering (against the published key).
docs/TRANSPARENCY.md's table of tampering kinds is this file's table in words.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from api.app import create_app
from api.settings import Settings
from cli.compose import open_ledger, open_views, service_views
from cli.main import main
from demo.generator import fill
from domain.ledger import FUND_SNAPSHOT_INTERVAL, Ledger
from domain.money import Money
from projections.runner import Runner
from storage.database import Database
from tests.deployments import ORIGIN, deployment, serving
from tests.support import donate, open_fund, pay, register
from transparency.leaf import stored_leaf_hash
from transparency.merkle import HASH_SIZE
from transparency.signed_note import Signer, checkpoint_body
from transparency.tlog import MemoryTree

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
DEMO_EVENTS = 500
# A checkpoint every 50 events: tamperings land between checkpoints, not only after the last.
BATCH = 50
KEPT = "kept-checkpoint"  # the checkpoint an auditor kept from verifying the honest ledger


@dataclass
class Verdict:
    """What one verifier said: its exit status and its `mingzhang:` lines (the problems)."""

    status: int
    problems: list[str]
    said: str

    @property
    def caught(self) -> bool:
        return self.status != 0

    def names(self, text: str) -> bool:
        return any(text in line for line in self.problems)


@dataclass
class Deployed:
    """A small demo ledger, projected and signed, and the means to tamper with it and verify it."""

    settings: Settings
    database: Database
    signer: Signer
    folder: Path
    snapshotted_fund: UUID  # a fund with a stored snapshot (its 100th event)

    def verifier_key(self) -> str:
        return self.signer.verifier_key()

    # --- the insider's tools: SQL on the ledger's and the views' databases -----------------------

    def events_sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run `statement` on the event store; EVENTS, SNAPSHOTS and COMMANDS name its tables and
        POSITION the log position column, on either backend."""
        if self.database.backend == "sqlite":
            names = {
                "EVENTS": "stored_events",
                "SNAPSHOTS": "stored_snapshots",
                "COMMANDS": "ledger_commands",
                "POSITION": "rowid",
                "%s": "?",
            }
            with sqlite3.connect(self.database.sqlite_path) as db:
                return db.execute(_named(statement, names), params).fetchall()
        names = {
            "EVENTS": "ledger_events",
            "SNAPSHOTS": "ledger_snapshots",
            "COMMANDS": "ledger_commands",
            "POSITION": "notification_id",
        }
        with self.database.connect() as conn:
            conn.execute(
                sql.SQL("SET search_path TO {}").format(sql.Identifier(self.database.schema))
            )
            cursor = conn.execute(_named(statement, names).encode(), params)
            return cursor.fetchall() if cursor.description else []

    def views_sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        views = open_views(self.settings)
        try:
            with views.transaction():
                return list(views.execute(statement, params))
        finally:
            views.close()

    def key(self, some_id: UUID) -> str | UUID:
        """An id as the event store's tables hold it (hex text in SQLite, uuid in PostgreSQL)."""
        return some_id.hex if self.database.backend == "sqlite" else some_id

    def record(self, command: Callable[[Ledger], object]) -> None:
        """A command through the ledger, as staff would send it, then projected and signed: what
        the deployment does next on top of the tampered database."""
        ledger, views = open_ledger(self.settings), open_views(self.settings)
        try:
            command(ledger)
            Runner(ledger, views, service_views(self.settings), batch_size=BATCH).catch_up()
        finally:
            views.close()
            ledger.close()

    def head(self) -> int:
        return int(self.events_sql("SELECT MAX(POSITION) FROM EVENTS")[0][0])

    def replace_in_event(self, position: int, old: str, new: str) -> None:
        """Change text inside one event's stored state bytes."""
        if self.database.backend == "sqlite":
            change = "CAST(REPLACE(CAST(state AS TEXT), %s, %s) AS BLOB)"
        else:
            change = "convert_to(replace(convert_from(state, 'UTF8'), %s, %s), 'UTF8')"
        self.events_sql(
            f"UPDATE EVENTS SET state = {change} WHERE POSITION = %s", (old, new, position)
        )

    def position_of(self, topic: str, nth: int = 0) -> int:
        rows = self.events_sql(
            "SELECT POSITION FROM EVENTS WHERE topic = %s ORDER BY POSITION", (topic,)
        )
        return int(rows[nth][0])

    def state_of(self, position: int) -> str:
        return bytes(
            self.events_sql("SELECT state FROM EVENTS WHERE POSITION = %s", (position,))[0][0]
        ).decode()

    def resign(self) -> None:
        """What an insider holding the signing key can do: rebuild every view, the tree and its
        checkpoints included, and sign them over the log as it now stands."""
        assert main(["rebuild"]) == 0

    # --- the verifiers, as a user runs them ------------------------------------------------------

    def kept(self, verifier: str) -> list[str]:
        """`--state` with a copy of the checkpoint kept before, one per verifier, so one verifier
        advancing its state cannot change what the next one is checked against."""
        copy = self.folder / f"{KEPT}-{verifier}"
        shutil.copyfile(self.folder / KEPT, copy)
        return ["--state", str(copy)]

    def verify_three_ways(
        self, capsys: pytest.CaptureFixture[str], *, kept: bool
    ) -> tuple[Verdict, Verdict, Verdict]:
        """Local verify, `verify --url` over real HTTP and `verify --bundle` of an export, each
        against the published key and, if `kept`, the checkpoint the auditor kept before."""
        local = self.verify(
            "--key", self.verifier_key(), *(self.kept("local") if kept else []), capsys=capsys
        )
        with serving(create_app(self.settings)) as url:
            remote = self.verify(
                "--url",
                url,
                "--key",
                self.verifier_key(),
                *(self.kept("remote") if kept else ["--state", str(self.folder / "new-state")]),
                capsys=capsys,
            )
        bundle = self.export_and_verify(capsys, self.kept("bundle") if kept else [])
        return local, remote, bundle

    def export_and_verify(self, capsys: pytest.CaptureFixture[str], state: list[str]) -> Verdict:
        """`verify --bundle` of an export made now; an export the deployment refuses to make (it
        checks its own checkpoints first) is a catch too, in the export's words."""
        bundle = self.folder / "export.jsonl"
        capsys.readouterr()
        if main(["export", str(bundle)]) != 0:
            said = capsys.readouterr().err
            problems = [line for line in said.splitlines() if line.startswith("mingzhang:")]
            return Verdict(1, problems, said)
        return self.verify(
            "--bundle", str(bundle), "--key", self.verifier_key(), *state, capsys=capsys
        )

    def verify(self, *args: str, capsys: pytest.CaptureFixture[str]) -> Verdict:
        capsys.readouterr()
        status = main(["verify", *args])
        said = capsys.readouterr().err
        problems = [line for line in said.splitlines() if line.startswith("mingzhang:")]
        return Verdict(status, problems, said)


def _named(statement: str, names: dict[str, str]) -> str:
    for name, value in names.items():
        statement = statement.replace(name, value)
    return statement


@dataclass(frozen=True)
class Template:
    """A demo ledger built once per backend and session, copied for each case."""

    database: Database
    folder: Path
    signer: Signer
    snapshotted_fund: UUID


def _environment(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("MINGZHANG_TODAY", "2025-06-30")


@pytest.fixture(scope="session", params=BACKENDS)
def template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Template]:
    folder = tmp_path_factory.mktemp(f"tamper-template-{request.param}")
    signer = Signer.generate(ORIGIN)
    if request.param == "sqlite":
        database = Database("sqlite", sqlite_path=str(folder / "ledger.sqlite"))
    else:
        # A database of its own, so each case can be a copy of it (CREATE DATABASE ... TEMPLATE).
        server: Database = request.getfixturevalue("postgres")
        database = _create_database(server, f"mz_tamper_{uuid.uuid4().hex[:12]}", template=None)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _environment(monkeypatch, folder / "home")
        settings = deployment(monkeypatch, database, signer, folder / "var")
        ledger, views = open_ledger(settings), open_views(settings)
        try:
            fill(ledger, events=DEMO_EVENTS, seed=2021, progress=None)
            fund_id = open_fund(ledger, register(ledger))
            for _ in range(FUND_SNAPSHOT_INTERVAL - 1):
                donate(ledger, fund_id, "1")  # the fund's 100th event: a snapshot holding 99.00
            Runner(ledger, views, service_views(settings), batch_size=BATCH).catch_up()
        finally:
            views.close()
            ledger.close()
        # The honest ledger verifies, and the auditor keeps its checkpoint (copied with the folder).
        key = signer.verifier_key()
        assert main(["verify", "--key", key]) == 0
        with serving(create_app(settings)) as url:
            kept = str(folder / KEPT)
            assert main(["verify", "--url", url, "--key", key, "--state", kept]) == 0
    yield Template(database, folder, signer, fund_id)
    if database.backend == "postgresql":
        _drop_database(database)


def _create_database(server: Database, name: str, template: str | None) -> Database:
    with psycopg.connect(_dsn(server), autocommit=True) as conn:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        conn.execute(statement)
    return replace(server, dbname=name, schema="public")


def _drop_database(database: Database) -> None:
    with psycopg.connect(_dsn(replace(database, dbname="postgres")), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database.dbname)
            )
        )


def _dsn(database: Database) -> str:
    password = f" password={database.password}" if database.password else ""
    return (
        f"host={database.host} port={database.port} user={database.user}"
        f" dbname={database.dbname}{password}"
    )


@pytest.fixture
def deployed(
    template: Template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Deployed]:
    """A copy of the template: its files (SQLite), or a database made from it (PostgreSQL)."""
    shutil.copytree(template.folder, tmp_path, dirs_exist_ok=True)
    source = template.database
    if source.backend == "sqlite":
        database = replace(source, sqlite_path=str(tmp_path / "ledger.sqlite"))
    else:
        database = _create_database(
            replace(source, dbname="postgres"),
            f"mz_tamper_{uuid.uuid4().hex[:12]}",
            template=source.dbname,
        )
    _environment(monkeypatch, tmp_path / "home")
    settings = deployment(monkeypatch, database, template.signer, tmp_path / "var")
    yield Deployed(settings, database, template.signer, tmp_path, template.snapshotted_fund)
    if database.backend == "postgresql":
        _drop_database(database)


@dataclass(frozen=True)
class Tamper:
    """One kind of tampering, and what each verifier must say about it: a text its findings must
    contain, or None where that verifier cannot see it (the honest limit, stated)."""

    name: str
    apply: Callable[[Deployed], None]
    local: str | None
    remote: str | None
    bundle: str | None
    kept: bool = True  # whether the auditor kept a checkpoint from before
    # What `verify --url --views` must say, where re-deriving the public figures is the check (it
    # is run only for these: it rebuilds the views, seconds per case).
    views: str | None = None


def change_a_donation(d: Deployed) -> None:
    position = d.position_of("mingzhang/Fund.DonationReceived", 3)
    state = d.state_of(position)
    amount = state.split('"amount_fen":')[1].split(",")[0]
    d.replace_in_event(position, f'"amount_fen":{amount}', f'"amount_fen":{int(amount) * 10}')


def backdate_an_event(d: Deployed) -> None:
    position = d.position_of("mingzhang/Fund.DonationReceived", 2)
    # The recording time only: the demo records an event on its business date, so the year of
    # `received_on` is the same and must stay as it is.
    stamp = '"timestamp":{"_type_":"datetime_iso","_data_":"'
    year = d.state_of(position).split(stamp)[1][:4]
    d.replace_in_event(position, f"{stamp}{year}-", f"{stamp}{int(year) - 1}-")


def reattribute_an_event(d: Deployed) -> None:
    position = d.position_of("mingzhang/Fund.DonationReceived", 1)
    d.replace_in_event(position, '"actor":null', '"actor":"someone-else"')


def delete_an_event(d: Deployed) -> None:
    d.events_sql("DELETE FROM EVENTS WHERE POSITION = %s", (d.head() // 2,))


def swap_two_events(d: Deployed) -> None:
    first, second = (
        d.position_of("mingzhang/Fund.DonationReceived", 0),
        d.position_of("mingzhang/Fund.DonationReceived", 4),
    )
    a, b = d.state_of(first), d.state_of(second)
    d.events_sql("UPDATE EVENTS SET state = %s WHERE POSITION = %s", (b.encode(), first))
    d.events_sql("UPDATE EVENTS SET state = %s WHERE POSITION = %s", (a.encode(), second))


def insert_an_event(d: Deployed) -> None:
    middle, head = d.head() // 2, d.head()
    # Make room (two steps, so no position is held twice), then forge a copy of the next event there
    # under a version its aggregate never had.
    d.events_sql("UPDATE EVENTS SET POSITION = POSITION + %s WHERE POSITION >= %s", (head, middle))
    d.events_sql("UPDATE EVENTS SET POSITION = POSITION - %s WHERE POSITION > %s", (head - 1, head))
    d.events_sql(
        "INSERT INTO EVENTS (POSITION, originator_id, originator_version, topic, state)"
        " SELECT %s, originator_id, originator_version + 1000, topic, state FROM EVENTS"
        " WHERE POSITION = %s",
        (middle, middle + 1),
    )


def change_a_stored_hash(d: Deployed) -> None:
    d.views_sql("UPDATE tlog_hashes SET hash = ? WHERE level = 2 AND idx = 1", (bytes(32),))


def sign_a_checkpoint_with_another_key(d: Deployed) -> None:
    forger = Signer.generate(ORIGIN)
    size, root = d.views_sql("SELECT size, root FROM tlog_checkpoints ORDER BY size DESC LIMIT 1")[
        0
    ]
    note = forger.sign(checkpoint_body(ORIGIN, int(size), bytes(root)))
    d.views_sql("UPDATE tlog_checkpoints SET note = ? WHERE size = ?", (note, size))


def fork_and_resign(d: Deployed) -> None:
    change_a_donation(d)
    d.resign()


def delete_the_last_events(d: Deployed) -> None:
    d.events_sql("DELETE FROM EVENTS WHERE POSITION > %s", (d.head() - 3,))


def truncate_and_resign(d: Deployed) -> None:
    head = d.head()
    d.events_sql("DELETE FROM EVENTS WHERE POSITION > %s", (head - 5,))
    d.resign()


def rewrite_history_without_the_key(d: Deployed) -> None:
    """The high-severity attack of issue 14: a donation changed, the whole stored tree recomputed
    from the events as they now are, every checkpoint's `root` column overwritten to match, and the
    signed notes left alone (without the key they cannot be re-signed)."""
    backdate_an_event(d)
    ledger = open_ledger(d.settings)
    tree = MemoryTree()
    position = 0
    while notifications := ledger.recorder.select_notifications(position + 1, 1000):
        tree.extend(stored_leaf_hash(n) for n in notifications)
        position = notifications[-1].id
    ledger.close()
    rows = [
        (level, index, bytes(hashes[index * HASH_SIZE : (index + 1) * HASH_SIZE]))
        for level, hashes in enumerate(tree.levels)
        for index in range(len(hashes) // HASH_SIZE)
    ]
    views = open_views(d.settings)
    try:
        with views.transaction():
            views.execute("DELETE FROM tlog_hashes")
            views.execute_many("INSERT INTO tlog_hashes VALUES (?, ?, ?)", rows)
            for (size,) in views.execute("SELECT size FROM tlog_checkpoints"):
                views.execute(
                    "UPDATE tlog_checkpoints SET root = ? WHERE size = ?",
                    (tree.root(int(size)), size),
                )
    finally:
        views.close()


def rewrite_history_and_empty_the_checkpoints(d: Deployed) -> None:
    """The same, with every checkpoint deleted instead of its root column overwritten: the server
    has nothing left to compare with, and signs its next batch on top of the rewritten tree."""
    rewrite_history_without_the_key(d)
    d.views_sql("DELETE FROM tlog_checkpoints")
    d.record(lambda ledger: donate(ledger, d.snapshotted_fund, "1"))


def delete_a_stored_hash(d: Deployed) -> None:
    d.views_sql("DELETE FROM tlog_hashes WHERE level = 0 AND idx = 3")


def inflate_a_snapshot_and_overdraw(d: Deployed) -> None:
    """A fund's snapshot inflated by 10,000,000 yuan, then staff pay 5,000,000 out of it: the ledger
    decides from the snapshot, so the payment is accepted, projected and signed."""
    fund = d.key(d.snapshotted_fund)
    ((state,),) = d.events_sql("SELECT state FROM SNAPSHOTS WHERE originator_id = %s", (fund,))
    snapshot = json.loads(bytes(state))
    snapshot["state"]["balance"]["_data_"] += Money.yuan("10000000").fen
    d.events_sql(
        "UPDATE SNAPSHOTS SET state = %s WHERE originator_id = %s",
        (json.dumps(snapshot).encode(), fund),
    )
    d.record(lambda ledger: pay(ledger, d.snapshotted_fund, "5000000"))


def delete_an_index_row_and_repeat_the_command(d: Deployed) -> None:
    """A donation's command-index row deleted, then the donation sent again (a retry): the ledger no
    longer recognises the repeat and records it twice."""
    donation_id = uuid.uuid4()
    d.record(lambda ledger: donate(ledger, d.snapshotted_fund, "1", donation_id=donation_id))
    d.events_sql("DELETE FROM COMMANDS WHERE command_id = %s", (d.key(donation_id),))
    d.record(lambda ledger: donate(ledger, d.snapshotted_fund, "1", donation_id=donation_id))


def edit_a_view_row(d: Deployed) -> None:
    d.views_sql(
        "UPDATE disclosure_funds SET balance_fen = balance_fen + 100000 WHERE fund_id = ?",
        (str(d.snapshotted_fund),),
    )


TAMPERS = [
    Tamper(
        "history rewritten without the key: the tree recomputed, the root columns overwritten",
        rewrite_history_without_the_key,
        local="the stored root column is not the signed root; the table was edited",
        remote="its root is not the root of the first",
        bundle="its root is not the root of the first",
    ),
    Tamper(
        "history rewritten without the key and every checkpoint deleted, then signed anew",
        rewrite_history_and_empty_the_checkpoints,
        # The database held the server's only memory of what it signed: the auditor's kept
        # checkpoint is what shows the rewrite (witnesses, the next issue, keep one for everyone).
        local="is not consistent with the one verified before",
        remote="is not consistent with the one verified before",
        bundle="is not consistent with the one verified before",
    ),
    Tamper(
        "a stored tree hash deleted",
        delete_a_stored_hash,
        local="the stored tree has no hash at level 0, index 3 (a stored hash was deleted)",
        # The level-0 tile holding it can no longer be cut: the log withholds what it signed.
        remote="the log does not serve tile/0/000, which its signed checkpoint covers",
        bundle=None,
    ),
    Tamper(
        "a fund snapshot inflated, then a payment beyond the real balance",
        inflate_a_snapshot_and_overdraw,
        local="the snapshot at version 100 does not match its events",
        # The log is signed as written: what is wrong is a payment the real balance did not hold,
        # which re-deriving the public figures shows.
        remote=None,
        bundle=None,
        views="the available balance went negative at version 101",
    ),
    Tamper(
        "a command-index row deleted, then the command repeated",
        delete_an_index_row_and_repeat_the_command,
        local="was applied twice",
        remote=None,
        bundle=None,
        views="was applied twice",
    ),
    Tamper(
        "a public view row edited",
        edit_a_view_row,
        local="field balance_fen is",
        remote=None,
        bundle=None,
        views="field balance: served 1099.00, the log gives 99.00",
    ),
    Tamper(
        "a donation's amount changed",
        change_a_donation,
        local="an event was changed",
        remote="the first",
        bundle="its root is not the root of the first",
    ),
    Tamper(
        "an event backdated",
        backdate_an_event,
        local="an event was changed",
        remote="the first",
        bundle="its root is not the root of the first",
    ),
    Tamper(
        "an event re-attributed to another actor",
        reattribute_an_event,
        local="an event was changed",
        remote="the first",
        bundle="its root is not the root of the first",
    ),
    Tamper(
        "an event deleted from the middle",
        delete_an_event,
        local="an event was changed, removed",
        # The server cannot cut the entry bundle holding the hole: it withholds it (a 503).
        remote="the log does not serve tile/entries/001 (entries 256..511)",
        bundle="its root is not the root of the first",
    ),
    Tamper(
        "two events swapped",
        swap_two_events,
        local="an event was changed",
        remote="the first",
        bundle="its root is not the root of the first",
    ),
    Tamper(
        "an event inserted into the middle",
        insert_an_event,
        local="inserted",
        remote="the first",
        bundle="its root is not the root of the first",
    ),
    Tamper(
        "a stored tree hash changed",
        change_a_stored_hash,
        local="a stored hash was changed (tree level 2, index 1)",
        # The entries are what remote and bundle checks hash, and tiles hold levels 0, 8, 16…
        # only: a wrong node at level 2 is served in no tile, only in /transparency/proofs.
        remote=None,
        bundle=None,
    ),
    Tamper(
        "the latest checkpoint signed with another key",
        sign_a_checkpoint_with_another_key,
        local="the note has no signature",
        remote="the note has no signature",
        bundle="the note has no signature",
    ),
    Tamper(
        "history forked and re-signed with the real key",
        fork_and_resign,
        # Everything is consistent with itself: only a checkpoint kept from before can tell.
        local="is not consistent with the one verified before",
        remote="is not consistent with the one verified before",
        bundle="is not consistent with the one verified before",
    ),
    Tamper(
        "the last events deleted",
        delete_the_last_events,
        local="events were deleted from the end of the log",
        remote="the log does not serve tile/entries/002.p/134 (entries 512..645)",
        bundle="events; the log holds",
    ),
    Tamper(
        "a donation's amount changed and the views and tree re-signed, without a kept checkpoint",
        fork_and_resign,
        # The command index is not a view: it still holds the amount the command was given.
        local="records another amount than its event",
        remote=None,
        bundle=None,
        kept=False,
    ),
    Tamper(
        "the log truncated and re-signed with the real key",
        truncate_and_resign,
        local="rollback",
        remote="rollback",
        bundle="rollback",
    ),
]


@pytest.mark.parametrize("tamper", TAMPERS, ids=[t.name for t in TAMPERS])
def test_each_tampering_is_caught_by_the_verifiers_that_can_see_it(
    deployed: Deployed, tamper: Tamper, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper.apply(deployed)

    local, remote, bundle = deployed.verify_three_ways(capsys, kept=tamper.kept)
    if tamper.views is not None:
        with serving(create_app(deployed.settings)) as url:
            views = deployed.verify(
                "--url", url, "--key", deployed.verifier_key(), "--views", capsys=capsys
            )
        assert views.caught, f"verify --views missed it\n{views.said}"
        assert views.names(tamper.views), f"verify --views said\n{views.said}"
    for verifier, verdict, expected in (
        ("local", local, tamper.local),
        ("remote", remote, tamper.remote),
        ("bundle", bundle, tamper.bundle),
    ):
        if expected is None:
            assert not verdict.caught, (
                f"{verifier} now catches it: update the table\n{verdict.said}"
            )
        else:
            assert verdict.caught, f"{verifier} missed it\n{verdict.said}"
            assert verdict.names(expected), f"{verifier} said\n{verdict.said}"
        assert "Traceback" not in verdict.said


def test_without_a_kept_checkpoint_a_history_rewritten_and_re_signed_with_the_key_verifies(
    deployed: Deployed, capsys: pytest.CaptureFixture[str]
) -> None:
    """The limit no check of the log alone can pass: an operator holding the signing key who
    rewrites history before anyone kept a checkpoint shows a log consistent with itself. Witnesses
    (the next issue) close it by keeping checkpoints the operator does not control."""
    backdate_an_event(deployed)  # the recording time: no index row or snapshot repeats it
    deployed.resign()
    verdicts = deployed.verify_three_ways(capsys, kept=False)
    assert [v.status for v in verdicts] == [0, 0, 0], [v.said for v in verdicts]
