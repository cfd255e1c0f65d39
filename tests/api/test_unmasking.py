"""No staff key can put the name of another foundation's person on a public page.

The reproduction of issue 13: subject ids used to be derived from a public use id, and any staff key
could use any subject id, so foundation B could donate 0.01 "from" foundation A's beneficiary (or a
nominee, or a donor who never consented) with `publish_name: true` and have B's page name them. Now
subject ids are random, a subject is usable only by the foundation that stored it, and a subject
another foundation holds answers exactly as one the vault never held.
"""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

import pytest

from tests.api.conftest import ON_BOTH, Api, new_id
from tests.support import PUT_INTO_VAULTS, donate, open_fund, person, register

SECRET_NAME = "测试受助人壬（虚构）"
# The namespace api/people.py used to derive subject ids from: what an attacker would compute.
OLD_NAMESPACE = UUID("6d696e67-7a68-616e-6720-7375626a6563")


def derived(field: str, use_id: str) -> UUID:
    return uuid.uuid5(OLD_NAMESPACE, f"{field}:{use_id}")


def foundation_b(api: Api) -> tuple[UUID, dict[str, str], UUID]:
    other = register(api.ledger, name="花木社区基金会")
    fund = open_fund(api.ledger, other, name="花木发展基金")
    return other, api.bearer("staff", other), fund


def a_beneficiary(api: Api) -> str:
    fund = open_fund(api.ledger, api.foundation, kind="emergency_relief", name="暖心基金")
    donate(api.ledger, fund, "5000")
    case_id = new_id()
    answer = api.post(
        "/relief-cases",
        {
            "case_id": case_id,
            "fund_id": str(fund),
            "reason_code": "GTIR100",
            "purpose_code": "GTIP170",
            "subdistrict": "陆家嘴街道",
            "requested_amount": "300.00",
            "currency": "CNY",
            "emergency": False,
            "opened_on": "2024-03-01",
            "beneficiary": {"name": SECRET_NAME, "id_card": "11010519491231002X"},
        },
    )
    assert answer.status_code == 201, answer.text
    return case_id


def a_shy_donor(api: Api) -> str:
    fund = open_fund(api.ledger, api.foundation, name="社区发展基金")
    donation_id = new_id()
    answer = api.post(
        f"/funds/{fund}/donations",
        {
            "donation_id": donation_id,
            "amount": "100.00",
            "currency": "CNY",
            "received_on": "2024-03-01",
            "donor": {"kind": "person", "person": {"name": SECRET_NAME}, "publish_name": False},
        },
    )
    assert answer.status_code == 201, answer.text
    return donation_id


def a_nominee(api: Api) -> str:
    designation_id = new_id()
    answer = api.post(
        "/designations",
        {
            "designation_id": designation_id,
            "kind": "leader",
            "year": 2024,
            "nominee_kind": "person",
            "nominee": {"name": SECRET_NAME},
            "nominating_body": "浦东新区民政局",
            "rationale": "社区治理成效突出",
            "nominated_on": "2024-03-01",
        },
        role="admin",
    )
    assert answer.status_code == 201, answer.text
    return designation_id


def donation_from(fund: UUID, subject: UUID) -> dict[str, Any]:
    return {
        "donation_id": new_id(),
        "amount": "0.01",
        "currency": "CNY",
        "received_on": "2024-03-02",
        "donor": {"kind": "person", "subject_id": str(subject), "publish_name": True},
    }


def mentor_link_of(mentee: UUID, subject: UUID) -> dict[str, Any]:
    return {
        "link_id": new_id(),
        "mentor_kind": "person",
        "mentor_subject_id": str(subject),
        "role_label": "资深社工",
        "publish_name": True,
        "mentee_id": str(mentee),
        "focus": "社区议事会组织",
        "started_on": "2024-03-02",
    }


def public_text(api: Api) -> str:
    runner = api.client.app.state.runner  # type: ignore[attr-defined]
    assert runner.wait_for("disclosure", api.ledger.head())
    paths = [f"/disclosure/foundations/{f['organization_id']}" for f in _foundations(api)]
    return "".join(api.client.get(p).text for p in [*paths, "/disclosure/mentor-links"])


def _foundations(api: Api) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.client.get("/disclosure/foundations").json()["items"]
    return found


def same_as_unknown(
    api: Api, path: str, body: dict[str, Any], key: dict[str, str], id_field: str
) -> None:
    """Using the foreign subject answers exactly as a subject id the vault never held does."""
    foreign = api.client.post(path, json=body, headers=key)
    stranger = uuid.uuid4()
    unknown = api.client.post(
        path, json={**body, **_with_subject(body, id_field, stranger)}, headers=key
    )
    assert foreign.status_code == unknown.status_code == 404, foreign.text
    forged = str(_subject_of(body, id_field))
    assert foreign.json() == _replaced(unknown.json(), str(stranger), forged)


def _with_subject(body: dict[str, Any], id_field: str, subject: UUID) -> dict[str, Any]:
    if id_field == "donor.subject_id":
        return {"donation_id": new_id(), "donor": {**body["donor"], "subject_id": str(subject)}}
    return {"link_id": new_id(), id_field: str(subject)}


def _subject_of(body: dict[str, Any], id_field: str) -> str:
    if id_field == "donor.subject_id":
        return str(body["donor"]["subject_id"])
    return str(body[id_field])


def _replaced(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {k: _replaced(v, old, new) for k, v in value.items()}
    if isinstance(value, str):
        return value.replace(old, new)
    return value


@ON_BOTH
@pytest.mark.parametrize("victim", ["beneficiary", "donor"])
def test_another_foundation_cannot_donate_from_a_subject_computed_from_a_public_use(
    api: Api, victim: str
) -> None:
    use_id = a_beneficiary(api) if victim == "beneficiary" else a_shy_donor(api)
    _, key, fund = foundation_b(api)
    body = donation_from(fund, derived(victim, use_id))
    head = api.ledger.head()
    same_as_unknown(api, f"/funds/{fund}/donations", body, key, "donor.subject_id")
    assert api.ledger.head() == head
    assert SECRET_NAME not in public_text(api)


def test_another_foundation_cannot_name_a_nominee_through_a_mentor_link(api: Api) -> None:
    designation_id = a_nominee(api)
    other, key, _ = foundation_b(api)
    body = mentor_link_of(other, derived("nominee", designation_id))
    same_as_unknown(api, "/mentor-links", body, key, "mentor_subject_id")
    assert SECRET_NAME not in public_text(api)


@ON_BOTH
def test_a_subject_is_used_only_by_the_foundation_that_stored_it(api: Api) -> None:
    mine = person(api.ledger, SECRET_NAME, owner=api.foundation)
    _, key, fund = foundation_b(api)
    same_as_unknown(
        api, f"/funds/{fund}/donations", donation_from(fund, mine), key, "donor.subject_id"
    )
    own = open_fund(api.ledger, api.foundation, name="社区发展基金")
    answer = api.post(f"/funds/{own}/donations", donation_from(own, mine))
    assert answer.status_code == 201, answer.text
    assert SECRET_NAME in public_text(api)  # named on A's page, with A's consent record


def test_a_subject_the_privacy_officer_stored_for_a_foundation_is_that_foundations(
    api: Api,
) -> None:
    subject = uuid.uuid4()
    PUT_INTO_VAULTS.update({SECRET_NAME, str(subject), subject.hex})
    stored = api.client.put(
        f"/personal-data/{subject}",
        params={"foundation_id": str(api.foundation)},
        json={"name": SECRET_NAME},
        headers=api.headers["privacy_officer"],
    )
    assert stored.status_code == 201, stored.text
    _, key, fund = foundation_b(api)
    same_as_unknown(
        api, f"/funds/{fund}/donations", donation_from(fund, subject), key, "donor.subject_id"
    )
    own = open_fund(api.ledger, api.foundation, name="社区发展基金")
    assert api.post(f"/funds/{own}/donations", donation_from(own, subject)).status_code == 201
