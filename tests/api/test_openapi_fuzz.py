"""The whole OpenAPI description, fuzzed with schemathesis (a bounded number of examples per operation):
no request, however odd, gets a 5xx, and every response matches the schema the description gives.

Each operation is called with the key its role needs (so generated bodies reach the validation and the
domain, not only the key check): admin for the registry and designations, the auditor for /audit, the
privacy officer for /personal-data, staff for the rest.

The generated bodies are widened past what the description allows, where clients are known to go
wrong: any text may carry a lone surrogate (a JSON `"\ud800"` escape), a NUL or another control
character, a bidirectional control or only invisible characters, and any boolean may arrive as a
string ("yes", "true") or a number. It runs on SQLite and, marked `postgres`, on PostgreSQL (whose
text columns cannot hold a NUL), each with a bounded number of examples per operation.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from starlette.types import Receive, Scope, Send

from api.app import create_app
from api.schemas.common import EXAMPLE_ID
from storage.api_keys import ApiKeys
from storage.database import Database
from tests.api.conftest import settings_for
from tests.conftest import test_database
from tests.support import award, funded, person, register, relief_case

ROLE_BY_PREFIX = {
    "/organizations": "admin",
    "/designations": "admin",
    "/audit": "auditor",
    "/personal-data": "privacy_officer",
}


EXAMPLES = 25
# What a text may carry besides what the description allows.
ODD_CHARACTERS = (
    "\ud800",
    "\udfff",
    "\x00",
    "\x07",
    "\t",
    "\n",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u200b",
    "\ufeff",
    "\u3000",
    "e\u0301",
)
NOT_BOOLEANS = ("yes", "true", "false", 1, 0, None)


def _text(value: str) -> st.SearchStrategy[str]:
    odd = st.sampled_from(ODD_CHARACTERS)
    return st.one_of(
        st.just(value),
        st.builds(lambda c, at: value[:at] + c + value[at:], odd, st.integers(0, len(value))),
        st.lists(odd, min_size=1, max_size=4).map("".join),
        st.sampled_from(["\u200b\u200d", "\u3000 ", ""]),
    )


def widened(value: Any) -> st.SearchStrategy[Any]:
    """`value`, or the same body with its texts and booleans turned odd, leaf by leaf."""
    if isinstance(value, bool):
        return st.sampled_from((value, *NOT_BOOLEANS))
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        return st.fixed_dictionaries({k: widened(v) for k, v in value.items()})
    if isinstance(value, list):
        return st.tuples(*(widened(v) for v in value)).map(list)
    return st.just(value)


# Records every app starts with, under the same ids on every backend, so that generated requests
# reach the domain's rules (an unknown fund stops every body at a 404): bodies and paths name them.
FOUNDATION = uuid.UUID("00000000-0000-4000-8000-00000000f001")
FUND = uuid.UUID("00000000-0000-4000-8000-00000000f002")
RELIEF_FUND = uuid.UUID("00000000-0000-4000-8000-00000000f003")
CENTRE = uuid.UUID("00000000-0000-4000-8000-00000000f004")
GRANT = uuid.UUID("00000000-0000-4000-8000-00000000f005")
CASE = uuid.UUID("00000000-0000-4000-8000-00000000f006")
SEEDED = {
    "foundation_id": FOUNDATION,
    "organization_id": FOUNDATION,
    "fund_id": FUND,
    "recipient_id": CENTRE,
    "mentee_id": CENTRE,
    "grant_id": GRANT,
    "case_id": CASE,
}


def _seeded(name: str, path: str) -> str | None:
    if name == "fund_id" and path.startswith("/relief-cases"):
        return str(RELIEF_FUND)
    found = SEEDED.get(name)
    return None if found is None else str(found)


def _app(database: Database, folder: Path) -> FastAPI:
    app = create_app(settings_for(database, folder))
    ledger = app.state.ledger
    register(ledger, organization_id=FOUNDATION)
    register(ledger, organization_id=CENTRE, name="花木睦邻中心", roles=["service_center"])
    funded(ledger, "100000", foundation_id=FOUNDATION, fund_id=FUND)
    funded(ledger, "100000", foundation_id=FOUNDATION, fund_id=RELIEF_FUND, kind="emergency_relief")
    award(ledger, FUND, CENTRE, "1000", grant_id=GRANT)
    relief_case(ledger, RELIEF_FUND, person(ledger), case_id=CASE, emergency=True)
    keys: ApiKeys = app.state.keys
    app.state.fuzz_tokens = {
        role: keys.create(role)[1] for role in ("admin", "auditor", "privacy_officer")
    }
    app.state.fuzz_tokens["staff"] = keys.create("staff", FOUNDATION)[1]
    return app


def _examples(app: FastAPI) -> dict[tuple[str, str], Any]:
    """Each operation's own example body (`Command`'s), by method and path."""
    spec = app.openapi()
    found: dict[tuple[str, str], Any] = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            ref = body and body["schema"].get("$ref")
            if ref:
                examples = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]].get("examples")
                if examples:
                    found[(method.upper(), path)] = examples[0]
    return found


def _shaped(value: Any, name: str, path: str) -> st.SearchStrategy[Any]:
    """An example body, widened, with the seeded records for their ids and fresh ids elsewhere."""
    seeded = _seeded(name, path)
    if seeded is not None:
        return st.just(seeded)
    if value == EXAMPLE_ID:
        return st.uuids().map(str)
    if isinstance(value, dict):
        return st.fixed_dictionaries({k: _shaped(v, k, path) for k, v in value.items()})
    if isinstance(value, list):
        return st.tuples(*(_shaped(v, name, path) for v in value)).map(list)
    if isinstance(value, str) and value.isascii():
        # Codes, amounts, dates and currencies stay as the example has them, so that the odd
        # texts beside them reach the domain's own checks.
        return st.just(value)
    if isinstance(value, bool):
        return st.sampled_from((value, value, *NOT_BOOLEANS))
    return widened(value)


def _without_lifespan(app: FastAPI) -> ASGI:
    """The app, minus its lifespan: schemathesis starts a client per call, and the app's shutdown
    would close the ledger that the next call needs. It is closed when the process ends."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        await app(scope, receive, send)

    return serve


ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]
# schemathesis parametrizes at collection, so the SQLite app exists before fixtures do (its fixture
# loader does not work with this pytest); it lives in a folder of its own for the session.
_FOLDER = Path(tempfile.mkdtemp(prefix="mingzhang-fuzz-"))
APP = _app(Database("sqlite", sqlite_path=str(_FOLDER / "l.sqlite")), _FOLDER)
SERVE_SQLITE = _without_lifespan(APP)

schema = schemathesis.openapi.from_asgi("/openapi.json", SERVE_SQLITE)


EXAMPLE_BODIES = _examples(APP)


@schema.hook
def flatmap_body(context: Any, body: Any) -> st.SearchStrategy[Any]:
    operation = context.operation
    example = EXAMPLE_BODIES.get((operation.method.upper(), operation.path))
    if example is None:
        return widened(body)
    return st.one_of(widened(body), _shaped(example, "", operation.path))


@schema.hook
def flatmap_path_parameters(context: Any, parameters: Any) -> st.SearchStrategy[Any]:
    if not isinstance(parameters, dict):
        return st.just(parameters)
    path = context.operation.path
    return st.fixed_dictionaries(
        {
            name: st.sampled_from([v for v in (_seeded(name, path), value) if v is not None])
            for name, value in parameters.items()
        }
    )


@pytest.fixture(scope="module")
def postgres_app(postgres: Database) -> Iterator[FastAPI]:
    """The same app on PostgreSQL, in a schema of its own for this module."""
    name = f"mz_fuzz_{uuid.uuid4().hex[:12]}"
    with postgres.connect() as conn:
        conn.execute(psycopg.sql.SQL("CREATE SCHEMA {}").format(psycopg.sql.Identifier(name)))
    folder = Path(tempfile.mkdtemp(prefix="mingzhang-fuzz-pg-"))
    database = Database(
        "postgresql",
        host=postgres.host,
        port=postgres.port,
        user=postgres.user,
        password=postgres.password,
        dbname=postgres.dbname,
        schema=name,
    )
    app = _app(database, folder)
    seeded = app.state.ledger.head()
    try:
        yield app
        # The requests went to this app: the generated writes that were accepted are in its log.
        assert app.state.ledger.head() > seeded
    finally:
        app.state.ledger.close()
        with test_database().connect() as conn:
            conn.execute(
                psycopg.sql.SQL("DROP SCHEMA {} CASCADE").format(psycopg.sql.Identifier(name))
            )


def _call(case: schemathesis.Case[Any], app: FastAPI, serve: ASGI) -> None:
    tokens = app.state.fuzz_tokens
    role = next(
        (r for prefix, r in ROLE_BY_PREFIX.items() if case.path.startswith(prefix)), "staff"
    )
    case.call_and_validate(
        headers={"Authorization": f"Bearer {tokens[role]}"},
        checks=[not_a_server_error, response_schema_conformance],
        app=serve,
    )


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error_and_every_response_matches_its_schema(
    case: schemathesis.Case[Any],
) -> None:
    _call(case, APP, SERVE_SQLITE)


@pytest.mark.postgres
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error_on_postgresql(
    case: schemathesis.Case[Any], postgres_app: FastAPI
) -> None:
    _call(case, postgres_app, _serving(postgres_app))


_SERVING: dict[int, ASGI] = {}


def _serving(app: FastAPI) -> ASGI:
    return _SERVING.setdefault(id(app), _without_lifespan(app))
