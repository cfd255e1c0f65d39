"""The API under test: the real app (real ledger, views, keys and vault on SQLite or PostgreSQL)
through FastAPI's TestClient, with a key for each role.

API tests run on SQLite unless they say otherwise (`ON_BOTH`): the backends themselves are covered by
the integration suite, and here it is the HTTP contract that is under test.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from domain.ledger import Ledger
from storage.api_keys import ApiKeys
from storage.database import Database
from tests.conftest import database_for
from tests.deployments import url_of
from tests.support import register

VAULT_KEY = base64.b64encode(bytes(range(32))).decode()
ON_EVERY_BACKEND = pytest.mark.parametrize(
    "backend_database",
    ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
ON_BOTH = pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)


@dataclass
class Api:
    """A client, the app's own ledger and keys, and bearer headers for each role."""

    client: TestClient
    ledger: Ledger
    keys: ApiKeys
    foundation: UUID
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def bearer(self, role: str, foundation: UUID | None = None) -> dict[str, str]:
        _, token = self.keys.create(role, foundation)
        return {"Authorization": f"Bearer {token}"}

    @property
    def admin(self) -> dict[str, str]:
        return self.headers["admin"]

    @property
    def staff(self) -> dict[str, str]:
        return self.headers["staff"]

    def post(self, path: str, body: dict[str, Any], role: str = "staff", **headers: str) -> Any:
        return self.client.post(path, json=body, headers={**self.headers[role], **headers})


def settings_for(database: Database, var_dir: Path, **overrides: Any) -> Settings:
    return Settings(
        database_url=url_of(database), vault_key=VAULT_KEY, var_dir=var_dir, **overrides
    )


@pytest.fixture(params=["sqlite"])
def backend_database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """Here SQLite, unless a test asks for more with `ON_BOTH` or `ON_EVERY_BACKEND`."""
    return database_for(request, tmp_path)


@pytest.fixture
def api(backend_database: Database, tmp_path: Path) -> Iterator[Api]:
    app = create_app(settings_for(backend_database, tmp_path))
    with TestClient(app) as client:
        ledger: Ledger = app.state.ledger
        foundation = register(ledger, name="陆家嘴社区基金会")
        found = Api(client, ledger, app.state.keys, foundation)
        found.headers = {
            "admin": found.bearer("admin"),
            "staff": found.bearer("staff", foundation),
            "auditor": found.bearer("auditor"),
            "privacy_officer": found.bearer("privacy_officer"),
        }
        yield found


def new_id() -> str:
    return str(uuid4())


def refused(
    api: Api, answer: Any, status: int, code: str, field: str | None, head: int | None = None
) -> None:
    """The answer is this refusal in the one error body, naming `field` in its message; given the log
    head from before, also that nothing was written."""
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code, error
    assert error.get("field") == field, error
    if field:
        assert field in error["message"], error
    if head is not None:
        assert api.ledger.head() == head, "a refused command left an event behind"
