"""`fund_invariant_violations` names an overdraft however it ends: a history in which the available
balance went below zero is unsound even when later money made the final figures add up."""

from __future__ import annotations

from domain.foundations.invariants import fund_invariant_violations
from domain.ledger import Ledger
from tests.support import donate, funded, pay, reserve


def test_a_history_in_which_the_balance_went_negative_is_a_violation_even_if_it_ends_sound(
    ledger: Ledger,
) -> None:
    fund_id = funded(ledger, "100.00")
    pay(ledger, fund_id, "100.00")
    donate(ledger, fund_id, "100.00")
    opened, donation, payment, later = ledger.history(fund_id)
    # The same events with the payment first: the final figures still add up.
    overdrawn = [opened, payment, donation, later]
    assert fund_invariant_violations(ledger.get_fund(fund_id), overdrawn) == [
        f"the available balance went negative at version {payment.originator_version}:"
        " balance -100.00 CNY, available -100.00 CNY"
    ]


def test_a_history_in_which_reservations_exceeded_the_balance_is_a_violation(
    ledger: Ledger,
) -> None:
    fund_id = funded(ledger, "100.00")
    reserve(ledger, fund_id, "60.00")
    donate(ledger, fund_id, "100.00")
    opened, donation, reservation, later = ledger.history(fund_id)
    overdrawn = [opened, reservation, donation, later]
    assert fund_invariant_violations(ledger.get_fund(fund_id), overdrawn) == [
        f"the available balance went negative at version {reservation.originator_version}:"
        " balance 0.00 CNY, available -60.00 CNY"
    ]


def test_an_honest_history_has_no_violation(ledger: Ledger) -> None:
    fund_id = funded(ledger, "100.00")
    reservation_id = reserve(ledger, fund_id, "60.00")
    pay(ledger, fund_id, "60.00", reservation_id=reservation_id)
    pay(ledger, fund_id, "40.00")
    assert fund_invariant_violations(ledger.get_fund(fund_id), ledger.history(fund_id)) == []
