"""A deployment for command-line tests: its `Settings`, and the same settings as the `MINGZHANG_*`
environment `mingzhang` reads, so `cli.main.main` runs against exactly the database a test filled."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

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
