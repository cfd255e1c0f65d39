"""`/pairings` (结对): propose, confirm, record activities, evaluate, conclude or terminate a pairing.
Every write is for staff of a foundation that is a party (lead or partner) to the pairing; a
confirmation is the key's own foundation confirming, so the party comes from the key. Reading one
pairing is for staff of a party and for auditors; staff list the pairings their foundation is party
to, auditors every pairing, from the disclosure view."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.auth import Principal, Staff, StaffOrAuditor, check_foundation, scope_of
from api.commands import IdempotencyKey, IfMatch, answer, at_version, command_id, execute
from api.deps import LedgerDep
from api.errors import ERRORS, ApiError
from api.pagination import Cursor, Limit, Page
from api.routes.disclosure import ViewsDep
from api.schemas.disclosure import PairingPublic, pairing_public
from api.schemas.pairing import (
    ConcludePairing,
    ConfirmPairing,
    EvaluatePairing,
    PairingOut,
    PairingStepWritten,
    PairingWritten,
    ProposePairing,
    RecordActivity,
    TerminatePairing,
)
from domain.ledger import Ledger, Outcome
from domain.pairing.pairing import Pairing, Proposal
from projections.disclosure import reader
from projections.pagination import PageRequest

router = APIRouter(prefix="/pairings", tags=["pairings"])


def pairing_out(
    ledger: Ledger, pairing_id: UUID, version: int | None = None, left: object = None
) -> PairingOut:
    """The record now, or at `version`: as a command left it (what its answer, and a repeat's, shows)."""
    pairing = (
        ledger.get_pairing(pairing_id)
        if version is None
        else at_version(ledger, pairing_id, version, Pairing, left)
    )
    # The aggregate keeps only what its rules need; the proposal as made is the command's record.
    applied = ledger.applied(pairing_id)
    proposal = applied.record if applied is not None else None
    assert isinstance(proposal, Proposal), f"pairing {pairing_id} has no proposal on record"
    return PairingOut(
        pairing_id=pairing.id,
        kind=pairing.kind,
        mode=proposal.mode,
        lead_id=pairing.lead_id,
        partner_id=pairing.partner_id,
        goals=list(proposal.goals),
        planned_start=proposal.planned_start,
        planned_end=proposal.planned_end,
        proposed_on=proposal.proposed_on,
        status=pairing.status,
        confirmed_by=list(pairing.confirmed_by),
        evaluated=pairing.evaluated,
        ended_on=pairing.ending.ended_on if pairing.ending else None,
        version=pairing.version,
    )


def own_pairing(ledger: Ledger, who: Principal, pairing_id: UUID) -> None:
    check_foundation(who, *ledger.get_pairing(pairing_id).parties)


def step(
    ledger: Ledger, response: Response, outcome: Outcome[Any], step_id: UUID, pairing_id: UUID
) -> PairingStepWritten:
    pairing = pairing_out(ledger, pairing_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: pairing.version)
    return PairingStepWritten(id=step_id, pairing=pairing, position=position)


@router.post(
    "",
    status_code=201,
    response_model=PairingWritten,
    responses=ERRORS,
    summary="Propose a pairing; the key's foundation is its lead or its partner",
)
def propose(
    body: ProposePairing, ledger: LedgerDep, who: Staff, response: Response
) -> PairingWritten:
    check_foundation(who, body.lead_id, body.partner_id)
    fields = body.model_dump(exclude={"pairing_id"})
    outcome = execute(ledger, who, None, lambda: ledger.propose_pairing(body.pairing_id, **fields))
    current = pairing_out(ledger, body.pairing_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: current.version)
    return PairingWritten(**current.model_dump(), position=position)


@router.get(
    "",
    response_model=Page[PairingPublic],
    responses=ERRORS,
    summary="The pairings the key's foundation is party to (auditors: every pairing), by proposal "
    "date",
)
def list_pairings(
    db: ViewsDep,
    who: StaffOrAuditor,
    organization_id: Annotated[
        UUID | None,
        Query(
            description="only pairings this organisation leads or partners in (a staff key: its "
            "foundation, the default)"
        ),
    ] = None,
    status: Annotated[
        Literal["proposed", "active", "concluded", "terminated"] | None,
        Query(description="the pairing's status"),
    ] = None,
    year: Annotated[
        int | None, Query(ge=1949, le=2200, description="the year the pairing was proposed")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[PairingPublic]:
    party = scope_of(who, organization_id, "organization_id")
    filters = reader.PartyFilters(None, party, year, status)
    found = reader.pairings(db, filters, PageRequest(limit, cursor))
    return Page[PairingPublic](
        items=[pairing_public(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/{pairing_id}",
    response_model=PairingOut,
    responses=ERRORS,
    summary="A pairing as it stands now (staff of a party, auditors)",
)
def get_pairing(
    pairing_id: UUID, ledger: LedgerDep, who: StaffOrAuditor, response: Response
) -> PairingOut:
    own_pairing(ledger, who, pairing_id)
    found = pairing_out(ledger, pairing_id)
    response.headers["ETag"] = f'"{found.version}"'
    return found


@router.post(
    "/{pairing_id}/confirm",
    status_code=201,
    response_model=PairingStepWritten,
    responses=ERRORS,
    summary="The key's foundation confirms the pairing; active once both parties have",
)
def confirm(
    pairing_id: UUID,
    body: ConfirmPairing,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> PairingStepWritten:
    party = who.foundation_id
    assert party is not None  # a staff key is always bound to a foundation
    if body.party_id is not None and body.party_id != party:
        # One party cannot confirm for the other: the key says who is confirming.
        raise ApiError(
            403,
            "wrong_foundation",
            f"party_id: this staff key is bound to foundation {party}; it confirms for that "
            f"foundation only, not {body.party_id}",
            "party_id",
        )
    own_pairing(ledger, who, pairing_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.confirm_pairing(
            pairing_id, command_id=key, party_id=party, confirmed_on=body.confirmed_on
        ),
    )
    return step(ledger, response, outcome, key, pairing_id)


@router.post(
    "/{pairing_id}/activities",
    status_code=201,
    response_model=PairingStepWritten,
    responses=ERRORS,
    summary="Record an activity of an active pairing (a funding one names its fund transfer)",
)
def record_activity(
    pairing_id: UUID,
    body: RecordActivity,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> PairingStepWritten:
    own_pairing(ledger, who, pairing_id)
    fields = body.model_dump(exclude={"activity_id"})
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.record_pairing_activity(pairing_id, activity_id=body.activity_id, **fields),
    )
    return step(ledger, response, outcome, body.activity_id, pairing_id)


@router.post(
    "/{pairing_id}/evaluate",
    status_code=201,
    response_model=PairingStepWritten,
    responses=ERRORS,
    summary="Evaluate each goal (met, partly, not_met); a service-centre partnership with grades",
)
def evaluate(
    pairing_id: UUID,
    body: EvaluatePairing,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> PairingStepWritten:
    own_pairing(ledger, who, pairing_id)
    key = command_id(idempotency_key)
    results = [(r.goal, r.result, r.note) for r in body.results]
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.evaluate_pairing(
            pairing_id,
            command_id=key,
            results=results,
            grade_before=body.grade_before,
            grade_after=body.grade_after,
            evaluated_on=body.evaluated_on,
        ),
    )
    return step(ledger, response, outcome, key, pairing_id)


@router.post(
    "/{pairing_id}/conclude",
    status_code=201,
    response_model=PairingStepWritten,
    responses=ERRORS,
    summary="Conclude an active pairing, with a summary",
)
def conclude(
    pairing_id: UUID,
    body: ConcludePairing,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> PairingStepWritten:
    own_pairing(ledger, who, pairing_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.conclude_pairing(pairing_id, command_id=key, **body.model_dump()),
    )
    return step(ledger, response, outcome, key, pairing_id)


@router.post(
    "/{pairing_id}/terminate",
    status_code=201,
    response_model=PairingStepWritten,
    responses=ERRORS,
    summary="End a pairing early, with a public reason",
)
def terminate(
    pairing_id: UUID,
    body: TerminatePairing,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> PairingStepWritten:
    own_pairing(ledger, who, pairing_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.terminate_pairing(pairing_id, command_id=key, **body.model_dump()),
    )
    return step(ledger, response, outcome, key, pairing_id)
