"""The OpenAPI description says what the API really answers: every operation's 422 has the one error
body of `api/errors.py` (not FastAPI's default `detail` list), and every operation lists the errors any
request can meet (401/403 where a key is needed, 404, 413 for a body over the limit, 503 while the
database cannot be reached, 500)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.errors import ErrorBody

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
DESCRIPTIONS = {
    "401": "a missing, malformed, unknown or revoked API key",
    "403": "the key's role or foundation may not do this",
    "404": "unknown route or record",
    "409": "the ledger's state refuses the command",
    "412": "If-Match no longer holds",
    "413": "the body is over the size limit",
    "422": "invalid input; `field` names the field, parameter or header",
    "500": "an unexpected error (logged; no detail)",
    "503": "try again after `Retry-After` seconds (`database_unavailable`: the database cannot be"
    " reached just now)",
}


def _error(code: str) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorBody"] = ErrorBody.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components.update(components["ErrorBody"].pop("$defs", {}))
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                codes = ["404", "422", "500", "503"]
                if operation.get("requestBody"):
                    codes.append("413")
                if operation.get("security"):
                    codes += ["401", "403"]
                for code in codes:
                    responses[code] = (
                        _error(code) if code not in responses or code == "422" else responses[code]
                    )
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
