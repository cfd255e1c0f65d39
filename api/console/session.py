"""Who is using the console, and how its pages are answered.

A console page asks for `ConsoleDep`: the page's context (language, the views, the checkpoint: the
public site's `PageContext`, so the console's templates extend the site's) and the live session the
`mz_console` cookie names (`storage.console_sessions`). Without a live session a page is answered with
a redirect to the sign-in form (`NotSignedIn`, whose handler `install` adds): the cookie is missing,
the session ended or expired, or its key was revoked since the last request.

The cookie holds only the random session id: HttpOnly, SameSite=Strict, `Secure` when the request came
over HTTPS, scoped to `/console`. Every POST carries the session's CSRF token in the form field
`csrf_token` (the synchroniser token); `check_csrf` refuses a missing or wrong one with 403
`csrf_refused`, shown as a page. The sign-in form, which has no session yet, carries a token that must
equal the `mz_signin` cookie it was given with (a double-submit token), so another site cannot sign a
browser in under a key of its choosing either.

Console pages are never cached (`Cache-Control: no-store`): they are one staffer's, and the form a
browser goes back to must come from the server with its own command id.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from api.auth import Principal
from api.errors import ApiError
from api.pages.context import LANGUAGE_COOKIE, Language, PageContext, public_position
from api.pages.i18n import DEFAULT_LANGUAGE, LANGUAGES
from api.pages.render import html, remember_language
from projections.runner import Runner
from projections.transparency import latest_checkpoint
from storage.console_sessions import ConsoleSessions, Session, same_token
from storage.viewdb import ViewDB

SESSION_COOKIE = "mz_console"
SIGN_IN_COOKIE = "mz_signin"
COOKIE_PATH = "/console"
CSRF_FIELD = "csrf_token"
SIGN_IN = "/console/sign-in"


class NotSignedIn(Exception):
    """The request has no live session: answered with a redirect to the sign-in form, saying why."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Console:
    """A console page's context: the site's page context and the signed-in session."""

    page: PageContext
    session: Session

    @property
    def who(self) -> Principal:
        key = self.session.key
        return Principal(key.key_id, key.role, key.foundation_id)


def sessions_of(request: Request) -> ConsoleSessions:
    sessions: ConsoleSessions = request.app.state.console_sessions
    return sessions


def page_of(request: Request, lang: str | None) -> PageContext:
    """The public site's page context for a console page (live views, never a past day)."""
    chosen = lang or request.cookies.get(LANGUAGE_COOKIE)
    if chosen not in LANGUAGES:
        chosen = DEFAULT_LANGUAGE
    runner: Runner = request.app.state.runner
    views: ViewDB = request.app.state.views
    return PageContext(
        lang=chosen,
        lang_asked=lang is not None,
        as_of=None,
        db=views,
        position=public_position(runner),
        checkpoint=latest_checkpoint(views),
        today=request.app.state.ledger.today(),
        path=request.url.path,
        query=tuple((k, v) for k, v in request.query_params.multi_items() if k != "lang"),
    )


LangQuery = Annotated[
    Language | None, Query(description="zh (the default) or en; remembered in a cookie")
]


def page_context(request: Request, lang: LangQuery = None) -> PageContext:
    return page_of(request, lang)


CAUGHT_UP_SECONDS = 5.0
CONSOLE_VIEWS = ("disclosure", "indicators", "history")


def caught_up(request: Request) -> None:
    """Wait (bounded) until the views a console page reads have reached the log's head, so a
    staffer's own last write is on the next page: a grant just awarded is in the instalment form's
    list, a payment on the desk. Past the bound the page shows what the views hold."""
    runner: Runner = request.app.state.runner
    head = request.app.state.ledger.head()
    for view in CONSOLE_VIEWS:
        if not runner.wait_for(view, head, timeout=CAUGHT_UP_SECONDS):
            return


def console(request: Request, lang: LangQuery = None) -> Console:
    session = sessions_of(request).live(request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise NotSignedIn("ended" if request.cookies.get(SESSION_COOKIE) else None)
    caught_up(request)
    return Console(page_of(request, lang), session)


PageContextDep = Annotated[PageContext, Depends(page_context)]
ConsoleDep = Annotated[Console, Depends(console)]


async def form_fields(request: Request) -> dict[str, str]:
    """A POSTed form's fields (application/x-www-form-urlencoded, what every console form sends):
    the first value of each name. Parsed here, not by a multipart library: the forms need no files."""
    body = (await request.body()).decode("utf-8", errors="replace")
    fields: dict[str, str] = {}
    for name, value in parse_qsl(body, keep_blank_values=True):
        fields.setdefault(name, value)
    return fields


FormDep = Annotated[dict[str, str], Depends(form_fields)]


def check_csrf(console: Console, fields: dict[str, str]) -> None:
    if not same_token(fields.get(CSRF_FIELD), console.session.csrf_token):
        raise ApiError(
            403,
            "csrf_refused",
            f"{CSRF_FIELD}: this form's security token is missing or is not this session's;"
            " open the form again and send it from there",
            CSRF_FIELD,
        )


def sign_in_token(request: Request) -> str:
    """The sign-in form's token: the one its cookie already holds, or a new one."""
    return request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(32)


def check_sign_in_token(request: Request, fields: dict[str, str]) -> None:
    cookie = request.cookies.get(SIGN_IN_COOKIE)
    if cookie is None or not same_token(fields.get(CSRF_FIELD), cookie):
        raise ApiError(
            403,
            "csrf_refused",
            f"{CSRF_FIELD}: the sign-in form's security token is missing or wrong;"
            " open the sign-in page again and sign in from there",
            CSRF_FIELD,
        )


def set_cookie(request: Request, response: Response, name: str, value: str, age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def show(
    request: Request, page: PageContext, template: str, *, status: int = 200, **values: Any
) -> Response:
    """A console page: never cached, its language remembered when asked for."""
    body = html(page, template, **values)
    response = HTMLResponse(
        body, status_code=status, headers={"Cache-Control": "no-store", "Vary": "Cookie"}
    )
    return remember_language(response, page, request)


def install(app: FastAPI) -> None:
    """Open the sessions' table beside the keys, and answer `NotSignedIn` with the sign-in form."""
    # A read-only replica signs no one in (every POST is 503 `read_only`) and creates no table.
    read_only = app.state.settings.read_only
    app.state.console_sessions = ConsoleSessions(app.state.keys, create=not read_only)

    def to_sign_in(request: Request, error: Exception) -> Response:
        reason = error.reason if isinstance(error, NotSignedIn) else None
        target = SIGN_IN + (f"?reason={reason}" if reason else "")
        response = RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
        if reason:  # the cookie names a session that is over: forget it
            response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
        return response

    app.add_exception_handler(NotSignedIn, to_sign_in)
