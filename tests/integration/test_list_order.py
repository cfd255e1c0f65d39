"""A public list comes in one order on every deployment: text keys byte by byte, as SQLite orders them,
even on a PostgreSQL database whose collation sorts Chinese by pinyin. Otherwise a verifier that
re-derives the lists on SQLite (`verify --url --views`) would walk other pages than the deployment
serves, and an honest ledger would fail its check."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace

import psycopg
import pytest
from psycopg import sql

from domain.ledger import Ledger
from projections.disclosure import DisclosureView, reader
from projections.pagination import PageRequest
from projections.runner import Runner
from storage.database import Database
from tests.support import open_fund, register

# First characters whose pinyin order (a, b, z) is not their code point order (中 U+4E2D, 啊 U+554A,
# 波 U+6CE2).
NAMES = ["啊里社区基金会", "波浪社区基金会", "中兴社区基金会"]


def _dsn(database: Database, dbname: str) -> str:
    password = f" password={database.password}" if database.password else ""
    return (
        f"host={database.host} port={database.port} user={database.user} dbname={dbname}{password}"
    )


@pytest.fixture
def pinyin_database(postgres: Database) -> Iterator[Database]:
    """A database whose default collation is ICU's Chinese one, as a deployment in China may have."""
    name = f"mz_pinyin_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_dsn(postgres, postgres.dbname), autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu"
                " ICU_LOCALE 'zh' LOCALE 'C.UTF-8'"
            ).format(sql.Identifier(name))
        )
    try:
        yield replace(postgres, dbname=name, schema="public")
    finally:
        with psycopg.connect(_dsn(postgres, "postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.mark.postgres
def test_foundations_are_listed_in_byte_order_page_by_page_whatever_the_database_collation(
    pinyin_database: Database,
) -> None:
    pinyin_database.prepare()
    vault = pinyin_database.open_vault(bytes(32))
    ledger = Ledger(env=pinyin_database.eventsourcing_env(), vault=vault)
    views = pinyin_database.open_views()
    try:
        for name in NAMES:
            open_fund(ledger, register(ledger, name=name))
        Runner(ledger, views, [DisclosureView()]).catch_up()
        # The database itself sorts these by pinyin: that is what the list must not follow.
        collated = [
            row[0]
            for row in views.execute("SELECT name FROM disclosure_organizations ORDER BY name")
        ]
        assert collated == NAMES
        walked, cursor = [], None
        while True:
            page = reader.foundations(views, page=PageRequest(1, cursor))
            walked += [row.organization.name for row in page.items]
            if (cursor := page.next_cursor) is None:
                break
        assert walked == sorted(NAMES)  # Python compares str by code point, as UTF-8 bytes do
    finally:
        views.close()
        ledger.close()
        vault.close()
