"""What every benchmark starts from: the backends to run on, and a ledger with one foundation and fund."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql

from domain.ledger import Ledger
from domain.money import Money
from storage.database import Database


def open_bench_fund(ledger: Ledger) -> uuid.UUID:
    foundation, fund = uuid.uuid4(), uuid.uuid4()
    ledger.register_organization(
        foundation,
        name="bench",
        uscc=None,
        type="charity",
        tier="registered",
        roles=["community_foundation"],
        district="huangpu",
        subdistrict="外滩街道",
        rural=False,
        registered_on=date(2020, 1, 1),
    )
    ledger.open_fund(
        fund, foundation_id=foundation, kind="general", name="f", opened_on=date(2020, 1, 1)
    )
    return fund


def open_more_funds(ledger: Ledger, foundation: uuid.UUID, count: int) -> list[uuid.UUID]:
    """`count` general funds of `foundation`: commands spread over them do not all queue on one
    aggregate (issue 16's many-funds workloads)."""
    funds = [uuid.uuid4() for _ in range(count)]
    for i, fund in enumerate(funds):
        ledger.open_fund(
            fund,
            foundation_id=foundation,
            kind="general",
            name=f"f{i}",
            opened_on=date(2020, 1, 1),
        )
    return funds


def donate_once(ledger: Ledger, fund: uuid.UUID) -> None:
    ledger.receive_donation(
        fund,
        donation_id=uuid.uuid4(),
        amount=Money(100),
        received_on=date(2024, 1, 1),
        donor_kind="anonymous",
    )


EnvFactory = Callable[[], dict[str, str]]

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("MINGZHANG_TEST_DATABASE_URL", POSTGRES_URL)


@contextmanager
def fresh_postgres_database() -> Iterator[str | None]:
    """The URL of a new, empty PostgreSQL database beside the test one (a server process needs a
    database of its own: `mingzhang serve` takes a URL), dropped afterwards; None when PostgreSQL
    is not reachable."""
    database = Database.parse(postgres_url())
    name = f"mz_bench_{uuid.uuid4().hex[:10]}"
    try:
        with database.connect() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error:
        yield None
        return
    password = f":{quote(database.password, safe='')}" if database.password else ""
    try:
        yield (
            f"postgresql://{quote(database.user, safe='')}{password}@{database.host}:"
            f"{database.port}/{name}"
        )
    finally:
        with database.connect() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextmanager
def bench_backends() -> Iterator[dict[str, EnvFactory]]:
    """Memory, a SQLite file in a temporary folder, and PostgreSQL when reachable (a fresh schema
    per call, all dropped afterwards)."""
    database = Database.parse(postgres_url())
    schemas: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        found: dict[str, EnvFactory] = {
            "memory": lambda: Database("memory").eventsourcing_env(),
            "sqlite": lambda: Database(
                "sqlite", sqlite_path=str(Path(tmp) / f"{uuid.uuid4().hex}.sqlite")
            ).eventsourcing_env(),
        }

        def fresh_schema() -> dict[str, str]:
            schema = f"mz_bench_{uuid.uuid4().hex[:10]}"
            with database.connect() as conn:
                conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            schemas.append(schema)
            return {**database.eventsourcing_env(), "POSTGRES_SCHEMA": schema}

        try:
            with database.connect() as conn:
                conn.execute("SELECT 1")
            found["postgresql"] = fresh_schema
        except psycopg.Error:
            pass
        try:
            yield found
        finally:
            if schemas:
                with database.connect() as conn:
                    for schema in schemas:
                        conn.execute(
                            sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema))
                        )
