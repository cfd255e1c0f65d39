"""`/disclosure`: the public views, no key needed. Foundations with their figures, one foundation's
page, and paginated lists of funds, grants, relief (rows and monthly totals), pairings and their
activities, mentor links, designations and corrections, with the plan's indicators.

Each route parses its parameters, asks the disclosure reader (`projections.disclosure.reader`) or the
indicators view, and puts the typed rows in the public shapes of `api.schemas.disclosure`. The views
are `app.state.views`, which the runner keeps up to date from the log; `?after=P` waits (briefly) until
they have reached log position P, so a client can read its own write. The only thing read from the
vault is the name of a person donor or mentor who consented to be named, looked up here, now
(`api.names`): once the consent is withdrawn or the person erased, the name is gone from every answer.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import TypeAdapter

from api.deps import LedgerDep
from api.errors import ApiError, ErrorBody
from api.names import consenting_name
from api.pages.context import public_position
from api.pages.render import Kept, PageCache
from api.pagination import Cursor, Limit, Page
from api.schemas.disclosure import (
    ActivityPublic,
    CorrectionPublic,
    DesignationPublic,
    DesignationYearFigures,
    FoundationPage,
    FoundationPublic,
    FundPublic,
    GrantPublic,
    IndicatorsPublic,
    MentorLinkPublic,
    NamedDonationPublic,
    PairingCount,
    PairingPublic,
    ReliefMonthPublic,
    ReliefPublic,
    RuralFigures,
    Share,
    activity_public,
    correction_public,
    designation_public,
    foundation_page_public,
    foundation_public,
    fund_public,
    grant_public,
    mentor_link_public,
    named_donation_public,
    pairing_public,
    relief_month_public,
    relief_public,
)
from api.schemas.vocabularies import District as DistrictCode
from domain.districts import check_district
from domain.ledger import Ledger
from projections.disclosure import reader
from projections.disclosure.reader import Filters, PartyFilters
from projections.disclosure.rows import MentorLinkRow, NamedDonationRow
from projections.indicators import DESIGNATIONS_EXPECTED, indicator_figures
from projections.pagination import PageRequest
from projections.runner import PositionBeyondHead
from storage.viewdb import ViewDB

router = APIRouter(prefix="/disclosure", tags=["disclosure"])
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorBody} for code in (404, 422, 503)}
WAIT_SECONDS = 5.0

# --- parameters --------------------------------------------------------------------------------------


def disclosure_db(
    request: Request,
    after: Annotated[
        int | None,
        Query(
            ge=0,
            le=2**62,
            description="wait (up to 5 s) until the views have reached this log position, e.g. "
            "the `position` a write answered",
        ),
    ] = None,
) -> ViewDB:
    if after is not None:
        runner = request.app.state.runner
        try:
            reached = all(
                runner.wait_for(view, after, timeout=WAIT_SECONDS)
                for view in ("disclosure", "indicators")
            )
        except PositionBeyondHead as error:
            raise ApiError(422, "invalid_input", str(error), "after") from None
        if not reached:
            raise ApiError(
                503, "view_lagging", f"after: the views have not reached position {after} yet"
            )
    views: ViewDB = request.app.state.views
    return views


ViewsDep = Annotated[ViewDB, Depends(disclosure_db)]
District = Annotated[
    DistrictCode | None,
    Query(description="one of Shanghai's 16 districts", examples=["pudong"]),
]
FoundationId = Annotated[UUID | None, Query(description="only this foundation's rows")]
RecipientId = Annotated[
    UUID | None, Query(description="only grants to this recipient organisation")
]
OrganizationId = Annotated[
    UUID | None, Query(description="only rows this organisation is party to")
]
Year = Annotated[int | None, Query(ge=1949, le=2200, description="of the row's date")]


# --- the names of consenting people, joined to the rows here and nowhere else ------------------------


NAMED_DONATIONS = TypeAdapter(list[NamedDonationPublic])
NO_NAMES = b'"named_donations":[]'  # in a page's JSON built without them (JSON escapes a quote)


def named_donations(
    ledger: Ledger, found: tuple[NamedDonationRow, ...]
) -> list[NamedDonationPublic]:
    named = []
    for row in found:
        # An erased person has no name left to show, so their donation is not listed.
        if row.donor_kind == "person":
            name = consenting_name(ledger, row.donor_ref)
        else:
            name = row.organization_name
        if name is not None:
            named.append(named_donation_public(row, name))
    return named


def mentor_name(ledger: Ledger, row: MentorLinkRow) -> str | None:
    # The reference itself never leaves: a person mentor is their name (if they consented and are
    # not erased) or else their role label.
    if row.mentor_kind != "person":
        return row.mentor_org_name
    return consenting_name(ledger, row.mentor_ref) if row.publish_name else None


# --- routes ------------------------------------------------------------------------------------------


@router.get(
    "/foundations",
    response_model=Page[FoundationPublic],
    responses=ERRORS,
    summary="Foundations and community foundations with their figures, by district and name",
)
def list_foundations(
    db: ViewsDep, district: District = None, limit: Limit = 50, cursor: Cursor = None
) -> Page[FoundationPublic]:
    found = reader.foundations(db, district, PageRequest(limit, cursor))
    items = [foundation_public(row) for row in found.items]
    return Page[FoundationPublic](items=items, next_cursor=found.next_cursor)


@router.get(
    "/foundations/{foundation_id}",
    response_model=FoundationPage,
    responses=ERRORS,
    summary="One foundation's page: its funds, named donations, grants, relief and corrections",
)
def get_foundation(
    foundation_id: UUID, db: ViewsDep, ledger: LedgerDep, request: Request
) -> Response:
    # The most requested public read. Its JSON without the donors' names is kept like the html
    # pages (api/pages/render.py), under the views' position and the day, so a write or midnight
    # moves it on; the names come from the vault on every request (a consent withdrawn or a person
    # erased is gone from the next answer) and are put into the kept JSON's one empty list.
    pages: PageCache = request.app.state.page_cache
    today = ledger.today()
    position = public_position(request.app.state.runner)
    key = ("json", str(position), today.isoformat(), request.url.path)
    kept = pages.get(key)
    if kept is not None:
        body = kept[0].body
        rows = reader.foundation_named_donations(db, foundation_id)
    else:
        found = reader.foundation_page(db, foundation_id, today=today)
        if found is None:
            raise ApiError(
                404,
                "unknown_foundation",
                f"foundation_id: no foundation {foundation_id}",
                "foundation_id",
            )
        # Built as a FoundationPage already: its JSON is answered directly, sparing FastAPI a
        # second validation of a few hundred rows.
        body = foundation_page_public(found, []).model_dump_json().encode()
        if body.count(NO_NAMES) == 1:
            pages.put(key, Kept(body, (), "json:foundation", named=False))
        rows = found.named_donations
    names = NAMED_DONATIONS.dump_json(named_donations(ledger, rows))
    return Response(
        body.replace(NO_NAMES, b'"named_donations":' + names, 1), media_type="application/json"
    )


@router.get(
    "/funds",
    response_model=Page[FundPublic],
    responses=ERRORS,
    summary="Funds with their figures, by opening date",
)
def list_funds(
    db: ViewsDep,
    district: District = None,
    foundation_id: FoundationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[FundPublic]:
    filters = Filters(district, foundation_id, year)
    found = reader.funds(db, filters, PageRequest(limit, cursor))
    return Page[FundPublic](
        items=[fund_public(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/grants",
    response_model=Page[GrantPublic],
    responses=ERRORS,
    summary="Grants awarded, what was paid, their status and what the community said, by award "
    "date",
)
def list_grants(
    db: ViewsDep,
    district: District = None,
    foundation_id: FoundationId = None,
    recipient_id: RecipientId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[GrantPublic]:
    filters = Filters(district, foundation_id, year)
    found = reader.grants(db, filters, PageRequest(limit, cursor), recipient_id=recipient_id)
    return Page[GrantPublic](
        items=[grant_public(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/relief",
    response_model=Page[ReliefPublic],
    responses=ERRORS,
    summary="Relief disbursements (subdistrict and reason category, never the person), by payment date, "
    "each with where it stands with ratification today",
)
def list_relief(
    db: ViewsDep,
    ledger: LedgerDep,
    district: District = None,
    foundation_id: FoundationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ReliefPublic]:
    filters = Filters(district, foundation_id, year)
    # Pending or overdue is a matter of the day: the ledger's, in Shanghai (MINGZHANG_TODAY).
    found = reader.relief(db, filters, PageRequest(limit, cursor), today=ledger.today())
    return Page[ReliefPublic](
        items=[relief_public(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/relief/monthly",
    response_model=Page[ReliefMonthPublic],
    responses=ERRORS,
    summary="Relief paid per month, subdistrict and reason category (reversals deducted)",
)
def list_relief_monthly(
    db: ViewsDep,
    district: District = None,
    foundation_id: FoundationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ReliefMonthPublic]:
    filters = Filters(district, foundation_id, year)
    found = reader.relief_monthly(db, filters, PageRequest(limit, cursor))
    return Page[ReliefMonthPublic](
        items=[relief_month_public(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/pairings",
    response_model=Page[PairingPublic],
    responses=ERRORS,
    summary="Pairings (结对) with their goals, status and evaluation, by proposal date",
)
def list_pairings(
    db: ViewsDep,
    district: District = None,
    organization_id: OrganizationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[PairingPublic]:
    filters = PartyFilters(district, organization_id, year)
    found = reader.pairings(db, filters, PageRequest(limit, cursor))
    return Page[PairingPublic](
        items=[pairing_public(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/pairings/{pairing_id}/activities",
    response_model=Page[ActivityPublic],
    responses=ERRORS,
    summary="One pairing's activities, by date",
)
def list_activities(
    pairing_id: UUID, db: ViewsDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[ActivityPublic]:
    found = reader.pairing_activities(db, pairing_id, PageRequest(limit, cursor))
    if found is None:
        raise ApiError(404, "unknown_pairing", f"pairing_id: no pairing {pairing_id}", "pairing_id")
    return Page[ActivityPublic](
        items=[activity_public(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/mentor-links",
    response_model=Page[MentorLinkPublic],
    responses=ERRORS,
    summary="Mentor links (导师带教): who mentors whom, on what, for how long",
)
def list_mentor_links(
    db: ViewsDep,
    ledger: LedgerDep,
    district: District = None,
    organization_id: OrganizationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[MentorLinkPublic]:
    filters = PartyFilters(district, organization_id, year)
    found = reader.mentor_links(db, filters, PageRequest(limit, cursor))
    items = [mentor_link_public(row, mentor_name(ledger, row)) for row in found.items]
    return Page[MentorLinkPublic](items=items, next_cursor=found.next_cursor)


@router.get(
    "/designations",
    response_model=Page[DesignationPublic],
    responses=ERRORS,
    summary="Designations (品牌/示范) by year: nominated, selected or revoked",
)
def list_designations(
    db: ViewsDep,
    district: District = None,
    organization_id: OrganizationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DesignationPublic]:
    filters = PartyFilters(district, organization_id, year)
    found = reader.designations(db, filters, PageRequest(limit, cursor))
    return Page[DesignationPublic](
        items=[designation_public(row) for row in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/corrections",
    response_model=Page[CorrectionPublic],
    responses=ERRORS,
    summary="Every public correction (更正说明) with its reason, in log order",
)
def list_corrections(
    db: ViewsDep,
    district: District = None,
    foundation_id: FoundationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[CorrectionPublic]:
    filters = Filters(district, foundation_id, year)
    found = reader.corrections(db, filters, PageRequest(limit, cursor))
    return Page[CorrectionPublic](
        items=[correction_public(row) for row in found.items], next_cursor=found.next_cursor
    )


def share(value: Any) -> Share:
    return Share(count=value.count, total=value.total, percent=value.percent)


@router.get(
    "/indicators",
    response_model=IndicatorsPublic,
    responses=ERRORS,
    summary="The plan's targets (沪民社管发〔2021〕3号), citywide or for one district",
)
def indicators(db: ViewsDep, district: District = None) -> IndicatorsPublic:
    if district is not None:
        check_district(district)
    found = indicator_figures(db, district)
    return IndicatorsPublic(
        district=district,
        subdistricts_with_community_foundation=share(
            found["subdistricts_with_community_foundation"]
        ),
        community_foundations_with_relief_fund=share(
            found["community_foundations_with_relief_fund"]
        ),
        pairings=[
            PairingCount(kind=kind, status=status, count=count)
            for (kind, status), count in found["pairings"].items()
        ],
        designations=[
            DesignationYearFigures(year=year, kind=kind, **counts)
            for (year, kind), counts in found["designations"].items()
        ],
        designations_expected=DESIGNATIONS_EXPECTED,
        rural_registered=RuralFigures(**found["rural_registered"]),
        service_centres_graded_3a_or_above=share(found["service_centres_graded_3a_or_above"]),
    )
