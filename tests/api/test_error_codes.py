"""The API's own error codes are declared once (`api.errors.API_ERRORS`), documented in docs/API.md as
that table, and used with the status they are declared with; dates and ids that do not parse have codes
of their own; a command that lost to other writers is a 503 with `Retry-After`, not the client's fault."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import errors
from api.errors import API_ERRORS, domain_status
from domain.errors import ConcurrentModification, Unavailable
from tests.api.conftest import Api, new_id, refused
from tests.api.test_funds_api import donation, open_fund
from tests.api.test_grants_api import awarded, instalment

ROOT = Path(__file__).resolve().parents[2]


def documented_codes() -> dict[str, int]:
    text = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    table = text.split("| code | status | when |", 1)[1].split("\n\n", 1)[0]
    return {
        code: int(status)
        for code, status in re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \|", table, re.M)
    }


def raised_in_api() -> set[tuple[int, str, str]]:
    """(status, code, file) of every `ApiError(...)` and `error_response(...)` written with literals."""
    found: set[tuple[int, str, str]] = set()
    for path in (ROOT / "api").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            status, code = node.args[0], node.args[1]
            if (
                name in ("ApiError", "error_response")
                and isinstance(status, ast.Constant)
                and isinstance(code, ast.Constant)
            ):
                assert isinstance(status.value, int), (path, status.value)
                assert isinstance(code.value, str), (path, code.value)
                found.add((status.value, code.value, str(path.relative_to(ROOT))))
    return found


def test_docs_api_lists_exactly_the_declared_api_error_codes_with_their_status() -> None:
    assert documented_codes() == {code: status for code, (status, _) in API_ERRORS.items()}


def test_every_error_the_api_raises_uses_a_declared_code_with_its_declared_status() -> None:
    raised = raised_in_api()
    assert len(raised) > 10  # the scan sees the API's refusals
    undeclared = [r for r in raised if API_ERRORS.get(r[1], (None,))[0] != r[0]]
    assert undeclared == []


def test_a_date_that_does_not_parse_is_invalid_date_naming_the_field(api: Api) -> None:
    fund_id = open_fund(api)
    head = api.ledger.head()
    answer = api.post(f"/funds/{fund_id}/donations", donation(received_on="2024-02-30"))
    refused(api, answer, 422, "invalid_date", "received_on", head)


def test_an_id_that_does_not_parse_is_invalid_id_naming_the_field(api: Api) -> None:
    fund_id = open_fund(api)
    head = api.ledger.head()
    answer = api.post(f"/funds/{fund_id}/donations", donation(donation_id="not-a-uuid"))
    refused(api, answer, 422, "invalid_id", "donation_id", head)


def test_a_path_id_that_does_not_parse_is_invalid_id(api: Api) -> None:
    answer = api.post("/funds/12345/donations", donation())
    refused(api, answer, 422, "invalid_id", "fund_id")


def test_a_command_that_lost_to_other_writers_is_a_503_with_retry_after() -> None:
    assert domain_status(ConcurrentModification("kept losing")) == 503
    assert issubclass(ConcurrentModification, Unavailable)
    app = FastAPI()
    errors.install(app)

    @app.get("/busy")
    def busy() -> None:
        raise ConcurrentModification("the command could not be applied; try again")

    answer = TestClient(app).get("/busy")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert answer.json()["error"]["code"] == "concurrent_modification"


def test_reversing_an_instalment_the_grant_never_paid_is_a_404_unknown_entry(api: Api) -> None:
    grant_id, _ = awarded(api)
    assert api.post(f"/grants/{grant_id}/payments", instalment()).status_code == 201
    head = api.ledger.head()
    body = {
        "reversal_id": new_id(),
        "payment_id": new_id(),
        "reason": "款项退回",
        "reversed_on": "2024-05-01",
    }
    answer = api.post(f"/grants/{grant_id}/reversals", body)
    refused(api, answer, 404, "unknown_entry", "payment_id", head)
