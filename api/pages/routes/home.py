"""`/` and `/districts/{district}`: the city's page and each district's. Totals (this year and all
time), the plan's indicators as a grid of the districts (an SVG with the same figures in a table
behind it), the latest corrections with their reasons, and the foundations and the other registered
organisations (the grants' recipients and the pairings' parties, each list paged by its own cursor),
both searchable by name (`q`, a substring, Chinese as typed) and, on the city's page, by district.
Every list downloads.
An empty ledger says so, and how to load the demo.

An unknown district is answered as the `district` parameter of the JSON routes is: 422
`unknown_district` naming `district`, with the rule (the 16 codes).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from api.pages.charts import district_grid
from api.pages.context import PageContext, PageDep
from api.pages.render import cached, render
from api.pages.routes.foundations import named_cursor
from api.pages.tables import Column, Table, download
from domain.checks import check_text
from domain.districts import DISTRICTS, check_district
from projections.disclosure import reader
from projections.disclosure.reader import MAX_SEARCH, Filters, OrganizationFilters
from projections.disclosure.rows import CorrectionRow, FoundationRow, OrganizationRow
from projections.indicators import DistrictIndicators, district_indicators
from projections.pagination import Page, PageRequest

router = APIRouter(tags=["pages"], include_in_schema=False)
PAGE_ROWS = 50
LATEST_CORRECTIONS = 10

FOUNDATIONS: Table[FoundationRow] = Table(
    "foundations",
    (
        Column("organization_id", "col.id", lambda r: r.organization.organization_id, screen=False),
        Column(
            "name",
            "col.name",
            lambda r: r.organization.name,
            link=lambda r: f"/foundations/{r.organization.organization_id}",
        ),
        Column(
            "district",
            "col.district",
            lambda r: r.organization.district,
            vocabulary="district",
            link=lambda r: f"/districts/{r.organization.district}",
        ),
        Column("subdistrict", "col.subdistrict", lambda r: r.organization.subdistrict),
        Column("funds", "col.funds", lambda r: r.funds),
        Column("received", "col.received", lambda r: r.figures.received_fen, money=True),
        Column("granted", "col.granted", lambda r: r.figures.granted_fen, money=True),
        Column("balance", "col.balance", lambda r: r.figures.balance_fen, money=True),
        Column("leaf_index", "col.entry", lambda r: r.organization.leaf_index, entry=True),
    ),
)

# The organisations that hold no funds (the foundations are the list above): the grants' recipients
# and the pairings' parties, each leading to its page.
ORGANIZATIONS: Table[OrganizationRow] = Table(
    "organizations",
    (
        Column("organization_id", "col.id", lambda r: r.organization_id, screen=False),
        Column(
            "name",
            "col.name",
            lambda r: r.name,
            link=lambda r: f"/organizations/{r.organization_id}",
        ),
        Column("type", "foundation.type", lambda r: r.type, vocabulary="organization_type"),
        Column("roles", "foundation.roles", lambda r: ",".join(r.roles), screen=False),
        Column(
            "district",
            "col.district",
            lambda r: r.district,
            vocabulary="district",
            link=lambda r: f"/districts/{r.district}",
        ),
        Column("subdistrict", "col.subdistrict", lambda r: r.subdistrict),
        Column("rural", "foundation.rural", lambda r: r.rural, screen=False),
        Column("grade", "foundation.grade", lambda r: r.grade),
        Column(
            "deregistered_on",
            "foundation.deregistered_on",
            lambda r: r.deregistered_on,
            screen=False,
        ),
        Column("leaf_index", "col.entry", lambda r: r.leaf_index, entry=True),
    ),
)

INDICATORS: Table[DistrictIndicators] = Table(
    "indicators",
    (
        Column(
            "district",
            "col.district",
            lambda r: r.district,
            vocabulary="district",
            link=lambda r: f"/districts/{r.district}",
        ),
        Column(
            "subdistricts_covered",
            "col.subdistricts_covered",
            lambda r: r.subdistricts_with_community_foundation.count,
            screen=False,
        ),
        Column(
            "subdistricts",
            "col.subdistricts",
            lambda r: r.subdistricts_with_community_foundation.total,
            screen=False,
        ),
        Column(
            "coverage_percent",
            "col.coverage",
            lambda r: r.subdistricts_with_community_foundation.percent,
            percent=True,
        ),
        Column(
            "community_foundations_with_relief_fund",
            "col.with_relief_fund",
            lambda r: r.community_foundations_with_relief_fund.count,
            screen=False,
        ),
        Column(
            "community_foundations",
            "col.community_foundations",
            lambda r: r.community_foundations_with_relief_fund.total,
            screen=False,
        ),
        Column(
            "relief_fund_percent",
            "col.relief_fund",
            lambda r: r.community_foundations_with_relief_fund.percent,
            percent=True,
        ),
        Column(
            "pairings_foundation_twinning",
            "col.pairings.foundation_twinning",
            lambda r: dict(r.pairings)["foundation_twinning"],
        ),
        Column(
            "pairings_service_center_partnership",
            "col.pairings.service_center_partnership",
            lambda r: dict(r.pairings)["service_center_partnership"],
        ),
        Column(
            "pairings_urban_rural",
            "col.pairings.urban_rural",
            lambda r: dict(r.pairings)["urban_rural"],
        ),
        Column("pairings_established", "col.pairings", lambda r: r.pairings_established),
        Column(
            "rural_baseline_2020",
            "col.rural_baseline",
            lambda r: r.rural_registered.baseline_2020,
            screen=False,
        ),
        Column(
            "rural_at_end_of_2023",
            "col.rural_2023",
            lambda r: r.rural_registered.at_end_of_2023,
            screen=False,
        ),
        Column("rural_now", "col.rural_now", lambda r: r.rural_registered.now),
        Column("rural_target", "col.rural_target", lambda r: r.rural_registered.target),
        Column(
            "rural_met_by_2023",
            "col.rural_met",
            lambda r: r.rural_registered.met_by_2023,
            screen=False,
        ),
        Column(
            "service_centres_graded",
            "col.centres_graded",
            lambda r: r.service_centres_graded_3a_or_above.count,
            screen=False,
        ),
        Column(
            "service_centres",
            "col.centres",
            lambda r: r.service_centres_graded_3a_or_above.total,
            screen=False,
        ),
        Column(
            "service_centres_percent",
            "col.centres_percent",
            lambda r: r.service_centres_graded_3a_or_above.percent,
            percent=True,
        ),
    ),
)

CORRECTIONS: Table[CorrectionRow] = Table(
    "corrections",
    (
        Column("corrected_on", "col.corrected_on", lambda r: r.corrected_on),
        Column("kind", "col.correction_kind", lambda r: r.kind, vocabulary="correction_kind"),
        Column("reason", "col.reason", lambda r: r.reason),
        Column("amount", "col.amount", lambda r: r.amount_fen, money=True),
        Column(
            "organization_id",
            "col.id",
            lambda r: r.organization_id,
            screen=False,
        ),
        Column("corrects_id", "col.id", lambda r: r.corrects_id, screen=False),
        Column("leaf_index", "col.entry", lambda r: r.leaf_index, entry=True),
    ),
)

Downloads = Literal[
    "foundations.csv",
    "foundations.json",
    "organizations.csv",
    "organizations.json",
    "indicators.csv",
    "indicators.json",
    "corrections.csv",
    "corrections.json",
]
Search = Annotated[
    str | None,
    Query(description="foundations and organisations whose name holds this text (a substring)"),
]


def search_text(q: str | None) -> str | None:
    """The search as the reader takes it; an empty box searches for nothing. Refused as `q`, the
    name the form gives it."""
    if q is None or not q.strip():
        return None
    return check_text(q.strip(), field="q", max_length=MAX_SEARCH, public=False)


def city_page(
    request: Request,
    page: PageContext,
    *,
    district: str | None,
    filter_district: str | None,
    q: str | None,
    cursor: str | None,
    organizations_cursor: str | None,
    download_: str | None,
) -> Response:
    """The city's page (`district` None) or one district's: `filter_district` narrows the
    foundations and the organisations only (the city's page's district filter)."""
    if download_ is None and (kept := cached(request, page)) is not None:
        return kept
    wanted = search_text(q)
    listed_district = district or filter_district

    def foundations(request_: PageRequest) -> Page[FoundationRow]:
        return reader.foundations(page.db, listed_district, request_, name_contains=wanted)

    def organizations(request_: PageRequest) -> Page[OrganizationRow]:
        filters = OrganizationFilters(
            district=listed_district, name_contains=wanted, holds_funds=False
        )
        return named_cursor(
            lambda p: reader.organizations(page.db, filters, p), "organizations_cursor"
        )(request_)

    def corrections(request_: PageRequest) -> Page[CorrectionRow]:
        return reader.corrections(page.db, Filters(district=district), request_, newest_first=True)

    def indicators() -> tuple[DistrictIndicators, ...]:
        every = district_indicators(page.db)
        return every if district is None else tuple(d for d in every if d.district == district)

    if download_ is not None:
        name, format = download_.split(".")
        if name == "foundations":
            return download(FOUNDATIONS, format, foundations, page.checkpoint)
        if name == "organizations":
            return download(ORGANIZATIONS, format, organizations, page.checkpoint)
        if name == "corrections":
            return download(CORRECTIONS, format, corrections, page.checkpoint)
        grid_rows = indicators()
        return download(INDICATORS, format, lambda _: Page(grid_rows, None), page.checkpoint)
    if page.position == 0:
        return render(request, page, "empty.html")
    grid_rows = indicators()
    return render(
        request,
        page,
        "home.html",
        district=district,
        filter_district=filter_district,
        q=wanted or "",
        districts=tuple(DISTRICTS),
        year=page.today.year,
        this_year=reader.totals(page.db, district, page.today.year),
        all_time=reader.totals(page.db, district),
        grid=district_grid(grid_rows),
        indicators=grid_rows,
        indicator_table=INDICATORS,
        corrections=corrections(PageRequest(LATEST_CORRECTIONS)),
        correction_table=CORRECTIONS,
        foundations=foundations(PageRequest(PAGE_ROWS, cursor)),
        table=FOUNDATIONS,
        organizations=organizations(PageRequest(PAGE_ROWS, organizations_cursor)),
        organization_table=ORGANIZATIONS,
    )


@router.get("/")
def home(
    request: Request,
    page: PageDep,
    district: Annotated[
        str | None,
        Query(description="one of the 16 district codes; empty (the form's 所有区) for all"),
    ] = None,
    q: Search = None,
    cursor: Annotated[str | None, Query()] = None,
    organizations_cursor: Annotated[str | None, Query()] = None,
    download_: Annotated[Downloads | None, Query(alias="download")] = None,
) -> Response:
    return city_page(
        request,
        page,
        district=None,
        filter_district=check_district(district) if district else None,
        q=q,
        cursor=cursor,
        organizations_cursor=organizations_cursor,
        download_=download_,
    )


@router.get("/districts/{district}")
def district_page(
    request: Request,
    page: PageDep,
    district: str,
    q: Search = None,
    cursor: Annotated[str | None, Query()] = None,
    organizations_cursor: Annotated[str | None, Query()] = None,
    download_: Annotated[Downloads | None, Query(alias="download")] = None,
) -> Response:
    return city_page(
        request,
        page,
        district=check_district(district),
        filter_district=None,
        q=q,
        cursor=cursor,
        organizations_cursor=organizations_cursor,
        download_=download_,
    )
