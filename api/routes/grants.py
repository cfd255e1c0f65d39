"""`/grants`: award a grant from a fund, pay it in instalments, amend it, record feedback and the
recipient's report, close or cancel it, and reverse an instalment whose money came back. Every write is
for staff of the foundation that owns the grant's fund; reading a grant is for them, for staff of the
recipient organisation (a key bound to it) and for auditors. Staff list their foundation's grants,
auditors every foundation's, from the disclosure view."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.auth import Principal, Staff, StaffOrAuditor, check_foundation, scope_of
from api.commands import IdempotencyKey, IfMatch, answer, at_version, command_id, execute
from api.deps import LedgerDep
from api.errors import ERRORS
from api.pagination import Cursor, Limit, Page
from api.routes.disclosure import ViewsDep
from api.schemas.common import money, yuan
from api.schemas.disclosure import GrantPublic, grant_public
from api.schemas.grants import (
    AmendGrant,
    AwardGrant,
    CancelGrant,
    CloseGrant,
    FeedbackOut,
    GrantEntryWritten,
    GrantFeedback,
    GrantOut,
    GrantReport,
    GrantWritten,
    InstalmentOut,
    PayInstalment,
    ReverseInstalment,
)
from domain.foundations.grant import Award, Grant
from domain.ledger import Ledger, Outcome
from projections.disclosure import reader
from projections.pagination import PageRequest

router = APIRouter(prefix="/grants", tags=["grants"])


def award_of(ledger: Ledger, grant: Grant) -> Award:
    # The aggregate keeps only what its rules need; the award as made (programme, dates...) is the
    # record the award command stored, which the command index gives back by the grant's id.
    applied = ledger.applied(grant.id)
    record = None if applied is None else applied.record
    if not isinstance(record, Award):  # every grant is created by that command, so never
        msg = f"grant {grant.id} has no Award in the command index"
        raise RuntimeError(msg)
    return record


def grant_out(
    ledger: Ledger, grant_id: UUID, version: int | None = None, left: object = None
) -> GrantOut:
    """The record now, or at `version`: as a command left it (what its answer, and a repeat's, shows;
    `left`, the command's own copy, spares loading it again)."""
    grant = (
        ledger.get_grant(grant_id)
        if version is None
        else at_version(ledger, grant_id, version, Grant, left)
    )
    award = award_of(ledger, grant)
    ending = grant.ending
    feedback = grant.feedback
    return GrantOut(
        grant_id=grant.id,
        fund_id=grant.fund_id,
        foundation_id=ledger.get_fund(grant.fund_id).foundation_id,
        recipient_id=grant.recipient_id,
        programme=award.programme,
        title=grant.title,
        description=award.description,
        amount=yuan(grant.awarded.fen),
        currency="CNY",
        paid=yuan(grant.paid.fen),
        reversed=yuan(grant.reversed.fen),
        left=yuan(grant.left.fen),
        awarded_on=award.awarded_on,
        planned_start=award.planned_start,
        planned_end=award.planned_end,
        pairing_id=award.pairing_id,
        status="active" if ending is None else ending.how,
        ended_on=ending.ended_on if ending else None,
        ending=ending.text if ending else None,
        instalments=[
            InstalmentOut(payment_id=UUID(p), amount=yuan(a.fen))
            for p, a in grant.instalments.items()
        ],
        feedback=FeedbackOut(
            rating=feedback.rating, summary=feedback.summary, recorded_on=feedback.recorded_on
        )
        if feedback
        else None,
        version=grant.version,
    )


def own_grant(ledger: Ledger, who: Principal, grant_id: UUID) -> None:
    """Loads the grant (404 if unknown) and checks the key acts for the foundation of its fund."""
    grant = ledger.get_grant(grant_id)
    check_foundation(who, ledger.fund_foundation(grant.fund_id))


def entry(
    ledger: Ledger, response: Response, outcome: Outcome[Any], entry_id: UUID, grant_id: UUID
) -> GrantEntryWritten:
    grant = grant_out(ledger, grant_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: grant.version)
    return GrantEntryWritten(id=entry_id, grant=grant, position=position)


@router.post(
    "",
    status_code=201,
    response_model=GrantWritten,
    responses=ERRORS,
    summary="Award a grant from a fund of the key's foundation (reserves its amount)",
)
def award(body: AwardGrant, ledger: LedgerDep, who: Staff, response: Response) -> GrantWritten:
    check_foundation(who, ledger.fund_foundation(body.fund_id))
    outcome = execute(
        ledger,
        who,
        None,
        lambda: ledger.award_grant(
            body.grant_id,
            fund_id=body.fund_id,
            recipient_id=body.recipient_id,
            programme=body.programme,
            title=body.title,
            description=body.description,
            amount=money(body.amount),
            awarded_on=body.awarded_on,
            planned_start=body.planned_start,
            planned_end=body.planned_end,
            pairing_id=body.pairing_id,
        ),
    )
    current = grant_out(ledger, body.grant_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: current.version)
    return GrantWritten(**current.model_dump(), position=position)


@router.get(
    "",
    response_model=Page[GrantPublic],
    responses=ERRORS,
    summary="The grants the key's foundation awarded (auditors: every foundation's), by award date",
)
def list_grants(
    db: ViewsDep,
    who: StaffOrAuditor,
    foundation_id: Annotated[
        UUID | None,
        Query(
            description="only grants of this foundation's funds (a staff key: its own, the default)"
        ),
    ] = None,
    status: Annotated[
        Literal["active", "closed", "cancelled"] | None, Query(description="the grant's status")
    ] = None,
    year: Annotated[
        int | None, Query(ge=1949, le=2200, description="the year the grant was awarded")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[GrantPublic]:
    filters = reader.Filters(None, scope_of(who, foundation_id), year, status)
    found = reader.grants(db, filters, PageRequest(limit, cursor))
    return Page[GrantPublic](
        items=[grant_public(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/{grant_id}",
    response_model=GrantOut,
    responses=ERRORS,
    summary="A grant: the award, what is paid and left, how it ended (staff of its foundation or of "
    "its recipient, auditors)",
)
def get_grant(
    grant_id: UUID, ledger: LedgerDep, who: StaffOrAuditor, response: Response
) -> GrantOut:
    # The recipient may read what it was awarded (its report and feedback are part of it); only the
    # funder's staff write.
    grant = ledger.get_grant(grant_id)
    check_foundation(who, ledger.fund_foundation(grant.fund_id), grant.recipient_id)
    found = grant_out(ledger, grant_id)
    response.headers["ETag"] = f'"{found.version}"'
    return found


@router.post(
    "/{grant_id}/payments",
    status_code=201,
    response_model=GrantEntryWritten,
    responses=ERRORS,
    summary="Pay an instalment of the grant (against its reservation in the fund)",
)
def pay_instalment(
    grant_id: UUID,
    body: PayInstalment,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> GrantEntryWritten:
    own_grant(ledger, who, grant_id)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.pay_instalment(
            grant_id, payment_id=body.payment_id, amount=money(body.amount), paid_on=body.paid_on
        ),
    )
    return entry(ledger, response, outcome, body.payment_id, grant_id)


@router.post(
    "/{grant_id}/amendments",
    status_code=201,
    response_model=GrantEntryWritten,
    responses=ERRORS,
    summary="Change the amount of the award, with a public reason (not below what was paid)",
)
def amend(
    grant_id: UUID,
    body: AmendGrant,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> GrantEntryWritten:
    own_grant(ledger, who, grant_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.amend_grant(
            grant_id,
            command_id=key,
            new_amount=money(body.amount),
            reason=body.reason,
            amended_on=body.amended_on,
        ),
    )
    return entry(ledger, response, outcome, key, grant_id)


@router.post(
    "/{grant_id}/feedback",
    status_code=201,
    response_model=GrantEntryWritten,
    responses=ERRORS,
    summary="Record the community's feedback (社区反馈评估): a rating from 1 to 5 and a summary",
)
def feedback(
    grant_id: UUID,
    body: GrantFeedback,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> GrantEntryWritten:
    own_grant(ledger, who, grant_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.record_grant_feedback(grant_id, command_id=key, **body.model_dump()),
    )
    return entry(ledger, response, outcome, key, grant_id)


@router.post(
    "/{grant_id}/reports",
    status_code=201,
    response_model=GrantEntryWritten,
    responses=ERRORS,
    summary="Receive the recipient's report on the funded work",
)
def report(
    grant_id: UUID,
    body: GrantReport,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> GrantEntryWritten:
    own_grant(ledger, who, grant_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.receive_grant_report(grant_id, command_id=key, **body.model_dump()),
    )
    return entry(ledger, response, outcome, key, grant_id)


@router.post(
    "/{grant_id}/close",
    status_code=201,
    response_model=GrantEntryWritten,
    responses=ERRORS,
    summary="Close the grant with its outcome; what is unpaid goes back to the fund",
)
def close(
    grant_id: UUID,
    body: CloseGrant,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> GrantEntryWritten:
    own_grant(ledger, who, grant_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.close_grant(grant_id, command_id=key, **body.model_dump()),
    )
    return entry(ledger, response, outcome, key, grant_id)


@router.post(
    "/{grant_id}/cancel",
    status_code=201,
    response_model=GrantEntryWritten,
    responses=ERRORS,
    summary="Cancel the grant with a public reason; what is unpaid goes back to the fund",
)
def cancel(
    grant_id: UUID,
    body: CancelGrant,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> GrantEntryWritten:
    own_grant(ledger, who, grant_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.cancel_grant(grant_id, command_id=key, **body.model_dump()),
    )
    return entry(ledger, response, outcome, key, grant_id)


@router.post(
    "/{grant_id}/reversals",
    status_code=201,
    response_model=GrantEntryWritten,
    responses=ERRORS,
    summary=(
        "Reverse a paid instalment whose money came back, with a public reason (更正); while the "
        "grant is active the money returns to the award and may be paid again"
    ),
)
def reverse_instalment(
    grant_id: UUID,
    body: ReverseInstalment,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> GrantEntryWritten:
    own_grant(ledger, who, grant_id)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.reverse_instalment(grant_id, **body.model_dump()),
    )
    return entry(ledger, response, outcome, body.reversal_id, grant_id)
