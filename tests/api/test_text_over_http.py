"""Free texts over real HTTP (uvicorn on a socket): a JSON `"\\ud800"` escape decodes to a lone
surrogate, which no UTF-8 store can hold. It used to reach the command index's encoder, answer 500,
and make uvicorn drop the connection. Now every text is refused by `check_text` with a 422 naming the
field, nothing is written, and the same connection keeps answering."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
import uvicorn

from api.app import create_app
from api.errors import error_response
from domain.ledger import Ledger
from storage.database import Database
from tests.api.conftest import ON_BOTH, settings_for
from tests.support import funded, register

SURROGATE = "\ud800"


@dataclass
class Served:
    port: int
    ledger: Ledger
    staff: str
    admin: str
    foundation: UUID

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)


@pytest.fixture
def served(backend_database: Database, tmp_path: Path) -> Iterator[Served]:
    app = create_app(settings_for(backend_database, tmp_path))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        ledger: Ledger = app.state.ledger
        foundation = register(ledger)
        _, staff = app.state.keys.create("staff", foundation)
        _, admin = app.state.keys.create("admin")
        yield Served(port, ledger, staff, admin, foundation)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def send(
    conn: http.client.HTTPConnection, path: str, body: dict[str, Any], token: str
) -> tuple[int, Any]:
    # ensure_ascii writes the surrogate as the escape "\ud800", as a client's JSON library would.
    raw = json.dumps(body, ensure_ascii=True)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request("POST", path, body=raw.encode("ascii"), headers=headers)
    answer = conn.getresponse()
    return answer.status, json.loads(answer.read())


def organisation(s: Served) -> tuple[str, dict[str, Any], str]:
    body = {
        "organization_id": str(uuid4()),
        "name": f"陆家嘴{SURROGATE}社区基金会",
        "type": "charity",
        "tier": "registered",
        "roles": ["community_foundation"],
        "district": "pudong",
        "subdistrict": "陆家嘴街道",
        "rural": False,
        "registered_on": "2019-06-01",
    }
    return "/organizations", body, "name"


def fund(s: Served) -> tuple[str, dict[str, Any], str]:
    body = {
        "fund_id": str(uuid4()),
        "foundation_id": str(s.foundation),
        "kind": "general",
        "name": f"社区{SURROGATE}发展基金",
        "opened_on": "2024-01-02",
    }
    return "/funds", body, "name"


def reservation(s: Served) -> tuple[str, dict[str, Any], str]:
    fund_id = funded(s.ledger, foundation_id=s.foundation)
    body = {
        "reservation_id": str(uuid4()),
        "amount": "100.00",
        "currency": "CNY",
        "reserved_on": "2024-03-02",
        "purpose": f"楼组{SURROGATE}活动",
    }
    return f"/funds/{fund_id}/reservations", body, "purpose"


def grant(s: Served) -> tuple[str, dict[str, Any], str]:
    fund_id = funded(s.ledger, foundation_id=s.foundation)
    recipient = register(s.ledger, name="楼组自治会", roles=["service_center"])
    body = {
        "grant_id": str(uuid4()),
        "fund_id": str(fund_id),
        "recipient_id": str(recipient),
        "programme": "社区营造",
        "title": f"楼组{SURROGATE}自治项目",
        "description": "支持居民楼组开展自治活动",
        "amount": "100.00",
        "currency": "CNY",
        "awarded_on": "2024-03-02",
        "planned_start": "2024-04-01",
        "planned_end": "2024-12-31",
    }
    return "/grants", body, "title"


def relief_case(s: Served) -> tuple[str, dict[str, Any], str]:
    fund_id = funded(s.ledger, foundation_id=s.foundation, kind="emergency_relief")
    body = {
        "case_id": str(uuid4()),
        "fund_id": str(fund_id),
        "reason_code": "GTIR100",
        "purpose_code": "GTIP170",
        "subdistrict": "陆家嘴街道",
        "beneficiary": {"name": f"王{SURROGATE}芳"},
        "requested_amount": "300.00",
        "currency": "CNY",
        "opened_on": "2024-03-02",
    }
    return "/relief-cases", body, "beneficiary.name"


def relief_case_subdistrict(s: Served) -> tuple[str, dict[str, Any], str]:
    path, body, _ = relief_case(s)
    body["beneficiary"] = {"name": "王芳"}
    body["subdistrict"] = f"陆家嘴{SURROGATE}街道"
    return path, body, "subdistrict"


@pytest.mark.parametrize(
    "command",
    [organisation, fund, reservation, grant, relief_case, relief_case_subdistrict],
)
def test_a_lone_surrogate_in_a_text_is_a_422_naming_the_field_and_the_connection_stays_open(
    served: Served, command: Callable[[Served], tuple[str, dict[str, Any], str]]
) -> None:
    path, body, field = command(served)
    token = served.admin if path == "/organizations" else served.staff
    head = served.ledger.head()
    conn = served.connection()
    status, answer = send(conn, path, body, token)
    assert status == 422, answer
    assert answer["error"]["code"] == "invalid_text"
    assert answer["error"]["field"] == field
    assert "surrogate" in answer["error"]["message"]
    assert served.ledger.head() == head, "a refused command left an event behind"
    # The same connection answers the next request: the server neither failed nor hung up.
    conn.request("GET", "/health")
    assert conn.getresponse().status == 200
    conn.close()


@ON_BOTH
def test_a_field_name_with_a_lone_surrogate_is_a_422_and_the_connection_stays_open(
    served: Served,
) -> None:
    path, body, _ = fund(served)
    body["name"] = "社区发展基金"
    body[f"na{SURROGATE}me"] = "x"
    conn = served.connection()
    status, answer = send(conn, path, body, served.staff)
    assert status == 422, answer
    assert answer["error"]["code"] == "invalid_input", answer
    conn.request("GET", "/health")
    assert conn.getresponse().status == 200


def test_an_error_that_would_name_a_lone_surrogate_still_encodes() -> None:
    # Defence in depth: whatever a message or field quotes, the answer is UTF-8 JSON.
    answer = error_response(422, "invalid_input", f"na{SURROGATE}me: unknown", f"na{SURROGATE}me")
    assert json.loads(bytes(answer.body))["error"]["field"] == "na\ufffdme"
