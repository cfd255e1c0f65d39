"""Funds kept in the ledger's aggregate cache stay true: across workers, after refusals, for repeats.

The ledger keeps aggregates between commands (eventsourcing's cache, fast-forwarded from the store on
every get, handing out deep copies). Each test would fail with a cache that trusted itself: without
fast-forward, a second worker on the same store would decide on a stale balance; without the copy, a
command refused after changing its fund would leave the change in the cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.errors import DuplicateCommandError, InsufficientFunds, PreconditionFailed
from domain.foundations.entries import Donation
from domain.ledger import Ledger, Outcome
from domain.money import Money
from storage.database import Database
from tests.support import DAY, donate, funded, open_fund, refused

BACKENDS = pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
PAID_ON = date(2024, 5, 1)


@pytest.fixture
def other_worker(backend_database: Database, ledger: Ledger) -> Iterator[Ledger]:
    """A second Ledger on the same store, as a second API worker process would have."""
    app = Ledger(env=backend_database.eventsourcing_env())
    try:
        yield app
    finally:
        app.close()


def pay(ledger: Ledger, fund_id: UUID, yuan: str, payment_id: UUID | None = None) -> None:
    ledger.pay(
        fund_id,
        payment_id=payment_id or uuid4(),
        amount=Money.yuan(yuan),
        paid_on=PAID_ON,
        purpose="社区活动",
    )


@BACKENDS
def test_a_donation_through_one_worker_is_counted_by_the_other_workers_next_payment_check(
    ledger: Ledger, other_worker: Ledger
) -> None:
    fund_id = open_fund(ledger)
    assert other_worker.get_fund(fund_id).available == Money.zero()  # now in its cache, empty
    donate(ledger, fund_id, "100.00")
    pay(other_worker, fund_id, "100.00")
    assert ledger.get_fund(fund_id).available == Money.zero()


@BACKENDS
def test_a_payment_through_one_worker_stops_the_other_worker_paying_the_same_money(
    ledger: Ledger, other_worker: Ledger
) -> None:
    fund_id = funded(ledger, "100.00")
    assert other_worker.get_fund(fund_id).available == Money.yuan("100.00")  # cached, full
    pay(ledger, fund_id, "100.00")
    with refused(other_worker, InsufficientFunds, "amount"):
        pay(other_worker, fund_id, "100.00")
    fund = ledger.get_fund(fund_id)
    assert fund.balance == Money.zero()


@BACKENDS
def test_a_payment_refused_beyond_the_available_balance_leaves_the_next_commands_fund_unchanged(
    ledger: Ledger,
) -> None:
    fund_id = funded(ledger, "100.00")
    before = ledger.get_fund(fund_id)
    with refused(ledger, InsufficientFunds, "amount"):
        pay(ledger, fund_id, "100.01")
    after = ledger.get_fund(fund_id)
    assert (after.version, after.balance, after.available) == (
        before.version,
        before.balance,
        before.available,
    )
    pay(ledger, fund_id, "100.00")
    with refused(ledger, InsufficientFunds, "amount"):
        pay(ledger, fund_id, "0.01")


@BACKENDS
def test_a_donation_refused_after_it_was_applied_to_its_copy_of_the_fund_leaves_the_cache_unchanged(
    ledger: Ledger,
) -> None:
    """The If-Match check runs after the command changed its copy of the fund (the version to check
    is the one before the new events), so only a copy keeps the cached fund clean."""
    fund_id = funded(ledger, "100.00")
    before = ledger.get_fund(fund_id)
    with (
        refused(ledger, PreconditionFailed, "If-Match"),
        ledger.acting(None, expected_version=before.version - 1),
    ):
        donate(ledger, fund_id, "900.00")
    after = ledger.get_fund(fund_id)
    assert (after.version, after.balance) == (before.version, Money.yuan("100.00"))
    with refused(ledger, InsufficientFunds, "amount"):
        pay(ledger, fund_id, "100.01")


@BACKENDS
def test_a_repeated_donation_id_answers_the_first_result_on_either_worker(
    ledger: Ledger, other_worker: Ledger
) -> None:
    fund_id = open_fund(ledger)
    donation_id = uuid4()

    def donation(worker: Ledger, yuan: str = "50.00") -> Outcome[Donation]:
        return worker.receive_donation(
            fund_id,
            donation_id=donation_id,
            amount=Money.yuan(yuan),
            received_on=DAY,
            donor_kind="anonymous",
        )

    first = donation(ledger)
    for worker in (ledger, other_worker, ledger):
        again = donation(worker)
        assert (again.value, again.position, again.version, again.created) == (
            first.value,
            first.position,
            first.version,
            False,
        )
    assert other_worker.get_fund(fund_id).balance == Money.yuan("50.00")
    with refused(other_worker, DuplicateCommandError, "id"):
        donation(other_worker, "60.00")


@BACKENDS
def test_a_payment_id_refused_for_want_of_funds_can_be_paid_once_the_money_is_there(
    ledger: Ledger, other_worker: Ledger
) -> None:
    fund_id = funded(ledger, "10.00")
    payment_id = uuid4()
    with refused(ledger, InsufficientFunds, "amount"):
        pay(ledger, fund_id, "30.00", payment_id=payment_id)
    donate(other_worker, fund_id, "20.00")
    pay(ledger, fund_id, "30.00", payment_id=payment_id)
    pay(other_worker, fund_id, "30.00", payment_id=payment_id)  # a repeat, not a second payment
    assert other_worker.get_fund(fund_id).balance == Money.zero()
