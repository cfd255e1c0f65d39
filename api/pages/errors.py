"""An error on a page is a page: the same status and code the JSON routes answer (`api.errors`
decides them, in one place), shown in the reader's language with the field and the rule, and a way
back. A request is a page's when it matched a page route, or matched no route and asked for HTML
(a mistyped address typed into a browser)."""

from __future__ import annotations

import contextlib

from fastapi import Request, Response
from fastapi.routing import APIRoute

from api.pages.context import LANGUAGE_COOKIE, PageContext
from api.pages.i18n import DEFAULT_LANGUAGE, LANGUAGES
from api.pages.render import html
from projections.transparency import latest_checkpoint

PAGE_TAG = "pages"


def wants_page(request: Request) -> bool:
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        return PAGE_TAG in route.tags
    return route is None and "text/html" in request.headers.get("accept", "")


def error_page(
    request: Request, status: int, code: str, message: str, headers: dict[str, str]
) -> Response:
    lang = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    checkpoint = None
    # The page must answer even when the views cannot (the error may be theirs).
    with contextlib.suppress(Exception):
        checkpoint = latest_checkpoint(request.app.state.views)
    page = PageContext(
        lang=lang,
        lang_asked=False,
        as_of=None,
        db=request.app.state.views,
        position=0,
        checkpoint=checkpoint,
        # The ledger's day (Asia/Shanghai), as every other page counts it.
        today=request.app.state.ledger.today(),
        path=request.url.path,
        query=(),
    )
    body = html(page, "error.html", status=status, code=code, message=message)
    return Response(
        body,
        status_code=status,
        media_type="text/html; charset=utf-8",
        headers={**headers, "Cache-Control": "no-store"},
    )
