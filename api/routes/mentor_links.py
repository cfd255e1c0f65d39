"""`/mentor-links` (带教): start a link between a mentor and a mentee organisation, record its sessions,
withdraw a person mentor's consent to be named, end it. Every write is for staff of the mentee's
foundation or of the mentor organisation's. A person mentor enters through `api.people`: their data goes
to the vault, the link carries a reference minted for it, and no answer names them. Staff list the
links their foundation is mentee or mentor in, auditors every link, from the disclosure view (a person
mentor by their name only if they consented, else by role label, as on the public page)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.auth import Principal, Staff, StaffOrAuditor, check_foundation, scope_of
from api.commands import IdempotencyKey, IfMatch, answer, at_version, command_id, execute
from api.deps import LedgerDep
from api.errors import ERRORS
from api.pagination import Cursor, Limit, Page
from api.people import check_party, party_for
from api.routes.disclosure import ViewsDep, mentor_name
from api.schemas.disclosure import MentorLinkPublic, mentor_link_public
from api.schemas.pairing import (
    EndMentorLink,
    MentorLinkOut,
    MentorLinkStepWritten,
    MentorLinkWritten,
    RecordSession,
    StartMentorLink,
    WithdrawMentorConsent,
)
from domain.ledger import Ledger, Outcome
from domain.pairing.mentoring import LinkStart, MentorLink
from projections.disclosure import reader
from projections.pagination import PageRequest

router = APIRouter(prefix="/mentor-links", tags=["mentor links"])


def link_start(ledger: Ledger, link_id: UUID) -> LinkStart:
    # The aggregate keeps only what its rules need; the link as started is the command's record.
    applied = ledger.applied(link_id)
    start = applied.record if applied is not None else None
    assert isinstance(start, LinkStart), f"mentor link {link_id} has no start on record"
    return start


def link_out(
    ledger: Ledger, link_id: UUID, version: int | None = None, left: object = None
) -> MentorLinkOut:
    """The record now, or at `version`: as a command left it (what its answer, and a repeat's, shows)."""
    link = (
        ledger.get_mentor_link(link_id)
        if version is None
        else at_version(ledger, link_id, version, MentorLink, left)
    )
    start = link_start(ledger, link_id)
    return MentorLinkOut(
        link_id=link.id,
        mentor_kind=link.mentor_kind,
        # A person's mentor_ref is a vault reference: it stays out of answers like their name.
        mentor_org_id=start.mentor_ref if link.mentor_kind == "organization" else None,
        role_label=start.role_label,
        publish_name=link.publish_name,
        mentee_id=link.mentee_id,
        focus=start.focus,
        started_on=start.started_on,
        minutes=link.minutes,
        ended_on=link.ended.ended_on if link.ended else None,
        version=link.version,
    )


def own_link(ledger: Ledger, who: Principal, link_id: UUID) -> None:
    link = ledger.get_mentor_link(link_id)
    start = link_start(ledger, link_id)
    parties = [link.mentee_id]
    if link.mentor_kind == "organization":
        parties.append(start.mentor_ref)
    check_foundation(who, *parties)


def step(
    ledger: Ledger, response: Response, outcome: Outcome[Any], step_id: UUID, link_id: UUID
) -> MentorLinkStepWritten:
    link = link_out(ledger, link_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: link.version)
    return MentorLinkStepWritten(id=step_id, mentor_link=link, position=position)


# What a mentor of each kind is given by (a person's consent and label are a person's).
MENTOR_FIELDS = {
    "person": ("mentor", "mentor_subject_id", "role_label", "publish_name"),
    "organization": ("mentor_org_id",),
}


@router.post(
    "",
    status_code=201,
    response_model=MentorLinkWritten,
    responses=ERRORS,
    summary="Start a mentor link (a person mentor's data goes to the vault)",
)
def start(
    body: StartMentorLink, ledger: LedgerDep, who: Staff, response: Response
) -> MentorLinkWritten:
    check_foundation(who, *(f for f in (body.mentee_id, body.mentor_org_id) if f is not None))
    check_party(body.mentor_kind, body, MENTOR_FIELDS)
    subject, new = None, None
    if body.mentor_kind == "person":
        subject, new = party_for(ledger, who, body.mentor, body.mentor_subject_id, "mentor")
    fields = body.model_dump(
        include={
            "mentor_kind",
            "mentor_org_id",
            "role_label",
            "publish_name",
            "mentee_id",
            "focus",
            "started_on",
        }
    )
    outcome = execute(
        ledger,
        who,
        None,
        lambda: ledger.start_mentor_link(
            body.link_id, mentor_subject_id=subject, mentor_person=new, **fields
        ),
    )
    current = link_out(ledger, body.link_id, outcome.version, outcome.left)
    position = answer(response, outcome, lambda: current.version)
    return MentorLinkWritten(**current.model_dump(), position=position)


@router.get(
    "",
    response_model=Page[MentorLinkPublic],
    responses=ERRORS,
    summary="The mentor links the key's foundation is mentee or mentor in (auditors: every link), "
    "by start date",
)
def list_links(
    db: ViewsDep,
    ledger: LedgerDep,
    who: StaffOrAuditor,
    organization_id: Annotated[
        UUID | None,
        Query(
            description="only links with this organisation as mentee or mentor (a staff key: "
            "its foundation, the default)"
        ),
    ] = None,
    status: Annotated[
        Literal["active", "ended"] | None, Query(description="active, or ended")
    ] = None,
    year: Annotated[
        int | None, Query(ge=1949, le=2200, description="the year the link was started")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[MentorLinkPublic]:
    party = scope_of(who, organization_id, "organization_id")
    filters = reader.PartyFilters(None, party, year, status)
    found = reader.mentor_links(db, filters, PageRequest(limit, cursor))
    items = [mentor_link_public(row, mentor_name(ledger, row)) for row in found.items]
    return Page[MentorLinkPublic](items=items, next_cursor=found.next_cursor)


@router.get(
    "/{link_id}",
    response_model=MentorLinkOut,
    responses=ERRORS,
    summary="A mentor link as it stands now, without a person mentor's identity (staff, auditors)",
)
def get_link(
    link_id: UUID, ledger: LedgerDep, who: StaffOrAuditor, response: Response
) -> MentorLinkOut:
    own_link(ledger, who, link_id)
    found = link_out(ledger, link_id)
    response.headers["ETag"] = f'"{found.version}"'
    return found


@router.post(
    "/{link_id}/sessions",
    status_code=201,
    response_model=MentorLinkStepWritten,
    responses=ERRORS,
    summary="Record a mentoring session: date, hours and topic",
)
def record_session(
    link_id: UUID,
    body: RecordSession,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> MentorLinkStepWritten:
    own_link(ledger, who, link_id)
    fields = body.model_dump(exclude={"session_id"})
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.record_mentoring_session(link_id, session_id=body.session_id, **fields),
    )
    return step(ledger, response, outcome, body.session_id, link_id)


@router.post(
    "/{link_id}/withdraw-consent",
    status_code=201,
    response_model=MentorLinkStepWritten,
    responses=ERRORS,
    summary="The person mentor no longer wants to be named in public",
)
def withdraw_consent(
    link_id: UUID,
    body: WithdrawMentorConsent,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> MentorLinkStepWritten:
    own_link(ledger, who, link_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.withdraw_mentor_name_consent(
            link_id, command_id=key, withdrawn_on=body.withdrawn_on
        ),
    )
    return step(ledger, response, outcome, key, link_id)


@router.post(
    "/{link_id}/end",
    status_code=201,
    response_model=MentorLinkStepWritten,
    responses=ERRORS,
    summary="End a mentor link, with its outcome",
)
def end(
    link_id: UUID,
    body: EndMentorLink,
    ledger: LedgerDep,
    who: Staff,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> MentorLinkStepWritten:
    own_link(ledger, who, link_id)
    key = command_id(idempotency_key)
    outcome = execute(
        ledger,
        who,
        if_match,
        lambda: ledger.end_mentor_link(link_id, command_id=key, **body.model_dump()),
    )
    return step(ledger, response, outcome, key, link_id)
