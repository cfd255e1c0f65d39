"""`/designations` (带头人 leaders, 观察点 observation points): nominate, select within the yearly maximum
(MINGZHANG_DESIGNATIONS_MAX_PER_YEAR), revoke with a public reason. The civil-affairs bureaus decide
these, so every write is the admin's. A person nominee enters through `api.people`: their data goes to
the vault, the designation carries a reference minted for it, and no answer names them. The admin
and auditors list them from the disclosure view (a person nominee without a name)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.auth import Admin, AdminOrAuditor
from api.commands import IdempotencyKey, IfMatch, answer, at_version, command_id, execute
from api.deps import LedgerDep
from api.errors import ERRORS
from api.pagination import Cursor, Limit, Page
from api.people import check_party, party_for
from api.routes.disclosure import ViewsDep
from api.schemas.disclosure import DesignationPublic, designation_public
from api.schemas.pairing import (
    DesignationOut,
    DesignationStepWritten,
    DesignationWritten,
    Nominate,
    RevokeDesignation,
    SelectDesignation,
)
from domain.ledger import Ledger, Outcome
from domain.pairing.designation import Designation, Nomination
from projections.disclosure import reader
from projections.pagination import PageRequest

router = APIRouter(prefix="/designations", tags=["designations"])
# Reads are for those who decide designations and those who audit them (`AdminOrAuditor`); no staff
# key is bound to a bureau.


def designation_out(
    ledger: Ledger, designation_id: UUID, version: int | None = None, left: object = None
) -> DesignationOut:
    """The record now, or at `version`: as a command left it (what its answer, and a repeat's, shows)."""
    designation = (
        ledger.get_designation(designation_id)
        if version is None
        else at_version(ledger, designation_id, version, Designation, left)
    )
    # The aggregate keeps only what its rules need; the nomination as made is the command's record.
    applied = ledger.applied(designation_id)
    nomination = applied.record if applied is not None else None
    assert isinstance(nomination, Nomination), f"designation {designation_id} has no nomination"
    return DesignationOut(
        designation_id=designation.id,
        kind=designation.kind,
        year=designation.year,
        nominee_kind=nomination.nominee_kind,
        # A person's nominee_ref is a vault reference: it stays out of answers like their name.
        nominee_org_id=nomination.nominee_ref if nomination.nominee_kind == "foundation" else None,
        nominating_body=nomination.nominating_body,
        rationale=nomination.rationale,
        nominated_on=nomination.nominated_on,
        status=designation.status,
        version=designation.version,
    )


def step(
    ledger: Ledger, response: Response, outcome: Outcome[Any], key: UUID, designation_id: UUID
) -> DesignationStepWritten:
    designation = designation_out(ledger, designation_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: designation.version)
    return DesignationStepWritten(id=key, designation=designation, position=position)


# What a nominee of each kind is given by.
NOMINEE_FIELDS = {"person": ("nominee", "nominee_subject_id"), "foundation": ("nominee_org_id",)}


@router.post(
    "",
    status_code=201,
    response_model=DesignationWritten,
    responses=ERRORS,
    summary="Nominate a leader (带头人) or an observation point (观察点) for a year (admin)",
)
def nominate(
    body: Nominate, ledger: LedgerDep, who: Admin, response: Response
) -> DesignationWritten:
    check_party(body.nominee_kind, body, NOMINEE_FIELDS)
    subject, new = None, None
    if body.nominee_kind == "person":
        subject, new = party_for(ledger, who, body.nominee, body.nominee_subject_id, "nominee")
    fields = body.model_dump(
        include={
            "kind",
            "year",
            "nominee_kind",
            "nominee_org_id",
            "nominating_body",
            "rationale",
            "nominated_on",
        }
    )
    outcome = execute(
        ledger,
        who,
        None,
        lambda: ledger.nominate(
            body.designation_id, nominee_subject_id=subject, nominee_person=new, **fields
        ),
    )
    current = designation_out(ledger, body.designation_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: current.version)
    return DesignationWritten(**current.model_dump(), position=position)


@router.get(
    "",
    response_model=Page[DesignationPublic],
    responses=ERRORS,
    summary="Every designation, by year (admin, auditors)",
)
def list_designations(
    db: ViewsDep,
    who: AdminOrAuditor,
    organization_id: Annotated[
        UUID | None, Query(description="only this nominee organisation's")
    ] = None,
    status: Annotated[
        Literal["nominated", "selected", "revoked"] | None,
        Query(description="the designation's status"),
    ] = None,
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="the year the designation is for")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DesignationPublic]:
    filters = reader.PartyFilters(None, organization_id, year, status)
    found = reader.designations(db, filters, PageRequest(limit, cursor))
    return Page[DesignationPublic](
        items=[designation_public(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/{designation_id}",
    response_model=DesignationOut,
    responses=ERRORS,
    summary="A designation as it stands now, without a person nominee's identity (admin, auditors)",
)
def get_designation(
    designation_id: UUID, ledger: LedgerDep, who: AdminOrAuditor, response: Response
) -> DesignationOut:
    found = designation_out(ledger, designation_id)
    response.headers["ETag"] = f'"{found.version}"'
    return found


@router.post(
    "/{designation_id}/select",
    status_code=201,
    response_model=DesignationStepWritten,
    responses=ERRORS,
    summary="Select a nominee, within the year's maximum for its kind (admin)",
)
def select(
    designation_id: UUID,
    body: SelectDesignation,
    ledger: LedgerDep,
    who: Admin,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> DesignationStepWritten:
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.select_designation(designation_id, command_id=key, **body.model_dump()),
    )
    return step(ledger, response, outcome, key, designation_id)


@router.post(
    "/{designation_id}/revoke",
    status_code=201,
    response_model=DesignationStepWritten,
    responses=ERRORS,
    summary="Revoke a nomination or a selection, with a public reason (admin)",
)
def revoke(
    designation_id: UUID,
    body: RevokeDesignation,
    ledger: LedgerDep,
    who: Admin,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> DesignationStepWritten:
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.revoke_designation(designation_id, command_id=key, **body.model_dump()),
    )
    return step(ledger, response, outcome, key, designation_id)
