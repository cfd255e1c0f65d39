"""`/organizations`: the registry of community social organisations. Writes are the admin's; reading
one organisation is public (the registry is public information); the admin and auditors list and
filter the registry, from the disclosure view."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.auth import Admin, AdminOrAuditor
from api.commands import IdempotencyKey, IfMatch, answer, at_version, command_id, execute
from api.deps import LedgerDep
from api.errors import ERRORS
from api.pagination import Cursor, Limit, Page
from api.routes.disclosure import ViewsDep
from api.schemas.disclosure import OrganizationPublic, organization_fields
from api.schemas.organizations import (
    Deregister,
    Evaluate,
    OrganizationOut,
    OrganizationWritten,
    Reclassify,
    RegisterOrganization,
)
from api.schemas.vocabularies import District as DistrictCode
from api.schemas.vocabularies import OrganizationType, Role, Tier
from domain.ledger import Ledger, Outcome
from domain.organizations import Organization
from projections.disclosure import reader
from projections.pagination import PageRequest

router = APIRouter(prefix="/organizations", tags=["organizations"])


def organization_out(
    ledger: Ledger, organization_id: UUID, version: int | None = None, left: object = None
) -> OrganizationOut:
    """The record now, or at `version`: as a command left it (what its answer, and a repeat's, shows)."""
    org = (
        ledger.get_organization(organization_id)
        if version is None
        else at_version(ledger, organization_id, version, Organization, left)
    )
    r = org.registration
    return OrganizationOut(
        organization_id=org.id,
        name=r.name,
        uscc=r.uscc,
        type=org.type,
        tier=org.tier,
        roles=list(r.roles),
        district=r.district,
        subdistrict=r.subdistrict,
        rural=r.rural,
        registered_on=r.registered_on,
        grade=org.grade,
        deregistered_on=org.deregistration.deregistered_on if org.deregistration else None,
        version=org.version,
    )


def written(
    ledger: Ledger, response: Response, outcome: Outcome[Any], organization_id: UUID
) -> OrganizationWritten:
    current = organization_out(ledger, organization_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: current.version)
    return OrganizationWritten(**current.model_dump(), position=position)


@router.post(
    "",
    status_code=201,
    response_model=OrganizationWritten,
    responses=ERRORS,
    summary="Register an organisation (admin)",
)
def register(
    body: RegisterOrganization, ledger: LedgerDep, who: Admin, response: Response
) -> OrganizationWritten:
    fields = body.model_dump(exclude={"organization_id"})
    outcome = execute(
        ledger, who, None, lambda: ledger.register_organization(body.organization_id, **fields)
    )
    return written(ledger, response, outcome, body.organization_id)


@router.get(
    "",
    response_model=Page[OrganizationPublic],
    responses=ERRORS,
    summary="The registry, deregistered organisations too, by district and name (admin, auditors)",
)
def list_organizations(
    db: ViewsDep,
    who: AdminOrAuditor,
    role: Annotated[Role | None, Query(max_length=100, description="holding this role")] = None,
    district: Annotated[
        DistrictCode | None,
        Query(max_length=100, description="one of Shanghai's 16 districts", examples=["pudong"]),
    ] = None,
    rural: Annotated[
        Literal["true", "false"] | None, Query(description="rural (涉农) organisations, or not")
    ] = None,
    type: Annotated[
        OrganizationType | None, Query(max_length=100, description="of this type")
    ] = None,
    tier: Annotated[Tier | None, Query(max_length=100, description="of this tier")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[OrganizationPublic]:
    filters = reader.OrganizationFilters(
        role, district, None if rural is None else rural == "true", type, tier
    )
    found = reader.organizations(db, filters, PageRequest(limit, cursor))
    items = [OrganizationPublic(**organization_fields(row)) for row in found.items]
    return Page[OrganizationPublic](items=items, next_cursor=found.next_cursor)


@router.get(
    "/{organization_id}",
    response_model=OrganizationOut,
    responses=ERRORS,
    summary="One organisation, as registered now (public)",
)
def get_organization(
    organization_id: UUID, ledger: LedgerDep, response: Response
) -> OrganizationOut:
    found = organization_out(ledger, organization_id)
    response.headers["ETag"] = f'"{found.version}"'
    return found


@router.post(
    "/{organization_id}/reclassify",
    status_code=201,
    response_model=OrganizationWritten,
    responses=ERRORS,
    summary="Change an organisation's type or tier, with a public reason (admin)",
)
def reclassify(
    organization_id: UUID,
    body: Reclassify,
    ledger: LedgerDep,
    who: Admin,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> OrganizationWritten:
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.reclassify_organization(
            organization_id, command_id=command_id(idempotency_key), **body.model_dump()
        ),
    )
    return written(ledger, response, outcome, organization_id)


@router.post(
    "/{organization_id}/evaluations",
    status_code=201,
    response_model=OrganizationWritten,
    responses=ERRORS,
    summary="Record an evaluation grade (等级评估) (admin)",
)
def evaluate(
    organization_id: UUID,
    body: Evaluate,
    ledger: LedgerDep,
    who: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> OrganizationWritten:
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.record_evaluation(organization_id, **body.model_dump()),
    )
    return written(ledger, response, outcome, organization_id)


@router.post(
    "/{organization_id}/deregister",
    status_code=201,
    response_model=OrganizationWritten,
    responses=ERRORS,
    summary="Deregister an organisation, with a public reason (admin)",
)
def deregister(
    organization_id: UUID,
    body: Deregister,
    ledger: LedgerDep,
    who: Admin,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> OrganizationWritten:
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.deregister_organization(
            organization_id, command_id=command_id(idempotency_key), **body.model_dump()
        ),
    )
    return written(ledger, response, outcome, organization_id)
