"""`/console/privacy`: the privacy officer's desk, the one place in the console that shows personal
data. It finds a person by the reference an event carries or by ID number, shows their data and the
records of the log that are theirs (each with its public pages), prints the proof behind one of
those records for the person to take away, and erases the person after a page that says what that
does. Every action runs what `/personal-data` runs for a privacy_officer key (`api.routes.
personal_data`); any other key is refused with 403 `forbidden`.

Nothing that names a person is ever in an address: every request after the desk itself is a POST
whose fields (the ID number, the reference, the subject id) are in the body, under the session's
CSRF token, so neither the access log nor a browser's history holds them, and every answer is
`no-store` (`show`). A POST answered with a page rather than a redirect means the browser's reload
asks before sending again; the one action that changes anything, the erasure, is idempotent by its
subject (a repeat erases nothing and says when the first did).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from api.console.session import (
    CSRF_FIELD,
    Console,
    ConsoleDep,
    FormDep,
    LangQuery,
    check_csrf,
    show,
)
from api.errors import ApiError, domain_status
from api.pages import describe
from api.pages.routes.entries import named_in
from api.routes.personal_data import erase_subject, uses_of_subject, vault_of
from api.schemas.personal_data import SubjectUse
from domain.errors import DomainError, InvalidId
from domain.events import LedgerEvent
from domain.ledger import Ledger
from domain.privacy import PersonalData
from projections.history import steps_of
from storage.vault import Proof
from storage.vault_audit import positions_naming
from storage.viewdb import ViewDB

router = APIRouter(prefix="/console/privacy", tags=["pages"], include_in_schema=False)
FIND_FIELDS = ("reference", "id_card")
# A relief case's use: erasing its beneficiary also erases the case's detailed reasons.
RELIEF_COMMITMENT = "beneficiary_commitment"


def officer_only(console: Console) -> None:
    who = console.who
    if who.role != "privacy_officer":
        raise ApiError(
            403,
            "forbidden",
            f"a {who.role} key has no privacy officer's desk; it takes a privacy_officer key",
        )


def posted(console: Console, fields: dict[str, str]) -> None:
    """Every action of the desk: the right key, and the session's own form."""
    officer_only(console)
    check_csrf(console, fields)


def uuid_field(fields: dict[str, str], name: str) -> UUID:
    try:
        return UUID(fields.get(name, "").strip())
    except ValueError:
        raise InvalidId(f"{name}: not a valid id", field=name) from None


@dataclass(frozen=True)
class Use:
    """One record of the log that names the person: its reference, where it is, and what it says."""

    reference: UUID
    position: int | None  # None: minted for a command not (yet) in the log
    field: str | None  # the event's commitment field, e.g. donor_commitment
    sentence: str | None
    record_href: str | None
    record_id: UUID | None  # the record the entry belongs to, when it has a page of its own

    @property
    def entry_index(self) -> int | None:
        return None if self.position is None else self.position - 1


def described(ledger: Ledger, uses: list[SubjectUse], lang: str, db: ViewDB) -> list[Use]:
    """Uses of a person (as `GET /personal-data/{id}/uses` lists them) in the page's words, as the
    public entry pages put them."""
    events: list[tuple[SubjectUse, LedgerEvent | None]] = []
    for use in uses:
        events.append((use, None if use.position is None else event_at(ledger, use.position)))
    descriptions = [None if e is None else describe.describe(e) for _, e in events]
    named = named_in(db, [d for d in descriptions if d is not None])
    return [
        Use(
            use.reference,
            use.position,
            use.commitment_field,
            None if d is None else describe.sentence(d, lang, named),
            None if d is None else d.record_href,
            None if d is None or d.record_href is None or e is None else e.originator_id,
        )
        for (use, e), d in zip(events, descriptions, strict=True)
    ]


def event_at(ledger: Ledger, position: int) -> LedgerEvent:
    (notification,) = ledger.recorder.select_notifications(position, 1)
    event = ledger.mapper.to_domain_event(notification)
    assert isinstance(event, LedgerEvent)  # every event the ledger stores is one
    return event


@dataclass(frozen=True)
class Entry:
    """One entry of the log in the page's words."""

    position: int
    sentence: str

    @property
    def index(self) -> int:
        return self.position - 1


def record_entries(ledger: Ledger, use: Use, lang: str, db: ViewDB) -> list[Entry]:
    """The entries of the record a use belongs to, oldest first (a relief case's approval and
    payments, beside its opening, which carries the reference): what was paid, and when."""
    if use.record_id is None:
        return []
    positions = [step.position for step in steps_of(db, use.record_id)]
    events = [event_at(ledger, position) for position in positions]
    descriptions = [describe.describe(e) for e in events]
    named = named_in(db, descriptions)
    return [
        Entry(position, describe.sentence(d, lang, named))
        for position, d in zip(positions, descriptions, strict=True)
    ]


def uses_of(ledger: Ledger, subject_id: UUID, lang: str, db: ViewDB) -> list[Use]:
    return described(ledger, uses_of_subject(ledger, subject_id).uses, lang, db)


@dataclass(frozen=True)
class Found:
    """A subject the search found, with their name for the officer to choose by."""

    subject_id: UUID
    data: PersonalData


def desk_page(
    request: Request,
    console: Console,
    *,
    kept: dict[str, str] | None = None,
    refused: tuple[str, str, str | None] | None = None,  # (field, code, message; None: none found)
    found: list[Found] | None = None,
    status: int = 200,
) -> Response:
    return show(
        request,
        console.page,
        "console/privacy.html",
        status=status,
        kept=kept or {},
        refused=refused,
        found=found,
        csrf=console.session.csrf_token,
        csrf_field=CSRF_FIELD,
    )


@router.get("")
def privacy_desk(request: Request, console: ConsoleDep) -> Response:
    officer_only(console)
    return desk_page(request, console)


@router.post("/find")
def find(request: Request, console: ConsoleDep, fields: FormDep) -> Response:
    """By reference (one subject at most) or by ID number (one per foundation that stored them)."""
    posted(console, fields)
    ledger: Ledger = request.app.state.ledger
    vault = vault_of(ledger)
    name = fields.get("by", "")
    if name not in FIND_FIELDS:
        name = "reference"
    kept = {name: fields.get(name, "")}
    try:
        if name == "id_card":
            subjects = vault.find_by_id_card(kept[name])
        else:
            subjects = [vault.subject_of_reference(uuid_field(fields, "reference"))]
    except DomainError as error:
        message = error.message.removeprefix(f"{name}: ")
        refused = (name, error.code, message)
        return desk_page(request, console, kept=kept, refused=refused, status=domain_status(error))
    if not subjects:
        nobody = (name, "unknown_subject", None)
        return desk_page(request, console, kept=kept, refused=nobody, status=404)
    if len(subjects) == 1:
        return person_page(request, console, subjects[0])
    found = [Found(subject, vault.read(subject)) for subject in subjects]
    return desk_page(request, console, kept=kept, found=found)


def person_page(request: Request, console: Console, subject_id: UUID) -> Response:
    ledger: Ledger = request.app.state.ledger
    vault = vault_of(ledger)
    data = vault.read(subject_id)  # 404 unknown_subject, 409 subject_erased
    page = console.page
    uses = uses_of(ledger, subject_id, page.lang, page.db)
    return show(
        request,
        page,
        "console/privacy_person.html",
        subject_id=subject_id,
        data=data,
        uses=uses,
        csrf=console.session.csrf_token,
        csrf_field=CSRF_FIELD,
    )


@router.post("/person")
def person(request: Request, console: ConsoleDep, fields: FormDep) -> Response:
    posted(console, fields)
    return person_page(request, console, uuid_field(fields, "subject_id"))


@router.post("/proof")
def proof(request: Request, console: ConsoleDep, fields: FormDep) -> Response:
    """The printable proof behind one record: what it says, where it is, and how to check it."""
    posted(console, fields)
    ledger: Ledger = request.app.state.ledger
    vault = vault_of(ledger)
    reference = uuid_field(fields, "reference")
    found: Proof = vault.prove(reference)  # 404 unknown, 409 erased or damaged
    page = console.page
    position, field = positions_naming(ledger, {reference}).get(reference, (None, None))
    one = SubjectUse(reference=reference, position=position, commitment_field=field)
    (use,) = described(ledger, [one], page.lang, page.db)
    return show(
        request,
        page,
        "console/privacy_proof.html",
        proof=found,
        committed=PersonalData.from_canonical(found.canonical_data.encode()),
        use=use,
        entries=record_entries(ledger, use, page.lang, page.db),
        base=str(request.base_url).rstrip("/"),
        csrf=console.session.csrf_token,
        csrf_field=CSRF_FIELD,
    )


@router.post("/erase/confirm")
def confirm_erasure(request: Request, console: ConsoleDep, fields: FormDep) -> Response:
    """What erasing this person does, before it is done."""
    posted(console, fields)
    ledger: Ledger = request.app.state.ledger
    vault = vault_of(ledger)
    subject_id = uuid_field(fields, "subject_id")
    data = vault.read(subject_id)
    page = console.page
    uses = uses_of(ledger, subject_id, page.lang, page.db)
    return show(
        request,
        page,
        "console/privacy_erase.html",
        subject_id=subject_id,
        data=data,
        uses=uses,
        relief=any(use.field == RELIEF_COMMITMENT for use in uses),
        csrf=console.session.csrf_token,
        csrf_field=CSRF_FIELD,
    )


@router.post("/erase")
def erase(request: Request, console: ConsoleDep, fields: FormDep) -> Response:
    """The erasure, as `DELETE /personal-data/{id}`: a second send erases nothing and says so."""
    posted(console, fields)
    ledger: Ledger = request.app.state.ledger
    erased = erase_subject(ledger, uuid_field(fields, "subject_id"))
    return show(
        request,
        console.page,
        "console/privacy_erased.html",
        erased=erased,
        csrf=console.session.csrf_token,
        csrf_field=CSRF_FIELD,
    )


def back_to_the_desk(lang: LangQuery = None) -> Response:
    """An action's address asked by GET (the page's language link, a bookmark, a reload): the
    person is not in the address, by design, so it leads back to the desk, in the language asked."""
    target = "/console/privacy" + (f"?lang={lang}" if lang else "")
    return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})


for action in ("/find", "/person", "/proof", "/erase/confirm", "/erase"):
    router.add_api_route(action, back_to_the_desk, methods=["GET"])
