"""A repeated command that wrote two events on one aggregate is answered as it was the first time:
reversing an instalment of an active grant writes the reversal and the award restored on the grant,
then the payment reversed and the reservation restored on the fund, and a repeat answers the position
of the last of the four and the grant's version after the second (tests/unit/test_repeats.py mixes
the commands that write one event per aggregate). Found by the console's repeat of the form
(tests/api/test_console_more_forms.py), which showed the first event's position."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from domain.ledger import Ledger
from domain.money import Money
from storage.database import Database
from tests.support import DAY, award, donate, open_fund, register


def test_a_repeated_instalment_reversal_answers_its_last_events_position_and_version() -> None:
    ledger = Ledger(env=Database("memory").eventsourcing_env())
    fund = open_fund(ledger, register(ledger))
    donate(ledger, fund, "1000.00")
    grant = award(ledger, fund, register(ledger, roles=["service_center"]), "400.00")
    payment = uuid4()
    ledger.pay_instalment(grant, payment_id=payment, amount=Money.yuan("100.00"), paid_on=DAY)
    reversal = uuid4()

    def reverse() -> tuple[int, int | None, bool]:
        outcome = ledger.reverse_instalment(
            grant, reversal_id=reversal, payment_id=payment, reason="款项退回", reversed_on=DAY
        )
        return outcome.position, outcome.version, outcome.created

    first = reverse()
    assert first[0] == ledger.head()
    assert first[1] == ledger.get_grant(grant).version
    # A later command right after it, on the same grant, is not taken for part of it.
    ledger.cancel_grant(
        grant, command_id=uuid4(), reason="受助组织注销", cancelled_on=date(2024, 3, 2)
    )
    assert reverse() == (first[0], first[1], False)


def test_a_donation_reversed_right_after_it_is_not_part_of_the_donations_repeat() -> None:
    ledger = Ledger(env=Database("memory").eventsourcing_env())
    fund = open_fund(ledger, register(ledger))
    donation = uuid4()

    def receive() -> tuple[int, int | None]:
        outcome = ledger.receive_donation(
            fund,
            donation_id=donation,
            amount=Money.yuan("50.00"),
            received_on=DAY,
            donor_kind="anonymous",
        )
        return outcome.position, outcome.version

    first = receive()
    # The reversal's event names the donation too, but starts a command of its own.
    ledger.reverse_donation(
        fund, reversal_id=uuid4(), donation_id=donation, reason="重复入账", reversed_on=DAY
    )
    assert receive() == first
