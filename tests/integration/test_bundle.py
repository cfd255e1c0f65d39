"""Bundles: `mingzhang export` writes the log, `verify --bundle` checks it offline with the code that
checks a remote deployment, and `import` loads it into an empty database only if it holds, giving
the same tree and the same disclosure as the source, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest

from api.settings import Settings
from cli.compose import open_ledger, open_views, service_views
from cli.main import main
from domain.ledger import Ledger
from domain.money import Money
from projections.disclosure import DisclosureView
from projections.runner import Runner
from projections.transparency import root_at
from storage.database import Database
from storage.viewdb import ViewDB
from tests.deployments import ORIGIN, deployment
from tests.support import donate, open_fund, register
from transparency.signed_note import Signer, checkpoint_body

Lines = list[str]


@dataclass
class Source:
    bundle: Path
    key: str
    root: bytes
    fund_id: UUID
    disclosure: dict[str, list[tuple[object, ...]]]
    target: Callable[[Database], None]  # point `mingzhang` at another database
    signer: Signer


def disclosure_of(views: ViewDB) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: sorted(views.execute(f"SELECT * FROM {table}"), key=repr)
        for table in DisclosureView.tables
    }


@pytest.fixture
def source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Source:
    """A SQLite deployment with 8 events, checkpoints signed at sizes 3, 6 and 8, exported."""
    signer = Signer.generate(ORIGIN)
    database = Database("sqlite", sqlite_path=str(tmp_path / "source" / "ledger.sqlite"))
    settings = deployment(monkeypatch, database, signer, tmp_path / "source")
    ledger, views = open_ledger(settings), open_views(settings)
    fund_id = open_fund(ledger, register(ledger))
    for _ in range(6):
        donate(ledger, fund_id, "1")
    Runner(ledger, views, service_views(settings), batch_size=3).catch_up()
    root, disclosure = root_at(views, 8), disclosure_of(views)
    ledger.close()
    views.close()
    bundle = tmp_path / "ledger.bundle"
    assert main(["export", str(bundle)]) == 0
    assert "exported 8 entries and 3 checkpoints" in capsys.readouterr().out

    def target(database: Database) -> None:
        deployment(monkeypatch, database, signer, tmp_path / "target")

    return Source(bundle, signer.verifier_key(), root, fund_id, disclosure, target, signer)


def errors(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("mingzhang:")]


def read_lines(path: Path) -> Lines:
    return path.read_text().splitlines(keepends=True)


def test_an_exported_bundle_verifies_against_the_deployments_key(
    source: Source, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--bundle", str(source.bundle), "--key", source.key]) == 0
    err = capsys.readouterr().err
    assert f"signatures checked against the given key {ORIGIN}+" in err
    assert f"verified 8 entries and 3 checkpoints of {ORIGIN}" in err


def test_a_bundle_checked_only_against_its_own_key_says_so(
    source: Source, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--bundle", str(source.bundle)]) == 0
    err = capsys.readouterr().err
    assert "signatures checked against the bundle's own key" in err
    assert "intact, not who made it" in err


def test_a_bundle_forking_from_the_kept_checkpoint_is_refused_naming_both_sizes(
    source: Source, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    kept = source.signer.sign(checkpoint_body(ORIGIN, 5, bytes(32)))  # seen before, real key
    state.write_text(kept)
    args = ["verify", "--bundle", str(source.bundle), "--key", source.key, "--state", str(state)]
    assert main(args) == 1
    refused = (
        "mingzhang: verify: checkpoint at size 8 is not consistent with the one verified before"
        " at size 5"
    )
    assert errors(capsys) == [
        f"{refused}: the first 5 entries now have another root",
        f"{refused}: the log's consistency proof does not verify",
    ]
    assert state.read_text() == kept


def test_a_bundle_verified_with_a_new_state_file_writes_it_and_says_it_is_the_first(
    source: Source, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "kept" / "state"
    args = ["verify", "--bundle", str(source.bundle), "--key", source.key, "--state", str(state)]
    assert main(args) == 0
    assert f"first verification: nothing was kept in {state}" in capsys.readouterr().err
    assert state.read_text().split("\n")[1] == "8"
    assert main(args) == 0  # the same bundle again: consistent with what was kept
    assert "consistent with the checkpoint at size 8 verified before" in capsys.readouterr().err


def test_a_state_file_signed_by_another_key_is_refused(
    source: Source, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    state.write_text(Signer.generate(ORIGIN).sign(checkpoint_body(ORIGIN, 3, bytes(32))))
    args = ["verify", "--bundle", str(source.bundle), "--key", source.key, "--state", str(state)]
    assert main(args) == 1
    (line,) = errors(capsys)
    assert line.startswith(
        f"mingzhang: verify: the state file {state} holds no checkpoint signed by the pinned key"
    )


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("garbage", "it is not three parts joined by +"),
        ("name+12345678+!!!!", "its last part is not base64"),
        ("name+1234+AQID", "its key id 1234 is not 8 hex digits"),
        ("name+12345678+AQID", "its key is 3 bytes, not 33"),
    ],
)
def test_a_malformed_key_is_one_line_and_exit_2_in_every_mode(
    source: Source, key: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    line = f"mingzhang: verify: --key is not a verifier key (<name>+<key id>+<base64>): {reason}"
    for mode in (["--bundle", str(source.bundle)], ["--url", "http://127.0.0.1:9"], []):
        assert main(["verify", *mode, "--key", key]) == 2
        assert errors(capsys) == [line]


def test_the_bundle_format_is_a_header_then_checkpoints_then_entries(source: Source) -> None:
    lines = [json.loads(line) for line in read_lines(source.bundle)]
    assert lines[0] == {
        "format": "mingzhang-log-bundle",
        "version": 1,
        "origin": ORIGIN,
        "public_key": source.key,
        "size": 8,
        "checkpoints": 3,
    }
    assert [note["checkpoint"].split("\n")[1] for note in lines[1:4]] == ["3", "6", "8"]
    assert all(set(entry) == {"leaf"} for entry in lines[4:])
    assert len(lines[4:]) == 8


def test_a_gzipped_bundle_verifies(
    source: Source, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gzipped = tmp_path / "ledger.bundle.gz"
    assert main(["export", str(gzipped)]) == 0
    assert gzipped.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(gzipped.read_bytes()).decode() == source.bundle.read_text()
    assert main(["verify", "--bundle", str(gzipped), "--key", source.key]) == 0


ENTRY = 4  # the first entry line; entry i is line ENTRY + i


def change_a_byte(lines: Lines) -> Lines:
    data = bytearray(base64.b64decode(json.loads(lines[ENTRY + 4])["leaf"]))
    data[-3] ^= 0x01  # inside the event's state, near its end
    lines[ENTRY + 4] = json.dumps({"leaf": base64.b64encode(bytes(data)).decode()}) + "\n"
    return lines


def drop_an_entry(lines: Lines) -> Lines:
    del lines[ENTRY + 4]
    return lines


def add_an_entry(lines: Lines) -> Lines:
    return [*lines, lines[-1]]


def swap_two_entries(lines: Lines) -> Lines:
    lines[ENTRY + 3], lines[ENTRY + 5] = lines[ENTRY + 5], lines[ENTRY + 3]
    return lines


def forge_a_checkpoint(lines: Lines) -> Lines:
    note = json.loads(lines[2])["checkpoint"]
    forged = Signer.generate(ORIGIN).sign(note.split("\n\n")[0] + "\n")
    lines[2] = json.dumps({"checkpoint": forged}) + "\n"
    return lines


def remove_the_checkpoints(lines: Lines) -> Lines:
    header = json.loads(lines[0])
    header["checkpoints"] = 0
    return [json.dumps(header) + "\n", *lines[ENTRY:]]


TAMPERINGS = {
    "a changed byte in an entry": (
        change_a_byte,
        "checkpoint at size 6: its root is not the root of the first 6 entries; the entries"
        " after 3, the last checkpoint that holds, were changed, removed, added or moved",
    ),
    "a dropped entry": (
        drop_an_entry,
        "checkpoint at size 6: its root is not the root of the first 6 entries",
    ),
    "an added entry": (
        add_an_entry,
        "entries 8..8 are beyond the last signed checkpoint (size 8): unsigned",
    ),
    "two swapped entries": (
        swap_two_entries,
        "checkpoint at size 6: its root is not the root of the first 6 entries",
    ),
    "a checkpoint signed by another key": (
        forge_a_checkpoint,
        f"checkpoint at size 6: the note has no signature by {ORIGIN}",
    ),
    "no checkpoints": (remove_the_checkpoints, "no signed checkpoint: the entries are unsigned"),
}


@pytest.fixture(params=list(TAMPERINGS))
def tampered(request: pytest.FixtureRequest, source: Source) -> str:
    tamper, problem = TAMPERINGS[request.param]
    source.bundle.write_text("".join(tamper(read_lines(source.bundle))))
    return problem


def test_a_tampered_bundle_fails_verification_naming_the_problem(
    source: Source, tampered: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--bundle", str(source.bundle), "--key", source.key]) == 1
    assert any(line.startswith(f"mingzhang: verify: {tampered}") for line in errors(capsys))


def test_a_tampered_bundle_is_not_imported(
    source: Source, tampered: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = Database("sqlite", sqlite_path=str(tmp_path / "target" / "ledger.sqlite"))
    source.target(empty)
    assert main(["import", str(source.bundle)]) == 1
    (line,) = errors(capsys)
    assert line.startswith(f"mingzhang: import: refused {source.bundle}")
    assert tampered in line
    assert events_in(empty) == 0


def test_a_bundle_re_signed_by_another_key_holds_only_against_its_own_key(
    source: Source, capsys: pytest.CaptureFixture[str]
) -> None:
    forger = Signer.generate(ORIGIN)
    lines = read_lines(source.bundle)
    header = json.loads(lines[0]) | {"public_key": forger.verifier_key()}
    notes = [json.loads(line)["checkpoint"].split("\n\n")[0] + "\n" for line in lines[1:ENTRY]]
    resigned = [json.dumps({"checkpoint": forger.sign(body)}) + "\n" for body in notes]
    source.bundle.write_text("".join([json.dumps(header) + "\n", *resigned, *lines[ENTRY:]]))
    assert main(["verify", "--bundle", str(source.bundle)]) == 0  # intact, but whose?
    assert main(["verify", "--bundle", str(source.bundle), "--key", source.key]) == 1
    assert f"mingzhang: verify: checkpoint at size 3: the note has no signature by {ORIGIN}" in (
        " ".join(errors(capsys))
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "is empty"),
        ("not json\n", "line 1: the header is not JSON"),
        ('{"format": "something else"}\n', 'line 1: not a bundle (no "format"'),
        (
            '{"format": "mingzhang-log-bundle", "version": 2}\n',
            "line 1: bundle version 2 is not 1",
        ),
    ],
)
def test_a_file_that_is_not_a_bundle_fails_in_one_line(
    tmp_path: Path, content: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "not.bundle"
    path.write_text(content)
    assert main(["verify", "--bundle", str(path)]) == 1
    (line,) = errors(capsys)
    assert problem in line


def test_a_truncated_bundle_fails_naming_the_line(
    source: Source, capsys: pytest.CaptureFixture[str]
) -> None:
    source.bundle.write_text(source.bundle.read_text()[:-10])
    assert main(["verify", "--bundle", str(source.bundle), "--key", source.key]) == 1
    assert errors(capsys) == ["mingzhang: verify: line 12: the file ends inside it"]


def events_in(database: Database) -> int:
    database.prepare()
    ledger = Ledger(env=database.eventsourcing_env())
    try:
        return ledger.head()
    finally:
        ledger.close()


TARGETS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=TARGETS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        return Database("sqlite", sqlite_path=str(tmp_path / "target" / "ledger.sqlite"))
    database: Database = request.getfixturevalue("postgres_schema")
    return database


def test_an_import_gives_the_same_tree_and_disclosure_as_the_source(
    source: Source, empty_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    source.target(empty_database)
    assert main(["import", str(source.bundle), "--key", source.key]) == 0
    out = capsys.readouterr().out
    assert f"imported 8 events into {empty_database.describe()}" in out
    assert f"root at size 8: {source.root.hex()}" in out
    settings = Settings()  # the target's, as `source.target` set them
    ledger, views = open_ledger(settings), open_views(settings)
    try:
        assert root_at(views, 8) == source.root
        assert disclosure_of(views) == source.disclosure
        # The events decode as the ledger's own: the fund is there, with its six donations.
        assert ledger.get_fund(source.fund_id).balance == Money.yuan("6")
    finally:
        ledger.close()
        views.close()
    assert main(["verify"]) == 0  # the imported deployment verifies locally too


def test_an_import_into_a_database_that_holds_events_is_refused(
    source: Source, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = Database("sqlite", sqlite_path=str(tmp_path / "target" / "ledger.sqlite"))
    source.target(database)
    ledger = open_ledger(Settings())
    register(ledger)
    ledger.close()
    assert main(["import", str(source.bundle)]) == 1
    assert errors(capsys) == [
        f"mingzhang: import: refused: the log on {database.describe()} is not empty"
    ]
    assert events_in(database) == 1


def test_a_state_file_that_cannot_be_written_is_one_line(
    source: Source, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A name the file system takes, but not with the temporary file's prefix and suffix added.
    state = tmp_path / ("s" * 250)
    args = ["verify", "--bundle", str(source.bundle), "--key", source.key, "--state", str(state)]
    assert main(args) == 1
    (line,) = errors(capsys)
    assert line.startswith(f"mingzhang: verify: cannot write the state file {state}: ")
