"""Designations (带头人 leaders, 观察点 observation points) over HTTP: nominated, selected within the
year's maximum (MINGZHANG_DESIGNATIONS_MAX_PER_YEAR), revoked. The admin decides them; a staff key may
not. A person nominee enters the vault only: their name is in no answer and no stored event.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from storage.database import Database
from tests.api.conftest import ON_BOTH, Api, new_id, refused
from tests.support import PUDONG, register, stored_bytes


@pytest.fixture
def two_a_year(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, backend_database: Database
) -> Api:
    """The app started with MINGZHANG_DESIGNATIONS_MAX_PER_YEAR=2 (set before `api` starts it;
    `backend_database` is named here so that its parameter reaches `api`)."""
    monkeypatch.setenv("MINGZHANG_DESIGNATIONS_MAX_PER_YEAR", "2")
    found: Api = request.getfixturevalue("api")
    return found


def nomination(foundation: UUID, **overrides: Any) -> dict[str, Any]:
    return {
        "designation_id": new_id(),
        "kind": "leader",
        "year": 2024,
        "nominee_kind": "foundation",
        "nominee_org_id": str(foundation),
        "nominating_body": "浦东新区民政局",
        "rationale": "社区治理成效突出",
        "nominated_on": "2024-03-01",
        **overrides,
    }


def selection(**overrides: Any) -> dict[str, Any]:
    return {"selected_on": "2024-06-01", "selecting_body": "上海市民政局", **overrides}


def nominated(api: Api, body: dict[str, Any]) -> str:
    answer = api.post("/designations", body, role="admin")
    assert answer.status_code == 201, answer.text
    return str(body["designation_id"])


@ON_BOTH
def test_a_designation_is_nominated_selected_and_revoked_with_201s_and_a_repeat_is_200(
    api: Api,
) -> None:
    body = nomination(api.foundation)
    first = api.post("/designations", body, role="admin")
    assert first.status_code == 201, first.text
    result = first.json()
    assert (result["status"], result["nominee_org_id"]) == ("nominated", str(api.foundation))
    assert result["position"] == api.ledger.head()
    assert first.headers["ETag"] == f'"{result["version"]}"'
    head = api.ledger.head()
    assert api.post("/designations", body, role="admin").status_code == 200
    assert api.ledger.head() == head
    path = f"/designations/{body['designation_id']}"
    key = new_id()
    selected = api.post(f"{path}/select", selection(), role="admin", **{"Idempotency-Key": key})
    assert selected.status_code == 201
    assert selected.json()["designation"]["status"] == "selected"
    again = api.post(f"{path}/select", selection(), role="admin", **{"Idempotency-Key": key})
    assert again.status_code == 200
    revoked = api.post(
        f"{path}/revoke", {"reason": "评估不合格", "revoked_on": "2024-10-01"}, role="admin"
    )
    assert revoked.status_code == 201
    assert revoked.json()["designation"]["status"] == "revoked"
    read = api.client.get(path, headers=api.headers["auditor"])
    assert (read.status_code, read.json()["status"]) == (200, "revoked")


def test_selecting_beyond_the_yearly_maximum_is_a_409_until_one_is_revoked(
    two_a_year: Api,
) -> None:
    api = two_a_year
    foundations = [api.foundation] + [
        register(api.ledger, name=f"第{n}社区基金会", subdistrict=PUDONG[n]) for n in (2, 3)
    ]
    ids = [nominated(api, nomination(f)) for f in foundations]
    for designation in ids[:2]:
        assert (
            api.post(f"/designations/{designation}/select", selection(), role="admin").status_code
            == 201
        )
    head = api.ledger.head()
    third = api.post(f"/designations/{ids[2]}/select", selection(), role="admin")
    refused(api, third, 409, "yearly_maximum_reached", "designation_id", head)
    assert "maximum is 2" in third.json()["error"]["message"]
    # Another kind, or another year, has places of its own.
    other_kind = nominated(api, nomination(foundations[2], kind="observation_point"))
    assert (
        api.post(f"/designations/{other_kind}/select", selection(), role="admin").status_code == 201
    )
    api.post(
        f"/designations/{ids[0]}/revoke",
        {"reason": "撤销", "revoked_on": "2024-07-01"},
        role="admin",
    )
    assert api.post(f"/designations/{ids[2]}/select", selection(), role="admin").status_code == 201


def test_a_staff_key_may_not_nominate_select_or_revoke(api: Api) -> None:
    designation = nominated(api, nomination(api.foundation))
    head = api.ledger.head()
    refused(
        api, api.post("/designations", nomination(api.foundation)), 403, "forbidden", None, head
    )
    refused(
        api,
        api.post(f"/designations/{designation}/select", selection()),
        403,
        "forbidden",
        None,
        head,
    )
    refused(
        api,
        api.post(
            f"/designations/{designation}/revoke", {"reason": "撤销", "revoked_on": "2024-07-01"}
        ),
        403,
        "forbidden",
        None,
        head,
    )
    refused(
        api,
        api.client.get(f"/designations/{designation}", headers=api.staff),
        403,
        "forbidden",
        None,
        head,
    )


def test_a_person_nominees_name_is_in_no_answer_and_no_stored_event(api: Api) -> None:
    body = nomination(
        api.foundation,
        nominee_kind="person",
        nominee_org_id=None,
        nominee={"name": "测试带头人（虚构）", "id_card": None, "phone": "13900003333"},
    )
    answer = api.post("/designations", body, role="admin")
    assert answer.status_code == 201, answer.text
    read = api.client.get(f"/designations/{body['designation_id']}", headers=api.admin)
    for text in (answer.text, read.text):
        assert "测试带头人" not in text
        assert "13900003333" not in text
    assert read.json()["nominee_org_id"] is None
    stored = b"".join(stored_bytes(api.ledger))
    assert "测试带头人".encode() not in stored
    assert b"13900003333" not in stored
    assert api.post("/designations", body, role="admin").status_code == 200


def test_a_nominee_is_given_once_as_a_person_or_by_subject_id_and_never_for_a_foundation(
    api: Api,
) -> None:
    head = api.ledger.head()
    person = {"nominee_kind": "person", "nominee_org_id": None}
    neither = nomination(api.foundation, **person)
    refused(
        api, api.post("/designations", neither, role="admin"), 422, "invalid_input", "nominee", head
    )
    unknown = nomination(api.foundation, **person, nominee_subject_id=str(uuid4()))
    refused(
        api,
        api.post("/designations", unknown, role="admin"),
        404,
        "unknown_subject",
        "nominee_subject_id",
        head,
    )
    foundation_with_person = nomination(api.foundation, nominee={"name": "测试人员丁（虚构）"})
    refused(
        api,
        api.post("/designations", foundation_with_person, role="admin"),
        422,
        "invalid_input",
        "nominee",
        head,
    )


def test_an_observation_point_is_a_foundation_not_a_person(api: Api) -> None:
    head = api.ledger.head()
    body = nomination(
        api.foundation,
        kind="observation_point",
        nominee_kind="person",
        nominee_org_id=None,
        nominee={"name": "测试人员戊（虚构）"},
    )
    refused(
        api,
        api.post("/designations", body, role="admin"),
        422,
        "invalid_choice",
        "nominee_kind",
        head,
    )


def test_a_nominee_organisation_that_holds_no_funds_is_a_409(api: Api) -> None:
    centre = register(api.ledger, name="浦东新区社会组织服务中心", roles=["service_center"])
    head = api.ledger.head()
    refused(
        api,
        api.post("/designations", nomination(centre), role="admin"),
        409,
        "role_mismatch",
        "nominee_org_id",
        head,
    )


def test_selecting_twice_and_revoking_twice_are_409s(api: Api) -> None:
    designation = nominated(api, nomination(api.foundation))
    path = f"/designations/{designation}"
    assert api.post(f"{path}/select", selection(), role="admin").status_code == 201
    head = api.ledger.head()
    refused(
        api,
        api.post(f"{path}/select", selection(), role="admin"),
        409,
        "state_conflict",
        "designation_id",
        head,
    )
    revoke = {"reason": "撤销", "revoked_on": "2024-07-01"}
    assert api.post(f"{path}/revoke", revoke, role="admin").status_code == 201
    head = api.ledger.head()
    refused(
        api,
        api.post(f"{path}/revoke", revoke, role="admin"),
        409,
        "already_reversed",
        "designation_id",
        head,
    )


def test_unknown_designations_bad_years_and_path_ids_that_are_not_uuids(api: Api) -> None:
    head = api.ledger.head()
    refused(
        api,
        api.post(f"/designations/{uuid4()}/select", selection(), role="admin"),
        404,
        "unknown_designation",
        "designation_id",
        head,
    )
    refused(
        api,
        api.post("/designations/x/select", selection(), role="admin"),
        422,
        "invalid_id",
        "designation_id",
        head,
    )
    refused(
        api,
        api.post("/designations", nomination(api.foundation, year=1999), role="admin"),
        422,
        "invalid_choice",
        "year",
        head,
    )
    refused(
        api,
        api.post("/designations", nomination(api.foundation, note="x"), role="admin"),
        422,
        "unknown_field",
        "note",
        head,
    )
