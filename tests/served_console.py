"""`mingzhang serve` in a subprocess with its output kept, signed in to the console over real HTTP
with a key from `mingzhang keys create`: for the tests that read everything the server wrote for
what must never be in it (a key, a person's details). `serve_env` makes the deployment's settings
(and sets them for the test, so it can seed the ledger first with `open_ledger(Settings())`);
`signed_in` starts the server, signs in, and stops the server when the block ends."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from tests.api.test_end_to_end import free_port
from tests.deployments import VAULT_KEY

MINGZHANG = str(Path(sys.executable).with_name("mingzhang"))
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
COMMAND = re.compile(r'name="command_id" value="([^"]+)"')


@dataclass(frozen=True)
class Served:
    http: httpx.Client  # signed in: the session's cookie is in it
    key: str
    log: Path  # everything the server wrote, stdout and stderr

    def written(self) -> str:
        return self.log.read_text()


def serve_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {
        "MINGZHANG_DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite'}",
        "MINGZHANG_VAULT_KEY": VAULT_KEY,
        "MINGZHANG_VAR_DIR": str(tmp_path),
        "MINGZHANG_TODAY": "2024-06-01",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return {**os.environ, **env}


def tokens(page: httpx.Response) -> tuple[str, str | None]:
    """A console page's CSRF token and, on a form, its command id."""
    csrf, command = TOKEN.search(page.text), COMMAND.search(page.text)
    assert csrf is not None, page.text
    return csrf.group(1), command.group(1) if command is not None else None


@contextmanager
def signed_in(
    tmp_path: Path, env: dict[str, str], role: str, foundation: UUID | None = None
) -> Iterator[Served]:
    made = [MINGZHANG, "keys", "create", "--role", role]
    if foundation is not None:
        made += ["--foundation", str(foundation)]
    key = subprocess.run(
        made, env=env, capture_output=True, text=True, timeout=60, check=True
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
            csrf, _ = tokens(http.get("/console/sign-in"))
            answer = http.post("/console/sign-in", data={"csrf_token": csrf, "key": key})
            assert answer.status_code == 303, answer.text
            yield Served(http, key, log)
        finally:
            process.terminate()
            process.wait(timeout=15)
