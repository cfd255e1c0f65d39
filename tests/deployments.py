"""A deployment for command-line tests: its `Settings`, and the same settings as the `MINGZHANG_*`
environment `mingzhang` reads, so `cli.main.main` runs against exactly the database a test filled;
and `serving`, the real app over real HTTP (uvicorn on a free loopback port, in a thread)."""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api.settings import Settings
from storage.database import Database
from transparency.signed_note import Signer

ORIGIN = "mingzhang.test/ledger"
VAULT_KEY = base64.b64encode(bytes(32)).decode()


def url_of(database: Database) -> str:
    """The MINGZHANG_DATABASE_URL that names `database`."""
    if database.backend == "memory":
        return "memory://"
    if database.backend == "sqlite":
        return f"sqlite:///{database.sqlite_path}"
    return (
        f"postgresql://{database.user}@{database.host}:{database.port}/{database.dbname}"
        f"?schema={database.schema}"
    )


def deployment(
    monkeypatch: pytest.MonkeyPatch, database: Database, signer: Signer, var_dir: Path
) -> Settings:
    """Point `mingzhang` at `database`, signing with `signer`; returns the same settings."""
    env = {
        "MINGZHANG_DATABASE_URL": url_of(database),
        "MINGZHANG_VAULT_KEY": VAULT_KEY,
        "MINGZHANG_SIGNING_KEY": signer.encode(),
        "MINGZHANG_VAR_DIR": str(var_dir),
        "MINGZHANG_LOG_ORIGIN": ORIGIN,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """`app` served by uvicorn on loopback in a thread, until the block ends; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
