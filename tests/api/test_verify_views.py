"""`mingzhang verify --url URL --key KEY --views`: every public answer a deployment serves is re-derived
from its public entries alone, over real HTTP (uvicorn on a free port, a SQLite ledger filled with the
demo), and the first row and field that differ are named."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from psycopg import sql

from api.app import create_app
from api.schemas.common import yuan
from cli import verify_views as views_check
from cli.main import main
from demo.generator import fill
from domain.ledger import Ledger
from projections.runner import Runner
from storage.database import Database
from tests.api.conftest import ON_BOTH
from tests.deployments import ORIGIN, deployment, serving
from tests.support import donate
from transparency.signed_note import Signer

DEMO_EVENTS = 400


@dataclass
class Served:
    url: str
    signer: Signer
    ledger: Ledger
    runner: Runner
    database: Database


@pytest.fixture
def served(
    backend_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Served]:
    """The real app served by uvicorn in a thread, holding a small demo ledger, projected and
    signed."""
    signer = Signer.generate(ORIGIN)
    app = create_app(deployment(monkeypatch, backend_database, signer, tmp_path / "server"))
    with serving(app) as url:
        ledger, runner = app.state.ledger, app.state.runner
        fill(ledger, events=DEMO_EVENTS, seed=2021, progress=None)
        for view in ("disclosure", "indicators", "transparency"):
            assert runner.wait_for(view, ledger.head(), timeout=60), runner.failed
        yield Served(url, signer, ledger, runner, backend_database)


def behind_its_back(served: Served, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Run SQL on the server's views directly, as an insider with database access would."""
    if served.database.backend == "sqlite":
        path = Path(served.database.sqlite_path)
        with sqlite3.connect(path.with_name(path.stem + ".views.sqlite")) as db:
            return db.execute(statement, params).fetchall()
    with served.database.connect() as conn:
        conn.execute(
            sql.SQL("SET search_path TO {}").format(sql.Identifier(served.database.schema))
        )
        cursor = conn.execute(statement.replace("?", "%s"), params)
        return cursor.fetchall() if cursor.description else []


def verify_views(
    server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
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


@ON_BOTH
def test_an_honest_served_ledger_is_re_derived_from_its_entries_and_passes(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, problems, err = verify_views(served, tmp_path, capsys)
    assert (status, problems) == (0, [])
    head = served.ledger.head()
    assert re.search(
        rf"verified {re.escape(served.url)}: \d+ public answers \(\d+ rows\) re-derived from the"
        rf" log \(disclosure at position {head}, indicators at position {head}\) in [\d.]+ s",
        err,
    ), err


def test_verifying_the_views_from_inside_a_running_event_loop_still_re_derives_them(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A notebook, or a test process whose browser driver holds a loop, calls verify with an
    event loop already running on its thread."""

    async def verify_inside_a_loop() -> tuple[int, list[str], str]:
        return verify_views(served, tmp_path, capsys)

    status, problems, err = asyncio.run(verify_inside_a_loop())

    assert (status, problems) == (0, []), err


@ON_BOTH
def test_an_edited_fund_balance_in_the_servers_views_is_named_by_fund_and_field(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fund_id, balance = behind_its_back(
        served, "SELECT fund_id, balance_fen FROM disclosure_funds ORDER BY opened_on, fund_id"
    )[0]
    behind_its_back(
        served,
        "UPDATE disclosure_funds SET balance_fen = balance_fen + 10000 WHERE fund_id = ?",
        (fund_id,),
    )
    status, problems, _ = verify_views(served, tmp_path, capsys)
    assert status == 1
    assert problems == [
        f"mingzhang: verify: /disclosure/funds: fund {fund_id} field balance:"
        f" served {yuan(balance + 10000)}, the log gives {yuan(balance)}"
    ]


@ON_BOTH
def test_edited_indicator_facts_in_the_servers_views_are_named(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ((pairings,),) = behind_its_back(served, "SELECT COUNT(*) FROM indicators_pairings")
    behind_its_back(served, "DELETE FROM indicators_pairings")
    assert pairings > 0
    status, problems, _ = verify_views(served, tmp_path, capsys)
    assert status == 1
    assert len(problems) == 1
    assert re.fullmatch(
        r"mingzhang: verify: /disclosure/indicators field pairings: served 0 entries,"
        r" the log gives \d+",
        problems[0],
    ), problems


@ON_BOTH
def test_views_ahead_of_the_last_checkpoint_are_compared_and_the_unsigned_entries_are_named(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = served.ledger.head()
    behind_its_back(served, "DELETE FROM tlog_checkpoints WHERE size = ?", (head,))
    ((signed,),) = behind_its_back(served, "SELECT MAX(size) FROM tlog_checkpoints")
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


def test_a_deployment_that_moves_during_the_walk_is_walked_again_at_its_new_position(
    served: Served,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    head = served.ledger.head()
    walked_at: list[int] = []
    ((fund_id,),) = behind_its_back(
        served, "SELECT fund_id FROM disclosure_funds WHERE closed_on IS NULL ORDER BY fund_id"
    )[:1]
    walk = views_check._walk

    def walk_while_a_donation_lands(base: str, replica: Any, report: Any) -> str | None:
        if not walked_at:  # the deployment moves once the walk has read its position
            donate(served.ledger, UUID(fund_id), "1", received_on=served.ledger.today())
            for view in ("disclosure", "indicators"):
                assert served.runner.wait_for(view, head + 1, timeout=30)
        walked_at.append(report.positions["disclosure"])
        found: str | None = walk(base, replica, report)
        return found

    monkeypatch.setattr(views_check, "_walk", walk_while_a_donation_lands)
    status, problems, _ = verify_views(served, tmp_path, capsys)
    assert (status, problems) == (0, [])
    assert walked_at == [head, head + 1]
