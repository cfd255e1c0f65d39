"""`/console/foundations/{id}/forms/{name}`: every staff form, shown and run by one route each; the
same machinery (`Desk`, `open_form`, `show_form`, `run_form`) serves the admin's forms under
`/console/admin/forms/{name}` (`api/console/routes/admin.py`).

GET without a command id makes one and redirects to the form's own address
(`…/forms/{name}/{command_id}`), so the form a browser goes back to carries the same id. POST checks
the session's CSRF token, then the key's foundation, parses the inputs, and runs the form's use case
with the command id from the hidden field: a new command is a 201 page saying what was recorded and at
which log position, a repeat (a double click, a reload, a second send) a 200 page with the first
answer, and a refusal the form again, with the domain's message beside the input it names (status as
the API answers it: 422, 404 or 409) and everything typed kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from api.console.catalog import FORMS
from api.console.forms import (
    COMMAND_FIELD,
    Choices,
    Fact,
    Form,
    Input,
    Option,
    Refusal,
    Run,
    Values,
)
from api.console.routes.desk import own_desk
from api.console.session import CSRF_FIELD, Console, ConsoleDep, FormDep, check_csrf, show
from api.errors import ApiError, domain_status
from domain.errors import DomainError
from domain.ledger import Ledger

router = APIRouter(prefix="/console", tags=["pages"], include_in_schema=False)


@dataclass(frozen=True)
class Desk:
    """Where a family of forms lives: the desk's address (its forms are under `{base}/forms/`),
    whose they are (`owner`: the foundation of a staff desk, None for the admin's) and the forms it
    serves by name. Whoever may work there is the route's to check, before any of these is called."""

    base: str
    owner: UUID | None
    forms: Mapping[str, Form]

    def form_named(self, name: str) -> Form:
        form = self.forms.get(name)
        if form is None:
            raise ApiError(404, "not_found", f"name: there is no form {name!r}", "name")
        return form

    def choices(self, console: Console, ledger: Ledger) -> Choices:
        return Choices(self.owner, console.page.db, console.page.lang, ledger)


def staff_desk(foundation_id: UUID) -> Desk:
    return Desk(f"/console/foundations/{foundation_id}", foundation_id, FORMS)


@dataclass(frozen=True)
class Shown:
    """One input as the form page shows it: the declaration, what it offers, what was typed."""

    input: Input
    options: tuple[Option, ...]
    value: str
    error: Refusal | None


def show_form(
    request: Request,
    console: Console,
    desk: Desk,
    form: Form,
    command_id: UUID,
    *,
    kept: dict[str, str] | None = None,
    refusal: Refusal | None = None,
    status: int = 200,
) -> Response:
    page = console.page
    ledger: Ledger = request.app.state.ledger
    choices = desk.choices(console, ledger)
    facts: list[Fact] = list(form.facts(ledger, choices)) if form.facts else []
    kept = kept or {}
    # A person's details are never written into a page again, not even to the session that typed
    # them (a refused form is seen by whoever stands behind the staffer, and stays in the browser's
    # history): they are asked for again instead.
    inputs = [
        Shown(
            given,
            tuple(given.options(choices)) if given.options else (),
            "" if given.personal else kept.get(given.name, ""),
            refusal if refusal is not None and refusal.input == given.name else None,
        )
        for given in form.inputs
    ]
    return show(
        request,
        page,
        "console/form.html",
        status=status,
        form=form,
        inputs=inputs,
        facts=facts,
        base=desk.base,
        command_id=command_id,
        command_field=COMMAND_FIELD,
        csrf=console.session.csrf_token,
        csrf_field=CSRF_FIELD,
        refusal=refusal if refusal is not None and refusal.input is None else None,
        refused=refusal is not None,
        retype=any(given.personal and kept.get(given.name) for given in form.inputs),
    )


def ids_given(form: Form, query: Mapping[str, str]) -> dict[str, str]:
    """The inputs a link may fill in when it opens a form (`?organization_id=…` from a list): only
    ids the form asks for, never anything a person typed or their details."""
    return {
        given.name: query[given.name]
        for given in form.inputs
        if given.name.endswith("_id") and not given.personal and given.name in query
    }


def open_form(
    console: Console, desk: Desk, name: str, *, prefill: Mapping[str, str] | None = None
) -> Response:
    """A new command id for the form, by a redirect to the form's own address that holds it (and
    the ids a link filled in, `ids_given`)."""
    form = desk.form_named(name)
    query = ids_given(form, prefill or {})
    # A language asked for here is asked for on the form itself (which remembers it).
    if console.page.lang_asked:
        query["lang"] = console.page.lang
    return RedirectResponse(
        f"{desk.base}/forms/{name}/{uuid4()}" + (f"?{urlencode(query)}" if query else ""),
        status_code=303,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/foundations/{foundation_id}/forms/{name}")
def new_form(foundation_id: UUID, name: str, console: ConsoleDep) -> Response:
    own_desk(console, foundation_id)
    return open_form(console, staff_desk(foundation_id), name)


@router.get("/foundations/{foundation_id}/forms/{name}/{command_id}")
def blank_form(
    foundation_id: UUID, name: str, command_id: UUID, request: Request, console: ConsoleDep
) -> Response:
    own_desk(console, foundation_id)
    desk = staff_desk(foundation_id)
    return show_form(request, console, desk, desk.form_named(name), command_id)


@dataclass(frozen=True)
class Line:
    """One recorded value on the success page: its label, how to show it, and it."""

    label: str
    kind: str  # money, date, flag, choice, text, personal
    value: Any


def recorded_lines(
    form: Form, values: Values, fields: dict[str, str], choices: Choices
) -> list[Line]:
    lines = []
    for given in form.inputs:
        value = values.values.get(given.name)
        if value is None or (given.kind == "checkbox" and not value):
            continue
        if given.personal:
            lines.append(Line(given.label, "personal", None))
        elif given.kind == "money":
            lines.append(Line(given.label, "money", value.fen))
        elif given.kind == "date":
            lines.append(Line(given.label, "date", value))
        elif given.kind == "checkbox":
            lines.append(Line(given.label, "flag", True))
        elif given.options is not None:
            named = {o.value: o.label for o in given.options(choices)}
            lines.append(Line(given.label, "text", named.get(fields.get(given.name, ""), value)))
        else:
            lines.append(Line(given.label, "text", value))
    return lines


@router.post("/foundations/{foundation_id}/forms/{name}")
def send_form(
    foundation_id: UUID, name: str, request: Request, console: ConsoleDep, fields: FormDep
) -> Response:
    check_csrf(console, fields)
    own_desk(console, foundation_id)
    return run_form(request, console, staff_desk(foundation_id), name, fields)


def run_form(
    request: Request, console: Console, desk: Desk, name: str, fields: dict[str, str]
) -> Response:
    """Run a sent form (its CSRF token and sender already checked): the recorded page, a repeat's,
    or the form again with the refusal beside its input."""
    form = desk.form_named(name)
    try:
        command_id = UUID(fields.get(COMMAND_FIELD, ""))
    except ValueError:
        raise ApiError(
            422, "invalid_id", f"{COMMAND_FIELD}: the form's command id is missing", COMMAND_FIELD
        ) from None
    ledger: Ledger = request.app.state.ledger
    try:
        values = form.parse(fields)
        outcome = form.run(Run(ledger, console.who, command_id), values)
    except DomainError as error:
        return show_form(
            request,
            console,
            desk,
            form,
            command_id,
            kept=fields,
            refusal=Refusal.of(form, error),
            status=domain_status(error),
        )
    page = console.page
    return show(
        request,
        page,
        "console/recorded.html",
        status=201 if outcome.created else 200,
        form=form,
        created=outcome.created,
        position=outcome.position,
        entry_index=outcome.position - 1,  # the entry's leaf index: its page is /entries/{index}
        public_page=form.public_page(values, command_id),
        lines=recorded_lines(form, values, fields, desk.choices(console, ledger)),
        base=desk.base,
    )
