"""Concurrent writers cannot overdraw a fund: optimistic concurrency plus reload-and-recheck.

Eight threads share one ledger and make forty attempts in all to pay a fifth of the balance. Exactly
five can succeed; every other attempt must end in a domain refusal (insufficient funds, or a conflict
that kept losing), and the fund must end at zero, never below.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from uuid import uuid4

import pytest

from domain.errors import ConcurrentModification, InsufficientFunds
from domain.foundations.invariants import fund_invariant_violations
from domain.ledger import Ledger
from domain.money import Money
from tests.support import donate, open_fund

THREADS = 8
ATTEMPTS = 40
SHARES = 5


@pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_eight_threads_paying_a_fifth_each_succeed_exactly_five_times(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    donate(ledger, fund_id, "5000.00")
    share = Money.yuan("1000.00")
    start = threading.Barrier(THREADS)

    def attempt(n: int) -> str:
        if n < THREADS:
            start.wait()  # the first wave starts together, so the race is real
        try:
            ledger.pay(
                fund_id, payment_id=uuid4(), amount=share, paid_on=date(2024, 5, 1), purpose=f"#{n}"
            )
        except InsufficientFunds:
            return "insufficient"
        except ConcurrentModification:
            return "conflict"
        return "paid"

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = Counter(pool.map(attempt, range(ATTEMPTS)))

    fund = ledger.get_fund(fund_id)
    assert results["paid"] == SHARES, results
    assert results["insufficient"] + results["conflict"] == ATTEMPTS - SHARES
    assert fund.balance == Money.zero()
    assert fund_invariant_violations(fund, ledger.history(fund_id)) == []
    payments = [
        n for n in ledger.recorder.select_notifications(1, 1000) if "PaymentMade" in n.topic
    ]
    assert len(payments) == SHARES


@pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_eight_threads_donating_to_one_fund_all_land(ledger: Ledger) -> None:
    """A busy fund (a fundraising day): concurrent donations in one process are each recorded, not
    refused as a conflict, and the balance is their sum."""
    fund_id = open_fund(ledger)
    per_thread = 25
    start = threading.Barrier(THREADS)

    def donations(_: int) -> int:
        start.wait()
        for _ in range(per_thread):
            donate(ledger, fund_id, "1.00")
        return per_thread

    with ThreadPoolExecutor(THREADS) as pool:
        assert sum(pool.map(donations, range(THREADS))) == THREADS * per_thread
    assert ledger.get_fund(fund_id).balance == Money.yuan(str(THREADS * per_thread))
