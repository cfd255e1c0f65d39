"""`/`: the citywide page. Totals, the plan's indicators, the latest corrections, and the foundations
(searchable by district), each list downloadable. An empty ledger says so, and how to load the demo."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from api.pages.context import PageDep
from api.pages.render import render
from api.pages.tables import Column, Table, download
from api.schemas.vocabularies import District
from domain.districts import DISTRICTS
from projections.disclosure import reader
from projections.disclosure.rows import FoundationRow
from projections.indicators import indicator_figures
from projections.pagination import Page, PageRequest

router = APIRouter(tags=["pages"], include_in_schema=False)
PAGE_ROWS = 50

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


@router.get("/")
def home(
    request: Request,
    page: PageDep,
    district: Annotated[District | None, Query()] = None,
    cursor: Annotated[str | None, Query()] = None,
    download_: Annotated[
        Literal["foundations.csv", "foundations.json"] | None, Query(alias="download")
    ] = None,
) -> Response:
    def fetch(request_: PageRequest) -> Page[FoundationRow]:
        return reader.foundations(page.db, district, request_)

    if download_ is not None:
        return download(FOUNDATIONS, download_.split(".")[1], fetch, page.checkpoint)
    if page.position == 0:
        return render(request, page, "empty.html")
    foundations = fetch(PageRequest(PAGE_ROWS, cursor))
    return render(
        request,
        page,
        "home.html",
        district=district,
        districts=tuple(DISTRICTS),
        foundations=foundations,
        table=FOUNDATIONS,
        indicators=indicator_figures(page.db, district),
        corrections=reader.corrections(page.db, reader.NO_FILTERS, PageRequest(10)).items,
    )
