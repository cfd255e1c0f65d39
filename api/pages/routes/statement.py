"""`/funds/{fund_id}/statement?from=YYYY-MM-DD&to=YYYY-MM-DD`: a fund's statement (对账单) for a period,
as an auditor reads one. The fund and its foundation, the period, the opening balance, every movement
in order (date, kind, counterparty in public form, signed amount, its entry in the log), what came in
and went out, and the closing balance, all from `reader.fund_statement` and `reader.fund_movements`.

The period runs from the fund's opening to the ledger's today unless `from` or `to` say otherwise
(both days included). The movements are paged (`cursor`); `download` gives every movement of the
period. A person donor appears as "a person", never by name (the movement keeps no reference to look
one up by). A date that is not one, or a period that ends before it starts, is 422 `invalid_date`
naming the parameter as written (`from` or `to`); an unknown fund is 404 `unknown_fund`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from api.pages.context import PageDep
from api.pages.render import cached, render
from api.pages.tables import Column, Table, download
from domain.errors import InvalidDate, UnknownFund
from projections.disclosure import reader
from projections.disclosure.rows import MovementRow
from projections.pagination import Page, PageRequest

router = APIRouter(tags=["pages"], include_in_schema=False)
PAGE_ROWS = 100


def counterparty_link(row: MovementRow) -> str | None:
    if row.counterparty_id is None:
        return None
    if row.counterparty_kind == "fund":
        return f"/funds/{row.counterparty_id}/statement"
    if row.counterparty_kind == "organization" and row.counterparty_registered:
        # Any registered organisation has a page (a foundation's answers with the foundation's);
        # a donor organisation the registry lacks has none.
        return f"/organizations/{row.counterparty_id}"
    return None


MOVEMENTS: Table[MovementRow] = Table(
    "movements",
    (
        Column("on_date", "col.date", lambda r: r.on_date),
        Column("kind", "col.movement", lambda r: r.kind, vocabulary="movement_kind"),
        Column(
            "counterparty_kind",
            "col.counterparty_kind",
            lambda r: r.counterparty_kind,
            vocabulary="counterparty_kind",
        ),
        Column(
            "counterparty",
            "col.counterparty",
            lambda r: r.counterparty_name,
            link=counterparty_link,
        ),
        Column(
            "counterparty_foundation",
            "col.counterparty_foundation",
            lambda r: r.counterparty_foundation_name,
        ),
        Column("counterparty_id", "col.id", lambda r: r.counterparty_id, screen=False),
        Column("amount", "col.amount", lambda r: r.amount_fen, money=True),
        Column("entry_id", "col.id", lambda r: r.entry_id, screen=False),
        Column("position", "col.position", lambda r: r.position, screen=False),
        Column("leaf_index", "col.entry", lambda r: r.leaf_index, entry=True),
    ),
)


@router.get("/funds/{fund_id}/statement")
def fund_statement(
    request: Request,
    page: PageDep,
    fund_id: UUID,
    start: Annotated[
        date | None, Query(alias="from", description="the first day (default: the fund's opening)")
    ] = None,
    end: Annotated[
        date | None, Query(alias="to", description="the last day (default: today)")
    ] = None,
    cursor: Annotated[str | None, Query()] = None,
    download_: Annotated[
        Literal["movements.csv", "movements.json"] | None, Query(alias="download")
    ] = None,
) -> Response:
    if download_ is None and (kept := cached(request, page)) is not None:
        return kept
    fund = reader.fund(page.db, fund_id)
    if fund is None:
        raise UnknownFund(f"fund_id: no fund {fund_id}", field="fund_id")
    first = start or fund.opened_on
    last = end or page.today
    if last < first:
        # Name the day the reader wrote: `to` if given, else the `from` that passed today.
        if end is not None:
            msg = f"to: a period ends on or after its start ({first.isoformat()}), got {last.isoformat()}"
            raise InvalidDate(msg, field="to")
        msg = f"from: a period starts on or before its end (today, {last.isoformat()}), got {first.isoformat()}"
        raise InvalidDate(msg, field="from")

    def movements(request_: PageRequest) -> Page[MovementRow]:
        return reader.fund_movements(page.db, fund_id, first, last, request_)

    if download_ is not None:
        return download(MOVEMENTS, download_.split(".")[1], movements, page.checkpoint)
    statement = reader.fund_statement(page.db, fund_id, first, last, movements=False)
    if statement is None:
        raise UnknownFund(f"fund_id: no fund {fund_id}", field="fund_id")
    return render(
        request,
        page,
        "statement.html",
        statement=statement,
        foundation=reader.organization(page.db, fund.foundation_id),
        movements=movements(PageRequest(PAGE_ROWS, cursor)),
        table=MOVEMENTS,
        first_page=cursor is None,
    )
