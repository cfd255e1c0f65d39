"""The records a fund's commands produce: immutable values, one per command id, kept in the fund's journal.

A record holds what the command said (compared when the command repeats) and, marked `compare=False`,
what the fund derived from its state at the time (the amount a release set free, say).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.money import Money

FUND_KINDS = {
    "general": "非限定性基金",
    "special": "专项基金",
    "emergency_relief": "救急难基金",
}
DONOR_KINDS = ("person", "organization", "anonymous")


@dataclass(frozen=True)
class FundOpening:
    foundation_id: UUID
    kind: str
    name: str
    opened_on: date


@dataclass(frozen=True)
class Donation:
    amount: Money
    received_on: date
    donor_kind: str
    # An organisation's id, or (from the vault, later) a person's per-use reference; None when anonymous.
    donor_ref: str | None
    publish_name: bool


@dataclass(frozen=True)
class Transfer:
    from_fund_id: UUID
    to_fund_id: UUID
    amount: Money
    transferred_on: date
    purpose: str
    pairing_id: UUID | None


@dataclass(frozen=True)
class Reservation:
    amount: Money
    reserved_on: date
    purpose: str


@dataclass(frozen=True)
class Release:
    reservation_id: UUID
    released_on: date
    amount: Money = field(compare=False)


@dataclass(frozen=True)
class Payment:
    amount: Money
    paid_on: date
    purpose: str
    reservation_id: UUID | None


@dataclass(frozen=True)
class Reversal:
    """更正说明: a compensating entry that undoes a donation or a transfer, with a public reason."""

    target_id: UUID
    reason: str
    reversed_on: date
    amount: Money = field(compare=False)


@dataclass(frozen=True)
class Closure:
    closed_on: date
    reason: str


RECORD_TYPES: tuple[type, ...] = (
    FundOpening,
    Donation,
    Transfer,
    Reservation,
    Release,
    Payment,
    Reversal,
    Closure,
)
