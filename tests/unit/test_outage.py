"""What counts as the database being away (storage/outage.py): psycopg's connection errors and the
event store's wrappers of them, also as the cause of another error; not the wrappers of SQLite's
errors (which say "no such table" as well as "locked"), and not errors of ours."""

from __future__ import annotations

import sqlite3

import psycopg
import psycopg_pool
from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError

from storage.outage import is_outage


def raised_from(error: Exception, cause: BaseException) -> Exception:
    error.__cause__ = cause
    return error


def test_psycopg_connection_errors_and_their_wrappers_are_outages() -> None:
    dropped = psycopg.OperationalError("server closed the connection unexpectedly")
    assert is_outage(dropped)
    assert is_outage(psycopg.InterfaceError("the connection is closed"))
    assert is_outage(psycopg_pool.PoolTimeout("couldn't get a connection after 5.00 sec"))
    assert is_outage(raised_from(OperationalError("wrapped"), dropped))
    assert is_outage(raised_from(InterfaceError("wrapped"), psycopg.InterfaceError("closed")))
    assert is_outage(raised_from(RuntimeError("a view's handler"), dropped))


def test_sqlite_errors_and_our_own_are_not_outages() -> None:
    assert not is_outage(raised_from(OperationalError("wrapped"), sqlite3.OperationalError("x")))
    assert not is_outage(sqlite3.OperationalError("no such table: stored_events"))
    assert not is_outage(IntegrityError("duplicate key"))
    assert not is_outage(psycopg.errors.UniqueViolation("duplicate key"))
    assert not is_outage(ValueError("a bug"))
