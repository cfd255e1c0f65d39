"""Fund commands (staff of the fund's foundation) and the fund and its entries as answered."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.people import Person
from api.schemas.common import Amount, Command, Currency, Written
from api.schemas.vocabularies import FundKind


class OpenFund(Command):
    fund_id: Annotated[UUID, Field(description="chosen by the client")]
    foundation_id: UUID
    kind: Annotated[FundKind, Field(examples=["general"])]
    name: Annotated[str, Field(examples=["社区发展基金"])]
    opened_on: date


class Donor(Command):
    kind: Literal["anonymous", "organization", "person"]
    organization_id: Annotated[
        UUID | None, Field(description="for an organisation donor: its registry id")
    ] = None
    person: Annotated[
        Person | None, Field(description="for a person donor: goes to the vault, never to the log")
    ] = None
    subject_id: Annotated[
        UUID | None, Field(description="for a person donor already in the vault, instead of person")
    ] = None
    publish_name: Annotated[
        bool, Field(description="the donor consents to be named on the public page")
    ] = False


class ReceiveDonation(Command):
    donation_id: UUID
    amount: Amount
    currency: Currency
    received_on: date
    donor: Donor


class WithdrawConsent(Command):
    withdrawn_on: date


class TransferFunds(Command):
    transfer_id: UUID
    to_fund_id: UUID
    amount: Amount
    currency: Currency
    transferred_on: date
    purpose: Annotated[str, Field(examples=["牵手计划配套资金"])]
    pairing_id: UUID | None = None


class Reserve(Command):
    reservation_id: UUID
    amount: Amount
    currency: Currency
    reserved_on: date
    purpose: str


class Release(Command):
    release_id: UUID
    reservation_id: UUID
    released_on: date


class Pay(Command):
    payment_id: UUID
    amount: Amount
    currency: Currency
    paid_on: date
    purpose: str
    reservation_id: Annotated[UUID | None, Field(description="pay against this reservation")] = None


class Reverse(Command):
    reversal_id: UUID
    kind: Annotated[Literal["donation", "transfer"], Field(description="what is reversed")]
    target_id: Annotated[UUID, Field(description="the donation_id or transfer_id")]
    reason: Annotated[str, Field(examples=["重复入账"], description="shown on the public page")]
    reversed_on: date


class CloseFund(Command):
    closed_on: date
    reason: str


class FundOut(BaseModel):
    fund_id: UUID
    foundation_id: UUID
    kind: str
    name: str
    opened_on: date
    currency: Currency
    balance: Annotated[str, Field(examples=["5000.00"])]
    reserved: str
    available: str
    closed_on: date | None
    version: int


class FundWritten(FundOut, Written):
    pass


class EntryWritten(Written):
    """What a fund command did: its id, the fund as it now stands."""

    id: Annotated[UUID, Field(description="the entry's id (donation, transfer, payment...)")]
    fund: FundOut
