"""A bundle's import on PostgreSQL appends with COPY (`PostgresLedgerRecorder.copy_events`): after
the log's head, with no gap, and a section holding an (id, version) already taken is refused whole,
as the library's insert refuses it (the import path itself is tested end to end in test_bundle.py)."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from domain.ledger import Ledger
from tests.support import donate, open_fund

pytestmark = pytest.mark.postgres


def stored(originator: UUID, version: int) -> StoredEvent:
    return StoredEvent(
        originator_id=originator, originator_version=version, topic="t/T", state=b"{}"
    )


@pytest.mark.parametrize("backend_database", ["postgres"], indirect=True)
def test_copied_events_follow_the_head_and_a_taken_version_refuses_the_whole_section(
    ledger: Ledger,
) -> None:
    fund_id = open_fund(ledger)
    donate(ledger, fund_id, "100.00")
    head = ledger.head()
    fresh = uuid4()
    ledger.recorder.copy_events([stored(fresh, 1), stored(fresh, 2)])  # type: ignore[attr-defined]
    assert ledger.head() == head + 2
    found = [n.id for n in ledger.recorder.select_notifications(1, 100)]
    assert found == list(range(1, head + 3))

    with pytest.raises(IntegrityError):
        ledger.recorder.copy_events([stored(uuid4(), 1), stored(fund_id, 1)])  # type: ignore[attr-defined]
    assert ledger.head() == head + 2, "nothing of the refused section is kept"
