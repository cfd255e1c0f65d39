"""The whole OpenAPI description, fuzzed with schemathesis (a bounded number of examples per operation):
no request, however odd, gets a 5xx, and every response matches the schema the description gives.

Each operation is called with the key its role needs (so generated bodies reach the validation and the
domain, not only the key check): admin for the registry and designations, the auditor for /audit, the
privacy officer for /personal-data, staff for the rest.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from starlette.types import Receive, Scope, Send

from api.app import create_app
from storage.api_keys import ApiKeys
from storage.database import Database
from tests.api.conftest import settings_for
from tests.support import register

ROLE_BY_PREFIX = {
    "/organizations": "admin",
    "/designations": "admin",
    "/audit": "auditor",
    "/personal-data": "privacy_officer",
}


def _app() -> FastAPI:
    # schemathesis parametrizes at collection, so the app exists before fixtures do (its fixture
    # loader does not work with this pytest); it lives in a folder of its own for the session.
    folder = Path(tempfile.mkdtemp(prefix="mingzhang-fuzz-"))
    app = create_app(settings_for(Database("sqlite", sqlite_path=str(folder / "l.sqlite")), folder))
    foundation = register(app.state.ledger)
    keys: ApiKeys = app.state.keys
    app.state.fuzz_tokens = {
        role: keys.create(role)[1] for role in ("admin", "auditor", "privacy_officer")
    }
    app.state.fuzz_tokens["staff"] = keys.create("staff", foundation)[1]
    return app


APP = _app()


async def _without_lifespan(scope: Scope, receive: Receive, send: Send) -> None:
    """The app, minus its lifespan: schemathesis starts a client per call, and the app's shutdown
    would close the ledger that the next call needs. It is closed when the process ends."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await APP(scope, receive, send)


schema = schemathesis.openapi.from_asgi("/openapi.json", _without_lifespan)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error_and_every_response_matches_its_schema(
    case: schemathesis.Case[Any],
) -> None:
    tokens = APP.state.fuzz_tokens
    role = next(
        (r for prefix, r in ROLE_BY_PREFIX.items() if case.path.startswith(prefix)), "staff"
    )
    case.call_and_validate(
        headers={"Authorization": f"Bearer {tokens[role]}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
