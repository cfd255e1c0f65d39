"""Over real HTTP (`mingzhang serve` in a subprocess, its output read, as tests/api/
test_console_log.py does): a privacy officer who finds a person by ID number (and mistypes one),
opens them, prints a proof and erases them leaves no ID number, name or phone in the server's output,
and its access log names the desk's routes only by their fixed paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.settings import Settings
from cli.compose import open_ledger
from tests.served_console import serve_env, signed_in, tokens
from tests.support import donate, open_fund, person, register, vault_of

ID_CARD = "11010519491231002X"
MISTYPED = "110105194912310021"
NAME = "测试捐赠人辛（虚构）"
PHONE = "13900004444"


def test_the_servers_output_holds_no_id_number_name_or_phone_of_the_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = serve_env(tmp_path, monkeypatch)
    ledger = open_ledger(Settings())
    foundation = register(ledger)
    subject = person(ledger, NAME, owner=foundation, id_card=ID_CARD, phone=PHONE)
    donate(
        ledger, open_fund(ledger, foundation), "10", donor_kind="person", donor_subject_id=subject
    )
    (reference,) = vault_of(ledger).references_of(subject)
    ledger.close()
    with signed_in(tmp_path, env, "privacy_officer") as served:
        http = served.http
        desk = http.get("/console", follow_redirects=True)
        assert desk.url.path == "/console/privacy"
        csrf, _ = tokens(desk)
        sent = {"csrf_token": csrf}
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
    written = served.written()
    assert "POST /console/privacy/find HTTP/1.1" in written, written
    assert "POST /console/privacy/erase HTTP/1.1" in written, written
    for secret in (ID_CARD, ID_CARD.lower(), MISTYPED, NAME, PHONE, served.key.split("_", 2)[2]):
        assert secret not in written, written
    assert not re.search(r"1101051949123100", written), "no part of an ID number"
