"""An id that names no entry is unknown (404), whatever it is asked to undo; only an entry that exists
and was already undone is a conflict (409). Donations and transfers always worked so; instalments and
disbursements answered `already_reversed` for ids they had never seen."""

from __future__ import annotations

from uuid import UUID, uuid4

from domain.errors import AlreadyReversed, UnknownEntry
from domain.ledger import Ledger
from domain.money import Money
from tests.support import DAY, award, donate, open_fund, person, refused, register, relief_case


def paid_grant(ledger: Ledger) -> tuple[UUID, UUID]:
    fund_id = open_fund(ledger)
    donate(ledger, fund_id, "10000")
    grant_id = award(ledger, fund_id, register(ledger, name="花木睦邻中心", roles=[]), "4000")
    payment_id = uuid4()
    ledger.pay_instalment(grant_id, payment_id=payment_id, amount=Money.yuan("1000"), paid_on=DAY)
    return grant_id, payment_id


def paid_case(ledger: Ledger) -> tuple[UUID, UUID]:
    fund_id = open_fund(ledger, kind="emergency_relief", name="暖心基金")
    donate(ledger, fund_id, "5000")
    case_id = relief_case(ledger, fund_id, person(ledger), emergency=True)
    disbursement_id = uuid4()
    ledger.disburse_relief(
        case_id, disbursement_id=disbursement_id, amount=Money.yuan("500"), paid_on=DAY
    )
    return case_id, disbursement_id


def test_reversing_an_instalment_the_grant_never_paid_is_an_unknown_entry(ledger: Ledger) -> None:
    grant_id, _ = paid_grant(ledger)
    with refused(ledger, UnknownEntry, "payment_id"):
        ledger.reverse_instalment(
            grant_id, reversal_id=uuid4(), payment_id=uuid4(), reason="退回", reversed_on=DAY
        )


def test_an_instalment_of_another_grant_is_unknown_to_this_one(ledger: Ledger) -> None:
    grant_id, _ = paid_grant(ledger)
    _, other_payment = paid_grant(ledger)
    with refused(ledger, UnknownEntry, "payment_id"):
        ledger.reverse_instalment(
            grant_id, reversal_id=uuid4(), payment_id=other_payment, reason="退回", reversed_on=DAY
        )


def test_an_instalment_reversed_once_is_already_reversed_the_second_time(ledger: Ledger) -> None:
    grant_id, payment_id = paid_grant(ledger)
    ledger.reverse_instalment(
        grant_id, reversal_id=uuid4(), payment_id=payment_id, reason="退回", reversed_on=DAY
    )
    with refused(ledger, AlreadyReversed, "payment_id"):
        ledger.reverse_instalment(
            grant_id, reversal_id=uuid4(), payment_id=payment_id, reason="退回", reversed_on=DAY
        )


def test_reversing_a_disbursement_the_case_never_made_is_an_unknown_entry(ledger: Ledger) -> None:
    case_id, _ = paid_case(ledger)
    with refused(ledger, UnknownEntry, "disbursement_id"):
        ledger.reverse_disbursement(
            case_id, reversal_id=uuid4(), disbursement_id=uuid4(), reason="重复", reversed_on=DAY
        )


def test_a_disbursement_reversed_once_is_already_reversed_the_second_time(ledger: Ledger) -> None:
    case_id, disbursement_id = paid_case(ledger)
    ledger.reverse_disbursement(
        case_id,
        reversal_id=uuid4(),
        disbursement_id=disbursement_id,
        reason="重复",
        reversed_on=DAY,
    )
    with refused(ledger, AlreadyReversed, "disbursement_id"):
        ledger.reverse_disbursement(
            case_id,
            reversal_id=uuid4(),
            disbursement_id=disbursement_id,
            reason="重复",
            reversed_on=DAY,
        )
