"""`/grants/{id}`, `/pairings/{id}`, `/relief-cases/{id}`: one record's public summary (the
disclosure reader's row) and its full public history, oldest first, each step with its business
date, recording time and log position (linked to the entry), in words (`api.pages.describe`).

The steps are the record's own events: the history view's index of them (`projections.history.
steps_of`, up to the position the page shows, so `?as_of` shows the history as it stood) paired with
the events themselves (`Ledger.history`), which `describe` puts into words. A grant's steps are the
grant's; the fund's side of each (its reservation, payment, release: the same commit) is on the
fund's statement. A relief case shows only its public fields: nothing of the person helped.

The JSON API answers the same paths (`GET /grants/{id}`... for staff and auditors, with a key), so
these pages match only a request that asks for HTML (`HtmlRoute`: a browser's `Accept`), and every
other request goes on to the JSON route as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

from api.errors import ApiError
from api.pages import describe
from api.pages.context import PageContext, PageDep
from api.pages.render import cached, render
from api.pages.tables import Column, Table, download
from domain.clock import SHANGHAI
from domain.ledger import Ledger
from projections.disclosure import reader
from projections.history import Step, steps_of
from projections.pagination import Page, PageRequest


class HtmlRoute(APIRoute):
    """A page route that matches only a request asking for HTML, so the JSON route on the same path
    still answers API clients (whose `Accept` is JSON or `*/*`)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is not Match.NONE and not asks_for_html(scope):
            return Match.NONE, {}
        return match, child


def asks_for_html(scope: Scope) -> bool:
    accept = dict(scope.get("headers") or []).get(b"accept", b"")
    return b"text/html" in accept


router = APIRouter(tags=["pages"], include_in_schema=False, route_class=HtmlRoute)


@dataclass(frozen=True)
class HistoryRow:
    """One step of a record's history as its page lists it."""

    step: Step
    description: describe.Description
    words: str  # the step in words, in the page's language

    @property
    def recorded_at(self) -> datetime:
        return self.step.recorded_at.astimezone(SHANGHAI)


HISTORY: Table[HistoryRow] = Table(
    "history",
    (
        Column("position", "col.position", lambda r: r.step.position),
        Column("business_date", "col.business_date", lambda r: r.step.business_date),
        Column("recorded_at", "col.recorded_at", lambda r: r.recorded_at),
        Column("topic", "entry.topic", lambda r: r.step.topic, screen=False),
        Column("step", "col.step", lambda r: r.words),
        Column("leaf_index", "col.entry", lambda r: r.step.leaf_index, entry=True),
    ),
)
HistoryDownload = Annotated[Literal["history.csv", "history.json"] | None, Query(alias="download")]


def history_rows(
    request: Request, page: PageContext, record_id: UUID
) -> tuple[list[HistoryRow], dict[UUID, describe.Named]]:
    """The record's steps up to the position the page shows, described, with the names they use."""
    ledger: Ledger = request.app.state.ledger
    # The history view only grows: its live rows up to the page's position are the history as it
    # stood then, whatever day the page shows.
    steps = steps_of(request.app.state.views, record_id, up_to=page.position)
    events = {e.originator_version: e for e in ledger.history(record_id)}
    described = [(s, describe.describe(events[s.version])) for s in steps if s.version in events]
    organizations, funds = describe.ids_named(d for _, d in described)
    named = describe.names(
        reader.organizations_by_id(page.db, organizations), reader.funds_by_id(page.db, funds)
    )
    rows = [HistoryRow(s, d, describe.sentence(d, page.lang, named)) for s, d in described]
    return rows, named


def answer(
    request: Request,
    page: PageContext,
    record_id: UUID,
    download_: str | None,
    template: str,
    **values: Any,
) -> Response:
    rows, named = history_rows(request, page, record_id)
    if download_ is not None:

        def fetch(_: PageRequest) -> Page[HistoryRow]:
            return Page(tuple(rows), None)

        return download(HISTORY, download_.split(".")[1], fetch, page.checkpoint)
    return render(request, page, template, history=rows, table=HISTORY, named=named, **values)


def names_of(page: PageContext, *ids: UUID) -> Callable[[UUID], str | None]:
    organizations = reader.organizations_by_id(page.db, ids)
    funds = reader.funds_by_id(page.db, ids)

    def name(key: UUID) -> str | None:
        if key in organizations:
            return organizations[key].name
        if key in funds:
            return funds[key].name
        return None

    return name


@router.get("/grants/{grant_id}")
def grant(
    request: Request, page: PageDep, grant_id: UUID, download_: HistoryDownload = None
) -> Response:
    if download_ is None and (kept := cached(request, page)) is not None:
        return kept
    row = reader.grant(page.db, grant_id)
    if row is None:
        raise ApiError(404, "unknown_grant", f"grant_id: no grant {grant_id}", "grant_id")
    return answer(
        request,
        page,
        grant_id,
        download_,
        "grant.html",
        grant=row,
        name=names_of(page, row.foundation_id, row.fund_id),
    )


@router.get("/pairings/{pairing_id}")
def pairing(
    request: Request, page: PageDep, pairing_id: UUID, download_: HistoryDownload = None
) -> Response:
    if download_ is None and (kept := cached(request, page)) is not None:
        return kept
    row = reader.pairing(page.db, pairing_id)
    if row is None:
        raise ApiError(404, "unknown_pairing", f"pairing_id: no pairing {pairing_id}", "pairing_id")
    return answer(request, page, pairing_id, download_, "pairing.html", pairing=row)


@router.get("/relief-cases/{case_id}")
def relief_case(
    request: Request, page: PageDep, case_id: UUID, download_: HistoryDownload = None
) -> Response:
    if download_ is None and (kept := cached(request, page)) is not None:
        return kept
    row = reader.relief_case(page.db, case_id)
    if row is None:
        raise ApiError(404, "unknown_relief_case", f"case_id: no relief case {case_id}", "case_id")
    return answer(
        request,
        page,
        case_id,
        download_,
        "relief_case.html",
        case=row,
        name=names_of(page, row.foundation_id, row.fund_id),
    )
