"""Mentor links (带教) over HTTP: a mentor (an organisation or a person) and a mentee organisation,
sessions, a person mentor's consent to be named, the end. A person mentor enters the vault only: their
name is in no answer and no stored event. Writes are for staff of the mentee's or the mentor's
foundation.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from tests.api.conftest import ON_BOTH, Api, new_id, refused
from tests.support import person, personal_data_in, register, stored_bytes


def mentor_org(api: Api) -> UUID:
    return register(api.ledger, name="浦东新区社会组织服务中心", roles=["service_center"])


def org_link(api: Api, mentor_id: UUID, **overrides: Any) -> dict[str, Any]:
    return {
        "link_id": new_id(),
        "mentor_kind": "organization",
        "mentor_org_id": str(mentor_id),
        "mentee_id": str(api.foundation),
        "focus": "项目申报与财务管理",
        "started_on": "2024-03-01",
        **overrides,
    }


def person_link(api: Api, **overrides: Any) -> dict[str, Any]:
    return {
        "link_id": new_id(),
        "mentor_kind": "person",
        "mentor": {"name": "测试带教人（虚构）", "phone": "13900002222"},
        "role_label": "资深社工",
        "publish_name": True,
        "mentee_id": str(api.foundation),
        "focus": "社区议事会组织",
        "started_on": "2024-03-01",
        **overrides,
    }


def session(**overrides: Any) -> dict[str, Any]:
    return {
        "session_id": new_id(),
        "held_on": "2024-03-15",
        "hours": "1.5",
        "topic": "年度预算编制",
        **overrides,
    }


def started(api: Api, body: dict[str, Any]) -> str:
    answer = api.post("/mentor-links", body)
    assert answer.status_code == 201, answer.text
    return str(body["link_id"])


@ON_BOTH
def test_a_mentor_link_answers_201_then_200_for_a_repeat_and_counts_its_sessions(
    api: Api,
) -> None:
    body = org_link(api, mentor_org(api))
    first = api.post("/mentor-links", body)
    assert first.status_code == 201, first.text
    result = first.json()
    assert result["link_id"] == body["link_id"]
    assert result["mentor_org_id"] == body["mentor_org_id"]
    assert result["position"] == api.ledger.head()
    assert first.headers["ETag"] == f'"{result["version"]}"'
    head = api.ledger.head()
    again = api.post("/mentor-links", body)
    assert again.status_code == 200
    assert api.ledger.head() == head
    link = body["link_id"]
    held = api.post(f"/mentor-links/{link}/sessions", session(hours="1.5"))
    assert held.status_code == 201
    api.post(f"/mentor-links/{link}/sessions", session(hours="0.25"))
    read = api.client.get(f"/mentor-links/{link}", headers=api.headers["auditor"])
    assert read.json()["minutes"] == 105
    ended = api.post(
        f"/mentor-links/{link}/end", {"outcome": "已能独立申报项目", "ended_on": "2024-12-31"}
    )
    assert ended.status_code == 201
    assert ended.json()["mentor_link"]["ended_on"] == "2024-12-31"


def test_a_session_on_an_ended_link_is_a_409(api: Api) -> None:
    link = started(api, org_link(api, mentor_org(api)))
    api.post(f"/mentor-links/{link}/end", {"outcome": "结束", "ended_on": "2024-06-30"})
    head = api.ledger.head()
    answer = api.post(f"/mentor-links/{link}/sessions", session())
    refused(api, answer, 409, "link_ended", "link_id", head)
    again = api.post(f"/mentor-links/{link}/end", {"outcome": "结束", "ended_on": "2024-07-01"})
    refused(api, again, 409, "link_ended", "link_id", head)


def test_a_person_mentors_name_is_in_no_answer_and_no_stored_event(api: Api) -> None:
    body = person_link(api)
    answer = api.post("/mentor-links", body)
    assert answer.status_code == 201, answer.text
    link = body["link_id"]
    read = api.client.get(f"/mentor-links/{link}", headers=api.staff)
    withdrawn = api.post(f"/mentor-links/{link}/withdraw-consent", {"withdrawn_on": "2024-05-01"})
    for text in (answer.text, read.text, withdrawn.text):
        assert "测试带教人" not in text
        assert "13900002222" not in text
    assert read.json()["mentor_org_id"] is None
    assert read.json()["role_label"] == "资深社工"
    stored = b"".join(stored_bytes(api.ledger))
    assert "测试带教人".encode() not in stored
    assert b"13900002222" not in stored
    # Sent again (a retry), it is the same link and the same vault subject.
    assert api.post("/mentor-links", body).status_code == 200


def test_a_person_mentor_already_in_the_vault_is_given_by_subject_id(api: Api) -> None:
    subject = person(api.ledger, "测试导师乙（虚构）", owner=api.foundation)
    body = person_link(api, mentor=None, mentor_subject_id=str(subject))
    answer = api.post("/mentor-links", body)
    assert answer.status_code == 201, answer.text
    assert str(subject) not in answer.text
    assert personal_data_in(api.ledger) == []


def test_a_person_mentor_is_given_once_either_as_a_person_or_by_subject_id(api: Api) -> None:
    head = api.ledger.head()
    neither = person_link(api, mentor=None)
    refused(api, api.post("/mentor-links", neither), 422, "invalid_input", "mentor", head)
    both = person_link(api, mentor_subject_id=str(uuid4()))
    refused(api, api.post("/mentor-links", both), 422, "invalid_input", "mentor", head)
    unknown = person_link(api, mentor=None, mentor_subject_id=str(uuid4()))
    refused(
        api, api.post("/mentor-links", unknown), 404, "unknown_subject", "mentor_subject_id", head
    )


def test_an_organisation_mentor_given_with_a_person_is_a_422(api: Api) -> None:
    body = org_link(api, mentor_org(api), mentor={"name": "测试人员丙（虚构）"})
    head = api.ledger.head()
    refused(api, api.post("/mentor-links", body), 422, "invalid_input", "mentor", head)


def test_an_organisation_mentoring_itself_is_a_422(api: Api) -> None:
    head = api.ledger.head()
    body = org_link(api, api.foundation)
    refused(api, api.post("/mentor-links", body), 422, "self_pairing", "mentee_id", head)


def test_hours_are_a_decimal_string_of_whole_minutes(api: Api) -> None:
    link = started(api, org_link(api, mentor_org(api)))
    head = api.ledger.head()
    path = f"/mentor-links/{link}/sessions"
    refused(api, api.post(path, session(hours=1.5)), 422, "invalid_input", "hours", head)
    refused(api, api.post(path, session(hours="0.33")), 422, "invalid_text", "hours", head)
    refused(api, api.post(path, session(hours="25")), 422, "invalid_text", "hours", head)


def test_consent_withdrawn_once_cannot_be_withdrawn_again(api: Api) -> None:
    link = started(api, person_link(api))
    path, body = f"/mentor-links/{link}/withdraw-consent", {"withdrawn_on": "2024-05-01"}
    first = api.post(path, body)
    assert first.status_code == 201
    assert first.json()["mentor_link"]["publish_name"] is False
    head = api.ledger.head()
    refused(api, api.post(path, body), 409, "already_reversed", "link_id", head)


def test_staff_of_the_mentor_organisation_may_write_and_staff_of_neither_may_not(
    api: Api,
) -> None:
    mentor = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    link = started(api, org_link(api, mentor))
    held = api.client.post(
        f"/mentor-links/{link}/sessions", json=session(), headers=api.bearer("staff", mentor)
    )
    assert held.status_code == 201, held.text
    outsider = api.bearer("staff", register(api.ledger, name="塘桥社区基金会"))
    head = api.ledger.head()
    for path, body in [
        ("/mentor-links", org_link(api, mentor)),
        ("/mentor-links", person_link(api)),
        (f"/mentor-links/{link}/sessions", session()),
        (f"/mentor-links/{link}/end", {"outcome": "结束", "ended_on": "2024-06-30"}),
    ]:
        answer = api.client.post(path, json=body, headers=outsider)
        refused(api, answer, 403, "wrong_foundation", None, head)
    refused(
        api,
        api.client.get(f"/mentor-links/{link}", headers=outsider),
        403,
        "wrong_foundation",
        None,
        head,
    )
    refused(
        api,
        api.post("/mentor-links", org_link(api, mentor), role="admin"),
        403,
        "forbidden",
        None,
        head,
    )


def test_unknown_links_and_path_ids_that_are_not_uuids(api: Api) -> None:
    head = api.ledger.head()
    refused(
        api,
        api.post(f"/mentor-links/{uuid4()}/sessions", session()),
        404,
        "unknown_mentor_link",
        "link_id",
        head,
    )
    refused(
        api, api.post("/mentor-links/42/sessions", session()), 422, "invalid_id", "link_id", head
    )
