"""`/relief-cases` (救急难): open a case on an emergency-relief fund, approve or reject it, disburse
(after approval, or before it on the emergency fast path), ratify a fast-path payment, and reverse a
disbursement with a public reason. Every write is for staff of the foundation that owns the case's fund;
reading a case is for them and for auditors, and never shows the beneficiary: only the case's vault
reference (the privacy officer resolves it)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from api.auth import Principal, Staff, StaffOrAuditor, check_foundation
from api.commands import IdempotencyKey, IfMatch, answer, command_id, execute
from api.deps import LedgerDep
from api.errors import ERRORS
from api.people import subject_for
from api.schemas.common import money, yuan
from api.schemas.relief import (
    ApproveCase,
    CaseEntryWritten,
    Disburse,
    DisbursementOut,
    OpenReliefCase,
    RatifyCase,
    RejectCase,
    ReliefCaseOut,
    ReliefCaseWritten,
    ReverseDisbursement,
)
from domain.foundations.relief import CaseOpening, ReliefCase
from domain.ledger import Ledger, Outcome

router = APIRouter(prefix="/relief-cases", tags=["relief cases"])


def opening_of(ledger: Ledger, case: ReliefCase) -> CaseOpening:
    # The aggregate keeps only what its rules need; the opening (codes, subdistrict, reference) is the
    # record the open command stored, which the command index gives back by the case's id.
    applied = ledger.applied(case.id)
    record = None if applied is None else applied.record
    if not isinstance(record, CaseOpening):  # every case is created by that command, so never
        msg = f"case {case.id} has no CaseOpening in the command index"
        raise RuntimeError(msg)
    return record


def status_of(case: ReliefCase) -> str:
    if case.rejected_on is not None:
        return "rejected"
    return "open" if case.approved is None else "approved"


def case_out(ledger: Ledger, case_id: UUID) -> ReliefCaseOut:
    case = ledger.get_relief_case(case_id)
    opening = opening_of(ledger, case)
    return ReliefCaseOut(
        case_id=case.id,
        fund_id=case.fund_id,
        foundation_id=ledger.get_fund(case.fund_id).foundation_id,
        reason_code=opening.reason_code,
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


def own_case(ledger: Ledger, who: Principal, case_id: UUID) -> None:
    """Loads the case (404 if unknown) and checks the key acts for the foundation of its fund."""
    case = ledger.get_relief_case(case_id)
    check_foundation(who, ledger.fund_foundation(case.fund_id))


def entry(
    ledger: Ledger, response: Response, outcome: Outcome[Any], entry_id: UUID, case_id: UUID
) -> CaseEntryWritten:
    case = case_out(ledger, case_id)
    position = answer(response, outcome, lambda: case.version)
    return CaseEntryWritten(id=entry_id, case=case, position=position)


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
    # Authorise before the beneficiary is written to the vault: a key of another foundation must
    # leave nothing behind, not even there.
    check_foundation(who, ledger.fund_foundation(body.fund_id))
    subject = subject_for(
        ledger, body.case_id, body.beneficiary, body.beneficiary_subject_id, "beneficiary"
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
            requested_amount=money(body.requested_amount),
            emergency=body.emergency,
            opened_on=body.opened_on,
        ),
    )
    current = case_out(ledger, body.case_id)
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
