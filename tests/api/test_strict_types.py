"""JSON's own types, strictly: a boolean is `true` or `false` (not "yes", "true", 1), a year is a JSON
integer (not "2024"), a date is text
written `YYYY-MM-DD` (not a datetime, not a number), in every body, nested parties included, and in
query parameters. Each is a 422 naming the field, and nothing is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from storage.database import Database
from tests.api.conftest import Api, refused, settings_for
from tests.support import PUT_INTO_VAULTS, funded, person

NOT_BOOLEANS = ["yes", "true", "false", 1, 0, "1", "on"]
NOT_DATES = ["2024-02-01T00:00:00", "2024-02-01T00:00:00Z", 1706745600, "20240201", "2024-2-1"]


def organisation(**overrides: Any) -> dict[str, Any]:
    return {
        "organization_id": str(uuid4()),
        "name": "川沙新镇社区基金会",
        "type": "charity",
        "tier": "registered",
        "roles": ["community_foundation"],
        "district": "pudong",
        "subdistrict": "川沙新镇",
        "rural": True,
        "registered_on": "2019-06-01",
        **overrides,
    }


@pytest.mark.parametrize("value", ["2024", 2024.0, True, "二〇二四"])
def test_a_designations_year_is_a_json_integer_only(api: Api, value: Any) -> None:
    body = {
        "designation_id": str(uuid4()),
        "kind": "leader",
        "year": value,
        "nominee_kind": "foundation",
        "nominee_org_id": str(api.foundation),
        "nominating_body": "市民政局",
        "rationale": "带动社区治理",
        "nominated_on": "2024-03-01",
    }
    head = api.ledger.head()
    answer = api.post("/designations", body, role="admin")
    refused(api, answer, 422, "invalid_input", "year", head)
    assert "whole number" in answer.json()["error"]["message"]


@pytest.mark.parametrize("value", NOT_BOOLEANS)
def test_rural_is_a_json_boolean_only(api: Api, value: Any) -> None:
    head = api.ledger.head()
    answer = api.post("/organizations", organisation(rural=value), role="admin")
    refused(api, answer, 422, "invalid_input", "rural", head)
    assert "true or false" in answer.json()["error"]["message"]


@pytest.mark.parametrize("value", NOT_BOOLEANS)
def test_a_donors_publish_name_is_a_json_boolean_only(api: Api, value: Any) -> None:
    fund = funded(api.ledger, foundation_id=api.foundation)
    body = {
        "donation_id": str(uuid4()),
        "amount": "10.00",
        "currency": "CNY",
        "received_on": "2024-03-01",
        "donor": {
            "kind": "person",
            "subject_id": str(person(api.ledger, owner=api.foundation)),
            "publish_name": value,
        },
    }
    head = api.ledger.head()
    refused(
        api,
        api.post(f"/funds/{fund}/donations", body),
        422,
        "invalid_input",
        "donor.publish_name",
        head,
    )


@pytest.mark.parametrize("value", ["yes", 1])
def test_a_relief_cases_emergency_flag_is_a_json_boolean_only(api: Api, value: Any) -> None:
    fund = funded(api.ledger, foundation_id=api.foundation, kind="emergency_relief")
    body = {
        "case_id": str(uuid4()),
        "fund_id": str(fund),
        "reason_code": "GTIR100",
        "purpose_code": "GTIP170",
        "subdistrict": "陆家嘴街道",
        "beneficiary_subject_id": str(person(api.ledger, owner=api.foundation)),
        "requested_amount": "300.00",
        "currency": "CNY",
        "emergency": value,
        "opened_on": "2024-03-01",
    }
    head = api.ledger.head()
    refused(api, api.post("/relief-cases", body), 422, "invalid_input", "emergency", head)


def test_true_and_false_are_still_booleans(api: Api) -> None:
    for value in (True, False):
        assert (
            api.post("/organizations", organisation(rural=value), role="admin").status_code == 201
        )


@pytest.mark.parametrize("value", NOT_DATES)
def test_a_date_in_a_body_is_yyyy_mm_dd_text_only(api: Api, value: Any) -> None:
    head = api.ledger.head()
    answer = api.post("/organizations", organisation(registered_on=value), role="admin")
    refused(api, answer, 422, "invalid_date", "registered_on", head)
    body = {
        "fund_id": str(uuid4()),
        "foundation_id": str(api.foundation),
        "kind": "general",
        "name": "社区发展基金",
        "opened_on": value,
    }
    refused(api, api.post("/funds", body), 422, "invalid_date", "opened_on", head)


@pytest.mark.parametrize("value", ["2024-02-01T00:00:00", "1706745600"])
def test_a_date_in_a_query_is_yyyy_mm_dd_only(api: Api, value: str) -> None:
    subject = uuid4()
    PUT_INTO_VAULTS.update({str(subject), subject.hex, "测试人员丙（虚构）"})
    officer = api.headers["privacy_officer"]
    assert api.client.put(
        f"/personal-data/{subject}", json={"name": "测试人员丙（虚构）"}, headers=officer
    ).is_success
    answer = api.client.delete(f"/personal-data/{subject}?erased_on={value}", headers=officer)
    refused(api, answer, 422, "invalid_date", "erased_on")
    assert api.client.get(f"/personal-data/{subject}", headers=officer).status_code == 200


def test_an_erasure_without_a_date_is_dated_today_in_shanghai_by_the_ledgers_clock(
    backend_database: Database, tmp_path: Path
) -> None:
    app = create_app(settings_for(backend_database, tmp_path, today=date(2025, 1, 2)))
    with TestClient(app) as client:
        _, token = app.state.keys.create("privacy_officer")
        officer = {"Authorization": f"Bearer {token}"}
        subject = uuid4()
        PUT_INTO_VAULTS.update({str(subject), subject.hex, "测试人员戊（虚构）"})
        client.put(
            f"/personal-data/{subject}", json={"name": "测试人员戊（虚构）"}, headers=officer
        )
        answer = client.delete(f"/personal-data/{subject}", headers=officer)
        assert answer.status_code == 200, answer.text
        assert answer.json()["erased_on"] == "2025-01-02"
