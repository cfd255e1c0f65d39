"""`mingzhang verify --url`: a deployment is verified from its static tiles alone (`/tlog/`), over real
HTTP (uvicorn on a free port, a SQLite ledger), against a pinned key and the checkpoint kept last time.
A rewritten log, a rollback, a wrong key, garbage and an unreachable server all fail in lines that
name what and where; only a log that holds advances the state file."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.request import urlopen
from uuid import UUID

import pytest

from api.app import create_app
from cli.main import main
from domain.ledger import Ledger
from projections.runner import Runner
from storage.database import Database
from tests.deployments import ORIGIN, deployment, free_port, serving
from tests.support import donate, open_fund, register
from transparency.signed_note import Signer, checkpoint_body


@dataclass
class Server:
    url: str
    signer: Signer
    ledger: Ledger
    runner: Runner
    fund_id: UUID
    sqlite_path: str

    def donate(self, times: int) -> None:
        for _ in range(times):
            donate(self.ledger, self.fund_id, "1")
        assert self.runner.wait_for("transparency", self.ledger.head(), timeout=15), (
            self.runner.failed
        )

    def checkpoint(self) -> str:
        with urlopen(f"{self.url}/transparency/checkpoint") as response:
            text: str = response.read().decode()
            return text


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """The real app served by uvicorn in a thread, with 7 events projected and signed."""
    signer = Signer.generate(ORIGIN)
    database = Database("sqlite", sqlite_path=str(tmp_path / "server" / "ledger.sqlite"))
    app = create_app(deployment(monkeypatch, database, signer, tmp_path / "server"))
    with serving(app) as url:
        ledger = app.state.ledger
        running = Server(
            url,
            signer,
            ledger,
            app.state.runner,
            open_fund(ledger, register(ledger)),
            database.sqlite_path,
        )
        running.donate(5)
        yield running


def verify(
    url: str, key: str, state: Path | None, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str]]:
    """Exit status and the `mingzhang:` lines (one per problem) of `mingzhang verify --url`."""
    state_args = ["--state", str(state)] if state else []
    status = main(["verify", "--url", url, "--key", key, *state_args])
    lines = capsys.readouterr().err.splitlines()
    return status, [line for line in lines if line.startswith("mingzhang:")]


def test_a_good_log_verifies_and_its_checkpoint_is_kept(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    assert verify(server.url, server.signer.verifier_key(), state, capsys) == (0, [])
    assert state.read_text() == server.checkpoint()
    assert state.read_text().split("\n")[1] == "7"


def test_the_state_file_is_kept_per_origin_under_the_home_folder(
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert verify(server.url, server.signer.verifier_key(), None, capsys) == (0, [])
    kept = tmp_path / "home" / ".mingzhang" / "verify-state" / "mingzhang.test_ledger"
    assert kept.read_text() == server.checkpoint()


def test_a_grown_log_verifies_as_consistent_with_the_kept_checkpoint_and_advances_it(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, key = tmp_path / "state", server.signer.verifier_key()
    assert verify(server.url, key, state, capsys)[0] == 0
    server.donate(3)
    status = main(["verify", "--url", server.url, "--key", key, "--state", str(state)])
    assert status == 0
    assert "at size 10, consistent with size 7 verified before" in capsys.readouterr().err
    assert state.read_text() == server.checkpoint()


def test_a_checkpoint_not_signed_by_the_pinned_key_fails(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, other = tmp_path / "state", Signer.generate(ORIGIN).verifier_key()
    status, problems = verify(server.url, other, state, capsys)
    assert status == 1
    assert problems == [
        f"mingzhang: verify: the latest checkpoint from {server.url}: the note has no signature"
        f" by {ORIGIN} (pinned key {'+'.join(other.split('+')[:2])})"
    ]
    assert not state.exists()


def test_a_log_rewritten_behind_the_servers_back_fails_loudly(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, key = tmp_path / "state", server.signer.verifier_key()
    assert verify(server.url, key, state, capsys)[0] == 0
    kept = state.read_text()
    # An operator with database access changes a donation and re-projects the tree: the server now
    # signs, with its real key, a tree whose first 7 entries are not the ones verified before.
    with sqlite3.connect(server.sqlite_path) as db:
        db.execute(
            "UPDATE stored_events SET state = CAST(REPLACE(CAST(state AS TEXT),"
            """ '"amount_fen":100,', '"amount_fen":999,') AS BLOB) WHERE rowid = 5"""
        )
    server.runner.stop()  # from here on, `wait_for` runs the projection in this thread
    server.runner.rebuild("transparency")
    server.donate(2)
    status, problems = verify(server.url, key, state, capsys)
    assert status == 1
    inconsistent = (
        "mingzhang: verify: checkpoint at size 9 is not consistent with the one verified before"
        " at size 7"
    )
    assert problems == [
        f"{inconsistent}: the first 7 entries now have another root",
        f"{inconsistent}: the log's consistency proof does not verify",
    ]
    assert state.read_text() == kept


def test_a_log_shorter_than_its_signed_checkpoint_is_named_as_such(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(server.sqlite_path) as db:
        db.execute("DELETE FROM stored_events WHERE rowid = 7")
    status, problems = verify(server.url, server.signer.verifier_key(), tmp_path / "state", capsys)
    assert (status, problems) == (
        1,
        [
            "mingzhang: verify: the log does not serve tile/entries/000.p/7 (entries 0..6), which"
            f" its signed checkpoint covers: {server.url}/tlog/tile/entries/000.p/7 answered 503 Service"
            " Unavailable"
        ],
    )
    assert not (tmp_path / "state").exists()


def test_a_checkpoint_kept_over_another_tree_fails(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    state.write_text(server.signer.sign(checkpoint_body(ORIGIN, 4, bytes(32))))
    status, problems = verify(server.url, server.signer.verifier_key(), state, capsys)
    assert status == 1
    assert problems[0] == (
        "mingzhang: verify: checkpoint at size 7 is not consistent with the one verified before"
        " at size 4: the first 4 entries now have another root"
    )


def test_a_smaller_tree_than_the_one_verified_before_is_a_rollback(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    kept = server.signer.sign(checkpoint_body(ORIGIN, 99, bytes(32)))
    state.write_text(kept)
    status, problems = verify(server.url, server.signer.verifier_key(), state, capsys)
    assert status == 1
    assert problems == [
        "mingzhang: verify: rollback: the latest checkpoint is at size 7, smaller than the one"
        f" verified before at size 99 (state file {state})"
    ]
    assert state.read_text() == kept


def test_a_state_file_not_signed_by_the_pinned_key_fails(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    state.write_text(Signer.generate(ORIGIN).sign(checkpoint_body(ORIGIN, 3, bytes(32))))
    status, problems = verify(server.url, server.signer.verifier_key(), state, capsys)
    assert status == 1
    assert problems[0].startswith(
        f"mingzhang: verify: the state file {state} holds no checkpoint signed by the pinned key"
    )


def test_an_unreachable_server_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there any more
    key = Signer.generate(ORIGIN).verifier_key()
    status, lines = verify(url, key, tmp_path / "state", capsys)
    assert status == 1
    (line,) = lines
    assert line.startswith(f"mingzhang: verify: cannot reach {url}/tlog/checkpoint: ")


def test_a_server_answering_other_than_200_is_one_line(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{server.url}/nowhere"
    status, lines = verify(url, server.signer.verifier_key(), tmp_path / "state", capsys)
    assert (status, lines) == (
        1,
        [f"mingzhang: verify: {url}/tlog/checkpoint answered 404 Not Found"],
    )


@pytest.fixture
def garbage_server() -> Iterator[tuple[str, Signer]]:
    """A hostile server: a well-signed checkpoint for 2 entries, and tiles that are not tiles."""
    signer = Signer.generate(ORIGIN)
    note = signer.sign(checkpoint_body(ORIGIN, 2, bytes(32))).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = note if self.path == "/tlog/checkpoint" else b"{not json"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    http = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_address[1]}", signer
    http.shutdown()
    http.server_close()


def test_malformed_answers_are_a_verification_failure_not_a_traceback(
    garbage_server: tuple[str, Signer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, signer = garbage_server
    status, problems = verify(url, signer.verifier_key(), tmp_path / "state", capsys)
    assert (status, problems) == (
        1,
        [
            f"mingzhang: verify: malformed answer: {url}/tlog/tile/entries/000.p/2: entry 0 of the"
            " bundle runs past its end (31598 bytes at 2)"
        ],
    )
    assert not (tmp_path / "state").exists()


def test_a_hash_tile_that_is_not_the_tree_of_the_entries_fails(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A stored leaf hash changed: the entries still give the signed root, the tile does not.
    views = Path(server.sqlite_path).with_name("ledger.views.sqlite")
    with sqlite3.connect(views) as db:
        db.execute("UPDATE tlog_hashes SET hash = ? WHERE level = 0 AND idx = 2", (bytes(32),))
    status, problems = verify(server.url, server.signer.verifier_key(), tmp_path / "state", capsys)
    assert (status, problems) == (
        1,
        [
            f"mingzhang: verify: hash tile tile/0/000.p/7 from {server.url}/tlog/ does not hold"
            " the hashes of the entries the log serves: its stored tree is not the tree of its"
            " entries"
        ],
    )
    assert not (tmp_path / "state").exists()
