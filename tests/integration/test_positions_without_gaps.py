"""Positions have no gaps, whatever rolled back: the transparency log's leaf i is the event at position
i + 1, so a number spent by a writer that lost a race (PostgreSQL's sequence would spend one on every
insert that rolls back, as several API workers on the same fund do many times a second) would stop
the transparency view and fail `mingzhang verify`. `make stress` found it on PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from domain.ledger import Ledger
from domain.money import Money
from tests.support import donate, open_fund


def positions(ledger: Ledger) -> list[int]:
    return [n.id for n in ledger.recorder.select_notifications(1, 10_000)]


@pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_an_insert_that_rolls_back_leaves_no_gap_before_the_next_event(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    donate(ledger, fund_id, "100.00")
    # What a writer that lost the race on the fund's version sends: a version already taken.
    taken = StoredEvent(originator_id=fund_id, originator_version=1, topic="lost/Race", state=b"{}")
    for _ in range(3):
        with pytest.raises(IntegrityError):
            ledger.recorder.insert_events([taken])
    donate(ledger, fund_id, "50.00")
    ledger.pay(
        fund_id,
        payment_id=uuid4(),
        amount=Money.yuan("20.00"),
        paid_on=date(2024, 5, 1),
        purpose="next",
    )

    found = positions(ledger)
    assert found == list(range(1, len(found) + 1))
    assert ledger.head() == len(found)
