"""The ledger's use cases for emergency-relief cases (救急难): open, approve (reserving), reject,
disburse, ratify, reverse a disbursement.

`ReliefUseCases` is one family of `Ledger`'s methods (composed in `domain/ledger.py`); the rules are the
`ReliefCase` aggregate's (`domain/foundations/relief.py`). It builds on `FundUseCases` because a case is
paid from an emergency-relief fund, saved with the case.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.dates import check_not_before
from domain.errors import UnknownReliefCase, WrongFundKind
from domain.foundations.entries import Payment, Reservation, Reversal
from domain.foundations.fund_use_cases import FundUseCases
from domain.foundations.relief import (
    Approval,
    CaseOpening,
    Disbursement,
    Ratification,
    Rejection,
    ReliefCase,
)
from domain.money import Money
from domain.privacy import NewPerson
from domain.use_cases import forgets_references_of_refused_commands

if TYPE_CHECKING:
    from domain.ledger import Outcome


class ReliefUseCases(FundUseCases):
    """Emergency-relief cases, paid from an emergency-relief fund."""

    # Days an emergency disbursement may wait for ratification; the Ledger is constructed with it.
    ratification_days: int

    def get_relief_case(self, case_id: UUID) -> ReliefCase:
        return self._get(case_id, ReliefCase, UnknownReliefCase, "case_id")

    @forgets_references_of_refused_commands("case_id")
    def open_relief_case(
        self,
        case_id: UUID,
        *,
        fund_id: UUID,
        reason_code: str,
        purpose_code: str,
        subdistrict: str,
        beneficiary_subject_id: UUID | None = None,
        beneficiary: NewPerson | None = None,
        requested_amount: Money,
        emergency: bool,
        opened_on: date,
    ) -> Outcome[CaseOpening]:
        """Open a case on an emergency-relief fund; the beneficiary enters as a fresh vault reference."""
        minted = self._mint(
            beneficiary_subject_id, case_id, field="beneficiary_subject_id", person=beneficiary
        )
        record = CaseOpening.validated(
            fund_id=fund_id,
            reason_code=reason_code,
            purpose_code=purpose_code,
            subdistrict=subdistrict,
            beneficiary=minted,
            requested=requested_amount,
            emergency=emergency,
            opened_on=opened_on,
        )

        def act() -> tuple[CaseOpening, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            fund.check_open()
            fund.check_dated(record.opened_on, field="opened_on", today=self.today())
            if fund.kind != "emergency_relief":
                raise WrongFundKind(
                    f"fund_id: relief cases are paid from an emergency_relief fund; {fund_id} is {fund.kind}",
                    field="fund_id",
                )
            return record, [ReliefCase.open(case_id, record)]

        return self._run(case_id, case_id, record, act)

    def approve_relief_case(
        self,
        case_id: UUID,
        *,
        command_id: UUID,
        amount: Money,
        approvers: list[UUID],
        approved_on: date,
    ) -> Outcome[Approval]:
        """Approve, reserving in the fund what the approval adds to what was already paid."""
        record = Approval.validated(amount=amount, approvers=approvers, approved_on=approved_on)

        def act() -> tuple[Approval, list[Aggregate]]:
            case = self.get_relief_case(case_id)
            fund = self.get_fund(case.fund_id)
            case.check_dated(record.approved_on, field="approved_on", today=self.today())
            to_reserve = case.approve(command_id, record)
            if to_reserve.is_positive():
                fund.reserve(case_id, Reservation(to_reserve, approved_on, "relief case approval"))
            return record, [case, fund]

        return self._run(command_id, case_id, record, act)

    def reject_relief_case(
        self, case_id: UUID, *, command_id: UUID, reason: str, rejected_on: date
    ) -> Outcome[Rejection]:
        record = Rejection.validated(reason=reason, rejected_on=rejected_on)

        def act() -> tuple[Rejection, list[Aggregate]]:
            case = self.get_relief_case(case_id)
            case.check_dated(record.rejected_on, field="rejected_on", today=self.today())
            return case.reject(command_id, record), [case]

        return self._run(command_id, case_id, record, act)

    def disburse_relief(
        self, case_id: UUID, *, disbursement_id: UUID, amount: Money, paid_on: date
    ) -> Outcome[Disbursement]:
        """Pay against the approval, or (an emergency case not yet approved) from the fund's
        available balance, starting the ratification deadline."""
        record = Disbursement.validated(amount=amount, paid_on=paid_on)

        def act() -> tuple[Disbursement, list[Aggregate]]:
            case = self.get_relief_case(case_id)
            fund = self.get_fund(case.fund_id)
            case.check_dated(record.paid_on, field="paid_on", today=self.today())
            against_approval = case.disburse(disbursement_id, record, self.ratification_days)
            reservation = case_id if against_approval else None
            payment = Payment(amount, paid_on, "relief disbursement", reservation)
            fund.pay(disbursement_id, payment, field="amount")
            return record, [case, fund]

        return self._run(disbursement_id, case_id, record, act)

    def ratify_relief_case(
        self, case_id: UUID, *, command_id: UUID, approvers: list[UUID], ratified_on: date
    ) -> Outcome[Ratification]:
        record = Ratification.validated(approvers=approvers, ratified_on=ratified_on)

        def act() -> tuple[Ratification, list[Aggregate]]:
            case = self.get_relief_case(case_id)
            case.check_dated(record.ratified_on, field="ratified_on", today=self.today())
            return case.ratify(command_id, record), [case]

        return self._run(command_id, case_id, record, act)

    def reverse_disbursement(
        self,
        case_id: UUID,
        *,
        reversal_id: UUID,
        disbursement_id: UUID,
        reason: str,
        reversed_on: date,
    ) -> Outcome[Reversal]:
        """Undo a disbursement, with a public reason. The money returns to the case's approval
        when the case is approved (the fund reserves it again, so the case can still pay all it was
        approved), otherwise to the fund's available balance (an emergency payment not yet approved)."""
        request = Reversal.validated(
            target_id=disbursement_id,
            target_field="disbursement_id",
            reason=reason,
            reversed_on=reversed_on,
        )

        def act() -> tuple[Reversal, list[Aggregate]]:
            case = self.get_relief_case(case_id)
            fund = self.get_fund(case.fund_id)
            disbursement = self._entry(
                disbursement_id, Disbursement, case_id, field="disbursement_id", owner="relief case"
            )
            case.check_dated(request.reversed_on, field="reversed_on", today=self.today())
            check_not_before(
                request.reversed_on,
                disbursement.paid_on,
                field="reversed_on",
                since="the disbursement was paid",
            )
            amount = case.reverse_disbursement(
                reversal_id, disbursement_id, request.reason, request.reversed_on
            )
            paid = Payment(amount, reversed_on, "relief disbursement", None)
            restore_to = case_id if case.approved is not None else None
            reversal = fund.reverse_payment(reversal_id, request, paid, restore_to=restore_to)
            return reversal, [case, fund]

        return self._run(reversal_id, case_id, request, act)
