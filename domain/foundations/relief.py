"""`ReliefCase` (救急难个案): emergency relief for one person, paid from an `emergency_relief` fund.

The beneficiary never appears in an event: the case carries only a per-case vault reference and its
commitment, the subdistrict (the finest location in the log), the 360Giving purpose code, and of the
reason only its public category (生活困难 / 突发事件 / 其他, `codes.RELIEF_CATEGORY_OF`) with a commitment
to the detailed 360Giving reason code, which the vault keeps with the case's reference (a reason such
as a disability or an illness, alone in a subdistrict and a month, would say why a neighbour was
helped). A case opened before that rule still carries its reason code in the stored log; the upcast
of `Opened` reads it as its category, so nothing decoded from the log shows the code.

The ordinary path is approve (which reserves the approved amount in the fund) then disburse against it.
The emergency fast path, for a case opened as an emergency, disburses before approval from the fund's
available balance and sets a ratification deadline; the case must then be ratified, or the disbursement
reversed (the money returns to the fund, with a public reason). A case is rejected with a reason only
while nothing it disbursed is outstanding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import event

from domain.checks import check_choice, check_date, check_text, check_uuid
from domain.dates import Dated
from domain.errors import AlreadyReversed, CaseStateConflict, InsufficientFunds, InvalidText
from domain.events import LedgerAggregate, LedgerEvent
from domain.foundations.codes import RELIEF_CATEGORY_OF, RELIEF_PURPOSES, RELIEF_REASONS
from domain.money import Money, check_positive
from domain.privacy import Minted


def check_reason(reason_code: str) -> str:
    return check_choice(reason_code, RELIEF_REASONS, field="reason_code")


@dataclass(frozen=True)
class CaseOpening:
    """A case's opening as recorded before reasons were kept in the vault: the command index still
    holds these for old cases (read, never written again)."""

    STORED_AS: ClassVar[str] = "mingzhang/relief.CaseOpening"

    fund_id: UUID
    reason_code: str
    purpose_code: str
    subdistrict: str
    beneficiary_ref: UUID
    beneficiary_commitment: str
    requested: Money
    emergency: bool
    opened_on: date

    @property
    def reason_category(self) -> str:
        return RELIEF_CATEGORY_OF[self.reason_code]


@dataclass(frozen=True)
class ConfidentialCaseOpening:
    """A case's opening: the reason only as its public category and a commitment to the detailed
    code (the code itself is in the vault, with the beneficiary's reference for this case)."""

    STORED_AS: ClassVar[str] = "mingzhang/relief.ConfidentialCaseOpening"

    fund_id: UUID
    reason_category: str
    reason_commitment: str
    purpose_code: str
    subdistrict: str
    beneficiary_ref: UUID
    beneficiary_commitment: str
    requested: Money
    emergency: bool
    opened_on: date

    @classmethod
    def validated(
        cls,
        *,
        fund_id: UUID,
        reason_code: str,
        reason_commitment: str,
        purpose_code: str,
        subdistrict: str,
        beneficiary: Minted,
        requested: Money,
        emergency: bool,
        opened_on: date,
    ) -> ConfidentialCaseOpening:
        check_positive(requested, field="requested_amount")
        if not isinstance(emergency, bool):
            raise InvalidText("emergency must be true or false", field="emergency")
        return cls(
            check_uuid(fund_id, field="fund_id"),
            RELIEF_CATEGORY_OF[check_reason(reason_code)],
            reason_commitment,
            check_choice(purpose_code, RELIEF_PURPOSES, field="purpose_code"),
            check_text(subdistrict, field="subdistrict", max_length=100),
            beneficiary.reference,
            beneficiary.commitment,
            requested,
            emergency,
            check_date(opened_on, field="opened_on"),
        )


def check_people(ids: list[UUID], *, field: str) -> tuple[UUID, ...]:
    if isinstance(ids, str) or not ids:
        raise InvalidText(f"{field} must list at least one id", field=field)
    return tuple(check_uuid(i, field=field) for i in ids)


def days_overdue(ratify_by: date, today: date) -> int:
    """How many days a ratification deadline has passed on `today`: 0 on the deadline itself, when
    ratifying is still on time, and before it."""
    return max((today - ratify_by).days, 0)


@dataclass(frozen=True)
class Approval:
    STORED_AS: ClassVar[str] = "mingzhang/relief.Approval"

    def __post_init__(self) -> None:
        # Stored records come back from JSON with a list; the record always holds a tuple.
        object.__setattr__(self, "approvers", tuple(self.approvers))

    amount: Money
    approvers: tuple[UUID, ...]
    approved_on: date

    @classmethod
    def validated(cls, *, amount: Money, approvers: list[UUID], approved_on: date) -> Approval:
        check_positive(amount)
        return cls(
            amount,
            check_people(approvers, field="approvers"),
            check_date(approved_on, field="approved_on"),
        )


@dataclass(frozen=True)
class Rejection:
    STORED_AS: ClassVar[str] = "mingzhang/relief.Rejection"

    reason: str
    rejected_on: date

    @classmethod
    def validated(cls, *, reason: str, rejected_on: date) -> Rejection:
        return cls(check_text(reason, field="reason"), check_date(rejected_on, field="rejected_on"))


@dataclass(frozen=True)
class Disbursement:
    STORED_AS: ClassVar[str] = "mingzhang/relief.Disbursement"

    amount: Money
    paid_on: date

    @classmethod
    def validated(cls, *, amount: Money, paid_on: date) -> Disbursement:
        check_positive(amount)
        return cls(amount, check_date(paid_on, field="paid_on"))


@dataclass(frozen=True)
class Ratification:
    STORED_AS: ClassVar[str] = "mingzhang/relief.Ratification"

    def __post_init__(self) -> None:
        # Stored records come back from JSON with a list; the record always holds a tuple.
        object.__setattr__(self, "approvers", tuple(self.approvers))

    approvers: tuple[UUID, ...]
    ratified_on: date

    @classmethod
    def validated(cls, *, approvers: list[UUID], ratified_on: date) -> Ratification:
        return cls(
            check_people(approvers, field="approvers"), check_date(ratified_on, field="ratified_on")
        )


RELIEF_RECORDS: tuple[type, ...] = (
    CaseOpening,
    ConfidentialCaseOpening,
    Approval,
    Rejection,
    Disbursement,
    Ratification,
)


class ReliefCase(LedgerAggregate, Dated):
    TOPIC = "mingzhang/ReliefCase"
    BEGAN = "the case was opened"

    class Created(LedgerAggregate.Created):
        """Base of the creation event; `Opened` is the one recorded."""

        TOPIC = "mingzhang/ReliefCase.Created"

    @classmethod
    def open(cls, case_id: UUID, opening: ConfidentialCaseOpening) -> ReliefCase:
        return cls(
            id=case_id,
            fund_id=opening.fund_id,
            reason_category=opening.reason_category,
            reason_commitment=opening.reason_commitment,
            purpose_code=opening.purpose_code,
            subdistrict=opening.subdistrict,
            beneficiary_ref=opening.beneficiary_ref,
            beneficiary_commitment=opening.beneficiary_commitment,
            requested_fen=opening.requested.fen,
            emergency=opening.emergency,
            opened_on=opening.opened_on,
        )

    class Opened(Created):
        """A case on an emergency-relief fund. Version 2 carries the reason's public category and a
        commitment to the detailed code; a version-1 event (which carried the code) reads as its
        category, with no commitment."""

        TOPIC = "mingzhang/ReliefCase.Opened"
        class_version = 2
        fund_id: UUID
        reason_category: str
        reason_commitment: str | None
        purpose_code: str
        subdistrict: str
        beneficiary_ref: UUID
        beneficiary_commitment: str
        requested_fen: int
        emergency: bool
        opened_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            # The stored bytes keep the code (the log is never rewritten); what is read is the
            # category, in the place the code had, so the keys keep their order.
            code = state["reason_code"]
            assert isinstance(code, str)
            upcast: dict[str, object] = {}
            for key, value in state.items():
                if key == "reason_code":
                    upcast["reason_category"] = RELIEF_CATEGORY_OF[code]
                    upcast["reason_commitment"] = None
                else:
                    upcast[key] = value
            state.clear()
            state.update(upcast)

    @event(Opened)
    def __init__(
        self,
        id: UUID,
        fund_id: UUID,
        reason_category: str,
        reason_commitment: str | None,
        purpose_code: str,
        subdistrict: str,
        beneficiary_ref: UUID,
        beneficiary_commitment: str,
        requested_fen: int,
        emergency: bool,
        opened_on: date,
    ) -> None:
        self.fund_id = fund_id
        self.opened_on = opened_on
        self.emergency = emergency
        self.approved: Money | None = None
        self.rejected_on: date | None = None
        self.disbursed = Money.zero()  # net of reversals
        self.disbursements: dict[str, Money] = {}  # id → amount, while not reversed
        self.unratified: dict[str, Money] = {}  # disbursed before approval, not yet ratified
        self.ratify_by: date | None = None
        self.ratified_on: date | None = None

    @property
    def began_on(self) -> date:
        return self.opened_on

    # --- rules -----------------------------------------------------------------------------------

    def check_not_rejected(self) -> None:
        if self.rejected_on is not None:
            raise CaseStateConflict(
                f"case_id: case {self.id} was rejected on {self.rejected_on}", field="case_id"
            )

    def is_overdue(self, today: date) -> bool:
        return (
            bool(self.unratified)
            and self.ratify_by is not None
            and days_overdue(self.ratify_by, today) > 0
        )

    # --- commands --------------------------------------------------------------------------------

    def approve(self, command_id: UUID, approval: Approval) -> Money:
        """Approve; returns what the fund must reserve (the approval less what was already paid)."""
        self.check_not_rejected()
        if self.approved is not None:
            raise CaseStateConflict(f"case_id: case {self.id} is already approved", field="case_id")
        if approval.amount < self.disbursed:
            raise CaseStateConflict(
                f"amount {approval.amount} is less than the {self.disbursed} already disbursed",
                field="amount",
            )
        self._approved(
            command_id=command_id,
            amount_fen=approval.amount.fen,
            approvers=list(approval.approvers),
            approved_on=approval.approved_on,
        )
        return approval.amount - self.disbursed

    class Approved(LedgerEvent):
        """Approved; the fund reserves the amount not yet paid."""

        TOPIC = "mingzhang/ReliefCase.Approved"
        command_id: UUID
        amount_fen: int
        approvers: list[UUID]
        approved_on: date

    @event(Approved)
    def _approved(
        self, command_id: UUID, amount_fen: int, approvers: list[UUID], approved_on: date
    ) -> None:
        self.approved = Money(amount_fen)

    def reject(self, command_id: UUID, rejection: Rejection) -> Rejection:
        self.check_not_rejected()
        if self.approved is not None or self.disbursed.is_positive():
            raise CaseStateConflict(
                f"case_id: case {self.id} is approved or has disbursed money; reverse "
                "the disbursements before rejecting it",
                field="case_id",
            )
        self._rejected(
            command_id=command_id, reason=rejection.reason, rejected_on=rejection.rejected_on
        )
        return rejection

    class Rejected(LedgerEvent):
        """Rejected with a reason."""

        TOPIC = "mingzhang/ReliefCase.Rejected"
        command_id: UUID
        reason: str
        rejected_on: date

    @event(Rejected)
    def _rejected(self, command_id: UUID, reason: str, rejected_on: date) -> None:
        self.rejected_on = rejected_on

    def disburse(
        self, disbursement_id: UUID, disbursement: Disbursement, ratification_days: int
    ) -> bool:
        """Record a disbursement; returns True when it is paid against the approval (the fund's
        reservation), False when it takes the emergency fast path (the fund's available balance)."""
        self.check_not_rejected()
        if self.approved is not None:
            left = self.approved - self.disbursed
            if disbursement.amount > left:
                raise InsufficientFunds(
                    f"amount {disbursement.amount} exceeds the {left} approved and not yet disbursed",
                    field="amount",
                )
            ratify_by = None
        elif self.emergency:
            ratify_by = self.ratify_by or disbursement.paid_on + timedelta(days=ratification_days)
        else:
            raise CaseStateConflict(
                f"case_id: case {self.id} is not approved and not an emergency; approve it first",
                field="case_id",
            )
        self._disbursed(
            disbursement_id=disbursement_id,
            amount_fen=disbursement.amount.fen,
            paid_on=disbursement.paid_on,
            before_approval=self.approved is None,
            ratify_by=ratify_by,
        )
        return self.approved is not None

    class Disbursed(LedgerEvent):
        """Money paid to the beneficiary; before approval only for an emergency, with a deadline."""

        TOPIC = "mingzhang/ReliefCase.Disbursed"
        disbursement_id: UUID
        amount_fen: int
        paid_on: date
        before_approval: bool
        ratify_by: date | None

    @event(Disbursed)
    def _disbursed(
        self,
        disbursement_id: UUID,
        amount_fen: int,
        paid_on: date,
        before_approval: bool,
        ratify_by: date | None,
    ) -> None:
        self.disbursed += Money(amount_fen)
        self.disbursements[str(disbursement_id)] = Money(amount_fen)
        if before_approval:
            self.unratified[str(disbursement_id)] = Money(amount_fen)
            self.ratify_by = ratify_by

    def ratify(self, command_id: UUID, ratification: Ratification) -> Ratification:
        if not self.unratified:
            raise CaseStateConflict(
                f"case_id: case {self.id} has no disbursement awaiting ratification",
                field="case_id",
            )
        self._ratified(
            command_id=command_id,
            approvers=list(ratification.approvers),
            ratified_on=ratification.ratified_on,
        )
        return ratification

    class Ratified(LedgerEvent):
        """The emergency disbursements were ratified."""

        TOPIC = "mingzhang/ReliefCase.Ratified"
        command_id: UUID
        approvers: list[UUID]
        ratified_on: date

    @event(Ratified)
    def _ratified(self, command_id: UUID, approvers: list[UUID], ratified_on: date) -> None:
        self.unratified = {}
        self.ratified_on = ratified_on

    def reverse_disbursement(
        self, reversal_id: UUID, disbursement_id: UUID, reason: str, reversed_on: date
    ) -> Money:
        amount = self.disbursements.get(str(disbursement_id))
        if amount is None:
            raise AlreadyReversed(
                f"disbursement_id: {disbursement_id} is not an unreversed disbursement of case {self.id}",
                field="disbursement_id",
            )
        self._disbursement_reversed(
            reversal_id=reversal_id,
            disbursement_id=disbursement_id,
            reason=reason,
            reversed_on=reversed_on,
            amount_fen=amount.fen,
        )
        return amount

    class DisbursementReversed(LedgerEvent):
        """更正说明: a disbursement undone."""

        TOPIC = "mingzhang/ReliefCase.DisbursementReversed"
        reversal_id: UUID
        disbursement_id: UUID
        reason: str
        reversed_on: date
        amount_fen: int

    @event(DisbursementReversed)
    def _disbursement_reversed(
        self,
        reversal_id: UUID,
        disbursement_id: UUID,
        reason: str,
        reversed_on: date,
        amount_fen: int,
    ) -> None:
        self.disbursed -= Money(amount_fen)
        del self.disbursements[str(disbursement_id)]
        self.unratified.pop(str(disbursement_id), None)
