"""Funds, specified on every backend: donations, reservations, payments, transfers, reversals, closing.

After each accepted operation the fund's invariants are checked (`assert_sound`); each refusal is
checked to name its field and to leave no event behind (`refused`).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate

from domain.errors import (
    AlreadyReversed,
    DuplicateCommandError,
    FundClosed,
    FundNotEmpty,
    InsufficientFunds,
    InvalidAmount,
    InvalidChoice,
    ReservationSettled,
    RoleMismatch,
    SameFundTransfer,
    UnknownEntry,
    UnknownFund,
    UnknownOrganization,
)
from domain.ledger import FUND_SNAPSHOT_INTERVAL, Ledger
from domain.money import Money
from tests.support import (
    DAY,
    assert_sound,
    donate,
    funded,
    open_fund,
    pay,
    person,
    refused,
    register,
    reserve,
)


def yuan(text: str) -> Money:
    return Money.yuan(text)


def test_a_foundation_opens_a_fund_that_starts_empty(ledger: Ledger) -> None:
    foundation = register(ledger, roles=["foundation"])
    fund_id = open_fund(ledger, foundation, kind="emergency_relief", name="暖心基金")
    fund = ledger.get_fund(fund_id)
    assert (fund.foundation_id, fund.kind, fund.opening.name) == (
        foundation,
        "emergency_relief",
        "暖心基金",
    )
    assert fund.balance == fund.reserved == Money.zero()


def test_an_organisation_that_is_not_a_foundation_cannot_open_a_fund(ledger: Ledger) -> None:
    centre = register(ledger, roles=["service_center"])
    with refused(ledger, RoleMismatch, "foundation_id"):
        open_fund(ledger, centre)


def test_a_fund_needs_a_known_foundation_and_kind(ledger: Ledger) -> None:
    with refused(ledger, UnknownOrganization, "foundation_id"):
        open_fund(ledger, uuid4())
    foundation = register(ledger)
    with refused(ledger, InvalidChoice, "kind"):
        open_fund(ledger, foundation, kind="endowment")


def test_a_donation_adds_to_the_balance(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    donate(ledger, fund_id, "1200.50")
    donate(ledger, fund_id, "0.50")
    assert ledger.get_fund(fund_id).balance == yuan("1201.00")
    assert_sound(ledger, fund_id)


@pytest.mark.parametrize("amount", [Money(0), Money(-100)])
def test_a_donation_of_zero_or_less_is_refused(ledger: Ledger, amount: Money) -> None:
    fund_id = open_fund(ledger)
    with refused(ledger, InvalidAmount, "amount"):
        ledger.receive_donation(
            fund_id, donation_id=uuid4(), amount=amount, received_on=DAY, donor_kind="anonymous"
        )


def test_an_organisation_donor_must_be_registered(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    donor = register(ledger, roles=[], name="某科技公司工会")
    donate(
        ledger, fund_id, "10", donor_kind="organization", donor_ref=str(donor), publish_name=True
    )
    with refused(ledger, UnknownOrganization, "donor_ref"):
        donate(ledger, fund_id, "10", donor_kind="organization", donor_ref=str(uuid4()))
    with refused(ledger, InvalidChoice, "donor_ref"):
        donate(ledger, fund_id, "10", donor_kind="organization", donor_ref="张三")


def test_an_anonymous_donor_has_no_name_to_publish(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    with refused(ledger, InvalidChoice, "publish_name"):
        donate(ledger, fund_id, "10", donor_kind="anonymous", publish_name=True)


def test_a_person_donor_is_named_only_through_the_vault(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    with refused(ledger, InvalidChoice, "donor_subject_id"):
        donate(ledger, fund_id, "10", donor_kind="person", donor_ref="张三")


def test_a_repeated_donation_is_recorded_once(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    donation_id = donate(ledger, fund_id, "100")
    head = ledger.head()
    again = ledger.receive_donation(
        fund_id,
        donation_id=donation_id,
        amount=yuan("100"),
        received_on=DAY,
        donor_kind="anonymous",
    )
    assert not again.created
    assert again.value.amount == yuan("100")
    assert ledger.head() == head
    assert ledger.get_fund(fund_id).balance == yuan("100")


def test_a_donation_id_reused_with_a_different_amount_is_a_conflict(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    donation_id = donate(ledger, fund_id, "100")
    with refused(ledger, DuplicateCommandError, "id"):
        donate(ledger, fund_id, "101", donation_id=donation_id)


def test_fund_refuses_a_payment_beyond_its_available_balance(ledger: Ledger) -> None:
    fund_id = funded(ledger, "1000")
    reserve(ledger, fund_id, "600")
    with refused(ledger, InsufficientFunds, "amount"):
        pay(ledger, fund_id, "400.01")
    pay(ledger, fund_id, "400")
    fund = ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved, fund.available) == (yuan("600"), yuan("600"), Money(0))
    assert_sound(ledger, fund_id)


def test_a_reservation_cannot_exceed_the_available_balance(ledger: Ledger) -> None:
    fund_id = funded(ledger, "100")
    with refused(ledger, InsufficientFunds, "amount"):
        reserve(ledger, fund_id, "100.01")


def test_payments_against_a_reservation_post_it_and_cannot_exceed_it(ledger: Ledger) -> None:
    fund_id = funded(ledger, "1000")
    reservation_id = reserve(ledger, fund_id, "300")
    pay(ledger, fund_id, "200", reservation_id=reservation_id)
    with refused(ledger, InsufficientFunds, "amount"):
        pay(ledger, fund_id, "100.01", reservation_id=reservation_id)
    fund = ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved) == (yuan("800"), yuan("100"))
    assert_sound(ledger, fund_id)


def test_releasing_a_reservation_returns_what_is_left_once(ledger: Ledger) -> None:
    fund_id = funded(ledger, "1000")
    reservation_id = reserve(ledger, fund_id, "300")
    pay(ledger, fund_id, "50", reservation_id=reservation_id)
    release_id = uuid4()
    released = ledger.release(
        fund_id, release_id=release_id, reservation_id=reservation_id, released_on=DAY
    )
    assert released.value.amount == yuan("250")
    repeat = ledger.release(
        fund_id, release_id=release_id, reservation_id=reservation_id, released_on=DAY
    )
    assert not repeat.created
    assert repeat.value.amount == yuan("250")
    with refused(ledger, ReservationSettled, "reservation_id"):
        ledger.release(fund_id, release_id=uuid4(), reservation_id=reservation_id, released_on=DAY)
    with refused(ledger, ReservationSettled, "reservation_id"):
        pay(ledger, fund_id, "1", reservation_id=reservation_id)
    fund = ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved, fund.available) == (yuan("950"), Money(0), yuan("950"))
    assert_sound(ledger, fund_id)


def test_a_payment_against_an_unknown_reservation_is_refused(ledger: Ledger) -> None:
    fund_id = funded(ledger, "10")
    with refused(ledger, UnknownEntry, "reservation_id"):
        pay(ledger, fund_id, "1", reservation_id=uuid4())


def test_a_transfer_changes_both_funds_in_one_transaction(ledger: Ledger) -> None:
    big = funded(ledger, "5000", foundation_id=register(ledger, roles=["foundation"]))
    relief = open_fund(ledger, kind="emergency_relief")
    before = ledger.head()
    pairing_id = uuid4()
    outcome = ledger.transfer(
        transfer_id=uuid4(),
        from_fund_id=big,
        to_fund_id=relief,
        amount=yuan("2000"),
        transferred_on=DAY,
        purpose="大小牵小手配捐",
        pairing_id=pairing_id,
    )
    assert outcome.position == before + 2  # two events, one commit, adjacent in the log
    topics = [n.topic for n in ledger.recorder.select_notifications(start=before + 1, limit=10)]
    assert topics == ["mingzhang/Fund.TransferredOut", "mingzhang/Fund.TransferredIn"]
    assert ledger.get_fund(big).balance == yuan("3000")
    assert ledger.get_fund(relief).balance == yuan("2000")
    assert outcome.value.pairing_id == pairing_id
    assert_sound(ledger, big, relief)


def test_a_transfer_beyond_the_available_balance_changes_neither_fund(ledger: Ledger) -> None:
    source, destination = funded(ledger, "100"), open_fund(ledger)
    with refused(ledger, InsufficientFunds, "amount"):
        ledger.transfer(
            transfer_id=uuid4(),
            from_fund_id=source,
            to_fund_id=destination,
            amount=yuan("100.01"),
            transferred_on=DAY,
            purpose="x",
        )
    assert ledger.get_fund(source).balance == yuan("100")
    assert ledger.get_fund(destination).balance == Money(0)


def test_a_transfer_needs_another_known_open_fund(ledger: Ledger) -> None:
    source = funded(ledger, "100")
    fields: dict[str, Any] = {"amount": yuan("1"), "transferred_on": DAY, "purpose": "x"}
    with refused(ledger, SameFundTransfer, "to_fund_id"):
        ledger.transfer(transfer_id=uuid4(), from_fund_id=source, to_fund_id=source, **fields)
    with refused(ledger, UnknownFund, "to_fund_id"):
        ledger.transfer(transfer_id=uuid4(), from_fund_id=source, to_fund_id=uuid4(), **fields)
    closed = open_fund(ledger, register(ledger))
    ledger.close_fund(closed, command_id=uuid4(), closed_on=DAY, reason="项目结束")
    with refused(ledger, FundClosed, "to_fund_id"):
        ledger.transfer(transfer_id=uuid4(), from_fund_id=source, to_fund_id=closed, **fields)


def test_a_donation_reversal_is_a_new_entry_with_a_public_reason(ledger: Ledger) -> None:
    fund_id = funded(ledger, "100")
    donation_id = donate(ledger, fund_id, "30")
    reversal = ledger.reverse_donation(
        fund_id,
        reversal_id=uuid4(),
        donation_id=donation_id,
        reason="捐赠人重复转账，已退回",
        reversed_on=DAY,
    )
    assert reversal.value.amount == yuan("30")
    assert ledger.get_fund(fund_id).balance == yuan("100")
    topics = [n.topic for n in ledger.recorder.select_notifications(start=1, limit=100)]
    assert topics.count("mingzhang/Fund.DonationReceived") == 2  # the original stays in the log
    assert topics[-1] == "mingzhang/Fund.DonationReversed"
    with refused(ledger, AlreadyReversed, "donation_id"):
        ledger.reverse_donation(
            fund_id, reversal_id=uuid4(), donation_id=donation_id, reason="again", reversed_on=DAY
        )
    assert_sound(ledger, fund_id)


def test_a_donation_already_spent_cannot_be_reversed(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    donation_id = donate(ledger, fund_id, "100")
    pay(ledger, fund_id, "80")
    with refused(ledger, InsufficientFunds, "donation_id"):
        ledger.reverse_donation(
            fund_id, reversal_id=uuid4(), donation_id=donation_id, reason="r", reversed_on=DAY
        )


def test_a_transfer_is_reversed_from_either_fund_and_only_once(ledger: Ledger) -> None:
    source, destination = funded(ledger, "100"), open_fund(ledger)
    transfer_id = uuid4()
    ledger.transfer(
        transfer_id=transfer_id,
        from_fund_id=source,
        to_fund_id=destination,
        amount=yuan("40"),
        transferred_on=DAY,
        purpose="x",
    )
    ledger.reverse_transfer(
        destination,
        reversal_id=uuid4(),
        transfer_id=transfer_id,
        reason="转错基金",
        reversed_on=DAY,
    )
    assert ledger.get_fund(source).balance == yuan("100")
    assert ledger.get_fund(destination).balance == Money(0)
    with refused(ledger, AlreadyReversed, "transfer_id"):
        ledger.reverse_transfer(
            source, reversal_id=uuid4(), transfer_id=transfer_id, reason="x", reversed_on=DAY
        )
    with refused(ledger, UnknownEntry, "transfer_id"):
        ledger.reverse_transfer(
            source, reversal_id=uuid4(), transfer_id=uuid4(), reason="x", reversed_on=DAY
        )
    assert_sound(ledger, source, destination)


def test_a_fund_closes_only_when_empty_and_then_accepts_nothing(ledger: Ledger) -> None:
    fund_id, other = funded(ledger, "100"), open_fund(ledger)
    with refused(ledger, FundNotEmpty, "fund_id"):
        ledger.close_fund(fund_id, command_id=uuid4(), closed_on=DAY, reason="结束")
    ledger.transfer(
        transfer_id=uuid4(),
        from_fund_id=fund_id,
        to_fund_id=other,
        amount=yuan("100"),
        transferred_on=DAY,
        purpose="余额转入",
    )
    ledger.close_fund(fund_id, command_id=uuid4(), closed_on=date(2024, 12, 31), reason="结束")
    assert not ledger.get_fund(fund_id).is_open
    with refused(ledger, FundClosed, "fund_id"):
        donate(ledger, fund_id, "1")
    with refused(ledger, FundClosed, "fund_id"):
        reserve(ledger, fund_id, "1")


def test_commands_on_an_unknown_fund_are_refused(ledger: Ledger) -> None:
    with refused(ledger, UnknownFund, "fund_id"):
        donate(ledger, uuid4(), "1")


def test_a_long_lived_fund_loads_from_a_snapshot_to_the_same_state(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    for _ in range(FUND_SNAPSHOT_INTERVAL + 5):
        donate(ledger, fund_id, "1.01")
    assert ledger.snapshots is not None
    snapshots = list(ledger.snapshots.get(fund_id))
    assert snapshots[-1].originator_version == FUND_SNAPSHOT_INTERVAL
    from_snapshot = ledger.get_fund(fund_id)
    replayed: Aggregate | None = None
    for stored in ledger.events.get(fund_id):
        assert isinstance(stored, Aggregate.Event)
        replayed = stored.mutate(replayed)
    assert replayed is not None
    assert from_snapshot.__dict__ == replayed.__dict__
    assert from_snapshot.balance == Money(101 * (FUND_SNAPSHOT_INTERVAL + 5))


def test_every_stored_event_has_an_explicit_mingzhang_topic(ledger: Ledger) -> None:
    source, destination = funded(ledger, "10"), open_fund(ledger)
    ledger.transfer(
        transfer_id=uuid4(),
        from_fund_id=source,
        to_fund_id=destination,
        amount=yuan("1"),
        transferred_on=DAY,
        purpose="x",
    )
    topics = {n.topic for n in ledger.recorder.select_notifications(start=1, limit=100)}
    assert topics == {
        "mingzhang/Organization.Registered",
        "mingzhang/Fund.Opened",
        "mingzhang/Fund.DonationReceived",
        "mingzhang/Fund.TransferredOut",
        "mingzhang/Fund.TransferredIn",
    }


def test_a_person_donor_enters_as_a_reference_and_can_withdraw_consent_to_be_named(
    ledger: Ledger,
) -> None:
    fund_id = open_fund(ledger)
    subject = person(ledger, name="孙丽")
    donation_id = donate(
        ledger, fund_id, "88", donor_kind="person", donor_subject_id=subject, publish_name=True
    )
    event = ledger.history(fund_id)[-1]
    assert event.donor_ref != str(subject)  # type: ignore[attr-defined]
    assert len(event.donor_commitment) == 64  # type: ignore[attr-defined]
    ledger.withdraw_name_consent(
        fund_id, command_id=uuid4(), donation_id=donation_id, withdrawn_on=date(2024, 5, 1)
    )
    # TOPIC is declared on each event class, not on the protocol that history() returns.
    topic = ledger.history(fund_id)[-1].__class__.TOPIC  # type: ignore[attr-defined]
    assert topic == "mingzhang/Fund.NameConsentWithdrawn"
    assert ledger.get_fund(fund_id).balance == yuan("88")  # the donation stands
    with refused(ledger, AlreadyReversed, "donation_id"):
        ledger.withdraw_name_consent(
            fund_id, command_id=uuid4(), donation_id=donation_id, withdrawn_on=date(2024, 5, 2)
        )


def test_a_funds_foundation_is_known_by_its_id_and_an_unknown_fund_is_refused(
    ledger: Ledger,
) -> None:
    foundation = register(ledger)
    fund_id = open_fund(ledger, foundation)
    assert ledger.fund_foundation(fund_id) == foundation
    assert ledger.fund_foundation(fund_id) == foundation  # remembered: it never changes
    with pytest.raises(UnknownFund) as refusal:
        ledger.fund_foundation(uuid4(), field="to_fund_id")
    assert refusal.value.field == "to_fund_id"
