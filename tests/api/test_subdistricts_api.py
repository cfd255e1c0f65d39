"""Over HTTP, a subdistrict is one of the district's 街道/镇/乡: an address in its place is a 422
`unknown_subdistrict` naming the field, for a relief case and an organisation alike, with nothing
written; the admin (only) adds one the official list gained with `POST /subdistricts`."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from tests.api.conftest import Api, refused
from tests.api.test_relief_api import case_body, relief_fund

ADDRESS = "半淞园路街道虚构路12弄3号601室"


def organization(**overrides: Any) -> dict[str, Any]:
    return {
        "organization_id": str(uuid4()),
        "name": "某社区基金会",
        "type": "charity",
        "tier": "registered",
        "roles": ["community_foundation"],
        "district": "huangpu",
        "subdistrict": "半淞园路街道",
        "registered_on": "2019-06-01",
        **overrides,
    }


def addition(**overrides: Any) -> dict[str, Any]:
    return {
        "district": "pudong",
        "name": "新设街道",
        "reason": "区划调整：新设街道",
        "added_on": "2024-01-02",
        **overrides,
    }


def test_an_address_as_a_relief_cases_subdistrict_is_a_422_naming_it(api: Api) -> None:
    body = case_body(api, relief_fund(api), subdistrict=ADDRESS)
    head = api.ledger.head()
    answer = api.post("/relief-cases", body)
    refused(api, answer, 422, "unknown_subdistrict", "subdistrict", head)
    assert "虚构路" not in answer.text


def test_an_organisations_subdistrict_must_be_of_its_district(api: Api) -> None:
    head = api.ledger.head()
    answer = api.post("/organizations", organization(district="pudong"), role="admin")
    refused(api, answer, 422, "unknown_subdistrict", "subdistrict", head)
    assert api.post("/organizations", organization(), role="admin").status_code == 201


def test_the_admin_adds_a_subdistrict_once_and_it_is_then_valid_in_its_district(
    api: Api,
) -> None:
    head = api.ledger.head()
    refused(
        api,
        api.post(
            "/organizations", organization(district="pudong", subdistrict="新设街道"), "admin"
        ),
        422,
        "unknown_subdistrict",
        "subdistrict",
        head,
    )
    added = api.post("/subdistricts", addition(), role="admin")
    assert added.status_code == 201, added.text
    assert added.json()["name"] == "新设街道"
    again = api.post("/subdistricts", addition(), role="admin")
    assert again.status_code == 200
    assert again.json() == added.json()
    body = organization(district="pudong", subdistrict="新设街道")
    assert api.post("/organizations", body, role="admin").status_code == 201


def test_only_the_admin_adds_a_subdistrict(api: Api) -> None:
    head = api.ledger.head()
    refused(api, api.post("/subdistricts", addition()), 403, "forbidden", None, head)


def test_adding_a_subdistrict_on_the_official_list_is_a_409(api: Api) -> None:
    head = api.ledger.head()
    answer = api.post("/subdistricts", addition(name="陆家嘴街道"), role="admin")
    refused(api, answer, 409, "state_conflict", "name", head)
