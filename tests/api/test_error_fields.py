"""Every error names a field as the client wrote it: a property of the request body's schema (as a
dotted path), a parameter or header of the operation, or `body` for the body as a whole — never a
name inside the ledger (`donor_ref`, `id`) nor `None`.

Driven over the whole OpenAPI description: each command route is sent no body, an empty object, and
its own example body (twice, the second time changed, so that ids repeat), against records that do
not exist and against a story's real ones; and the refusals known to carry ledger-side names are
sent on purpose. Every answer's `field`, when present, must be a name of that operation.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from fastapi.routing import APIRoute

from api.fields import request_name
from api.routes import ROUTERS
from domain.money import Money
from tests.api.conftest import Api
from tests.support import DAY, award, donate, funded, open_fund, person, register, relief_case

ROLE_BY_PREFIX = {
    "/organizations": "admin",
    "/subdistricts": "admin",
    "/designations": "admin",
    "/keys": "admin",
    "/personal-data": "privacy_officer",
}
COMMANDS = ("post", "put", "delete")


def _schema_names(spec: dict[str, Any], schema: dict[str, Any], prefix: str) -> Iterator[str]:
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for option in schema.get("anyOf", []) + schema.get("allOf", []):
        yield from _schema_names(spec, option, prefix)
    if schema.get("type") == "array" and "items" in schema:
        yield from _schema_names(spec, schema["items"], prefix)
    for name, inner in schema.get("properties", {}).items():
        yield f"{prefix}{name}"
        yield from _schema_names(spec, inner, f"{prefix}{name}.")


def operation_names(spec: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    names = {"body"} | {p["name"] for p in operation.get("parameters", [])}
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        names |= set(_schema_names(spec, body["schema"], ""))
    return names


def example_body(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not body:
        return None
    schema = body["schema"]
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    examples = schema.get("examples") or [{}]
    found: dict[str, Any] = copy.deepcopy(examples[0])
    return found


def changed(body: dict[str, Any]) -> dict[str, Any]:
    """The same ids with other content: a date moved, a text extended."""
    again = copy.deepcopy(body)
    for name, value in again.items():
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            again[name] = "2024-03-02"
        elif isinstance(value, str) and not name.endswith("_id") and name != "currency":
            again[name] = value + "之二"
    return again


def story(api: Api) -> dict[str, str]:
    """Real records for every path parameter, in states where many commands are refused."""
    ledger = api.ledger
    fund = funded(ledger, "5000", foundation_id=api.foundation)
    centre = register(ledger, name="花木睦邻中心", roles=["service_center"])
    grant = award(ledger, fund, centre, "1000")
    relief = open_fund(ledger, api.foundation, kind="emergency_relief", name="暖心基金")
    donation = donate(ledger, relief, "3000")
    case = relief_case(ledger, relief, person(ledger))
    ledger.approve_relief_case(
        case,
        command_id=uuid4(),
        amount=Money.yuan("3000"),
        approvers=[uuid4()],
        approved_on=DAY,
    )
    ledger.disburse_relief(
        case, disbursement_id=uuid4(), amount=Money.yuan("3000"), paid_on=date(2024, 3, 2)
    )
    other = register(ledger, name="某大型基金会", roles=["foundation"], subdistrict="张江镇")
    pairing = uuid4()
    ledger.propose_pairing(
        pairing,
        kind="foundation_twinning",
        lead_id=other,
        partner_id=api.foundation,
        goals=["联合募捐"],
        planned_start=DAY,
        planned_end=date(2024, 12, 31),
        proposed_on=DAY,
    )
    link = uuid4()
    ledger.start_mentor_link(
        link,
        mentor_kind="organization",
        mentor_org_id=other,
        mentee_id=api.foundation,
        focus="财务规范化",
        started_on=DAY,
    )
    designation = uuid4()
    ledger.nominate(
        designation,
        kind="observation_point",
        year=2024,
        nominee_kind="foundation",
        nominee_org_id=api.foundation,
        nominating_body="浦东新区民政局",
        rationale="社区基金会治理规范",
        nominated_on=DAY,
    )
    return {
        "fund_id": str(fund),
        "grant_id": str(grant),
        "case_id": str(case),
        "pairing_id": str(pairing),
        "link_id": str(link),
        "designation_id": str(designation),
        "organization_id": str(api.foundation),
        "donation_id": str(donation),
        "subject_id": str(person(ledger, owner=api.foundation)),
        "key_id": "nokey",
        "fund": str(fund),
        "relief_fund": str(relief),
        "centre": str(centre),
        "other": str(other),
    }


def filled(path: str, ids: dict[str, str]) -> str:
    """The path with the story's record for each parameter it has one for, else a new id."""
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(m[1], str(uuid4())), path)


def test_every_error_of_every_command_names_a_field_of_the_request(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    real = story(api)
    wrong: list[str] = []
    seen = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in COMMANDS:
                continue
            names = operation_names(spec, operation)
            role = next((r for p, r in ROLE_BY_PREFIX.items() if path.startswith(p)), "staff")
            headers = api.headers[role]
            body = example_body(spec, operation)
            for ids in ({}, real):
                url = filled(path, ids)
                attempts: list[dict[str, Any]] = [{}]
                if body is not None:
                    attempts += [{"json": {}}, {"json": body}, {"json": changed(body)}]
                for attempt in attempts:
                    answer = api.client.request(method.upper(), url, headers=headers, **attempt)
                    if answer.status_code < 400:
                        continue
                    error = answer.json()["error"]
                    seen += 1
                    field = error.get("field")
                    if field is not None and field not in names:
                        wrong.append(f"{method.upper()} {path}: {error}")
                    if field is not None and field not in error["message"]:
                        wrong.append(f"{method.upper()} {path}: message lacks {field}: {error}")
    assert seen > 150
    assert wrong == []


def test_an_empty_body_is_named_body(api: Api) -> None:
    answer = api.client.post("/funds", headers=api.staff)
    assert answer.status_code == 422
    assert answer.json()["error"] == {
        "code": "invalid_input",
        "message": "body: required",
        "field": "body",
    }


def test_a_donation_from_an_unknown_organisation_names_donor_organization_id(api: Api) -> None:
    fund = funded(api.ledger, foundation_id=api.foundation)
    body = {
        "donation_id": str(uuid4()),
        "amount": "10.00",
        "currency": "CNY",
        "received_on": "2024-03-01",
        "donor": {"kind": "organization", "organization_id": str(uuid4())},
    }
    answer = api.post(f"/funds/{fund}/donations", body)
    assert answer.status_code == 404, answer.text
    error = answer.json()["error"]
    assert error["field"] == "donor.organization_id"
    assert "donor.organization_id" in error["message"]
    assert "donor_ref" not in error["message"]


def test_a_command_id_used_again_names_the_id_the_client_chose(api: Api) -> None:
    fund = funded(api.ledger, foundation_id=api.foundation)
    body = {
        "donation_id": str(uuid4()),
        "amount": "10.00",
        "currency": "CNY",
        "received_on": "2024-03-01",
        "donor": {"kind": "anonymous"},
    }
    assert api.post(f"/funds/{fund}/donations", body).status_code == 201
    answer = api.post(f"/funds/{fund}/donations", {**body, "amount": "11.00"})
    assert answer.status_code == 409
    assert answer.json()["error"]["field"] == "donation_id"
    closing = str(uuid4())
    close = {"closed_on": "2024-03-02", "reason": "项目结束"}
    empty = open_fund(api.ledger, api.foundation)
    assert api.post(f"/funds/{empty}/close", close, **{"Idempotency-Key": closing}).is_success
    again = api.post(
        f"/funds/{empty}/close", {**close, "reason": "另一理由"}, **{"Idempotency-Key": closing}
    )
    assert again.status_code == 409
    assert again.json()["error"]["field"] == "Idempotency-Key"


def route(method: str, path: str) -> APIRoute:
    """The route the app dispatches to for `method path`."""
    return next(
        r
        for router in ROUTERS
        for r in router.routes
        if isinstance(r, APIRoute) and r.path == path and method in (r.methods or set())
    )


@pytest.mark.parametrize(
    ("method", "path", "ledger_name", "client_name"),
    [
        # A relief case's and a grant's money is held in a reservation of its own.
        ("POST", "/relief-cases/{case_id}/disburse", "reservation_id", "case_id"),
        ("POST", "/grants/{grant_id}/payments", "reservation_id", "grant_id"),
        ("POST", "/funds/{fund_id}/payments", "reservation_id", "reservation_id"),
        ("POST", "/funds/{fund_id}/donations", "donor_ref", "donor.organization_id"),
        ("POST", "/funds/{fund_id}/donations", "donor_subject_id", "donor.subject_id"),
        ("POST", "/funds/{fund_id}/donations", "id", "donation_id"),
        ("POST", "/grants/{grant_id}/close", "id", "Idempotency-Key"),
        ("POST", "/funds", "id", "fund_id"),
        ("POST", "/funds", "no_such_name", "body"),
    ],
)
def test_a_ledger_side_name_is_answered_as_the_requests_own(
    method: str, path: str, ledger_name: str, client_name: str
) -> None:
    assert request_name(route(method, path), ledger_name) == client_name
