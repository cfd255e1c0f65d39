"""`/console/foundations/{id}`: a foundation's desk for its staff (`projections.desk`): its funds, what
needs doing soonest first, the next annual disclosure's figures and the latest events, each in words
(`api.pages.describe`, as the public entry pages put them) and linked to its public pages. A staff key
of another foundation is refused with 403 `wrong_foundation`; the other roles with 403 `forbidden`."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from fastapi import APIRouter, Request, Response

from api.auth import check_foundation
from api.console.catalog import FORMS, SECTIONS
from api.console.session import CSRF_FIELD, Console, ConsoleDep, show
from api.errors import ApiError
from api.pages import describe
from api.pages.routes.entries import named_in
from domain.events import LedgerEvent
from domain.ledger import Ledger
from projections.desk import RecentEvent, desk

router = APIRouter(prefix="/console", tags=["pages"], include_in_schema=False)


def own_desk(console: Console, foundation_id: UUID) -> None:
    """Only a staff key of this foundation works at its desk."""
    who = console.who
    if who.role != "staff":
        raise ApiError(
            403, "forbidden", f"a {who.role} key has no foundation's desk; it takes a staff key"
        )
    check_foundation(who, foundation_id)


@dataclass(frozen=True)
class Told:
    """A recent event and its sentence in the page's language."""

    event: RecentEvent
    sentence: str


@router.get("/foundations/{foundation_id}")
def foundation_desk(foundation_id: UUID, request: Request, console: ConsoleDep) -> Response:
    own_desk(console, foundation_id)
    ledger: Ledger = request.app.state.ledger
    page = console.page
    found = desk(page.db, ledger, foundation_id, page.today)
    if found is None:
        raise ApiError(
            404,
            "unknown_foundation",
            f"foundation_id: no foundation {foundation_id}",
            "foundation_id",
        )
    descriptions = []
    for recent in found.recent:
        (notification,) = ledger.recorder.select_notifications(recent.position, 1)
        event = ledger.mapper.to_domain_event(notification)
        assert isinstance(event, LedgerEvent)  # every event the ledger stores is one
        descriptions.append(describe.describe(event))
    named = named_in(page.db, descriptions)
    told = [
        Told(recent, describe.sentence(description, page.lang, named))
        for recent, description in zip(found.recent, descriptions, strict=True)
    ]
    return show(
        request,
        page,
        "console/desk.html",
        desk=found,
        told=told,
        forms=FORMS,
        form_sections=SECTIONS,
        csrf=console.session.csrf_token,
        csrf_field=CSRF_FIELD,
    )
