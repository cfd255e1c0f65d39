"""`/organizations/{id}`: a registered organisation's public page (a service centre, a social or rural
organisation: any party a grant or a pairing names). Its profile, as the foundation page shows it (the
same macro, `profile.html`), the grants it received, the pairings it is in, and its mentor links (as
mentee or mentoring organisation), each row linking to its record's page where it
has one and to its log entry; each list pages on its own cursor and downloads every row it would page
through (`?download=grants.csv`). All of it is the disclosure reader's. A mentor who is a person is
named only if they consented, looked up now (`api.names`), and the page then expires in seconds.

An organisation that holds funds (a foundation or community foundation) has the fuller foundation
page, and this path answers 307 to it. An unknown id is 404 `unknown_organization` naming
`organization_id`, as the registry's JSON route answers.

The JSON registry answers the same path (`GET /organizations/{id}`), so this page matches only a
request that asks for HTML (`HtmlRoute`, as the record pages do); every other request goes on to the
JSON route as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from api.deps import LedgerDep
from api.pages.context import PageDep
from api.pages.render import cached, render
from api.pages.routes.foundations import (
    MENTOR_LINKS,
    PAIRINGS,
    SECTION_ROWS,
    Cursor,
    Section,
    grant_table,
    mentor_links_named,
    named_cursor,
)
from api.pages.routes.records import HtmlRoute
from api.pages.tables import Column, Table, download
from domain.errors import UnknownOrganization
from domain.organizations import FUND_HOLDER_ROLES
from projections.disclosure import reader
from projections.disclosure.giving360 import organization_identifier
from projections.disclosure.reader import PartyFilters
from projections.pagination import Page, PageRequest

router = APIRouter(tags=["pages"], include_in_schema=False, route_class=HtmlRoute)

# The grants it received, each with its funder (the recipient is this page's organisation).
RECEIVED = grant_table(
    (
        Column("foundation_id", "grant.funder", lambda r: r.foundation_id, screen=False),
        Column(
            "foundation_name",
            "grant.funder",
            lambda r: r.foundation_name,
            link=lambda r: f"/foundations/{r.foundation_id}",
        ),
    )
)

SECTIONS = (
    Section(RECEIVED, "organization.section.grants", "organization.about.grants"),
    Section(PAIRINGS, "organization.section.pairings"),
    Section(MENTOR_LINKS, "foundation.section.mentor_links", "foundation.about.mentor_links"),
)
TABLES: tuple[Table[Any], ...] = tuple(section.table for section in SECTIONS)
Download = Literal[
    "grants.csv",
    "grants.json",
    "pairings.csv",
    "pairings.json",
    "mentor_links.csv",
    "mentor_links.json",
]


@router.get("/organizations/{organization_id}")
def organization(
    request: Request,
    page: PageDep,
    ledger: LedgerDep,
    organization_id: UUID,
    grants_cursor: Cursor = None,
    pairings_cursor: Cursor = None,
    mentor_links_cursor: Cursor = None,
    download_: Annotated[Download | None, Query(alias="download")] = None,
) -> Response:
    if download_ is None and (kept := cached(request, page)) is not None:
        return kept
    db = page.db
    found = reader.organization(db, organization_id)
    if found is None:
        raise UnknownOrganization(
            f"organization_id: no organisation {organization_id}", field="organization_id"
        )
    if any(role in FUND_HOLDER_ROLES for role in found.roles):
        # 307 keeps the method and says nothing permanent: an organisation's roles can change.
        # The query goes on as asked: the foundation page takes this page's parameters too.
        query = request.url.query
        target = f"/foundations/{organization_id}" + (f"?{query}" if query else "")
        return RedirectResponse(target, status_code=307)
    party = PartyFilters(organization_id=organization_id)
    reads: dict[str, Callable[[PageRequest], Page[Any]]] = {
        "grants": lambda p: reader.grants(db, page=p, recipient_id=organization_id),
        "pairings": lambda p: reader.pairings(db, party, p),
        "mentor_links": lambda p: mentor_links_named(ledger, reader.mentor_links(db, party, p)),
    }
    cursors = {
        "grants": grants_cursor,
        "pairings": pairings_cursor,
        "mentor_links": mentor_links_cursor,
    }
    fetches = {name: named_cursor(read, f"{name}_cursor") for name, read in reads.items()}
    if download_ is not None:
        name, format = download_.rsplit(".", 1)
        table = next(t for t in TABLES if t.name == name)
        named = table is MENTOR_LINKS  # may hold a consenting person's name
        return download(table, format, fetches[name], page.checkpoint, names_shown=named)
    rows = {
        table.name: fetches[table.name](PageRequest(SECTION_ROWS, cursors[table.name]))
        for table in TABLES
    }
    # A consenting person mentor is named, looked up now: the page then expires in seconds.
    names_shown = any(
        m.row.mentor_kind == "person" and m.mentor is not None for m in rows["mentor_links"].items
    )
    return render(
        request,
        page,
        "organization.html",
        names_shown=names_shown,
        organization=found,
        org_id=organization_identifier(found),
        sections=SECTIONS,
        rows=rows,
    )
