"""`mingzhang rebuild` and `mingzhang project`, run as a user would, against a SQLite ledger on disk."""

from __future__ import annotations

import base64
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from api.settings import Settings
from cli.compose import open_ledger
from tests.support import donate, open_fund, register
from transparency.signed_note import Signer

MINGZHANG = str(Path(sys.executable).with_name("mingzhang"))


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "MINGZHANG_DATABASE_URL": f"sqlite:///{tmp_path}/ledger.sqlite",
        "MINGZHANG_VAULT_KEY": base64.b64encode(bytes(32)).decode(),
        "MINGZHANG_VAR_DIR": str(tmp_path),
        "MINGZHANG_SIGNING_KEY": Signer.generate("mingzhang.local/ledger").encode(),
    }
    settings = Settings(
        database_url=env["MINGZHANG_DATABASE_URL"], vault_key=env["MINGZHANG_VAULT_KEY"]
    )
    ledger = open_ledger(settings)
    fund_id = open_fund(ledger, register(ledger))
    for _ in range(3):
        donate(ledger, fund_id, "10")
    ledger.close()
    return env


def positions(tmp_path: Path) -> dict[str, int]:
    """Each view's position; none while the process has not yet made the tracking table."""
    with contextlib.closing(sqlite3.connect(tmp_path / "ledger.views.sqlite")) as db:
        try:
            return dict(db.execute("SELECT view, position FROM view_tracking").fetchall())
        except sqlite3.OperationalError:
            return {}


def test_rebuild_replays_every_view_and_reports_progress(
    environment: dict[str, str], tmp_path: Path
) -> None:
    result = subprocess.run(
        [MINGZHANG, "rebuild"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "events/s" in result.stderr
    assert "rebuilt history from 5 events" in result.stderr
    assert positions(tmp_path) == {
        "disclosure": 5,
        "history": 5,
        "indicators": 5,
        "transparency": 5,
    }


def test_rebuilding_an_unknown_view_is_one_line_and_exit_2(environment: dict[str, str]) -> None:
    result = subprocess.run(
        [MINGZHANG, "rebuild", "gossip"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "unknown view 'gossip'" in result.stderr


def test_project_follows_the_log_and_stops_cleanly_on_sigterm(
    environment: dict[str, str], tmp_path: Path
) -> None:
    process = subprocess.Popen(
        [MINGZHANG, "project"], env=environment, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            # Each view commits on its own, so wait until every one has reached the head.
            if (tmp_path / "ledger.views.sqlite").exists() and set(
                positions(tmp_path).values()
            ) == {5}:
                break
            time.sleep(0.1)
        assert positions(tmp_path) == {
            "disclosure": 5,
            "history": 5,
            "indicators": 5,
            "transparency": 5,
        }
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert process.stderr is not None
        assert "projection stopped" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=15)
        if process.stderr is not None:
            process.stderr.close()


def test_the_checkpoints_open_with_the_key_mingzhang_keys_prints(
    environment: dict[str, str], tmp_path: Path
) -> None:
    from transparency.signed_note import open_note

    assert subprocess.run([MINGZHANG, "rebuild"], env=environment, timeout=60).returncode == 0
    key = subprocess.run(
        [MINGZHANG, "keys", "signing"], env=environment, capture_output=True, text=True, timeout=60
    ).stdout.strip()
    with sqlite3.connect(tmp_path / "ledger.views.sqlite") as db:
        size, note = db.execute(
            "SELECT size, note FROM tlog_checkpoints ORDER BY size DESC"
        ).fetchone()
    assert size == 5
    assert open_note(note, key).startswith("mingzhang.local/ledger\n5\n")


def test_verify_passes_on_an_untouched_ledger_and_names_the_position_of_a_changed_event(
    environment: dict[str, str], tmp_path: Path
) -> None:
    assert subprocess.run([MINGZHANG, "rebuild"], env=environment, timeout=60).returncode == 0
    fine = subprocess.run(
        [MINGZHANG, "verify"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert fine.returncode == 0, fine.stderr
    assert "verified 5 events (all covered by the checkpoint at size 5) and 1 checkpoints" in (
        fine.stderr
    )
    with sqlite3.connect(tmp_path / "ledger.sqlite") as db:
        db.execute(
            "UPDATE stored_events SET state = CAST(REPLACE(CAST(state AS TEXT), '1000', '9000') AS BLOB)"
            " WHERE rowid = 4"
        )
    tampered = subprocess.run(
        [MINGZHANG, "verify"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert tampered.returncode == 1
    assert "mingzhang: verify: position 4: an event was changed" in tampered.stderr
