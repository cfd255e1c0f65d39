"""Over real HTTP (`mingzhang serve` in a subprocess, its output read), as tests/api/
test_console_log.py does for the staff: an admin issuing a key through the console leaves neither
their own key nor the new one's secret in the server's output, and the access log names the admin
form's route template, not the address it was sent to."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from cli.compose import open_ledger
from tests.api.test_end_to_end import free_port
from tests.deployments import VAULT_KEY
from tests.support import register

MINGZHANG = str(Path(sys.executable).with_name("mingzhang"))
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
COMMAND = re.compile(r'name="command_id" value="([^"]+)"')
SECRET = re.compile(r"mzk_[0-9a-f]{32}_[A-Za-z0-9_-]+")


def test_the_servers_output_holds_no_key_the_admin_used_or_issued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        "MINGZHANG_DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite'}",
        "MINGZHANG_VAULT_KEY": VAULT_KEY,
        "MINGZHANG_VAR_DIR": str(tmp_path),
        "MINGZHANG_TODAY": "2024-06-01",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    ledger = open_ledger(Settings())
    foundation = register(ledger)
    ledger.close()
    env = {**os.environ, **env}
    key = subprocess.run(
        [MINGZHANG, "keys", "create", "--role", "admin"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert key.startswith("mzk_")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [MINGZHANG, "serve", "--port", str(port)], env=env, stdout=output, stderr=output
        )
        try:
            http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
            deadline = time.monotonic() + 30
            while True:
                try:
                    http.get("/health")
                    break
                except httpx.TransportError:
                    assert process.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "the server did not start in 30 s"
                    time.sleep(0.1)
            form = http.get("/console/sign-in")
            token = TOKEN.search(form.text)
            assert token is not None
            signed = http.post("/console/sign-in", data={"csrf_token": token.group(1), "key": key})
            assert signed.status_code == 303, signed.text
            opened = http.get("/console/admin/forms/key", follow_redirects=True)
            assert opened.status_code == 200, opened.text
            csrf, command = TOKEN.search(opened.text), COMMAND.search(opened.text)
            assert csrf is not None
            assert command is not None
            sent = http.post(
                "/console/admin/forms/key",
                data={
                    "csrf_token": csrf.group(1),
                    "command_id": command.group(1),
                    "role": "staff",
                    "foundation_id": str(foundation),
                },
            )
            assert sent.status_code == 201, sent.text
            issued = SECRET.search(sent.text)
            assert issued is not None
        finally:
            process.terminate()
            process.wait(timeout=15)
    written = log.read_text()
    assert "POST /console/admin/forms/{name} HTTP/1.1" in written, written
    new = issued.group(0)
    for secret in (key, key.split("_", 2)[2], new, new.split("_", 2)[2]):
        assert secret not in written, written
