"""`mingzhang verify --url URL --key KEY --views`: every public answer a deployment serves is re-derived
from its public entries alone, over real HTTP (uvicorn on a free port, a SQLite ledger filled with the
demo), and the first row and field that differ are named."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
import uvicorn

from api.app import create_app
from api.schemas.common import yuan
from cli.main import main
from demo.generator import fill
from storage.database import Database
from tests.api.test_remote_verify import Server, free_port
from tests.deployments import ORIGIN, deployment
from transparency.signed_note import Signer

DEMO_EVENTS = 400


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """The real app served by uvicorn in a thread, holding a small demo ledger, projected and
    signed."""
    signer = Signer.generate(ORIGIN)
    database = Database("sqlite", sqlite_path=str(tmp_path / "server" / "ledger.sqlite"))
    app = create_app(deployment(monkeypatch, database, signer, tmp_path / "server"))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    ledger, runner = app.state.ledger, app.state.runner
    fill(ledger, events=DEMO_EVENTS, seed=2021, progress=None)
    for view in ("disclosure", "indicators", "transparency"):
        assert runner.wait_for(view, ledger.head(), timeout=60), runner.failed
    (fund_id,) = app.state.views.execute("SELECT fund_id FROM disclosure_funds LIMIT 1")[0]
    try:
        yield Server(
            f"http://127.0.0.1:{port}", signer, ledger, runner, UUID(fund_id), database.sqlite_path
        )
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def views_of(server: Server) -> sqlite3.Connection:
    """The server's views, opened behind its back, as an insider with file access would."""
    path = Path(server.sqlite_path)
    return sqlite3.connect(path.with_name(path.stem + ".views.sqlite"))


def verify_views(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str], str]:
    status = main(
        [
            "verify",
            "--url",
            server.url,
            "--key",
            server.signer.verifier_key(),
            "--state",
            str(tmp_path / "state"),
            "--views",
        ]
    )
    err = capsys.readouterr().err
    return status, [line for line in err.splitlines() if line.startswith("mingzhang:")], err


def test_an_honest_served_ledger_is_re_derived_from_its_entries_and_passes(
    served: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, problems, err = verify_views(served, tmp_path, capsys)
    assert (status, problems) == (0, [])
    head = served.ledger.head()
    assert re.search(
        rf"verified {re.escape(served.url)}: \d+ public answers \(\d+ rows\) re-derived from the"
        rf" log \(disclosure at position {head}, indicators at position {head}\) in [\d.]+ s",
        err,
    ), err


def test_an_edited_fund_balance_in_the_servers_views_is_named_by_fund_and_field(
    served: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with views_of(served) as db:
        fund_id, balance = db.execute(
            "SELECT fund_id, balance_fen FROM disclosure_funds ORDER BY opened_on, fund_id LIMIT 1"
        ).fetchone()
        db.execute(
            "UPDATE disclosure_funds SET balance_fen = balance_fen + 10000 WHERE fund_id = ?",
            (fund_id,),
        )
    status, problems, _ = verify_views(served, tmp_path, capsys)
    assert status == 1
    assert problems == [
        f"mingzhang: verify: /disclosure/funds: fund {fund_id} field balance:"
        f" served {yuan(balance + 10000)}, the log gives {yuan(balance)}"
    ]


def test_edited_indicator_facts_in_the_servers_views_are_named(
    served: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with views_of(served) as db:
        (pairings,) = db.execute("SELECT COUNT(*) FROM indicators_pairings").fetchone()
        db.execute("DELETE FROM indicators_pairings")
    assert pairings > 0
    status, problems, _ = verify_views(served, tmp_path, capsys)
    assert status == 1
    assert len(problems) == 1
    assert re.fullmatch(
        r"mingzhang: verify: /disclosure/indicators field pairings: served 0 entries,"
        r" the log gives \d+",
        problems[0],
    ), problems


def test_views_ahead_of_the_last_checkpoint_are_compared_and_the_unsigned_entries_are_named(
    served: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = served.ledger.head()
    with views_of(served) as db:
        db.execute("DELETE FROM tlog_checkpoints WHERE size = ?", (head,))
        (signed,) = db.execute("SELECT MAX(size) FROM tlog_checkpoints").fetchone()
    assert 0 < signed < head
    status, problems, err = verify_views(served, tmp_path, capsys)
    assert (status, problems) == (0, [])
    assert (
        f"verify: note: the views are at position {head}; entries {signed + 1} to {head} are not"
        " covered by a signed checkpoint yet" in err.splitlines()
    )


def test_views_without_a_url_is_a_bad_argument(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--views"]) == 2
    assert capsys.readouterr().err == "mingzhang: verify: --views goes with --url\n"
