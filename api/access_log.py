"""The access log names the route template, never the path: uvicorn's access line for
`PUT /personal-data/5f0c…` reads `PUT /personal-data/{subject_id}`, and the query string is left out.

A subject id or a vault reference in the log would link one person's uses (the privacy officer's proof
requests for each of a person's references, seconds apart) and would outlive the person's erasure;
the one rule for every route is simplest to keep. An outermost middleware makes the request's scope
visible to the log filter through a context variable (uvicorn writes the line from inside the app's
`send`, so in the request's context), and the filter puts the template of the route that answered
(`api.metrics.route_template`, as `/metrics` labels have it) in place of the path.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from api.metrics import UNMATCHED, route_template

ACCESS_LOGGER = "uvicorn.access"
# uvicorn's access record: (client address, method, path with query string, HTTP version, status).
PATH_ARGUMENT = 2

_scope: ContextVar[Scope | None] = ContextVar("mingzhang_request_scope", default=None)


class RouteTemplateInPath(logging.Filter):
    """Writes the answering route's template where uvicorn's access record has the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > PATH_ARGUMENT:
            scope = _scope.get()
            template = route_template(scope) if scope is not None else UNMATCHED
            record.args = (*args[:PATH_ARGUMENT], template, *args[PATH_ARGUMENT + 1 :])
        return True


class KeepScope:
    """Pure ASGI middleware, outermost: the request's scope, for the access log's filter."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _scope.set(scope)
        try:
            await self.app(scope, receive, send)
        finally:
            _scope.reset(token)


def install(app: FastAPI) -> None:
    """Added last, so that it wraps every other middleware and sees every answer."""
    app.add_middleware(KeepScope)
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RouteTemplateInPath) for f in logger.filters):
        logger.addFilter(RouteTemplateInPath())
