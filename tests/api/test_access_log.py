"""Over real HTTP (`mingzhang serve` in a subprocess, its output read): the access log names route
templates, never paths, so no subject id, vault reference or query string reaches it. It used to record
`PUT /personal-data/<subject id>` and each proof request for one person's references, seconds apart,
which linked the person's uses and outlived their erasure."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import errors
from tests.api.test_end_to_end import free_port
from tests.deployments import VAULT_KEY

MINGZHANG = str(Path(sys.executable).with_name("mingzhang"))


def test_the_access_log_carries_no_subject_id_reference_or_query_only_route_templates(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "MINGZHANG_DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite'}",
        "MINGZHANG_VAULT_KEY": VAULT_KEY,
        "MINGZHANG_VAR_DIR": str(tmp_path),
        "MINGZHANG_TODAY": "2024-06-01",
    }
    officer = subprocess.run(
        [MINGZHANG, "keys", "create", "--role", "privacy_officer"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    port = free_port()
    log = tmp_path / "serve.log"
    subject, reference, foundation = uuid4(), uuid4(), uuid4()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [MINGZHANG, "serve", "--port", str(port)],
            env=env,
            stdout=output,  # uvicorn writes its access log to stdout
            stderr=output,
        )
        try:
            http = httpx.Client(
                base_url=f"http://127.0.0.1:{port}",
                headers={"Authorization": f"Bearer {officer}"},
                timeout=10,
            )
            deadline = time.monotonic() + 30
            while True:
                try:
                    http.get("/health")
                    break
                except httpx.TransportError:
                    assert process.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "the server did not start in 30 s"
                    time.sleep(0.1)
            person = {"name": "测试人员（虚构）", "phone": "13900001111"}
            assert http.put(f"/personal-data/{subject}", json=person).status_code == 201
            assert http.get(f"/personal-data/{subject}").status_code == 200
            assert http.get(f"/personal-data/references/{reference}/proof").status_code == 404
            erased = http.delete(f"/personal-data/{subject}", params={"erased_on": "2024-05-01"})
            assert erased.status_code == 200, erased.text
            http.get(f"/disclosure/foundations/{foundation}")
            http.get(f"/no-such-route/{subject}")
        finally:
            process.terminate()
            process.wait(timeout=15)
    written = log.read_text()
    assert "PUT /personal-data/{subject_id} HTTP/1.1" in written, written
    assert "GET /personal-data/references/{reference}/proof HTTP/1.1" in written, written
    assert "DELETE /personal-data/{subject_id} HTTP/1.1" in written, written
    assert "GET unmatched HTTP/1.1" in written, written
    for secret in (str(subject), str(reference), str(foundation), subject.hex, "erased_on"):
        assert secret not in written, written


def test_an_unexpected_error_is_logged_with_the_route_template_not_the_path(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = FastAPI()
    errors.install(app)

    @app.get("/personal-data/{subject_id}")
    def broken(subject_id: str) -> None:
        raise RuntimeError("a bug")

    subject = uuid4()
    with caplog.at_level("ERROR", logger="mingzhang.api"):
        answer = TestClient(app, raise_server_exceptions=False).get(f"/personal-data/{subject}")
    assert answer.status_code == 500
    assert "unexpected error on GET /personal-data/{subject_id}" in caplog.text
    assert str(subject) not in caplog.text
