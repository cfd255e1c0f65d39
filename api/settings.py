"""The one `Settings` object, read from `MINGZHANG_*` environment variables.

Start-up with an invalid setting stops with one line naming the variable (see `describe_error`).
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.database import Database
from storage.keys import decode_key, load_or_create_key
from transparency.witness_client import WitnessEntry, parse_witnesses

ENV_PREFIX = "MINGZHANG_"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    database_url: str = Field(
        "sqlite:///./var/mingzhang.sqlite",
        description="Where the event log lives: sqlite:///PATH (default), postgresql://… or memory://",
    )
    lock_timeout_seconds: int = Field(5, ge=1, le=600, description="Wait for a write lock at most")
    host: str = Field("127.0.0.1", description="Address `mingzhang serve` listens on")
    port: int = Field(8000, ge=1, le=65535, description="Port `mingzhang serve` listens on")
    workers: int = Field(1, ge=1, le=64, description="uvicorn worker processes")
    var_dir: Path = Field(
        Path("./var"), description="Where generated keys (and the SQLite default) live"
    )
    vault_key: SecretStr | None = Field(
        None, description="Base64 of the vault's 32-byte master key; generated into var/ when unset"
    )
    signing_key: SecretStr | None = Field(
        None,
        description="The checkpoint signer, PRIVATE+KEY+<name>+<id>+<key>; generated into var/ when unset",
    )
    log_origin: str = Field(
        "mingzhang.local/ledger", min_length=1, description="The transparency log's origin line"
    )
    project_in_process: bool = Field(
        True, description="Keep the views up to date in a thread of the API process"
    )
    read_only: bool = Field(
        False,
        description="Serve reads only, from a hot standby: create nothing, run no projector, refuse "
        "every command with 503 read_only (docs/SCALING.md)",
    )
    designations_max_per_year: int = Field(
        5, ge=1, le=100, description="Most leaders (or observation points) selected in one year"
    )
    ratification_days: int = Field(
        7,
        ge=1,
        le=90,
        description="Days to ratify an emergency relief disbursement made before approval",
    )

    console_session_minutes: int = Field(
        480,
        ge=5,
        le=7 * 24 * 60,
        description="How long a staff console session lasts after signing in, in minutes",
    )

    console_import_max_bytes: int = Field(
        16 * 2**20,
        ge=2**16,
        le=2**28,
        description="Largest spreadsheet the staff console imports (10,000 donation rows: 0.2 MiB XLSX)",
    )

    today: date | None = Field(
        None,
        description="Fix the ledger's date (YYYY-MM-DD) instead of today's in Shanghai: for tests and "
        "demos only",
    )

    max_body_bytes: int = Field(
        65536, ge=1024, le=16 * 1024 * 1024, description="Largest request body the API accepts"
    )

    witnesses: str = Field(
        "",
        description="Witnesses that cosign the checkpoints (C2SP tlog-witness), comma-separated"
        " `URL KEY` entries: the witness's submission prefix and its cosignature/v1 verifier key"
        " (docs/TRANSPARENCY.md, Witnesses)",
    )
    witness_quorum: int | None = Field(
        None,
        ge=1,
        description="Serve the latest checkpoint cosigned by at least this many of the witnesses"
        " (default: all of them); /transparency/checkpoint is a 404 until one is",
    )
    witness_interval_seconds: float = Field(
        1.0, gt=0, le=3600, description="How often each witness is offered the latest checkpoint"
    )

    @field_validator("database_url")
    @classmethod
    def _parses(cls, value: str) -> str:
        Database.parse(value)
        return value

    @field_validator("witnesses")
    @classmethod
    def _witnesses_parse(cls, value: str) -> str:
        parse_witnesses(value)
        return value

    @field_validator("witness_quorum")
    @classmethod
    def _quorum_reachable(cls, value: int | None, info: ValidationInfo) -> int | None:
        configured = len(parse_witnesses(info.data.get("witnesses") or ""))
        if value is not None and value > configured:
            msg = f"a quorum of {value} needs that many witnesses; {configured} are configured"
            raise ValueError(msg)
        return value

    @cached_property
    def witness_list(self) -> list[WitnessEntry]:
        return parse_witnesses(self.witnesses)

    @field_validator("vault_key")
    @classmethod
    def _decodes(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            decode_key(value.get_secret_value(), variable="the key")
        return value

    def vault_master_key(self) -> bytes:
        configured = None if self.vault_key is None else self.vault_key.get_secret_value()
        return load_or_create_key(
            configured, self.var_dir / "vault.key", variable=f"{ENV_PREFIX}VAULT_KEY"
        )

    @cached_property
    def database(self) -> Database:
        return Database.parse(self.database_url)

    def ledger_env(self) -> dict[str, str]:
        """The environment the eventsourcing `Ledger` application is constructed with."""
        return self.database.eventsourcing_env(lock_timeout_seconds=self.lock_timeout_seconds)


def describe_error(error: ValidationError) -> str:
    """One line per bad variable, naming it the way the operator set it."""
    lines = []
    for problem in error.errors():
        name = ENV_PREFIX + "_".join(str(part) for part in problem["loc"]).upper()
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{name}: {message}")
    return "; ".join(lines)
