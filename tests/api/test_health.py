"""`GET /health` in process, over real HTTP through uvicorn, and the CLI's one-line start-up errors."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from storage.database import Database
from tests.api.conftest import ON_BOTH, ON_EVERY_BACKEND, Api
from tests.integration.test_stopped_views import an_old_event_the_disclosure_cannot_apply
from tests.integration.test_verify import rewrite_history_without_the_key
from tests.support import donate, open_fund, register

MINGZHANG = str(Path(sys.executable).with_name("mingzhang"))
VAULT_KEY = base64.b64encode(bytes(32)).decode()


@ON_EVERY_BACKEND
def test_health_reports_the_backend_and_the_log_head(
    backend_database: Database, tmp_path: Path
) -> None:
    url = {
        "memory": "memory://",
        "sqlite": f"sqlite:///{backend_database.sqlite_path}",
        "postgresql": (
            f"postgresql://{backend_database.user}@{backend_database.host}:{backend_database.port}"
            f"/{backend_database.dbname}?schema={backend_database.schema}"
        ),
    }[backend_database.backend]
    app = create_app(Settings(database_url=url, vault_key=VAULT_KEY, var_dir=tmp_path))
    with TestClient(app) as client:
        body = client.get("/health").json()
        assert (body["status"], body["backend"], body["head"]) == (
            "ok",
            backend_database.backend,
            0,
        )
        assert {v["view"] for v in body["views"]} == {
            "disclosure",
            "history",
            "indicators",
            "transparency",
        }
        register(app.state.ledger)
        assert client.get("/health").json()["head"] == 1
        # The views follow in the background; they catch up without anyone asking.
        # Each view commits its batch in a transaction of its own, so wait for every one.
        for view in app.state.runner.views:
            assert app.state.runner.wait_for(view, 1, timeout=10)
        views = client.get("/health").json()["views"]
        assert all(v["lag"] == 0 and v["error"] is None for v in views), views


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """`mingzhang serve` on the embedded SQLite default, in a fresh working directory."""
    port = free_port()
    env = {**os.environ, "MINGZHANG_PORT": str(port)}
    env.pop("MINGZHANG_DATABASE_URL", None)
    process = subprocess.Popen(
        [MINGZHANG, "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # Generous: on a loaded 2-core machine a first start (keys, schema, views) took over 20 s.
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "mingzhang serve did not answer in 90 s"
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_mingzhang_serve_on_an_empty_ledger_says_how_to_load_the_demo(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "MINGZHANG_PORT": str(port)}
    env.pop("MINGZHANG_DATABASE_URL", None)
    process = subprocess.Popen(
        [MINGZHANG, "serve"], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=10)
    assert "the ledger is empty; load demo data with `make demo`" in errors


def test_mingzhang_serve_answers_health_over_http_on_the_sqlite_default(
    served: str, tmp_path: Path
) -> None:
    response = httpx.get(f"{served}/health", timeout=5)
    assert response.status_code == 200
    assert response.json()["backend"] == "sqlite"
    assert response.json()["head"] == 0
    assert (tmp_path / "var" / "mingzhang.sqlite").exists()
    assert (tmp_path / "var" / "mingzhang.vault.sqlite").exists()
    assert (tmp_path / "var" / "mingzhang.views.sqlite").exists()
    assert (tmp_path / "var" / "vault.key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "var" / "signing.key").stat().st_mode & 0o777 == 0o600


def test_an_invalid_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "MINGZHANG_DATABASE_URL": f"oracle://{uuid4().hex}"}
    result = subprocess.run(
        [MINGZHANG, "serve"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("mingzhang: invalid setting: MINGZHANG_DATABASE_URL: ")


def test_an_unreachable_database_stops_start_up_with_one_line(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    env = {
        **os.environ,
        "MINGZHANG_DATABASE_URL": f"postgresql://nobody@127.0.0.1:{port}/none",
        "MINGZHANG_VAULT_KEY": base64.b64encode(bytes(32)).decode(),
    }
    result = subprocess.run(
        [MINGZHANG, "serve"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        f"mingzhang: cannot serve on postgresql nobody@127.0.0.1:{port}/none: "
    )


@ON_BOTH
def test_a_stopped_view_makes_health_a_503_naming_the_view_its_position_and_error(
    api: Api,
) -> None:
    fund_id = open_fund(api.ledger, register(api.ledger, name="陆家嘴社区基金会"), name="暖心基金")
    bad = an_old_event_the_disclosure_cannot_apply(api.ledger, fund_id)
    deadline = time.monotonic() + 10
    answer = api.client.get("/health")
    while answer.status_code == 200 and time.monotonic() < deadline:  # the views run behind
        time.sleep(0.05)
        answer = api.client.get("/health")

    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "degraded"
    stopped = [v for v in body["views"] if v["error"] is not None]
    assert [(v["view"], v["stopped_at"], v["position"]) for v in stopped] == [
        ("disclosure", bad, bad - 1)
    ]
    assert stopped[0]["error"].isidentifier()  # the error's class, no text from the database
    assert "暖心基金" not in answer.text
    assert "陆家嘴" not in answer.text
    running = [v for v in body["views"] if v["view"] != "disclosure"]
    assert all(v["stopped_at"] is None for v in running)


@ON_BOTH
def test_a_tree_rewritten_under_its_signed_checkpoint_makes_health_a_503_saying_nothing_is_signed(
    api: Api, backend_database: Database
) -> None:
    fund_id = open_fund(api.ledger, api.foundation, name="暖心基金")
    for _ in range(6):
        donate(api.ledger, fund_id, "1")
    state = api.client.app.state  # type: ignore[attr-defined]
    assert state.runner.wait_for("transparency", 8, timeout=15)
    state.runner.stop()  # the attacker works between two batches
    rewrite_history_without_the_key(api.ledger, state.views, backend_database)
    donate(api.ledger, fund_id, "1")
    state.runner.catch_up()

    answer = api.client.get("/health")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "degraded"
    [transparency] = [v for v in body["views"] if v["view"] == "transparency"]
    assert (transparency["error"], transparency["stopped_at"]) == ("InconsistentLog", 9)
    assert transparency["reason"] == (
        "the stored tree is not consistent with the last signed checkpoint (size 8);"
        " nothing more is signed"
    )
    assert all(v["reason"] is None for v in body["views"] if v["view"] != "transparency")
    assert "暖心基金" not in answer.text
    assert "陆家嘴" not in answer.text
