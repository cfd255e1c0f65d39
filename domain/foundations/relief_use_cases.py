"""The ledger's use cases for emergency-relief cases (救急难): open, approve (reserving), reject,
disburse, ratify, reverse a disbursement; and publish a year's statistics by detailed reason.

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
from domain.errors import InvalidDate, NotFound, UnknownReliefCase, WrongFundKind
from domain.foundations.entries import Payment, Reservation, Reversal
from domain.foundations.fund_use_cases import FundUseCases
from domain.foundations.relief import (
    Approval,
    ConfidentialCaseOpening,
    Disbursement,
    Ratification,
    Rejection,
    ReliefCase,
    check_reason,
)
from domain.foundations.relief_statistics import (
    ReliefStatistics,
    StatisticsPublication,
    statistics_id,
    suppressed_table,
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
    ) -> Outcome[ConfidentialCaseOpening]:
        """Open a case on an emergency-relief fund; the beneficiary enters as a fresh vault reference,
        and the detailed reason goes with it into the vault (the event carries its public category
        and a commitment to it)."""
        reason = check_reason(reason_code)
        minted = self._mint(
            beneficiary_subject_id, case_id, field="beneficiary_subject_id", person=beneficiary
        )
        assert self.vault is not None  # minting needed it
        record = ConfidentialCaseOpening.validated(
            fund_id=fund_id,
            reason_code=reason,
            reason_commitment=self.vault.commit_circumstances(case_id, (reason,)),
            purpose_code=purpose_code,
            subdistrict=subdistrict,
            beneficiary=minted,
            requested=requested_amount,
            emergency=emergency,
            opened_on=opened_on,
        )

        def act() -> tuple[ConfidentialCaseOpening, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            fund.check_open()
            # A case is placed within the district of the foundation whose fund pays it.
            foundation = self.get_organization(fund.foundation_id, field="fund_id")
            self.check_subdistrict(foundation.district, record.subdistrict)
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

    # --- statistics by detailed reason -----------------------------------------------------------

    def get_relief_statistics(self, year: int) -> ReliefStatistics:
        return self._get(statistics_id(year), ReliefStatistics, NotFound, "year")

    def publish_relief_statistics(self, year: int) -> Outcome[StatisticsPublication]:
        """Publish a year's cases by district and detailed reason, counted from the vault, with the
        suppression rule applied (`relief_statistics.suppressed_table`). Once per year, after it
        has ended: publishing it again is a repeat and answers the table first published (a second
        version would tell, by difference, the reasons of the cases recorded in between)."""
        target = statistics_id(year)
        earlier = self.applied(target)
        if earlier is not None and isinstance(earlier.record, StatisticsPublication):
            published: StatisticsPublication = earlier.record
            return self._run(target, target, published, lambda: (published, []))
        today = self.today()
        if not isinstance(year, int) or isinstance(year, bool) or year >= today.year:
            raise InvalidDate(
                f"year: statistics are published once the year has ended; {today.year} has not",
                field="year",
            )
        if self.vault is None:
            msg = "this Ledger has no personal-data vault; construct it with vault=…"
            raise RuntimeError(msg)
        counts: dict[tuple[str, str], int] = {}
        for case_id, codes in self.vault.circumstances():
            case = self.get_relief_case(case_id)
            if case.opened_on.year != year:
                continue
            foundation = self.get_fund(case.fund_id).foundation_id
            district = self.get_organization(foundation).district
            for code in set(codes):
                counts[(district, code)] = counts.get((district, code), 0) + 1
        cells, totals = suppressed_table(counts)
        record = StatisticsPublication(year, today, cells, totals)

        def act() -> tuple[StatisticsPublication, list[Aggregate]]:
            return record, [ReliefStatistics.publish(record)]

        return self._run(target, target, record, act)
