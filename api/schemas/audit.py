"""What auditors read (`/audit`): events as the log holds them, an aggregate's state as it stood at a
version or a moment, and the disclosure's tables as they stood at a past position or time.

Events and states are shown field by field as JSON (UUIDs, dates and times as ISO text, money in
aggregate state as yuan strings). The log holds no personal data by design; the commitments it holds
for people are left out here too (an auditor follows money and decisions, and whoever verifies a
commitment reads the log's leaves at /transparency/entries, or gets the proof from the privacy officer).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.disclosure import FoundationPublic, FundPublic


class AuditEvent(BaseModel):
    position: int | None = Field(
        description="the event's log position (null in a history the history view has not yet "
        "indexed)",
        examples=[42],
    )
    leaf_index: int | None = Field(description="its leaf in the transparency log: position − 1")
    originator_id: UUID = Field(description="the aggregate the event belongs to")
    originator_version: int
    topic: str = Field(examples=["mingzhang/Fund.DonationReceived"])
    recorded_at: datetime
    actor: str | None = Field(description="the API key id that caused it (None: an operator tool)")
    fields: dict[str, Any] = Field(
        description="the event's own fields; commitments left out",
        examples=[{"donation_id": "…", "amount_fen": 120050, "received_on": "2024-03-01"}],
    )


class AuditEvents(BaseModel):
    items: list[AuditEvent]
    next_after: int | None = Field(
        description="pass as `after` for the next page (the last position read; with `actor`, a "
        "page may hold fewer than `limit` events, even none); null when the log's head was reached"
    )


class AuditHistory(BaseModel):
    aggregate_id: UUID
    items: list[AuditEvent]


class AggregateState(BaseModel):
    aggregate_id: UUID
    type: str = Field(examples=["Fund"])
    version: int
    created_on: datetime
    modified_on: datetime
    state: dict[str, Any] = Field(description="the aggregate's attributes; commitments left out")


class DisclosureAsOf(BaseModel):
    position: int = Field(description="the log position the tables were built up to")
    foundations: list[FoundationPublic]
    funds: list[FundPublic]
