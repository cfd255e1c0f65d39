"""The ledger's use cases for grants: award (reserving in the fund), instalments, amendments,
feedback, reports, closing or cancelling (releasing what is left), reversing an instalment.

`GrantUseCases` is one family of `Ledger`'s methods (composed in `domain/ledger.py`); the rules are the
`Grant` aggregate's (`domain/foundations/grant.py`). It builds on `FundUseCases` because every grant
command that moves money saves the grant and its fund together.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.dates import check_not_before
from domain.errors import RoleMismatch, UnknownGrant
from domain.foundations.entries import (
    Payment,
    Release,
    Reservation,
    ReservationAdjustment,
    Reversal,
)
from domain.foundations.fund_use_cases import FundUseCases
from domain.foundations.grant import Amendment, Award, Ending, Feedback, Grant, Instalment, Report
from domain.money import Money

if TYPE_CHECKING:
    from domain.ledger import Outcome


class GrantUseCases(FundUseCases):
    """Grants, reserved in and paid from a fund."""

    def get_grant(self, grant_id: UUID) -> Grant:
        return self._get(grant_id, Grant, UnknownGrant, "grant_id")

    def award_grant(
        self,
        grant_id: UUID,
        *,
        fund_id: UUID,
        recipient_id: UUID,
        programme: str,
        title: str,
        description: str,
        amount: Money,
        awarded_on: date,
        planned_start: date,
        planned_end: date,
        pairing_id: UUID | None = None,
    ) -> Outcome[Award]:
        """Award a grant and reserve its amount in the fund, in one transaction."""
        record = Award.validated(
            fund_id=fund_id,
            recipient_id=recipient_id,
            programme=programme,
            title=title,
            description=description,
            amount=amount,
            awarded_on=awarded_on,
            planned_start=planned_start,
            planned_end=planned_end,
            pairing_id=pairing_id,
        )

        def act() -> tuple[Award, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            recipient = self.get_organization(recipient_id, field="recipient_id")
            recipient.check_active(field="recipient_id")
            today = self.today()
            fund.check_dated(record.awarded_on, field="awarded_on", today=today)
            recipient.check_dated(record.awarded_on, field="awarded_on", today=today)
            if recipient.id == fund.foundation_id:
                raise RoleMismatch(
                    f"recipient_id: fund {fund_id} belongs to {recipient.name!r}; a foundation "
                    "cannot grant to itself",
                    field="recipient_id",
                )
            fund.reserve(grant_id, Reservation(amount, awarded_on, f"grant: {title}"))
            return record, [Grant.award(grant_id, record), fund]

        return self._run(grant_id, grant_id, record, act)

    def pay_instalment(
        self, grant_id: UUID, *, payment_id: UUID, amount: Money, paid_on: date
    ) -> Outcome[Instalment]:
        record = Instalment.validated(amount=amount, paid_on=paid_on)

        def act() -> tuple[Instalment, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            fund = self.get_fund(grant.fund_id)
            grant.check_dated(record.paid_on, field="paid_on", today=self.today())
            grant.pay_instalment(payment_id, record)
            payment = Payment(amount, paid_on, f"grant instalment: {grant.title}", grant_id)
            fund.pay(payment_id, payment, field="amount")
            return record, [grant, fund]

        return self._run(payment_id, grant_id, record, act)

    def amend_grant(
        self, grant_id: UUID, *, command_id: UUID, new_amount: Money, reason: str, amended_on: date
    ) -> Outcome[Amendment]:
        record = Amendment.validated(new_amount=new_amount, reason=reason, amended_on=amended_on)

        def act() -> tuple[Amendment, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            fund = self.get_fund(grant.fund_id)
            grant.check_dated(record.amended_on, field="amended_on", today=self.today())
            delta = grant.amend(command_id, record)
            adjustment = ReservationAdjustment(grant_id, delta, record.reason, amended_on)
            fund.adjust_reservation(command_id, adjustment)
            return record, [grant, fund]

        return self._run(command_id, grant_id, record, act)

    def record_grant_feedback(
        self, grant_id: UUID, *, command_id: UUID, rating: int, summary: str, recorded_on: date
    ) -> Outcome[Feedback]:
        record = Feedback.validated(rating=rating, summary=summary, recorded_on=recorded_on)

        def act() -> tuple[Feedback, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            grant.check_dated(record.recorded_on, field="recorded_on", today=self.today())
            return grant.record_feedback(command_id, record), [grant]

        return self._run(command_id, grant_id, record, act)

    def receive_grant_report(
        self, grant_id: UUID, *, command_id: UUID, summary: str, received_on: date
    ) -> Outcome[Report]:
        record = Report.validated(summary=summary, received_on=received_on)

        def act() -> tuple[Report, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            grant.check_dated(record.received_on, field="received_on", today=self.today())
            return grant.receive_report(command_id, record), [grant]

        return self._run(command_id, grant_id, record, act)

    def close_grant(
        self, grant_id: UUID, *, command_id: UUID, outcome: str, closed_on: date
    ) -> Outcome[Ending]:
        return self._end_grant(
            grant_id, command_id, Ending.validated(how="closed", text=outcome, ended_on=closed_on)
        )

    def cancel_grant(
        self, grant_id: UUID, *, command_id: UUID, reason: str, cancelled_on: date
    ) -> Outcome[Ending]:
        return self._end_grant(
            grant_id,
            command_id,
            Ending.validated(how="cancelled", text=reason, ended_on=cancelled_on),
        )

    def _end_grant(self, grant_id: UUID, command_id: UUID, record: Ending) -> Outcome[Ending]:
        def act() -> tuple[Ending, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            fund = self.get_fund(grant.fund_id)
            grant.check_active()
            grant.check_dated(record.ended_on, field=f"{record.how}_on", today=self.today())
            released = Money.zero()
            if str(grant_id) in fund.outstanding:
                released = fund.release(
                    command_id, Release(grant_id, record.ended_on, Money.zero())
                ).amount
            return grant.end(command_id, record, released), [grant, fund]

        return self._run(command_id, grant_id, record, act)

    def reverse_instalment(
        self, grant_id: UUID, *, reversal_id: UUID, payment_id: UUID, reason: str, reversed_on: date
    ) -> Outcome[Reversal]:
        """Money of a paid instalment came back. While the grant is active it returns to the award
        (the fund reserves it again and the grant may pay it once more); after the grant was closed
        or cancelled, whose reservation was released, it returns to the fund's available balance."""
        request = Reversal.validated(
            target_id=payment_id, target_field="payment_id", reason=reason, reversed_on=reversed_on
        )

        def act() -> tuple[Reversal, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            fund = self.get_fund(grant.fund_id)
            instalment = self._entry(
                payment_id, Instalment, grant_id, field="payment_id", owner="grant"
            )
            grant.check_dated(request.reversed_on, field="reversed_on", today=self.today())
            check_not_before(
                request.reversed_on,
                instalment.paid_on,
                field="reversed_on",
                since="the instalment was paid",
            )
            to_award = grant.is_active
            amount = grant.reverse_instalment(
                reversal_id, payment_id, request.reason, request.reversed_on
            )
            paid = Payment(amount, reversed_on, "grant instalment", grant_id)
            restore_to = grant_id if to_award else None
            reversal = fund.reverse_payment(reversal_id, request, paid, restore_to=restore_to)
            return reversal, [grant, fund]

        return self._run(reversal_id, grant_id, request, act)
