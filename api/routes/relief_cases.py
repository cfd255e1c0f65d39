"""`/relief-cases` (救急难): open a case on an emergency-relief fund, approve or reject it, disburse
(after approval, or before it on the emergency fast path), ratify a fast-path payment, and reverse a
disbursement with a public reason. Every write is for staff of the foundation that owns the case's fund;
reading a case is for them and for auditors, and never shows the beneficiary: only the case's vault
reference (the privacy officer resolves it). Staff list their foundation's cases and the fast-path
payments awaiting ratification (overdue ones marked, by the ledger's today), auditors every
foundation's, from the disclosure view."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.auth import Principal, Staff, StaffOrAuditor, check_foundation, scope_of
from api.commands import IdempotencyKey, IfMatch, answer, at_version, command_id, execute
from api.deps import LedgerDep
from api.errors import ERRORS
from api.pagination import Cursor, Limit, Page
from api.people import party_for
from api.routes.disclosure import ViewsDep
from api.schemas.common import money, yuan
from api.schemas.relief import (
    ApproveCase,
    AwaitingRatification,
    CaseEntryWritten,
    Disburse,
    DisbursementOut,
    OpenReliefCase,
    RatifyCase,
    RejectCase,
    ReliefCaseListed,
    ReliefCaseOut,
    ReliefCaseWritten,
    ReverseDisbursement,
)
from domain.foundations.relief import (
    CaseOpening,
    ConfidentialCaseOpening,
    ReliefCase,
    days_overdue,
)
from domain.ledger import Ledger, Outcome
from projections.disclosure import reader
from projections.disclosure.rows import ReliefCaseRow
from projections.pagination import PageRequest

router = APIRouter(prefix="/relief-cases", tags=["relief cases"])


def opening_of(ledger: Ledger, case: ReliefCase) -> CaseOpening | ConfidentialCaseOpening:
    # The aggregate keeps only what its rules need; the opening (codes, subdistrict, reference) is the
    # record the open command stored, which the command index gives back by the case's id.
    applied = ledger.applied(case.id)
    record = None if applied is None else applied.record
    # A case opened before reasons went to the vault has the older record.
    if not isinstance(record, (CaseOpening, ConfidentialCaseOpening)):  # never, for a case
        msg = f"case {case.id} has no CaseOpening in the command index"
        raise RuntimeError(msg)
    return record


def status_of(case: ReliefCase) -> str:
    if case.rejected_on is not None:
        return "rejected"
    return "open" if case.approved is None else "approved"


def case_out(
    ledger: Ledger, case_id: UUID, version: int | None = None, left: object = None
) -> ReliefCaseOut:
    """The record now, or at `version`: as a command left it (what its answer, and a repeat's, shows)."""
    case = (
        ledger.get_relief_case(case_id)
        if version is None
        else at_version(ledger, case_id, version, ReliefCase, left)
    )
    opening = opening_of(ledger, case)
    return ReliefCaseOut(
        case_id=case.id,
        fund_id=case.fund_id,
        foundation_id=ledger.get_fund(case.fund_id).foundation_id,
        reason_category=opening.reason_category,
        purpose_code=opening.purpose_code,
        subdistrict=opening.subdistrict,
        beneficiary_ref=opening.beneficiary_ref,
        requested_amount=yuan(opening.requested.fen),
        currency="CNY",
        emergency=case.emergency,
        opened_on=opening.opened_on,
        status=status_of(case),
        approved_amount=yuan(case.approved.fen) if case.approved is not None else None,
        disbursed=yuan(case.disbursed.fen),
        disbursements=[
            DisbursementOut(
                disbursement_id=UUID(d),
                amount=yuan(a.fen),
                awaiting_ratification=d in case.unratified,
            )
            for d, a in case.disbursements.items()
        ],
        # The deadline matters only while a fast-path payment awaits ratification.
        ratify_by=case.ratify_by if case.unratified else None,
        ratified_on=case.ratified_on,
        rejected_on=case.rejected_on,
        version=case.version,
    )


def case_listed(row: ReliefCaseRow) -> ReliefCaseListed:
    return ReliefCaseListed(
        case_id=row.case_id,
        fund_id=row.fund_id,
        foundation_id=row.foundation_id,
        subdistrict=row.subdistrict,
        reason_category=row.reason_category,
        purpose_code=row.purpose_code,
        emergency=row.emergency,
        opened_on=row.opened_on,
        status=row.status,
        paid=yuan(row.paid_fen),
        ratified=row.ratified,
        ratify_by=row.ratify_by,
        awaiting_ratification=row.awaiting_ratification,
    )


def awaiting(row: ReliefCaseRow, today: date) -> AwaitingRatification:
    # Awaiting ratification, a case has a deadline: its first payment before approval set it.
    assert row.ratify_by is not None
    late = days_overdue(row.ratify_by, today)
    return AwaitingRatification(
        case_id=row.case_id,
        fund_id=row.fund_id,
        foundation_id=row.foundation_id,
        ratify_by=row.ratify_by,
        awaiting_ratification=row.awaiting_ratification,
        overdue=late > 0,
        days_overdue=late,
    )


def own_case(ledger: Ledger, who: Principal, case_id: UUID) -> None:
    """Loads the case (404 if unknown) and checks the key acts for the foundation of its fund."""
    case = ledger.get_relief_case(case_id)
    check_foundation(who, ledger.fund_foundation(case.fund_id))


def entry(
    ledger: Ledger, response: Response, outcome: Outcome[Any], entry_id: UUID, case_id: UUID
) -> CaseEntryWritten:
    case = case_out(ledger, case_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: case.version)
    return CaseEntryWritten(id=entry_id, case=case, position=position)


FoundationScope = Annotated[
    UUID | None,
    Query(description="only this foundation's cases (a staff key: its own, the default)"),
]


@router.get(
    "",
    response_model=Page[ReliefCaseListed],
    responses=ERRORS,
    summary="The relief cases of the key's foundation (auditors: every foundation's), by opening "
    "date; no beneficiary",
)
def list_cases(
    db: ViewsDep,
    who: StaffOrAuditor,
    foundation_id: FoundationScope = None,
    status: Annotated[
        Literal["open", "approved", "rejected"] | None, Query(description="the case's status")
    ] = None,
    year: Annotated[
        int | None, Query(ge=1949, le=2200, description="the year the case was opened")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ReliefCaseListed]:
    filters = reader.Filters(None, scope_of(who, foundation_id), year, status)
    found = reader.relief_cases(db, filters, PageRequest(limit, cursor))
    return Page[ReliefCaseListed](
        items=[case_listed(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/awaiting-ratification",
    response_model=Page[AwaitingRatification],
    responses=ERRORS,
    summary="Emergency payments made before approval that await ratification, by deadline, each "
    "marked overdue or not (staff: the key's foundation; auditors: citywide)",
)
def list_awaiting_ratification(
    db: ViewsDep,
    ledger: LedgerDep,
    who: StaffOrAuditor,
    foundation_id: FoundationScope = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[AwaitingRatification]:
    found = reader.awaiting_ratification(
        db, scope_of(who, foundation_id), PageRequest(limit, cursor)
    )
    today = ledger.today()
    return Page[AwaitingRatification](
        items=[awaiting(row, today) for row in found.items], next_cursor=found.next_cursor
    )


@router.post(
    "",
    status_code=201,
    response_model=ReliefCaseWritten,
    responses=ERRORS,
    summary="Open a relief case on an emergency-relief fund (the beneficiary goes to the vault)",
)
def open_case(
    body: OpenReliefCase, ledger: LedgerDep, who: Staff, response: Response
) -> ReliefCaseWritten:
    # Authorise before the beneficiary goes anywhere: a key of another foundation must leave
    # nothing behind, not even in the vault.
    check_foundation(who, ledger.fund_foundation(body.fund_id))
    subject, new = party_for(
        ledger, who, body.beneficiary, body.beneficiary_subject_id, "beneficiary"
    )
    outcome = execute(
        ledger,
        who,
        None,
        lambda: ledger.open_relief_case(
            body.case_id,
            fund_id=body.fund_id,
            reason_code=body.reason_code,
            purpose_code=body.purpose_code,
            subdistrict=body.subdistrict,
            beneficiary_subject_id=subject,
            beneficiary=new,
            requested_amount=money(body.requested_amount),
            emergency=body.emergency,
            opened_on=body.opened_on,
        ),
    )
    current = case_out(ledger, body.case_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: current.version)
    return ReliefCaseWritten(**current.model_dump(), position=position)


@router.get(
    "/{case_id}",
    response_model=ReliefCaseOut,
    responses=ERRORS,
    summary="A relief case, without the beneficiary's data (staff of its foundation, auditors)",
)
def get_case(
    case_id: UUID, ledger: LedgerDep, who: StaffOrAuditor, response: Response
) -> ReliefCaseOut:
    own_case(ledger, who, case_id)
    found = case_out(ledger, case_id)
    response.headers["ETag"] = f'"{found.version}"'
    return found


@router.post(
    "/{case_id}/approve",
    status_code=201,
    response_model=CaseEntryWritten,
    responses=ERRORS,
    summary="Approve the case (reserves in the fund what is not yet disbursed)",
)
def approve(
    case_id: UUID,
    body: ApproveCase,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> CaseEntryWritten:
    own_case(ledger, who, case_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.approve_relief_case(
            case_id,
            command_id=key,
            amount=money(body.amount),
            approvers=body.approvers,
            approved_on=body.approved_on,
        ),
    )
    return entry(ledger, response, outcome, key, case_id)


@router.post(
    "/{case_id}/reject",
    status_code=201,
    response_model=CaseEntryWritten,
    responses=ERRORS,
    summary="Reject the case with a reason (only while nothing it disbursed is outstanding)",
)
def reject(
    case_id: UUID,
    body: RejectCase,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> CaseEntryWritten:
    own_case(ledger, who, case_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.reject_relief_case(case_id, command_id=key, **body.model_dump()),
    )
    return entry(ledger, response, outcome, key, case_id)


@router.post(
    "/{case_id}/disburse",
    status_code=201,
    response_model=CaseEntryWritten,
    responses=ERRORS,
    summary="Pay the beneficiary: against the approval, or before it for an emergency (fast path)",
)
def disburse(
    case_id: UUID,
    body: Disburse,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> CaseEntryWritten:
    own_case(ledger, who, case_id)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.disburse_relief(
            case_id,
            disbursement_id=body.disbursement_id,
            amount=money(body.amount),
            paid_on=body.paid_on,
        ),
    )
    return entry(ledger, response, outcome, body.disbursement_id, case_id)


@router.post(
    "/{case_id}/ratify",
    status_code=201,
    response_model=CaseEntryWritten,
    responses=ERRORS,
    summary="Ratify the payments made on the emergency fast path",
)
def ratify(
    case_id: UUID,
    body: RatifyCase,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> CaseEntryWritten:
    own_case(ledger, who, case_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.ratify_relief_case(
            case_id, command_id=key, approvers=body.approvers, ratified_on=body.ratified_on
        ),
    )
    return entry(ledger, response, outcome, key, case_id)


@router.post(
    "/{case_id}/reverse",
    status_code=201,
    response_model=CaseEntryWritten,
    responses=ERRORS,
    summary=(
        "Reverse a disbursement, with a public reason (更正): the money returns to the case's "
        "approval once approved (it may be paid again), before that to the fund"
    ),
)
def reverse(
    case_id: UUID,
    body: ReverseDisbursement,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> CaseEntryWritten:
    own_case(ledger, who, case_id)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.reverse_disbursement(case_id, **body.model_dump()),
    )
    return entry(ledger, response, outcome, body.reversal_id, case_id)
