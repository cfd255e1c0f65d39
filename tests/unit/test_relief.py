"""Emergency relief (救急难) cases, specified on every backend.

The ordinary path: approve (reserves), then disburse against the approval. The emergency fast path:
disburse first, then ratify within the deadline or reverse with a public reason (which cases are
overdue is the disclosure view's to say: tests/integration/test_relief_ratification_view.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from domain.errors import (
    CaseStateConflict,
    InsufficientFunds,
    InvalidChoice,
    ReservationSettled,
    UnknownSubject,
    WrongFundKind,
)
from domain.foundations.entries import Payment, Reversal
from domain.ledger import Ledger
from domain.money import Money
from tests.support import (
    DAY,
    assert_sound,
    donate,
    open_fund,
    person,
    refused,
    register,
    relief_case,
)

APPROVERS = [uuid4(), uuid4()]


def yuan(text: str) -> Money:
    return Money.yuan(text)


@pytest.fixture
def relief_fund(ledger: Ledger) -> UUID:
    fund_id = open_fund(ledger, register(ledger), kind="emergency_relief", name="暖心基金")
    donate(ledger, fund_id, "10000")
    return fund_id


def approve(ledger: Ledger, case_id: UUID, amount: str) -> None:
    ledger.approve_relief_case(
        case_id, command_id=uuid4(), amount=yuan(amount), approvers=APPROVERS, approved_on=DAY
    )


def disburse(ledger: Ledger, case_id: UUID, amount: str, paid_on: date = DAY) -> UUID:
    disbursement_id = uuid4()
    ledger.disburse_relief(
        case_id, disbursement_id=disbursement_id, amount=yuan(amount), paid_on=paid_on
    )
    return disbursement_id


def test_a_case_is_approved_then_paid_against_its_approval(
    ledger: Ledger, relief_fund: UUID
) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger))
    approve(ledger, case_id, "3000")
    assert ledger.get_fund(relief_fund).reserved == yuan("3000")
    disburse(ledger, case_id, "2000")
    with refused(ledger, InsufficientFunds, "amount"):
        disburse(ledger, case_id, "1000.01")
    fund = ledger.get_fund(relief_fund)
    assert (fund.balance, fund.reserved) == (yuan("8000"), yuan("1000"))
    assert_sound(ledger, relief_fund)


def test_relief_is_paid_only_from_an_emergency_relief_fund(ledger: Ledger) -> None:
    general = open_fund(ledger, kind="general")
    subject = person(ledger)
    with refused(ledger, WrongFundKind, "fund_id"):
        relief_case(ledger, general, subject)


@pytest.mark.parametrize(("field", "code"), [("reason_code", "GTIR999"), ("purpose_code", "FOOD")])
def test_codes_outside_the_360giving_codelists_are_refused(
    ledger: Ledger, relief_fund: UUID, field: str, code: str
) -> None:
    subject = person(ledger)
    with refused(ledger, InvalidChoice, field):
        relief_case(ledger, relief_fund, subject, **{field: code})


def test_a_beneficiary_must_be_a_vault_subject(ledger: Ledger, relief_fund: UUID) -> None:
    with refused(ledger, UnknownSubject, "beneficiary_subject_id"):
        relief_case(ledger, relief_fund, uuid4())


def test_an_approval_beyond_what_the_fund_can_reserve_is_refused(
    ledger: Ledger, relief_fund: UUID
) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger))
    with refused(ledger, InsufficientFunds, "amount"):
        approve(ledger, case_id, "10000.01")


def test_an_ordinary_case_is_not_paid_before_approval(ledger: Ledger, relief_fund: UUID) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger))
    with refused(ledger, CaseStateConflict, "case_id"):
        disburse(ledger, case_id, "100")


def test_a_rejected_case_is_never_paid(ledger: Ledger, relief_fund: UUID) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger), emergency=True)
    ledger.reject_relief_case(case_id, command_id=uuid4(), reason="不符合救助条件", rejected_on=DAY)
    with refused(ledger, CaseStateConflict, "case_id"):
        disburse(ledger, case_id, "100")


def test_an_approval_after_an_emergency_payment_reserves_only_the_rest(
    ledger: Ledger, relief_fund: UUID
) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger), emergency=True)
    disburse(ledger, case_id, "1000")
    approve(ledger, case_id, "3000")
    assert ledger.get_fund(relief_fund).reserved == yuan("2000")
    disburse(ledger, case_id, "2000")
    with refused(ledger, InsufficientFunds, "amount"):
        disburse(ledger, case_id, "0.01")
    assert_sound(ledger, relief_fund)


def test_the_ratification_deadline_is_configurable(relief_fund: UUID, ledger: Ledger) -> None:
    ledger.ratification_days = 3
    case_id = relief_case(ledger, relief_fund, person(ledger), emergency=True)
    disburse(ledger, case_id, "10")
    assert ledger.get_relief_case(case_id).ratify_by == DAY + timedelta(days=3)


def test_a_reversed_disbursement_returns_to_the_approval_so_the_case_can_be_completed(
    ledger: Ledger, relief_fund: UUID
) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger))
    approve(ledger, case_id, "3000")
    disburse(ledger, case_id, "2000")
    mistaken = disburse(ledger, case_id, "1000")
    ledger.reverse_disbursement(
        case_id, reversal_id=uuid4(), disbursement_id=mistaken, reason="账户错误", reversed_on=DAY
    )
    fund = ledger.get_fund(relief_fund)
    assert (fund.balance, fund.reserved) == (yuan("8000"), yuan("1000"))
    assert_sound(ledger, relief_fund)
    disburse(ledger, case_id, "1000")
    assert ledger.get_relief_case(case_id).disbursed == yuan("3000")
    fund = ledger.get_fund(relief_fund)
    assert (fund.balance, fund.reserved) == (yuan("7000"), Money.zero())
    with refused(ledger, InsufficientFunds, "amount"):
        disburse(ledger, case_id, "0.01")
    assert_sound(ledger, relief_fund)


def test_an_emergency_payment_reversed_after_approval_returns_to_the_approval(
    ledger: Ledger, relief_fund: UUID
) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger), emergency=True)
    fast = disburse(ledger, case_id, "1000")
    approve(ledger, case_id, "3000")
    disburse(ledger, case_id, "2000")
    ledger.reverse_disbursement(
        case_id, reversal_id=uuid4(), disbursement_id=fast, reason="重复发放", reversed_on=DAY
    )
    assert ledger.get_fund(relief_fund).reserved == yuan("1000")
    disburse(ledger, case_id, "1000")
    assert ledger.get_relief_case(case_id).disbursed == yuan("3000")
    assert_sound(ledger, relief_fund)


def test_an_emergency_payment_reversed_before_approval_returns_to_the_fund(
    ledger: Ledger, relief_fund: UUID
) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger), emergency=True)
    fast = disburse(ledger, case_id, "1000")
    ledger.reverse_disbursement(
        case_id, reversal_id=uuid4(), disbursement_id=fast, reason="重复发放", reversed_on=DAY
    )
    fund = ledger.get_fund(relief_fund)
    assert (fund.balance, fund.reserved) == (yuan("10000"), Money.zero())
    assert_sound(ledger, relief_fund)


def test_a_payment_refused_for_want_of_a_reservation_names_amount_the_field_the_request_has(
    ledger: Ledger, relief_fund: UUID
) -> None:
    """Reversals recorded before 2026-12-01 returned to the fund only, so such a case's approval is
    no longer reserved in full; paying it is refused naming `amount`, never `reservation_id`."""
    case_id = relief_case(ledger, relief_fund, person(ledger))
    approve(ledger, case_id, "3000")
    paid = disburse(ledger, case_id, "3000")
    # As an old log has it: both sides of the reversal, and no restoration.
    case, fund = ledger.get_relief_case(case_id), ledger.get_fund(relief_fund)
    amount = case.reverse_disbursement(uuid4(), paid, "旧规则下的更正", DAY)
    fund.reverse_payment(
        uuid4(),
        Reversal(paid, "旧规则下的更正", DAY, amount),
        Payment(amount, DAY, "relief disbursement", None),
    )
    ledger.save(case, fund)
    with refused(ledger, ReservationSettled, "amount"):
        disburse(ledger, case_id, "1000")
