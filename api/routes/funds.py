"""`/funds`: open a fund, receive donations, transfer, reserve, release, pay, reverse and close. Every
write is for staff of the fund's foundation (a transfer: of the paying fund's). Staff list their
foundation's funds, auditors every foundation's, from the disclosure view."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.auth import Principal, Staff, StaffOrAuditor, check_foundation, scope_of
from api.commands import IdempotencyKey, IfMatch, answer, at_version, command_id, execute
from api.deps import LedgerDep
from api.errors import ERRORS
from api.pagination import Cursor, Limit, Page
from api.people import check_party, party_for
from api.routes.disclosure import ViewsDep
from api.schemas.common import money, yuan
from api.schemas.disclosure import FundPublic, fund_public
from api.schemas.funds import (
    CloseFund,
    EntryWritten,
    FundOut,
    FundWritten,
    OpenFund,
    Pay,
    ReceiveDonation,
    Release,
    Reserve,
    Reverse,
    TransferFunds,
    WithdrawConsent,
)
from domain.foundations.fund import Fund
from domain.ledger import Ledger, Outcome
from projections.disclosure import reader
from projections.pagination import PageRequest

router = APIRouter(prefix="/funds", tags=["funds"])


def fund_out(
    ledger: Ledger, fund_id: UUID, version: int | None = None, left: object = None
) -> FundOut:
    """The record now, or at `version`: as a command left it (what its answer, and a repeat's, shows;
    `left`, the command's own copy, spares loading it again)."""
    fund = (
        ledger.get_fund(fund_id)
        if version is None
        else at_version(ledger, fund_id, version, Fund, left)
    )
    return FundOut(
        fund_id=fund.id,
        foundation_id=fund.foundation_id,
        kind=fund.kind,
        name=fund.opening.name,
        opened_on=fund.opening.opened_on,
        currency="CNY",
        balance=yuan(fund.balance.fen),
        reserved=yuan(fund.reserved.fen),
        available=yuan(fund.available.fen),
        closed_on=fund.closure.closed_on if fund.closure else None,
        version=fund.version,
    )


# What a donor of each kind is given by.
DONOR_FIELDS = {
    "anonymous": (),
    "organization": ("organization_id", "publish_name"),
    "person": ("person", "subject_id", "publish_name"),
}


def own_fund(ledger: Ledger, who: Principal, fund_id: UUID) -> None:
    check_foundation(who, ledger.fund_foundation(fund_id))


def entry(
    ledger: Ledger, response: Response, outcome: Outcome[Any], entry_id: UUID, fund_id: UUID
) -> EntryWritten:
    fund = fund_out(ledger, fund_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: fund.version)
    return EntryWritten(id=entry_id, fund=fund, position=position)


@router.post(
    "",
    status_code=201,
    response_model=FundWritten,
    responses=ERRORS,
    summary="Open a fund for the key's foundation",
)
def open_fund(body: OpenFund, ledger: LedgerDep, who: Staff, response: Response) -> FundWritten:
    check_foundation(who, body.foundation_id)
    fields = body.model_dump(exclude={"fund_id"})
    outcome = execute(ledger, who, None, lambda: ledger.open_fund(body.fund_id, **fields))
    current = fund_out(ledger, body.fund_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: current.version)
    return FundWritten(**current.model_dump(), position=position)


@router.get(
    "",
    response_model=Page[FundPublic],
    responses=ERRORS,
    summary="The funds of the key's foundation (auditors: of every foundation), by opening date",
)
def list_funds(
    db: ViewsDep,
    who: StaffOrAuditor,
    foundation_id: Annotated[
        UUID | None,
        Query(description="only this foundation's (a staff key: its own, the default)"),
    ] = None,
    status: Annotated[
        Literal["open", "closed"] | None, Query(description="open, or closed (empty and closed)")
    ] = None,
    year: Annotated[
        int | None, Query(ge=1949, le=2200, description="the year the fund was opened")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[FundPublic]:
    filters = reader.Filters(None, scope_of(who, foundation_id), year, status)
    found = reader.funds(db, filters, PageRequest(limit, cursor))
    return Page[FundPublic](
        items=[fund_public(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/{fund_id}",
    response_model=FundOut,
    responses=ERRORS,
    summary="A fund's balance, reservations and availability now (staff of its foundation, auditors)",
)
def get_fund(fund_id: UUID, ledger: LedgerDep, who: StaffOrAuditor, response: Response) -> FundOut:
    own_fund(ledger, who, fund_id)
    found = fund_out(ledger, fund_id)
    response.headers["ETag"] = f'"{found.version}"'
    return found


@router.post(
    "/{fund_id}/donations",
    status_code=201,
    response_model=EntryWritten,
    responses=ERRORS,
    summary="Receive a donation (a person donor's data goes to the vault)",
)
def receive_donation(
    fund_id: UUID,
    body: ReceiveDonation,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> EntryWritten:
    own_fund(ledger, who, fund_id)
    donor = body.donor
    check_party(donor.kind, donor, DONOR_FIELDS, prefix="donor.")
    subject, new = None, None
    if donor.kind == "person":
        subject, new = party_for(
            ledger,
            who,
            donor.person,
            donor.subject_id,
            "donor",
            person_field="donor.person",
        )
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.receive_donation(
            fund_id,
            donation_id=body.donation_id,
            amount=money(body.amount),
            received_on=body.received_on,
            donor_kind=donor.kind,
            donor_ref=str(donor.organization_id) if donor.organization_id else None,
            donor_subject_id=subject,
            donor_person=new,
            publish_name=donor.publish_name,
        ),
    )
    return entry(ledger, response, outcome, body.donation_id, fund_id)


@router.post(
    "/{fund_id}/donations/{donation_id}/withdraw-consent",
    status_code=201,
    response_model=EntryWritten,
    responses=ERRORS,
    summary="The donor no longer wants to be named in public",
)
def withdraw_consent(
    fund_id: UUID,
    donation_id: UUID,
    body: WithdrawConsent,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> EntryWritten:
    own_fund(ledger, who, fund_id)
    outcome = execute(
        ledger,
        who,
        None,
        lambda: ledger.withdraw_name_consent(
            fund_id,
            command_id=command_id(idempotency_key),
            donation_id=donation_id,
            withdrawn_on=body.withdrawn_on,
        ),
    )
    return entry(ledger, response, outcome, donation_id, fund_id)


@router.post(
    "/{fund_id}/transfers",
    status_code=201,
    response_model=EntryWritten,
    responses=ERRORS,
    summary="Transfer from this fund to another (both move in one commit)",
)
def transfer(
    fund_id: UUID,
    body: TransferFunds,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> EntryWritten:
    own_fund(ledger, who, fund_id)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.transfer(
            transfer_id=body.transfer_id,
            from_fund_id=fund_id,
            to_fund_id=body.to_fund_id,
            amount=money(body.amount),
            transferred_on=body.transferred_on,
            purpose=body.purpose,
            pairing_id=body.pairing_id,
        ),
    )
    return entry(ledger, response, outcome, body.transfer_id, fund_id)


@router.post(
    "/{fund_id}/reservations",
    status_code=201,
    response_model=EntryWritten,
    responses=ERRORS,
    summary="Reserve part of the available balance for a purpose",
)
def reserve(
    fund_id: UUID,
    body: Reserve,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> EntryWritten:
    own_fund(ledger, who, fund_id)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.reserve(
            fund_id,
            reservation_id=body.reservation_id,
            amount=money(body.amount),
            reserved_on=body.reserved_on,
            purpose=body.purpose,
        ),
    )
    return entry(ledger, response, outcome, body.reservation_id, fund_id)


@router.post(
    "/{fund_id}/releases",
    status_code=201,
    response_model=EntryWritten,
    responses=ERRORS,
    summary="Release what is left of a reservation",
)
def release(
    fund_id: UUID,
    body: Release,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> EntryWritten:
    own_fund(ledger, who, fund_id)
    outcome = execute(ledger, who, if_match, lambda: ledger.release(fund_id, **body.model_dump()))
    return entry(ledger, response, outcome, body.release_id, fund_id)


@router.post(
    "/{fund_id}/payments",
    status_code=201,
    response_model=EntryWritten,
    responses=ERRORS,
    summary="Pay from the fund, from the available balance or against a reservation",
)
def pay(
    fund_id: UUID,
    body: Pay,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> EntryWritten:
    own_fund(ledger, who, fund_id)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.pay(
            fund_id,
            payment_id=body.payment_id,
            amount=money(body.amount),
            paid_on=body.paid_on,
            purpose=body.purpose,
            reservation_id=body.reservation_id,
        ),
    )
    return entry(ledger, response, outcome, body.payment_id, fund_id)


@router.post(
    "/{fund_id}/reversals",
    status_code=201,
    response_model=EntryWritten,
    responses=ERRORS,
    summary="Reverse a donation or a transfer, with a public reason (更正)",
)
def reverse(
    fund_id: UUID,
    body: Reverse,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> EntryWritten:
    own_fund(ledger, who, fund_id)
    if body.kind == "donation":
        run = lambda: ledger.reverse_donation(  # noqa: E731
            fund_id,
            reversal_id=body.reversal_id,
            donation_id=body.target_id,
            reason=body.reason,
            reversed_on=body.reversed_on,
        )
    else:
        run = lambda: ledger.reverse_transfer(  # noqa: E731
            fund_id,
            reversal_id=body.reversal_id,
            transfer_id=body.target_id,
            reason=body.reason,
            reversed_on=body.reversed_on,
        )
    outcome = execute(ledger, who, if_match, run)
    return entry(ledger, response, outcome, body.reversal_id, fund_id)


@router.post(
    "/{fund_id}/close",
    status_code=201,
    response_model=EntryWritten,
    responses=ERRORS,
    summary="Close an empty fund, with a reason",
)
def close(
    fund_id: UUID,
    body: CloseFund,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> EntryWritten:
    own_fund(ledger, who, fund_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.close_fund(fund_id, command_id=key, **body.model_dump()),
    )
    return entry(ledger, response, outcome, key, fund_id)
