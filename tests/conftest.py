"""Fixtures shared by the suite: a `ledger` on every backend, and the PostgreSQL rules.

A test that takes `ledger` runs three times: on the in-memory store, on a SQLite file in a temporary
folder, and on PostgreSQL in a schema of its own (marked `postgres`). PostgreSQL is found through
MINGZHANG_TEST_DATABASE_URL (default: the local server, database `test`). When it cannot be reached,
PostgreSQL tests skip with the reason, unless MINGZHANG_REQUIRE_POSTGRES=1 (as in CI), when they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings
from psycopg import sql

from domain.ledger import Ledger
from storage.database import Database
from storage.vault import Vault
from storage.viewdb import ViewDB
from tests.support import personal_data_in

# Speed is measured in bench/, never asserted: Hypothesis's per-example deadline (200 ms) turned a
# busy machine into failures of tests whose property held (test_tlog under four parallel suites).
settings.register_profile("mingzhang", deadline=None)
settings.load_profile("mingzhang")

DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def test_database() -> Database:
    return Database.parse(os.environ.get("MINGZHANG_TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL))


test_database.__test__ = False  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def postgres() -> Database:
    """The test server, reachable, or a skip (a failure when PostgreSQL is required)."""
    database = test_database()
    try:
        with database.connect() as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        message = (
            f"PostgreSQL at {database.host}:{database.port}/{database.dbname} is unreachable "
            f"({str(error).strip().splitlines()[0]}); set MINGZHANG_TEST_DATABASE_URL"
        )
        if os.environ.get("MINGZHANG_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"MINGZHANG_REQUIRE_POSTGRES=1 but {message}", pytrace=False)
        pytest.skip(message)
    return database


@pytest.fixture
def postgres_schema(postgres: Database) -> Iterator[Database]:
    """A fresh schema for one test, dropped afterwards, so tests never see each other's events."""
    schema = f"mz_test_{uuid.uuid4().hex[:12]}"
    with postgres.connect() as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield Database(
            "postgresql",
            host=postgres.host,
            port=postgres.port,
            user=postgres.user,
            password=postgres.password,
            dbname=postgres.dbname,
            schema=schema,
        )
    finally:
        with postgres.connect() as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
            # A test may copy the schema beside it (a vault backup restored in test_vault_erasure).
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(f"{schema}_copy"))
            )


@pytest.fixture(params=BACKENDS)
def backend_database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    return database_for(request, tmp_path)


def database_for(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """The database a `backend_database` parameter names (the PostgreSQL one in a fresh schema)."""
    if request.param == "memory":
        return Database("memory")
    if request.param == "sqlite":
        return Database("sqlite", sqlite_path=str(tmp_path / "ledger.sqlite"))
    database: Database = request.getfixturevalue("postgres_schema")
    return database


@pytest.fixture
def vault(backend_database: Database) -> Iterator[Vault]:
    backend_database.prepare()
    store = backend_database.open_vault(os.urandom(32))
    yield store
    store.close()


@pytest.fixture
def ledger(backend_database: Database, vault: Vault) -> Iterator[Ledger]:
    app = Ledger(env=backend_database.eventsourcing_env(), vault=vault)
    try:
        yield app
        # Whatever the test did, no personal data the suite put into a vault may be in the log.
        assert personal_data_in(app) == []
    finally:
        app.close()


@pytest.fixture
def views(backend_database: Database, ledger: Ledger) -> Iterator[ViewDB]:
    """The views' database beside this test's ledger (same backend)."""
    db = backend_database.open_views()
    yield db
    db.close()
