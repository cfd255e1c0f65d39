"""Where the event log lives, from one URL: the embedded SQLite default, PostgreSQL, or memory for tests.

`Database.parse` reads `MINGZHANG_DATABASE_URL`-style URLs and refuses anything else with a sentence
that says what is accepted. `eventsourcing_env` turns the choice into the settings the eventsourcing
library reads (`PERSISTENCE_MODULE`, `SQLITE_DBNAME`, `POSTGRES_*`); `prepare` makes the place ready
(the SQLite file's folder, the PostgreSQL schema). The PostgreSQL views, keys and vault each keep
one connection, given `connect` to open a new one when the server dropped it (a restart).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlparse

import psycopg
from psycopg import sql

from storage.api_keys import ApiKeys
from storage.vault import Vault
from storage.viewdb import ViewDB

Backend = Literal["memory", "sqlite", "postgresql"]

# The advisory lock the processes starting on one PostgreSQL database take while they create tables.
SCHEMA_LOCK = 0x6D696E677A68  # "mingzh"

ACCEPTED = (
    "sqlite:///RELATIVE/PATH, sqlite:////ABSOLUTE/PATH, "
    "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME] or memory://"
)


@dataclass(frozen=True)
class Database:
    backend: Backend
    sqlite_path: str = ""
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = ""

    @classmethod
    def parse(cls, url: str) -> Database:
        parsed = urlparse(url)
        if parsed.scheme == "memory":
            return cls("memory")
        if parsed.scheme == "sqlite":
            if parsed.netloc or not parsed.path.startswith("/") or len(parsed.path) < 2:
                raise ValueError(f"a SQLite URL has three slashes and a file path; use {ACCEPTED}")
            return cls("sqlite", sqlite_path=parsed.path[1:])
        if parsed.scheme in ("postgresql", "postgres"):
            dbname = parsed.path.lstrip("/")
            if not parsed.hostname or not dbname or not parsed.username:
                raise ValueError(
                    f"a PostgreSQL URL needs a user, a host and a database; use {ACCEPTED}"
                )
            schema = parse_qs(parsed.query).get("schema", [""])[0]
            if schema and not schema.replace("_", "").isalnum():
                raise ValueError("schema may only use letters, digits and underscores")
            try:
                port = parsed.port or 5432
            except ValueError:
                raise ValueError("the PostgreSQL port must be a number from 1 to 65535") from None
            return cls(
                "postgresql",
                host=parsed.hostname,
                port=port,
                user=unquote(parsed.username),
                password=unquote(parsed.password or ""),
                dbname=dbname,
                schema=schema,
            )
        raise ValueError(f"unsupported scheme {parsed.scheme!r}; use {ACCEPTED}")

    def describe(self) -> str:
        """Where the log is, without the password."""
        if self.backend == "postgresql":
            schema = f" schema {self.schema}" if self.schema else ""
            return f"postgresql {self.user}@{self.host}:{self.port}/{self.dbname}{schema}"
        return f"sqlite {self.sqlite_path}" if self.backend == "sqlite" else "memory"

    def eventsourcing_env(self, *, lock_timeout_seconds: int = 5) -> dict[str, str]:
        if self.backend == "memory":
            return {"PERSISTENCE_MODULE": "storage.ledger_store:MemoryLedgerFactory"}
        if self.backend == "sqlite":
            return {
                "PERSISTENCE_MODULE": "storage.ledger_store:SQLiteLedgerFactory",
                "SQLITE_DBNAME": self.sqlite_path,
                "SQLITE_LOCK_TIMEOUT": str(lock_timeout_seconds),
            }
        env = {
            "PERSISTENCE_MODULE": "storage.ledger_store:PostgresLedgerFactory",
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_LOCK_TIMEOUT": str(lock_timeout_seconds),
            "POSTGRES_CONNECT_TIMEOUT": "5",
            # The pool checks a connection before lending it (one empty round trip): after the
            # server restarted, a connection that sat idle in the pool is replaced instead of
            # failing the first request that borrows it, minutes later (`make stress`).
            "POSTGRES_PRE_PING": "y",
            # The library's default of 5 s ends a session idle inside its transaction: a process
            # paused that long mid-command (CPU stolen from a loaded virtual machine) lost its
            # connection and failed a CI run. A writer that really hangs holding the log's lock is
            # still cut off, after this long; the others meanwhile get `lock_timeout` and a 503.
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
        }
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env

    def prepare(self) -> None:
        """Create what the event store expects to exist already."""
        if self.backend == "sqlite" and self.sqlite_path != ":memory:":
            Path(self.sqlite_path).parent.mkdir(parents=True, exist_ok=True)
        elif self.backend == "postgresql" and self.schema:
            with self.connect() as conn:
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema))
                )

    @contextmanager
    def schema_lock(self) -> Iterator[None]:
        """Serialise the processes that create this database's tables at start-up: uvicorn starts
        its workers at once, and PostgreSQL fails one of two concurrent `CREATE OR REPLACE` of the
        same function ("tuple concurrently updated", the event store's) or `CREATE TABLE IF NOT
        EXISTS` of the same table, which killed a worker at start (`make stress`); and the first
        processes would both create the vault's epoch file in var/ (`FileExistsError`)."""
        if self.backend != "postgresql":
            yield
            return
        with self.connect() as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))

    def vault_epoch_file(self, epoch_file: Path | None) -> Path | None:
        """Where the vault's epoch keys are kept: `epoch_file`, else beside a SQLite vault file,
        else (PostgreSQL or memory) nowhere, in memory only."""
        if epoch_file is None and self.backend == "sqlite" and self.sqlite_path != ":memory:":
            path = Path(self.sqlite_path)
            return path.with_name(path.stem + ".vault.epochs")
        return epoch_file

    def open_vault(
        self, master_key: bytes, *, epoch_file: Path | None = None, create: bool = True
    ) -> Vault:
        """The personal-data vault beside this event store: a file next to the SQLite log, the same
        PostgreSQL database and schema, or memory. Its epoch keys live outside the database (see
        `vault_epoch_file`). `create=False` (a read-only replica) expects its tables to exist."""
        epoch_file = self.vault_epoch_file(epoch_file)
        if self.backend == "postgresql":
            return Vault.postgres(
                self.connect(),
                schema=self.schema,
                master_key=master_key,
                epoch_file=epoch_file,
                create=create,
                reopen=self.connect,
            )
        if self.backend == "sqlite" and self.sqlite_path != ":memory:":
            path = Path(self.sqlite_path)
            return Vault.sqlite(
                str(path.with_name(path.stem + ".vault.sqlite")),
                master_key=master_key,
                epoch_file=epoch_file,
                create=create,
            )
        return Vault.sqlite(":memory:", master_key=master_key, epoch_file=epoch_file)

    def open_views(self) -> ViewDB:
        """Where the views live: beside the events on PostgreSQL; on SQLite a file of their own next
        to the log, so the projector never waits on the event writer's lock; or memory."""
        if self.backend == "postgresql":
            return ViewDB.postgres(self.connect(), schema=self.schema, reopen=self.connect)
        if self.backend == "sqlite" and self.sqlite_path != ":memory:":
            path = Path(self.sqlite_path)
            return ViewDB.sqlite(str(path.with_name(path.stem + ".views.sqlite")), durable=False)
        return ViewDB.sqlite(":memory:")

    def open_keys(self, *, create: bool = True) -> ApiKeys:
        """The API keys, beside the views (their own SQLite file, the PostgreSQL schema, or memory);
        `create=False` (a read-only replica) expects the table to exist already."""
        if self.backend == "postgresql":
            db = ViewDB.postgres(self.connect(), schema=self.schema, reopen=self.connect)
            return ApiKeys(db, create=create)
        if self.backend == "sqlite" and self.sqlite_path != ":memory:":
            path = Path(self.sqlite_path)
            keys = ViewDB.sqlite(str(path.with_name(path.stem + ".keys.sqlite")))
            return ApiKeys(keys, create=create)
        return ApiKeys(ViewDB.sqlite(":memory:"), create=create)

    def connect(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=self.dbname,
            connect_timeout=5,
            autocommit=True,
        )
