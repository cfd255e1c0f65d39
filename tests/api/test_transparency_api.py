"""The public transparency endpoints, over the API on every backend: what they serve verifies with
nothing but `transparency.merkle`, the checkpoints' key, and the entries themselves."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from storage.database import Database
from tests.api.conftest import ON_EVERY_BACKEND
from tests.deployments import url_of
from tests.support import donate, open_fund, register
from transparency.merkle import leaf_hash, verify_consistency, verify_inclusion
from transparency.signed_note import open_note

pytestmark = ON_EVERY_BACKEND
VAULT_KEY = base64.b64encode(bytes(32)).decode()


@pytest.fixture
def client(backend_database: Database, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        database_url=url_of(backend_database), vault_key=VAULT_KEY, var_dir=tmp_path
    )
    app = create_app(settings)
    with TestClient(app) as test_client:
        ledger = app.state.ledger
        fund_id = open_fund(ledger, register(ledger))
        for _ in range(5):
            donate(ledger, fund_id, "1")
        assert app.state.runner.wait_for("transparency", ledger.head(), timeout=15)
        yield test_client


def test_the_checkpoint_is_signed_by_the_published_key(client: TestClient) -> None:
    key = client.get("/transparency/public-key").text.strip()
    note = client.get("/transparency/checkpoint").text
    origin, size, root = open_note(note, key).splitlines()
    assert origin == "mingzhang.local/ledger"
    assert int(size) == 7
    assert client.get("/transparency/checkpoints", params={"size": 7}).text == note
    assert client.get("/transparency/checkpoints", params={"size": 999}).status_code == 404
    assert base64.b64decode(root) == bytes.fromhex(
        client.get("/transparency/proofs/consistency", params={"first": 0, "second": 7}).json()[
            "second_root"
        ]
    )


def test_every_entry_is_proven_in_the_tree_from_the_public_endpoints_alone(
    client: TestClient,
) -> None:
    leaves = client.get("/transparency/entries", params={"start": 0, "end": 7}).json()["leaves"]
    assert len(leaves) == 7
    for index, data in enumerate(leaves):
        body = client.get(
            "/transparency/proofs/inclusion", params={"index": index, "size": 7}
        ).json()
        assert body["leaf_hash"] == leaf_hash(base64.b64decode(data)).hex()
        proof = [bytes.fromhex(h) for h in body["proof"]]
        assert verify_inclusion(
            index, 7, leaf_hash(base64.b64decode(data)), proof, bytes.fromhex(body["root"])
        )
    for first in range(8):
        body = client.get(
            "/transparency/proofs/consistency", params={"first": first, "second": 7}
        ).json()
        proof = [bytes.fromhex(h) for h in body["proof"]]
        assert verify_consistency(
            first, 7, bytes.fromhex(body["first_root"]), bytes.fromhex(body["second_root"]), proof
        )


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/transparency/proofs/inclusion", {"index": 7, "size": 7}, "index"),
        ("/transparency/proofs/inclusion", {"index": 0, "size": 8}, "size"),
        ("/transparency/proofs/consistency", {"first": 5, "second": 3}, "first"),
        ("/transparency/proofs/consistency", {"first": 1, "second": 99}, "second"),
        ("/transparency/entries", {"start": 0, "end": 99}, "end"),
    ],
)
def test_impossible_proof_requests_are_422_naming_the_parameter(
    client: TestClient, path: str, params: dict[str, int], field: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == field
    assert field in error["message"]


def test_a_non_integer_size_is_422(client: TestClient) -> None:
    response = client.get("/transparency/proofs/inclusion", params={"index": "one", "size": 7})
    assert response.status_code == 422


def test_a_size_beyond_any_possible_log_is_a_422_not_a_database_error(client: TestClient) -> None:
    answer = client.get("/transparency/checkpoints", params={"size": 2**63})
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "size"


@pytest.mark.parametrize(
    ("path", "params", "deleted"),
    [
        ("/transparency/proofs/inclusion", {"index": 2, "size": 4}, (0, 3)),
        ("/transparency/proofs/inclusion", {"index": 3, "size": 7}, (0, 3)),
        ("/transparency/proofs/consistency", {"first": 3, "second": 4}, (0, 3)),
        # No proof to build from 0, only the root of 4 to read: the root read is covered too.
        ("/transparency/proofs/consistency", {"first": 0, "second": 4}, (2, 0)),
    ],
)
def test_a_proof_through_a_deleted_stored_hash_is_a_503_saying_the_server_cannot_build_it(
    client: TestClient, path: str, params: dict[str, int], deleted: tuple[int, int]
) -> None:
    views = client.app.state.views  # type: ignore[attr-defined]
    with views.transaction():
        views.execute("DELETE FROM tlog_hashes WHERE level = ? AND idx = ?", deleted)
    answer = client.get(path, params=params)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"].isdigit()
    assert answer.json() == {
        "error": {
            "code": "log_unavailable",
            "message": "the server cannot build this proof: its stored tree is missing a hash;"
            " the operator's log names it",
        }
    }
