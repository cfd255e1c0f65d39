"""Grants, specified on every backend: award reserves, instalments post, endings release, reversals
return money, amendments carry reasons; every refusal names its field and writes nothing."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.errors import (
    AlreadyReversed,
    AmountBelowPaid,
    GrantNotActive,
    InsufficientFunds,
    InvalidChoice,
    OrganizationDeregistered,
    RoleMismatch,
    UnknownOrganization,
)
from domain.ledger import Ledger
from domain.money import Money
from tests.support import DAY, assert_sound, award, donate, open_fund, refused, register


def yuan(text: str) -> Money:
    return Money.yuan(text)


@pytest.fixture
def setting(ledger: Ledger) -> tuple[UUID, UUID]:
    """A community foundation's fund holding 10,000 yuan, and a recipient organisation."""
    foundation = register(ledger)
    fund_id = open_fund(ledger, foundation)
    donate(ledger, fund_id, "10000")
    recipient = register(ledger, name="花木社区睦邻中心", roles=["service_center"])
    return fund_id, recipient


def test_an_award_reserves_its_amount_in_the_fund_in_the_same_commit(
    ledger: Ledger, setting: tuple[UUID, UUID]
) -> None:
    fund_id, recipient = setting
    head = ledger.head()
    grant_id = award(ledger, fund_id, recipient, "4000")
    topics = [n.topic for n in ledger.recorder.select_notifications(head + 1, 10)]
    assert topics == ["mingzhang/Grant.Awarded", "mingzhang/Fund.Reserved"]
    fund = ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved, fund.available) == (
        yuan("10000"),
        yuan("4000"),
        yuan("6000"),
    )
    assert ledger.get_grant(grant_id).awarded == yuan("4000")
    assert_sound(ledger, fund_id)


def test_repeating_an_award_writes_nothing(ledger: Ledger, setting: tuple[UUID, UUID]) -> None:
    fund_id, recipient = setting
    grant_id = award(ledger, fund_id, recipient, "4000")
    head = ledger.head()
    award(ledger, fund_id, recipient, "4000", grant_id=grant_id)
    assert ledger.head() == head
    assert ledger.get_fund(fund_id).reserved == yuan("4000")


def test_a_grant_needs_a_registered_active_recipient_other_than_the_foundation(
    ledger: Ledger, setting: tuple[UUID, UUID]
) -> None:
    fund_id, recipient = setting
    with refused(ledger, UnknownOrganization, "recipient_id"):
        award(ledger, fund_id, uuid4(), "100")
    with refused(ledger, RoleMismatch, "recipient_id"):
        award(ledger, fund_id, ledger.get_fund(fund_id).foundation_id, "100")
    ledger.deregister_organization(
        recipient, command_id=uuid4(), reason="注销", deregistered_on=DAY
    )
    with refused(ledger, OrganizationDeregistered, "recipient_id"):
        award(ledger, fund_id, recipient, "100")


def test_a_grant_beyond_the_available_balance_is_refused(
    ledger: Ledger, setting: tuple[UUID, UUID]
) -> None:
    fund_id, recipient = setting
    award(ledger, fund_id, recipient, "6000")
    with refused(ledger, InsufficientFunds, "amount"):
        award(ledger, fund_id, recipient, "4000.01")


def test_instalments_post_against_the_award_and_cannot_exceed_what_is_left(
    ledger: Ledger, setting: tuple[UUID, UUID]
) -> None:
    fund_id, recipient = setting
    grant_id = award(ledger, fund_id, recipient, "4000")
    ledger.pay_instalment(grant_id, payment_id=uuid4(), amount=yuan("2500"), paid_on=DAY)
    with refused(ledger, InsufficientFunds, "amount"):
        ledger.pay_instalment(grant_id, payment_id=uuid4(), amount=yuan("1500.01"), paid_on=DAY)
    fund = ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved) == (yuan("7500"), yuan("1500"))
    assert ledger.get_grant(grant_id).paid == yuan("2500")
    assert_sound(ledger, fund_id)


def test_an_amendment_reserves_more_or_releases_with_its_reason(
    ledger: Ledger, setting: tuple[UUID, UUID]
) -> None:
    fund_id, recipient = setting
    grant_id = award(ledger, fund_id, recipient, "4000")
    ledger.amend_grant(
        grant_id, command_id=uuid4(), new_amount=yuan("5000"), reason="扩大覆盖楼组", amended_on=DAY
    )
    assert ledger.get_fund(fund_id).reserved == yuan("5000")
    with refused(ledger, InsufficientFunds, "amount"):
        ledger.amend_grant(
            grant_id, command_id=uuid4(), new_amount=yuan("10000.01"), reason="x", amended_on=DAY
        )
    ledger.pay_instalment(grant_id, payment_id=uuid4(), amount=yuan("3000"), paid_on=DAY)
    ledger.amend_grant(
        grant_id, command_id=uuid4(), new_amount=yuan("3500"), reason="项目缩减", amended_on=DAY
    )
    assert ledger.get_fund(fund_id).reserved == yuan("500")
    with refused(ledger, AmountBelowPaid, "amount"):
        ledger.amend_grant(
            grant_id, command_id=uuid4(), new_amount=yuan("2999"), reason="x", amended_on=DAY
        )
    assert_sound(ledger, fund_id)


def test_feedback_is_a_rating_from_one_to_five(ledger: Ledger, setting: tuple[UUID, UUID]) -> None:
    fund_id, recipient = setting
    grant_id = award(ledger, fund_id, recipient, "100")
    ledger.record_grant_feedback(
        grant_id, command_id=uuid4(), rating=4, summary="居民满意度高", recorded_on=DAY
    )
    assert ledger.get_grant(grant_id).feedback is not None
    with refused(ledger, InvalidChoice, "rating"):
        ledger.record_grant_feedback(
            grant_id, command_id=uuid4(), rating=6, summary="x", recorded_on=DAY
        )
    ledger.receive_grant_report(grant_id, command_id=uuid4(), summary="结项报告", received_on=DAY)


def test_closing_releases_the_unpaid_rest_and_a_closed_grant_takes_no_payment(
    ledger: Ledger, setting: tuple[UUID, UUID]
) -> None:
    fund_id, recipient = setting
    grant_id = award(ledger, fund_id, recipient, "4000")
    ledger.pay_instalment(grant_id, payment_id=uuid4(), amount=yuan("3000"), paid_on=DAY)
    closed = ledger.close_grant(grant_id, command_id=uuid4(), outcome="目标完成", closed_on=DAY)
    assert closed.value.how == "closed"
    fund = ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved) == (yuan("7000"), Money.zero())
    with refused(ledger, GrantNotActive, "grant_id"):
        ledger.pay_instalment(grant_id, payment_id=uuid4(), amount=yuan("1"), paid_on=DAY)
    assert_sound(ledger, fund_id)


def test_cancelling_releases_the_reservation_but_paid_instalments_stay_paid(
    ledger: Ledger, setting: tuple[UUID, UUID]
) -> None:
    fund_id, recipient = setting
    grant_id = award(ledger, fund_id, recipient, "4000")
    ledger.pay_instalment(grant_id, payment_id=uuid4(), amount=yuan("1000"), paid_on=DAY)
    ledger.cancel_grant(grant_id, command_id=uuid4(), reason="承接方无法履约", cancelled_on=DAY)
    fund = ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved) == (yuan("9000"), Money.zero())
    with refused(ledger, GrantNotActive, "grant_id"):
        ledger.pay_instalment(grant_id, payment_id=uuid4(), amount=yuan("1"), paid_on=DAY)
    with refused(ledger, GrantNotActive, "grant_id"):
        ledger.close_grant(grant_id, command_id=uuid4(), outcome="x", closed_on=date(2024, 6, 1))
    assert_sound(ledger, fund_id)


def test_a_reversed_instalment_returns_to_the_award_once_and_can_be_paid_again(
    ledger: Ledger, setting: tuple[UUID, UUID]
) -> None:
    fund_id, recipient = setting
    grant_id = award(ledger, fund_id, recipient, "4000")
    payment_id = uuid4()
    ledger.pay_instalment(grant_id, payment_id=payment_id, amount=yuan("1000"), paid_on=DAY)
    ledger.reverse_instalment(
        grant_id,
        reversal_id=uuid4(),
        payment_id=payment_id,
        reason="项目暂停，款项退回",
        reversed_on=DAY,
    )
    fund = ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved) == (yuan("10000"), yuan("4000"))
    assert ledger.get_grant(grant_id).paid == Money.zero()
    assert ledger.get_grant(grant_id).left == yuan("4000")
    with refused(ledger, AlreadyReversed, "payment_id"):
        ledger.reverse_instalment(
            grant_id, reversal_id=uuid4(), payment_id=payment_id, reason="x", reversed_on=DAY
        )
    assert_sound(ledger, fund_id)
    ledger.pay_instalment(grant_id, payment_id=uuid4(), amount=yuan("4000"), paid_on=DAY)
    fund = ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved) == (yuan("6000"), Money.zero())
    assert ledger.get_grant(grant_id).paid == yuan("4000")
    assert_sound(ledger, fund_id)


def test_an_instalment_reversed_after_the_grant_ended_returns_to_the_fund(
    ledger: Ledger, setting: tuple[UUID, UUID]
) -> None:
    fund_id, recipient = setting
    grant_id = award(ledger, fund_id, recipient, "4000")
    payment_id = uuid4()
    ledger.pay_instalment(grant_id, payment_id=payment_id, amount=yuan("1000"), paid_on=DAY)
    ledger.close_grant(grant_id, command_id=uuid4(), outcome="项目完成", closed_on=DAY)
    ledger.reverse_instalment(
        grant_id, reversal_id=uuid4(), payment_id=payment_id, reason="结余退回", reversed_on=DAY
    )
    fund = ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved) == (yuan("10000"), Money.zero())
    assert_sound(ledger, fund_id)
