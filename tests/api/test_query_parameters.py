"""A query parameter a route does not declare is a 422 `unknown_parameter` naming it, on every route:
a filter that does not exist must not be silently ignored (the answer would look filtered)."""

from __future__ import annotations

import re
from uuid import uuid4

from tests.api.conftest import Api, new_id, refused

OPERATIONS = {"get", "post", "put", "patch", "delete"}


def open_fund(api: Api) -> str:
    fund_id = new_id()
    body = {
        "fund_id": fund_id,
        "foundation_id": str(api.foundation),
        "kind": "general",
        "name": "社区发展基金",
        "opened_on": "2024-01-01",
    }
    assert api.post("/funds", body).status_code == 201
    return fund_id


def test_a_disclosure_list_refuses_a_filter_it_does_not_have(api: Api) -> None:
    answer = api.client.get(f"/disclosure/grants?grantee={uuid4()}")
    refused(api, answer, 422, "unknown_parameter", "grantee")


def test_the_audit_log_refuses_a_filter_it_does_not_have(api: Api) -> None:
    answer = api.client.get("/audit/events?who=someone", headers=api.headers["auditor"])
    refused(api, answer, 422, "unknown_parameter", "who")


def test_a_read_that_takes_no_parameters_refuses_one(api: Api) -> None:
    fund_id = open_fund(api)
    answer = api.client.get(f"/funds/{fund_id}?fields=balance", headers=api.staff)
    refused(api, answer, 422, "unknown_parameter", "fields")
    refused(api, api.client.get("/health?verbose=1"), 422, "unknown_parameter", "verbose")


def test_a_command_with_an_unknown_parameter_is_refused_and_writes_nothing(api: Api) -> None:
    fund_id = open_fund(api)
    head = api.ledger.head()
    body = {
        "donation_id": new_id(),
        "amount": "10.00",
        "currency": "CNY",
        "received_on": "2024-02-01",
        "donor": {"kind": "anonymous"},
    }
    answer = api.client.post(
        f"/funds/{fund_id}/donations?dry_run=true", json=body, headers=api.staff
    )
    refused(api, answer, 422, "unknown_parameter", "dry_run", head)


def test_declared_parameters_are_still_taken(api: Api) -> None:
    answer = api.client.get("/disclosure/funds?district=pudong&limit=5")
    assert answer.status_code == 200, answer.text
    answer = api.client.get("/audit/events?after=0&limit=3", headers=api.headers["auditor"])
    assert answer.status_code == 200, answer.text


def every_operation(api: Api) -> list[tuple[str, str]]:
    document = api.client.get("/openapi.json").json()
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in OPERATIONS
    ]


def test_every_route_in_the_openapi_refuses_an_unknown_parameter(api: Api) -> None:
    operations = every_operation(api)
    assert len(operations) > 40
    head = api.ledger.head()
    for method, path in operations:
        concrete = re.sub(r"\{[^}]+\}", lambda _: str(uuid4()), path)
        answer = api.client.request(method, f"{concrete}?bogus=1", headers=api.admin)
        assert answer.status_code == 422, (method, path, answer.text)
        error = answer.json()["error"]
        assert (error["code"], error["field"]) == ("unknown_parameter", "bogus"), (method, path)
    assert api.ledger.head() == head


def test_a_known_parameter_given_twice_is_not_unknown(api: Api) -> None:
    answer = api.client.get("/disclosure/funds?limit=5&limit=6")
    assert answer.json().get("error", {}).get("code") != "unknown_parameter"
