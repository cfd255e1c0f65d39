"""`/console`, `/console/sign-in`, `/console/sign-out`: an API key in, a session out, and back.

The key is typed into a password field and POSTed, never put in an address; it is checked exactly as
a bearer key is (`ApiKeys.authenticate`), and a session is opened for it (`storage.console_sessions`:
a new random id each time, stored as a hash, lasting `MINGZHANG_CONSOLE_SESSION_MINUTES`). A wrong,
unknown or revoked key is a 401 page with the form again, empty. Signing out ends the session at once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from api.auth import keys_of
from api.console.session import (
    CSRF_FIELD,
    SESSION_COOKIE,
    SIGN_IN,
    SIGN_IN_COOKIE,
    ConsoleDep,
    FormDep,
    PageContextDep,
    check_csrf,
    check_sign_in_token,
    sessions_of,
    set_cookie,
    show,
    sign_in_token,
)
from api.settings import Settings

router = APIRouter(prefix="/console", tags=["pages"], include_in_schema=False)
SIGN_IN_FORM_AGE = 3600  # seconds the sign-in form's token lasts
KEY_FIELD = "key"
Reason = Literal["ended", "signed_out"]


def no_store(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})


@router.get("")
def console_home(request: Request, console: ConsoleDep) -> Response:
    """A staff key's desk is its foundation's, an admin's is `/console/admin`, a privacy officer's
    `/console/privacy`; an auditor has none (auditors read the public site and the JSON API)."""
    key = console.session.key
    if key.role == "staff" and key.foundation_id is not None:
        return no_store(f"/console/foundations/{key.foundation_id}")
    if key.role == "admin":
        return no_store("/console/admin")
    if key.role == "privacy_officer":
        return no_store("/console/privacy")
    return show(
        request,
        console.page,
        "console/role.html",
        role=key.role,
        csrf=console.session.csrf_token,
        csrf_field=CSRF_FIELD,
    )


@router.get("/sign-in")
def sign_in_form(
    request: Request,
    page: PageContextDep,
    reason: Annotated[Reason | None, Query(description="why the last session ended")] = None,
) -> Response:
    if sessions_of(request).live(request.cookies.get(SESSION_COOKIE)) is not None:
        return no_store("/console")
    return sign_in_page(request, page, reason=reason)


def sign_in_page(
    request: Request,
    page: PageContextDep,
    *,
    reason: str | None = None,
    refused: bool = False,
    status: int = 200,
) -> Response:
    token = sign_in_token(request)
    response = show(
        request,
        page,
        "console/sign_in.html",
        status=status,
        token=token,
        csrf_field=CSRF_FIELD,
        key_field=KEY_FIELD,
        reason=reason,
        refused=refused,
    )
    set_cookie(request, response, SIGN_IN_COOKIE, token, SIGN_IN_FORM_AGE)
    return response


@router.post("/sign-in")
def sign_in(request: Request, page: PageContextDep, fields: FormDep) -> Response:
    check_sign_in_token(request, fields)
    key = keys_of(request).authenticate(fields.get(KEY_FIELD, "").strip())
    if key is None:
        return sign_in_page(request, page, refused=True, status=401)
    settings: Settings = request.app.state.settings
    lasts = timedelta(minutes=settings.console_session_minutes)
    session_id, _ = sessions_of(request).open(key, lasts)
    response = no_store("/console")
    set_cookie(request, response, SESSION_COOKIE, session_id, int(lasts.total_seconds()))
    response.delete_cookie(SIGN_IN_COOKIE, path="/console")
    return response


@router.post("/sign-out")
def sign_out(request: Request, console: ConsoleDep, fields: FormDep) -> Response:
    check_csrf(console, fields)
    sessions_of(request).end(request.cookies.get(SESSION_COOKIE))
    response = no_store(f"{SIGN_IN}?reason=signed_out")
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response
