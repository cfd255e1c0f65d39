"""`/console/admin`: the admin's desk. The registry of organisations (a page of it at a time, by
district, from the disclosure reader), the API keys (listed without their secrets, issued, revoked
after a confirmation) and the designations (带头人, 观察点) with the year's selections against the
maximum; and the admin's forms (`api/console/admin_forms.py`), run by the staff forms' machinery
(`api/console/routes/forms.py`: a command id made when the form is shown, a repeat recorded once, a
refusal beside its input) under `/console/admin/forms/{name}`.

A key is not a ledger command: the key form's command id becomes the new key's id
(`ApiKeys.issue`), so a double click or a reload issues one key, and its secret is shown once, on the
`no-store` answer to the POST that made it (never in an address or a log line); a second send of the
same form says the key was issued and that its secret cannot be shown again. Only an admin key works
here: any other is 403 `forbidden`, as at a foundation's desk.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from api.auth import keys_of
from api.console.admin_forms import FORMS, KEY, KEY_FORM, selections
from api.console.forms import COMMAND_FIELD, Refusal
from api.console.routes.forms import Desk, ids_given, open_form, run_form, show_form
from api.console.session import CSRF_FIELD, Console, ConsoleDep, FormDep, check_csrf, show
from api.errors import ApiError, domain_status
from api.pages.routes.home import Search, search_text
from api.pagination import Cursor
from api.schemas.vocabularies import District
from domain.districts import DISTRICTS
from domain.errors import DomainError, DuplicateCommandError, InvalidInput
from domain.ledger import Ledger
from projections.disclosure import reader
from projections.pagination import PageRequest
from storage.api_keys import ApiKey, KeyRefused

router = APIRouter(prefix="/console/admin", tags=["pages"], include_in_schema=False)
ADMIN_DESK = Desk("/console/admin", None, FORMS)
ORGANIZATIONS_PER_PAGE = 50
DESIGNATIONS_PER_PAGE = 100


def admin_only(console: Console) -> None:
    who = console.who
    if who.role != "admin":
        raise ApiError(
            403, "forbidden", f"a {who.role} key has no admin's desk; it takes an admin key"
        )


def signed(console: Console) -> dict[str, Any]:
    """What every console page's frame needs for its sign-out button."""
    return {"csrf": console.session.csrf_token, "csrf_field": CSRF_FIELD}


@router.get("")
def admin_desk(request: Request, console: ConsoleDep) -> Response:
    admin_only(console)
    return show(
        request, console.page, "console/admin.html", forms=list(FORMS.values()), **signed(console)
    )


@router.get("/organizations")
def organizations(
    request: Request,
    console: ConsoleDep,
    district: Annotated[
        District | None, Query(max_length=100, description="one of the 16 districts")
    ] = None,
    q: Search = None,
    cursor: Cursor = None,
) -> Response:
    admin_only(console)
    chosen, wanted = district or None, search_text(q)
    found = reader.organizations(
        console.page.db,
        reader.OrganizationFilters(district=chosen, name_contains=wanted),
        PageRequest(ORGANIZATIONS_PER_PAGE, cursor),
    )
    asked = {"district": chosen, "q": wanted}
    following = {name: value for name, value in asked.items() if value}
    if found.next_cursor:
        following["cursor"] = found.next_cursor
    return show(
        request,
        console.page,
        "console/admin_organizations.html",
        found=found,
        district=chosen,
        q=wanted or "",
        next_page=f"/console/admin/organizations?{urlencode(following)}"
        if found.next_cursor
        else None,
        districts=tuple(DISTRICTS),
        **signed(console),
    )


@router.get("/designations")
def designations(request: Request, console: ConsoleDep, cursor: Cursor = None) -> Response:
    admin_only(console)
    ledger: Ledger = request.app.state.ledger
    page = console.page
    found = reader.designations(
        page.db, reader.PartyFilters(), PageRequest(DESIGNATIONS_PER_PAGE, cursor)
    )
    return show(
        request,
        page,
        "console/admin_designations.html",
        found=found,
        facts=selections(ledger, ADMIN_DESK.choices(console, ledger)),
        **signed(console),
    )


@router.get("/keys")
def keys(request: Request, console: ConsoleDep) -> Response:
    admin_only(console)
    return keys_page(request, console)


def keys_page(request: Request, console: Console, *, revoked: str | None = None) -> Response:
    listed = keys_of(request).list()
    named = reader.organizations_by_id(
        console.page.db, [k.foundation_id for k in listed if k.foundation_id is not None]
    )
    return show(
        request,
        console.page,
        "console/admin_keys.html",
        keys=listed,
        named={organization_id: row.name for organization_id, row in named.items()},
        revoked=revoked,
        own=console.session.key.key_id,
        **signed(console),
    )


def key_named(request: Request, key_id: str) -> ApiKey:
    key = keys_of(request).get(key_id)
    if key is None:
        raise ApiError(404, "unknown_key", f"key_id: no key {key_id}", "key_id")
    return key


@router.get("/keys/{key_id}/revoke")
def confirm_revocation(key_id: str, request: Request, console: ConsoleDep) -> Response:
    """What revoking the key does, and the button that does it: nothing is revoked by a GET."""
    admin_only(console)
    key = key_named(request, key_id)
    return show(
        request,
        console.page,
        "console/admin_revoke.html",
        key=key,
        own=console.session.key.key_id == key_id,
        **signed(console),
    )


@router.post("/keys/{key_id}/revoke")
def revoke(key_id: str, request: Request, console: ConsoleDep, fields: FormDep) -> Response:
    check_csrf(console, fields)
    admin_only(console)
    key_named(request, key_id)
    keys_of(request).revoke(key_id)
    # Its sessions end at their next request, which re-reads the key (`ConsoleSessions.live`).
    return keys_page(request, console, revoked=key_id)


# The ids a link from the admin's lists fills a form in with (`ids_given` keeps the form's own).
OrganizationQuery = Annotated[
    UUID | None, Query(description="the organisation the form is opened for")
]
DesignationQuery = Annotated[UUID | None, Query(description="the designation to select")]


def linked(organization_id: UUID | None, designation_id: UUID | None) -> dict[str, str]:
    given = {"organization_id": organization_id, "designation_id": designation_id}
    return {name: str(value) for name, value in given.items() if value is not None}


@router.get("/forms/{name}")
def new_form(
    name: str,
    console: ConsoleDep,
    organization_id: OrganizationQuery = None,
    designation_id: DesignationQuery = None,
) -> Response:
    admin_only(console)
    return open_form(console, ADMIN_DESK, name, prefill=linked(organization_id, designation_id))


@router.get("/forms/{name}/{command_id}")
def blank_form(
    name: str,
    command_id: UUID,
    request: Request,
    console: ConsoleDep,
    organization_id: OrganizationQuery = None,
    designation_id: DesignationQuery = None,
) -> Response:
    admin_only(console)
    form = ADMIN_DESK.form_named(name)
    kept = ids_given(form, linked(organization_id, designation_id))
    return show_form(request, console, ADMIN_DESK, form, command_id, kept=kept)


@router.post("/forms/{name}")
def send_form(name: str, request: Request, console: ConsoleDep, fields: FormDep) -> Response:
    check_csrf(console, fields)
    admin_only(console)
    if name == KEY_FORM:
        return issue_key(request, console, fields)
    return run_form(request, console, ADMIN_DESK, name, fields)


def issue_key(request: Request, console: Console, fields: dict[str, str]) -> Response:
    """Issue the key the form asks for, its id the form's command id (so it is issued once)."""
    try:
        command_id = UUID(fields.get(COMMAND_FIELD, ""))
    except ValueError:
        raise ApiError(
            422, "invalid_id", f"{COMMAND_FIELD}: the form's command id is missing", COMMAND_FIELD
        ) from None
    ledger: Ledger = request.app.state.ledger
    try:
        values = KEY.parse(fields)
        role = values.required_text("role")
        foundation_id = values.uuid("foundation_id") if values.text("foundation_id") else None
        if foundation_id is not None:  # as the JSON route checks it
            ledger.get_organization(foundation_id, field="foundation_id")
        try:
            key, token = keys_of(request).issue(command_id.hex, role, foundation_id)
        except KeyRefused as error:
            field = "role" if str(error).startswith("role") else "foundation_id"
            raise InvalidInput(f"{field}: {error}", field=field) from None
        if key.role != role or key.foundation_id != foundation_id:
            raise DuplicateCommandError(
                f"{COMMAND_FIELD}: this form already issued a {key.role} key, with other values"
            )
    except DomainError as error:
        return show_form(
            request,
            console,
            ADMIN_DESK,
            KEY,
            command_id,
            kept=fields,
            refusal=Refusal.of(KEY, error),
            status=domain_status(error),
        )
    named = reader.organizations_by_id(console.page.db, [foundation_id] if foundation_id else [])
    return show(
        request,
        console.page,
        "console/admin_key_issued.html",
        status=201 if token is not None else 200,
        key=key,
        token=token,
        foundation_name=named[foundation_id].name if foundation_id in named else None,
        **signed(console),
    )
