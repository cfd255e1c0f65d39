"""A writer whose process is paused inside its transaction for longer than the event-store library's
default idle limit (5 s) keeps its connection and commits: a CI run on a loaded virtual machine lost
one (`terminating connection due to idle-in-transaction timeout`) in the middle of a test's setup."""

from __future__ import annotations

import time

import pytest

from domain.ledger import Ledger
from storage.database import Database
from storage.ledger_store import PostgresLedgerRecorder

pytestmark = pytest.mark.postgres


def test_a_writer_paused_six_seconds_inside_its_transaction_still_commits(
    postgres_schema: Database,
) -> None:
    ledger = Ledger(env=postgres_schema.eventsourcing_env())
    try:
        recorder = ledger.recorder
        assert isinstance(recorder, PostgresLedgerRecorder)
        with recorder.datastore.transaction(commit=True) as cursor:
            cursor.execute("SELECT 1")
            time.sleep(6)  # the process gets no CPU, or does slow work, between two statements
            cursor.execute("SELECT 2 AS two")
            row = cursor.fetchone()
        assert row is not None
        assert row["two"] == 2
    finally:
        ledger.close()
