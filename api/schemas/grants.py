"""Grant commands (staff of the foundation whose fund the grant is paid from) and the grant as answered:
the award as made, what has been paid, reversed and is left, how it ended, and the community's feedback."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import MULTILINE, Amount, Command, Currency, Written


class AwardGrant(Command):
    grant_id: Annotated[UUID, Field(description="chosen by the client")]
    fund_id: Annotated[UUID, Field(description="the fund the grant is reserved in and paid from")]
    recipient_id: Annotated[UUID, Field(description="the registered organisation receiving it")]
    programme: Annotated[str, Field(examples=["社区营造"])]
    title: Annotated[str, Field(examples=["楼组自治项目"])]
    description: Annotated[str, Field(examples=["支持居民楼组开展自治活动"], description=MULTILINE)]
    amount: Amount
    currency: Currency
    awarded_on: date
    planned_start: date
    planned_end: date
    pairing_id: Annotated[
        UUID | None, Field(description="the pairing (结对) this grant funds, if any")
    ] = None


class PayInstalment(Command):
    payment_id: Annotated[UUID, Field(description="chosen by the client")]
    amount: Amount
    currency: Currency
    paid_on: date


class AmendGrant(Command):
    amount: Annotated[Amount, Field(description="the new amount of the award (not the change)")]
    currency: Currency
    reason: Annotated[str, Field(examples=["项目范围扩大"], description="shown on the public page")]
    amended_on: date


class GrantFeedback(Command):
    """社区反馈评估: the community's rating of the funded work."""

    rating: Annotated[int, Field(ge=1, le=5, strict=True, description="1 (poor) to 5 (excellent)")]
    summary: Annotated[
        str, Field(examples=["居民参与度高，楼道环境明显改善"], description=MULTILINE)
    ]
    recorded_on: date


class GrantReport(Command):
    summary: Annotated[
        str, Field(examples=["项目按计划完成，共开展活动12场"], description=MULTILINE)
    ]
    received_on: date


class CloseGrant(Command):
    outcome: Annotated[
        str, Field(examples=["项目完成，目标达成"], description=f"public; {MULTILINE}")
    ]
    closed_on: date


class CancelGrant(Command):
    reason: Annotated[str, Field(examples=["受助组织注销"], description="shown on the public page")]
    cancelled_on: date


class ReverseInstalment(Command):
    reversal_id: Annotated[UUID, Field(description="chosen by the client")]
    payment_id: Annotated[UUID, Field(description="the instalment whose money came back")]
    reason: Annotated[
        str, Field(examples=["项目未实施，款项退回"], description="public (更正说明)")
    ]
    reversed_on: date


class InstalmentOut(BaseModel):
    payment_id: UUID
    amount: str


class FeedbackOut(BaseModel):
    rating: int
    summary: str
    recorded_on: date


class GrantOut(BaseModel):
    grant_id: UUID
    fund_id: UUID
    foundation_id: UUID
    recipient_id: UUID
    programme: str
    title: str
    description: str
    amount: Annotated[str, Field(description="the award as it stands (after amendments)")]
    currency: Currency
    paid: Annotated[str, Field(description="paid in instalments, net of reversed ones")]
    reversed: Annotated[
        str,
        Field(
            description="reversed instalments whose money went back to the fund, not to the award "
            "(reversed after the grant ended); a reversal while it is active returns to `left`"
        ),
    ]
    left: Annotated[str, Field(description="what may still be paid")]
    awarded_on: date
    planned_start: date
    planned_end: date
    pairing_id: UUID | None
    status: Literal["active", "closed", "cancelled"]
    ended_on: date | None
    ending: Annotated[str | None, Field(description="the outcome (closed) or reason (cancelled)")]
    instalments: Annotated[list[InstalmentOut], Field(description="paid and not reversed")]
    feedback: FeedbackOut | None
    version: int


class GrantWritten(GrantOut, Written):
    pass


class GrantEntryWritten(Written):
    """What a command on a grant did: its id (payment, reversal, or the command's own) and the grant."""

    id: Annotated[UUID, Field(description="payment_id, reversal_id, or the Idempotency-Key")]
    grant: GrantOut
