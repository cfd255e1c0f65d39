"""Over real HTTP (`mingzhang serve` in a subprocess, its output read, as tests/api/
test_console_log.py does): a privacy officer who finds a person by ID number (and mistypes one),
opens them, prints a proof and erases them leaves no ID number, name or phone in the server's output,
and its access log names the desk's routes only by their fixed paths."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from cli.compose import open_ledger
from tests.api.test_console_log import MINGZHANG, TOKEN
from tests.api.test_end_to_end import free_port
from tests.deployments import VAULT_KEY
from tests.support import donate, open_fund, person, register, vault_of

ID_CARD = "11010519491231002X"
MISTYPED = "110105194912310021"
NAME = "测试捐赠人辛（虚构）"
PHONE = "13900004444"


def test_the_servers_output_holds_no_id_number_name_or_phone_of_the_person(
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
    subject = person(ledger, NAME, owner=foundation, id_card=ID_CARD, phone=PHONE)
    donate(
        ledger, open_fund(ledger, foundation), "10", donor_kind="person", donor_subject_id=subject
    )
    (reference,) = vault_of(ledger).references_of(subject)
    ledger.close()
    env = {**os.environ, **env}
    key = subprocess.run(
        [MINGZHANG, "keys", "create", "--role", "privacy_officer"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
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
            desk = http.get("/console", follow_redirects=True)
            assert desk.url.path == "/console/privacy"
            csrf = TOKEN.search(desk.text)
            assert csrf is not None
            sent = {"csrf_token": csrf.group(1)}
            steps = [
                ("/console/privacy/find", {"by": "id_card", "id_card": MISTYPED}, 422),
                ("/console/privacy/find", {"by": "id_card", "id_card": ID_CARD}, 200),
                ("/console/privacy/proof", {"reference": str(reference)}, 200),
                ("/console/privacy/erase/confirm", {"subject_id": str(subject)}, 200),
                ("/console/privacy/erase", {"subject_id": str(subject)}, 200),
            ]
            for path, fields, status in steps:
                answer = http.post(path, data={**sent, **fields})
                assert answer.status_code == status, (path, answer.text)
            after = http.post(
                "/console/privacy/find",
                data={**sent, "by": "reference", "reference": str(reference)},
            )
            assert after.status_code == 409, after.text  # erased: nothing of the person is left
            assert NAME not in after.text
        finally:
            process.terminate()
            process.wait(timeout=15)
    written = log.read_text()
    assert "POST /console/privacy/find HTTP/1.1" in written, written
    assert "POST /console/privacy/erase HTTP/1.1" in written, written
    for secret in (ID_CARD, ID_CARD.lower(), MISTYPED, NAME, PHONE, key.split("_", 2)[2]):
        assert secret not in written, written
    assert not re.search(r"1101051949123100", written), "no part of an ID number"
