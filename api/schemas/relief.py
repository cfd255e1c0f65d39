"""Relief case (救急难) commands (staff of the foundation whose emergency-relief fund pays) and the case as
answered. The beneficiary enters only through `beneficiary` (to the vault) or `beneficiary_subject_id`;
the case as answered names them by the per-case vault reference alone."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.people import Person
from api.schemas.common import Amount, Command, Currency, Written
from api.schemas.vocabularies import ReliefPurpose, ReliefReason

APPROVERS = Field(
    min_length=1, description="ids of the people who decided (at least one); no names"
)

CATEGORY = Field(
    examples=["emergency"],
    description="the reason's public category: hardship (生活困难), emergency (突发事件) or other "
    "(其他); never the detailed reason",
)


class OpenReliefCase(Command):
    case_id: Annotated[UUID, Field(description="chosen by the client")]
    fund_id: Annotated[UUID, Field(description="an emergency_relief fund of the key's foundation")]
    reason_code: Annotated[
        ReliefReason,
        Field(
            examples=["GTIR100"],
            description="360Giving GTIR… code: why the person is helped. Kept in the vault with the "
            "beneficiary; the case and its events show only its public category",
        ),
    ]
    purpose_code: Annotated[
        ReliefPurpose,
        Field(examples=["GTIP170"], description="360Giving GTIP… code: what the money is for"),
    ]
    subdistrict: Annotated[
        str,
        Field(
            examples=["陆家嘴街道"],
            description="the finest location kept: a 街道/镇/乡 of the foundation's district, on "
            "the official list or added (POST /subdistricts); else 422 unknown_subdistrict",
        ),
    ]
    beneficiary: Annotated[
        Person | None, Field(description="the person helped: goes to the vault, never to the log")
    ] = None
    beneficiary_subject_id: Annotated[
        UUID | None, Field(description="instead of beneficiary: a person already in the vault")
    ] = None
    requested_amount: Amount
    currency: Currency
    emergency: Annotated[
        bool, Field(description="may be paid before approval (fast path), then must be ratified")
    ] = False
    opened_on: date


class ApproveCase(Command):
    amount: Annotated[Amount, Field(description="the approved total; reserved in the fund")]
    currency: Currency
    approvers: Annotated[list[UUID], APPROVERS]
    approved_on: date


class RejectCase(Command):
    reason: Annotated[str, Field(examples=["不符合救助条件"])]
    rejected_on: date


class Disburse(Command):
    disbursement_id: Annotated[UUID, Field(description="chosen by the client")]
    amount: Amount
    currency: Currency
    paid_on: date


class RatifyCase(Command):
    approvers: Annotated[list[UUID], APPROVERS]
    ratified_on: date


class ReverseDisbursement(Command):
    reversal_id: Annotated[UUID, Field(description="chosen by the client")]
    disbursement_id: UUID
    reason: Annotated[str, Field(examples=["重复发放，款项退回"], description="public (更正说明)")]
    reversed_on: date


class DisbursementOut(BaseModel):
    disbursement_id: UUID
    amount: str
    awaiting_ratification: bool


class ReliefCaseOut(BaseModel):
    case_id: UUID
    fund_id: UUID
    foundation_id: UUID
    reason_category: Annotated[str, CATEGORY]
    purpose_code: str
    subdistrict: str
    beneficiary_ref: Annotated[
        UUID, Field(description="the per-case vault reference; the person is never answered here")
    ]
    requested_amount: str
    currency: Currency
    emergency: bool
    opened_on: date
    status: Literal["open", "approved", "rejected"]
    approved_amount: str | None
    disbursed: Annotated[str, Field(description="net of reversed disbursements")]
    disbursements: Annotated[list[DisbursementOut], Field(description="not reversed")]
    ratify_by: Annotated[
        date | None, Field(description="fast-path payments must be ratified by this date")
    ]
    ratified_on: date | None
    rejected_on: date | None
    version: int


class ReliefCaseWritten(ReliefCaseOut, Written):
    pass


class CaseEntryWritten(Written):
    """What a command on a case did: its id (disbursement, reversal, or the command's own) and the case."""

    id: Annotated[UUID, Field(description="disbursement_id, reversal_id, or the Idempotency-Key")]
    case: ReliefCaseOut


class ReliefCaseListed(BaseModel):
    """A relief case in a staff list, from the disclosure view: never its beneficiary, nor even the
    case's vault reference (`GET /relief-cases/{case_id}` has it)."""

    case_id: UUID
    fund_id: UUID
    foundation_id: UUID
    subdistrict: str
    reason_category: Annotated[str, CATEGORY]
    purpose_code: Annotated[str, Field(examples=["GTIP170"], description="360Giving purpose code")]
    emergency: bool
    opened_on: date
    status: Literal["open", "approved", "rejected"]
    currency: Currency = "CNY"
    paid: Annotated[str, Field(description="disbursed, net of reversed disbursements")]
    ratified: Annotated[bool, Field(description="fast-path payments were ratified")]
    ratify_by: Annotated[
        date | None,
        Field(description="the deadline the first payment before approval set (null if none)"),
    ]
    awaiting_ratification: Annotated[
        int, Field(description="payments before approval neither ratified nor reversed")
    ]


class AwaitingRatification(BaseModel):
    """An emergency payment made before approval (the fast path) that awaits ratification."""

    case_id: UUID
    fund_id: UUID
    foundation_id: UUID
    ratify_by: Annotated[date, Field(description="the ratification deadline")]
    awaiting_ratification: Annotated[
        int, Field(description="payments before approval neither ratified nor reversed")
    ]
    overdue: Annotated[bool, Field(description="the deadline passed before today (Shanghai)")]
    days_overdue: Annotated[int, Field(description="days since the deadline; 0 if not overdue")]
