"""`Grant` (资助): money a foundation awards from a fund to an organisation, paid in instalments.

Awarding reserves the amount in the fund in the same transaction (the fund's reservation id is the
grant's id); each instalment posts against that reservation; closing or cancelling releases whatever is
unpaid. An amendment of the award is an event with a reason (more reserves more, less releases some).
Paid instalments stay paid unless an instalment is reversed with a public reason: while the grant is
active the money returns to the award (reserved again, the grant may pay it once more); after it ended,
to the fund's available balance. Community feedback (社区反馈评估) and the recipient's report
are part of the grant's public record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import event

from domain.checks import check_date, check_text, check_uuid
from domain.dates import Dated
from domain.errors import (
    AlreadyReversed,
    AmountBelowPaid,
    GrantNotActive,
    InsufficientFunds,
    InvalidChoice,
    InvalidDate,
)
from domain.events import LedgerAggregate, LedgerEvent
from domain.money import Money, check_positive

RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Award:
    STORED_AS: ClassVar[str] = "mingzhang/grant.Award"

    fund_id: UUID
    recipient_id: UUID
    programme: str
    title: str
    description: str
    amount: Money
    awarded_on: date
    planned_start: date
    planned_end: date
    pairing_id: UUID | None

    @classmethod
    def validated(
        cls,
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
    ) -> Award:
        check_positive(amount)
        start = check_date(planned_start, field="planned_start")
        end = check_date(planned_end, field="planned_end")
        if end < start:
            raise InvalidDate("planned_end must not be before planned_start", field="planned_end")
        return cls(
            check_uuid(fund_id, field="fund_id"),
            check_uuid(recipient_id, field="recipient_id"),
            check_text(programme, field="programme", max_length=200),
            check_text(title, field="title", max_length=200),
            check_text(description, field="description", multiline=True),
            amount,
            check_date(awarded_on, field="awarded_on"),
            start,
            end,
            None if pairing_id is None else check_uuid(pairing_id, field="pairing_id"),
        )


@dataclass(frozen=True)
class Instalment:
    STORED_AS: ClassVar[str] = "mingzhang/grant.Instalment"

    amount: Money
    paid_on: date

    @classmethod
    def validated(cls, *, amount: Money, paid_on: date) -> Instalment:
        check_positive(amount)
        return cls(amount, check_date(paid_on, field="paid_on"))


@dataclass(frozen=True)
class Amendment:
    STORED_AS: ClassVar[str] = "mingzhang/grant.Amendment"

    new_amount: Money
    reason: str
    amended_on: date

    @classmethod
    def validated(cls, *, new_amount: Money, reason: str, amended_on: date) -> Amendment:
        check_positive(new_amount, field="amount")
        return cls(
            new_amount,
            check_text(reason, field="reason"),
            check_date(amended_on, field="amended_on"),
        )


@dataclass(frozen=True)
class Feedback:
    """社区反馈评估: the community's rating (1–5) of the funded work, with a summary."""

    STORED_AS: ClassVar[str] = "mingzhang/grant.Feedback"

    rating: int
    summary: str
    recorded_on: date

    @classmethod
    def validated(cls, *, rating: int, summary: str, recorded_on: date) -> Feedback:
        if isinstance(rating, bool) or rating not in RATINGS:
            raise InvalidChoice(
                f"rating must be a whole number from 1 to 5, got {rating!r}", field="rating"
            )
        return cls(
            rating,
            check_text(summary, field="summary", multiline=True),
            check_date(recorded_on, field="recorded_on"),
        )


@dataclass(frozen=True)
class Report:
    STORED_AS: ClassVar[str] = "mingzhang/grant.Report"

    summary: str
    received_on: date

    @classmethod
    def validated(cls, *, summary: str, received_on: date) -> Report:
        return cls(
            check_text(summary, field="summary", multiline=True),
            check_date(received_on, field="received_on"),
        )


@dataclass(frozen=True)
class Ending:
    """How a grant ended: `closed` with its outcome, or `cancelled` with a public reason."""

    STORED_AS: ClassVar[str] = "mingzhang/grant.Ending"

    how: str
    text: str
    ended_on: date

    @classmethod
    def validated(cls, *, how: str, text: str, ended_on: date) -> Ending:
        field = "outcome" if how == "closed" else "reason"
        return cls(
            how,
            check_text(text, field=field, multiline=how == "closed"),
            check_date(ended_on, field=f"{how}_on"),
        )


GRANT_RECORDS: tuple[type, ...] = (Award, Instalment, Amendment, Feedback, Report, Ending)


class Grant(LedgerAggregate, Dated):
    TOPIC = "mingzhang/Grant"
    BEGAN = "the grant was awarded"

    class Created(LedgerAggregate.Created):
        """Base of the creation event; `Awarded` is the one recorded."""

        TOPIC = "mingzhang/Grant.Created"

    @classmethod
    def award(cls, grant_id: UUID, award: Award) -> Grant:
        return cls(
            id=grant_id,
            fund_id=award.fund_id,
            recipient_id=award.recipient_id,
            programme=award.programme,
            title=award.title,
            description=award.description,
            amount_fen=award.amount.fen,
            awarded_on=award.awarded_on,
            planned_start=award.planned_start,
            planned_end=award.planned_end,
            pairing_id=award.pairing_id,
        )

    class Awarded(Created):
        """A grant to an organisation."""

        TOPIC = "mingzhang/Grant.Awarded"
        fund_id: UUID
        recipient_id: UUID
        programme: str
        title: str
        description: str
        amount_fen: int
        awarded_on: date
        planned_start: date
        planned_end: date
        pairing_id: UUID | None

    @event(Awarded)
    def __init__(
        self,
        id: UUID,
        fund_id: UUID,
        recipient_id: UUID,
        programme: str,
        title: str,
        description: str,
        amount_fen: int,
        awarded_on: date,
        planned_start: date,
        planned_end: date,
        pairing_id: UUID | None,
    ) -> None:
        self.fund_id = fund_id
        self.recipient_id = recipient_id
        self.title = title
        self.awarded_on = awarded_on
        self.awarded = Money(amount_fen)
        self.paid = Money.zero()  # net of reversed instalments
        self.reversed = Money.zero()  # reversed and returned to the fund, not to the award
        self.instalments: dict[str, Money] = {}  # payment id → amount, while not reversed
        self.feedback: Feedback | None = None
        self.ending: Ending | None = None

    @property
    def is_active(self) -> bool:
        return self.ending is None

    @property
    def began_on(self) -> date:
        return self.awarded_on

    def check_active(self) -> None:
        if self.ending is not None:
            raise GrantNotActive(
                f"grant_id: grant {self.id} was {self.ending.how} on {self.ending.ended_on}",
                field="grant_id",
            )

    @property
    def left(self) -> Money:
        """What may still be paid: the award less what is paid and what was reversed after it
        ended, or before reversals returned to the award (`AwardRestored`)."""
        return self.awarded - self.paid - self.reversed

    def pay_instalment(self, payment_id: UUID, instalment: Instalment) -> Instalment:
        self.check_active()
        left = self.left
        if instalment.amount > left:
            raise InsufficientFunds(
                f"amount {instalment.amount} exceeds the {left} left of grant {self.id}",
                field="amount",
            )
        self._instalment_paid(
            payment_id=payment_id, amount_fen=instalment.amount.fen, paid_on=instalment.paid_on
        )
        return instalment

    class InstalmentPaid(LedgerEvent):
        """An instalment paid."""

        TOPIC = "mingzhang/Grant.InstalmentPaid"
        payment_id: UUID
        amount_fen: int
        paid_on: date

    @event(InstalmentPaid)
    def _instalment_paid(self, payment_id: UUID, amount_fen: int, paid_on: date) -> None:
        self.paid += Money(amount_fen)
        self.instalments[str(payment_id)] = Money(amount_fen)

    def amend(self, command_id: UUID, amendment: Amendment) -> Money:
        """Change the award; returns the change (positive: reserve more; negative: release)."""
        self.check_active()
        spent = self.paid + self.reversed
        if amendment.new_amount < spent:
            raise AmountBelowPaid(
                f"amount {amendment.new_amount} is below the {spent} already paid on grant {self.id}",
                field="amount",
            )
        delta = amendment.new_amount - self.awarded
        self._amended(
            command_id=command_id,
            new_amount_fen=amendment.new_amount.fen,
            delta_fen=delta.fen,
            reason=amendment.reason,
            amended_on=amendment.amended_on,
        )
        return delta

    class AmountAmended(LedgerEvent):
        """The award changed, with a reason."""

        TOPIC = "mingzhang/Grant.AmountAmended"
        command_id: UUID
        new_amount_fen: int
        delta_fen: int
        reason: str
        amended_on: date

    @event(AmountAmended)
    def _amended(
        self, command_id: UUID, new_amount_fen: int, delta_fen: int, reason: str, amended_on: date
    ) -> None:
        self.awarded = Money(new_amount_fen)

    def record_feedback(self, command_id: UUID, feedback: Feedback) -> Feedback:
        self._feedback_recorded(
            command_id=command_id,
            rating=feedback.rating,
            summary=feedback.summary,
            recorded_on=feedback.recorded_on,
        )
        return feedback

    class FeedbackRecorded(LedgerEvent):
        """社区反馈评估."""

        TOPIC = "mingzhang/Grant.FeedbackRecorded"
        command_id: UUID
        rating: int
        summary: str
        recorded_on: date

    @event(FeedbackRecorded)
    def _feedback_recorded(
        self, command_id: UUID, rating: int, summary: str, recorded_on: date
    ) -> None:
        self.feedback = Feedback(rating, summary, recorded_on)

    def receive_report(self, command_id: UUID, report: Report) -> Report:
        self._report_received(
            command_id=command_id, summary=report.summary, received_on=report.received_on
        )
        return report

    class ReportReceived(LedgerEvent):
        """The recipient's report."""

        TOPIC = "mingzhang/Grant.ReportReceived"
        command_id: UUID
        summary: str
        received_on: date

    @event(ReportReceived)
    def _report_received(self, command_id: UUID, summary: str, received_on: date) -> None:
        pass  # the report is public record through the event; the grant's rules do not depend on it

    def end(self, command_id: UUID, ending: Ending, released: Money) -> Ending:
        """Close (with the outcome) or cancel (with the public reason); `released` went back to the fund."""
        self.check_active()
        if ending.how == "closed":
            self._closed(
                command_id=command_id,
                outcome=ending.text,
                closed_on=ending.ended_on,
                released_fen=released.fen,
            )
        else:
            self._cancelled(
                command_id=command_id,
                reason=ending.text,
                cancelled_on=ending.ended_on,
                released_fen=released.fen,
            )
        return ending

    class Closed(LedgerEvent):
        """Finished; the unpaid rest went back to the fund."""

        TOPIC = "mingzhang/Grant.Closed"
        command_id: UUID
        outcome: str
        closed_on: date
        released_fen: int

    @event(Closed)
    def _closed(self, command_id: UUID, outcome: str, closed_on: date, released_fen: int) -> None:
        self.ending = Ending("closed", outcome, closed_on)

    class Cancelled(LedgerEvent):
        """Cancelled with a public reason."""

        TOPIC = "mingzhang/Grant.Cancelled"
        command_id: UUID
        reason: str
        cancelled_on: date
        released_fen: int

    @event(Cancelled)
    def _cancelled(
        self, command_id: UUID, reason: str, cancelled_on: date, released_fen: int
    ) -> None:
        self.ending = Ending("cancelled", reason, cancelled_on)

    def reverse_instalment(
        self, reversal_id: UUID, payment_id: UUID, reason: str, reversed_on: date
    ) -> Money:
        amount = self.instalments.get(str(payment_id))
        if amount is None:
            raise AlreadyReversed(
                f"payment_id: {payment_id} is not an unreversed instalment of grant {self.id}",
                field="payment_id",
            )
        self._instalment_reversed(
            reversal_id=reversal_id,
            payment_id=payment_id,
            reason=reason,
            reversed_on=reversed_on,
            amount_fen=amount.fen,
        )
        if self.is_active:
            self._award_restored(
                reversal_id=reversal_id, amount_fen=amount.fen, restored_on=reversed_on
            )
        return amount

    class InstalmentReversed(LedgerEvent):
        """更正说明: an instalment came back."""

        TOPIC = "mingzhang/Grant.InstalmentReversed"
        reversal_id: UUID
        payment_id: UUID
        reason: str
        reversed_on: date
        amount_fen: int

    @event(InstalmentReversed)
    def _instalment_reversed(
        self, reversal_id: UUID, payment_id: UUID, reason: str, reversed_on: date, amount_fen: int
    ) -> None:
        self.paid -= Money(amount_fen)
        self.reversed += Money(amount_fen)
        del self.instalments[str(payment_id)]

    class AwardRestored(LedgerEvent):
        """A reversed instalment of an active grant returned to the award: it may be paid again
        (the fund reserves it again in the same commit, `Fund.ReservationRestored`)."""

        TOPIC = "mingzhang/Grant.AwardRestored"
        reversal_id: UUID
        amount_fen: int
        restored_on: date

    @event(AwardRestored)
    def _award_restored(self, reversal_id: UUID, amount_fen: int, restored_on: date) -> None:
        self.reversed -= Money(amount_fen)
