"""Over real HTTP (`mingzhang serve` in a subprocess, its output read): signing in to the console and
recording a donation from a named person leave neither the API key nor the donor's details in the
server's output, and the access log names the console's route templates, as every route's."""

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
from tests.support import open_fund, register

MINGZHANG = str(Path(sys.executable).with_name("mingzhang"))
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
DONOR = {"donor_name": "测试捐赠人丁（虚构）", "donor_phone": "13900002222"}


def test_the_servers_output_holds_neither_the_key_nor_the_donors_details(
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
    fund = open_fund(ledger, foundation)
    ledger.close()
    env = {**os.environ, **env}
    key = subprocess.run(
        [MINGZHANG, "keys", "create", "--role", "staff", "--foundation", str(foundation)],
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
            opened = http.get(
                f"/console/foundations/{foundation}/forms/donation", follow_redirects=True
            )
            assert opened.status_code == 200, opened.text
            csrf = TOKEN.search(opened.text)
            command = re.search(r'name="command_id" value="([^"]+)"', opened.text)
            assert csrf is not None
            assert command is not None
            sent = http.post(
                f"/console/foundations/{foundation}/forms/donation",
                data={
                    "csrf_token": csrf.group(1),
                    "command_id": command.group(1),
                    "fund_id": str(fund),
                    "amount": "10.00",
                    "received_on": "2024-05-01",
                    "donor_kind": "person",
                    "publish_name": "1",
                    **DONOR,
                },
            )
            assert sent.status_code == 201, sent.text
        finally:
            process.terminate()
            process.wait(timeout=15)
    written = log.read_text()
    assert "POST /console/sign-in HTTP/1.1" in written, written
    assert "POST /console/foundations/{foundation_id}/forms/{name} HTTP/1.1" in written, written
    for secret in (key, key.split("_", 2)[2], *DONOR.values()):
        assert secret not in written, written
