"""What counts as the PostgreSQL server being away for a moment (a restart, a failover, a dropped
connection), as opposed to a fault of ours: psycopg's `OperationalError` and `InterfaceError` (a pool
that timed out waiting for a connection is one too), and the eventsourcing library's wrappers of them
(not its wrappers of SQLite's errors, which say "no such table" as well as "locked"). The API
answers these with 503 and `Retry-After` (api/errors.py), and the projection runner waits and tries
again instead of stopping a view on them (projections/runner.py). psycopg is looked up among the
modules already loaded, never imported here, so a verifier that reads SQLite views does not load it:
a process that has not loaded psycopg cannot have met one of its errors.
"""

from __future__ import annotations

import sqlite3
import sys

from eventsourcing.persistence import InterfaceError, OperationalError

WRAPPERS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


def outage_errors() -> tuple[type[Exception], ...]:
    """The exception classes that may mean the server could not be reached (to register handlers
    for; `is_outage` decides)."""
    psycopg = sys.modules.get("psycopg")
    if psycopg is None:
        return WRAPPERS
    return (*WRAPPERS, psycopg.OperationalError, psycopg.InterfaceError)


def is_outage(error: BaseException) -> bool:
    """Whether `error`, or an error it was raised from, says the server could not be reached."""
    kinds = outage_errors()
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kinds) and not isinstance(seen.__cause__, sqlite3.Error):
            return True
        seen = seen.__cause__
    return False
