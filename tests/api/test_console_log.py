"""Over real HTTP (`mingzhang serve` in a subprocess, its output read): signing in to the console and
recording a donation from a named person leave neither the API key nor the donor's details in the
server's output, and the access log names the console's route templates, as every route's."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Settings
from cli.compose import open_ledger
from tests.served_console import serve_env, signed_in, tokens
from tests.support import open_fund, register

DONOR = {"donor_name": "测试捐赠人丁（虚构）", "donor_phone": "13900002222"}


def test_the_servers_output_holds_neither_the_key_nor_the_donors_details(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = serve_env(tmp_path, monkeypatch)
    ledger = open_ledger(Settings())
    foundation = register(ledger)
    fund = open_fund(ledger, foundation)
    ledger.close()
    with signed_in(tmp_path, env, "staff", foundation) as served:
        path = f"/console/foundations/{foundation}/forms/donation"
        opened = served.http.get(path, follow_redirects=True)
        assert opened.status_code == 200, opened.text
        csrf, command = tokens(opened)
        sent = served.http.post(
            path,
            data={
                "csrf_token": csrf,
                "command_id": command,
                "fund_id": str(fund),
                "amount": "10.00",
                "received_on": "2024-05-01",
                "donor_kind": "person",
                "publish_name": "1",
                **DONOR,
            },
        )
        assert sent.status_code == 201, sent.text
    written = served.written()
    assert "POST /console/sign-in HTTP/1.1" in written, written
    assert "POST /console/foundations/{foundation_id}/forms/{name} HTTP/1.1" in written, written
    key = served.key
    for secret in (key, key.split("_", 2)[2], *DONOR.values()):
        assert secret not in written, written
