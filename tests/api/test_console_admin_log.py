"""Over real HTTP (`mingzhang serve` in a subprocess, its output read), as tests/api/
test_console_log.py does for the staff: an admin issuing a key through the console leaves neither
their own key nor the new one's secret in the server's output, and the access log names the admin
form's route template, not the address it was sent to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.settings import Settings
from cli.compose import open_ledger
from tests.served_console import serve_env, signed_in, tokens
from tests.support import register

SECRET = re.compile(r"mzk_[0-9a-f]{32}_[A-Za-z0-9_-]+")


def test_the_servers_output_holds_no_key_the_admin_used_or_issued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = serve_env(tmp_path, monkeypatch)
    ledger = open_ledger(Settings())
    foundation = register(ledger)
    ledger.close()
    with signed_in(tmp_path, env, "admin") as served:
        opened = served.http.get("/console/admin/forms/key", follow_redirects=True)
        assert opened.status_code == 200, opened.text
        csrf, command = tokens(opened)
        sent = served.http.post(
            "/console/admin/forms/key",
            data={
                "csrf_token": csrf,
                "command_id": command,
                "role": "staff",
                "foundation_id": str(foundation),
            },
        )
        assert sent.status_code == 201, sent.text
        issued = SECRET.search(sent.text)
        assert issued is not None
    written = served.written()
    assert "POST /console/admin/forms/{name} HTTP/1.1" in written, written
    key, new = served.key, issued.group(0)
    for secret in (key, key.split("_", 2)[2], new, new.split("_", 2)[2]):
        assert secret not in written, written
