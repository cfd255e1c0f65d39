"""Every error the API answers, mapped in one place, with one body shape:
`{"error": {"code": "...", "message": "...", "field": "..."}}` (`field` when one is concerned).

    422  invalid input: the request's own fault (validation, malformed JSON, unknown fields, a
         domain `InvalidInput`); `field` names the body field, query/path parameter or header
    404  unknown: a route, or a record the command refers to (domain `NotFound`)
    409  conflict: the ledger's state refuses it (domain `Conflict`: insufficient funds, a reused id...)
    412  If-Match no longer holds (domain `PreconditionFailed`)
    503  nothing is wrong with the request; try again (domain `Unavailable`, with `Retry-After`;
         also `database_unavailable`, when PostgreSQL cannot be reached: see storage/outage.py)
    503  `read_only`: a read-only replica refuses every command; send it to the primary (no
         `Retry-After`: trying here again can never succeed)
    401  a missing, malformed, unknown or revoked API key;  403  the key's role or foundation may not
    413  a body above MINGZHANG_MAX_BODY_BYTES

A domain error brings its own code; the codes the API layer itself answers are declared once, in
`API_ERRORS` below, which a test keeps in step with docs/API.md and with every `ApiError` raised.

No bad input ever reaches a 500: the domain validates what the schemas let through, and anything else
that escapes is logged and answered as a 500 with the same body shape and no detail. A database that
is away for a moment (a restart, a failover) is not a fault of the request or of ours: 503
`database_unavailable` with `Retry-After`, wherever in the request it was met; the connections
recover by themselves once the server is back (the pool, and `storage.viewdb`'s `reopen`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Protocol

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.fields import BODY, renamed, request_name
from api.metrics import route_template
from domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    Unavailable,
)
from storage.outage import is_outage, outage_errors

log = logging.getLogger("mingzhang.api")


# Every code the API layer answers on its own (not a domain error's): code → (status, when).
API_ERRORS: Mapping[str, tuple[int, str]] = MappingProxyType(
    {
        "invalid_input": (422, "a body field, parameter or header fails its schema"),
        "invalid_date": (422, "a date that is not a calendar date written YYYY-MM-DD"),
        "invalid_id": (422, "an id that is not a UUID"),
        "malformed_json": (422, "the body is not valid JSON"),
        "unknown_field": (422, "a body field the command does not take"),
        "unknown_parameter": (422, "a query parameter the route does not take"),
        "unauthenticated": (401, "no bearer API key"),
        "invalid_key": (401, "a malformed, unknown or revoked API key"),
        "forbidden": (403, "the key's role may not do this"),
        "wrong_foundation": (403, "the key's foundation is not the record's"),
        "csrf_refused": (403, "a console form sent without its session's CSRF token (a page)"),
        "not_found": (404, "no such route"),
        "unknown_foundation": (404, "no such foundation on the public pages"),
        "unknown_pairing": (404, "no such pairing on the public pages"),
        "unknown_entry": (404, "no entry at that index in the log (public pages)"),
        "unknown_grant": (404, "no such grant on the public pages"),
        "unknown_relief_case": (404, "no such relief case on the public pages"),
        "unknown_aggregate": (404, "no record with that id in the log (audit)"),
        "not_yet": (404, "the record did not exist yet at the moment asked (audit)"),
        "nothing_to_export": (404, "the ledger holds nothing the export could contain yet"),
        "unknown_key": (404, "no API key with that id"),
        "unknown_tile": (404, "a malformed tile path, or a tile beyond the largest signed tree"),
        "method_not_allowed": (405, "the route does not take that method"),
        "http_error": (400, "any other refusal of the HTTP framework, with its own status"),
        "body_too_large": (413, "a body above MINGZHANG_MAX_BODY_BYTES"),
        "no_vault": (503, "this deployment has no personal-data vault"),
        "view_lagging": (503, "the view has not reached the position asked for in `after` yet"),
        "log_unavailable": (503, "the stored tree lacks a hash the proof needs (see the log)"),
        "read_only": (503, "a read-only replica (MINGZHANG_READ_ONLY): ask the primary"),
        "database_unavailable": (503, "the database cannot be reached just now (a restart)"),
        "internal_error": (500, "an unexpected error (logged, never a detail)"),
    }
)
# A validation problem's pydantic type → the code it is answered with (anything else: invalid_input).
VALIDATION_CODES = {
    "json_invalid": "malformed_json",
    "extra_forbidden": "unknown_field",
    "date_parsing": "invalid_date",
    "date_from_datetime_parsing": "invalid_date",
    "date_from_datetime_inexact": "invalid_date",
    "date_type": "invalid_date",
    "uuid_parsing": "invalid_id",
    "uuid_type": "invalid_id",
    "uuid_version": "invalid_id",
}
RETRY_AFTER_SECONDS = "1"
# 503s that a retry against this server never cures (the client goes elsewhere): no Retry-After.
ELSEWHERE = frozenset({"read_only"})
# Not "nothing was recorded": the server may have gone between a commit and its answer. A command
# repeated with the same id is recorded once, so the advice holds either way.
OUTAGE_MESSAGE = (
    "the database cannot be reached just now; try again after Retry-After seconds"
    " (a command repeated with the same id is recorded at most once)"
)


class ErrorDetail(BaseModel):
    code: str = Field(description="stable, machine-readable", examples=["insufficient_funds"])
    message: str = Field(description="names the field and the rule")
    field: str | None = Field(None, description="the body field, parameter or header concerned")


class ErrorBody(BaseModel):
    error: ErrorDetail


# What a command route may answer besides its success, for its OpenAPI description (api/openapi.py
# adds the errors every route can meet, such as 413 and 500).
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 409, 412, 422)
}


class ApiError(Exception):
    """An error the API layer itself raises (authentication, authorisation, unknown records)."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_response(
    status: int, code: str, message: str, field: str | None = None, **headers: str
) -> JSONResponse:
    detail: dict[str, Any] = {"code": code, "message": _encodable(message)}
    if field is not None:
        detail["field"] = _encodable(field)
    return JSONResponse({"error": detail}, status_code=status, headers=headers or None)


def _encodable(text: str) -> str:
    """The text with any lone surrogate replaced by U+FFFD: an answer naming a field the client
    wrote as `"\\ud800"` must still encode as UTF-8, or the error itself would become a 500."""
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


def domain_status(error: DomainError) -> int:
    if isinstance(error, InvalidInput):
        return 422
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, PreconditionFailed):
        return 412
    if isinstance(error, Conflict):
        return 409
    if isinstance(error, Unavailable):
        return 503
    return 422


def _validation_field(loc: tuple[Any, ...]) -> str | None:
    """`("body", "amount")` → "amount"; `("query", "limit")` → "limit"; `("header", "if-match")` →
    "If-Match"; the body as a whole → "body"."""
    parts = [str(part) for part in loc[1:] if not isinstance(part, int)] if loc else []
    if loc and loc[0] == "header" and parts:
        return "-".join(word.capitalize() for word in parts[-1].split("-"))
    if loc and loc[0] == "body" and not parts:
        return BODY
    return ".".join(parts) or None


def _validation_message(problem: dict[str, Any], field: str | None) -> str:
    kind, message = problem.get("type", ""), str(problem.get("msg", "invalid"))
    message = message.removeprefix("Value error, ")
    if kind == "json_invalid":
        return "the body is not valid JSON"
    if kind == "extra_forbidden":
        return f"{field}: unknown field; this command does not take it"
    if kind == "missing":
        return f"{field}: required"
    return f"{field}: {message}" if field else message


class PageErrors(Protocol):
    """How the public site shows an error (`api.pages.errors`), for the requests that are its."""

    def wants_page(self, request: Request) -> bool: ...

    def error_page(
        self, request: Request, status: int, code: str, message: str, headers: dict[str, str]
    ) -> Response: ...


def install(app: FastAPI, pages: PageErrors | None = None) -> None:
    def answer(
        request: Request,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        **headers: str,
    ) -> Response:
        if pages is not None and pages.wants_page(request):
            return pages.error_page(request, status, code, _encodable(message), headers)
        return error_response(status, code, message, field, **headers)

    @app.exception_handler(DomainError)
    def _domain(request: Request, error: DomainError) -> Response:
        status = domain_status(error)
        # A 503 is the ledger's state, not the client's fault: say when to try again.
        headers = {"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else {}
        field, message = error.field, str(error)
        named = request_name(request.scope.get("route"), field)
        if field is not None and named is not None and named != field:
            field, message = named, renamed(message, field, named)
        return answer(request, status, error.code, message, field, **headers)

    @app.exception_handler(ApiError)
    def _api(request: Request, error: ApiError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
        if error.status == 503 and error.code not in ELSEWHERE:
            # As for the domain's 503s: the service's state, so say when to retry.
            headers["Retry-After"] = RETRY_AFTER_SECONDS
        return answer(request, error.status, error.code, error.message, error.field, **headers)

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, error: RequestValidationError) -> Response:
        problem = dict(error.errors()[0])
        field = _validation_field(tuple(problem.get("loc", ())))
        code = VALIDATION_CODES.get(str(problem.get("type", "")), "invalid_input")
        return answer(request, 422, code, _validation_message(problem, field), field)

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, error: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return answer(request, error.status_code, code, str(error.detail))

    def _outage(request: Request, error: Exception) -> Response:
        # The class only: a database error's text can quote the row it was writing.
        route = route_template(request.scope)
        log.warning(
            "database unavailable on %s %s: %s", request.method, route, type(error).__name__
        )
        return answer(
            request,
            503,
            "database_unavailable",
            OUTAGE_MESSAGE,
            **{"Retry-After": RETRY_AFTER_SECONDS},
        )

    def _database(request: Request, error: Exception) -> Response:
        if is_outage(error):
            return _outage(request, error)
        return _unexpected(request, error)

    # Registered for each class (the most specific handler wins); `_unexpected` below also answers
    # an outage met where those handlers do not reach (a middleware, say).
    for kind in outage_errors():
        app.add_exception_handler(kind, _database)

    @app.exception_handler(Exception)
    def _unexpected(request: Request, error: Exception) -> Response:
        if is_outage(error):
            return _outage(request, error)
        # The handler runs after the exception has left its `except`, so give it to the log.
        # The route's template, not the path: a path may hold a subject id or a vault reference.
        route = route_template(request.scope)
        log.error("unexpected error on %s %s", request.method, route, exc_info=error)
        return answer(request, 500, "internal_error", "an unexpected error; it has been logged")
