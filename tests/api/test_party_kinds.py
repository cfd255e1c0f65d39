"""A body says one thing: a party of one kind sent with the fields of another (a person's data for an
anonymous or organisation donor, an organisation's id for a person) is a 422 naming the field, and
nothing is written — never a person silently dropped (or stored in the vault for nothing)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from tests.api.conftest import Api, refused
from tests.support import funded, person, register


def donation(donor: dict[str, Any]) -> dict[str, Any]:
    return {
        "donation_id": str(uuid4()),
        "amount": "100.00",
        "currency": "CNY",
        "received_on": "2024-03-01",
        "donor": donor,
    }


@pytest.mark.parametrize(
    ("donor", "field"),
    [
        ({"kind": "anonymous", "person": {"name": "王芳"}}, "donor.person"),
        ({"kind": "anonymous", "subject_id": "SUBJECT"}, "donor.subject_id"),
        ({"kind": "anonymous", "organization_id": "ORG"}, "donor.organization_id"),
        (
            {"kind": "organization", "organization_id": "ORG", "person": {"name": "王芳"}},
            "donor.person",
        ),
        (
            {"kind": "organization", "organization_id": "ORG", "subject_id": "SUBJECT"},
            "donor.subject_id",
        ),
        (
            {"kind": "person", "person": {"name": "王芳"}, "organization_id": "ORG"},
            "donor.organization_id",
        ),
        ({"kind": "anonymous", "publish_name": True}, "donor.publish_name"),
    ],
)
def test_a_donor_sent_with_the_fields_of_another_kind_is_a_422_naming_the_field(
    api: Api, donor: dict[str, Any], field: str
) -> None:
    fund = funded(api.ledger, foundation_id=api.foundation)
    organisation = register(api.ledger, name="某科技公司", roles=[], district="xuhui")
    subject = person(api.ledger, owner=api.foundation)
    filled = {
        k: (str(subject) if v == "SUBJECT" else str(organisation) if v == "ORG" else v)
        for k, v in donor.items()
    }
    head = api.ledger.head()
    answer = api.post(f"/funds/{fund}/donations", donation(filled))
    refused(api, answer, 422, "invalid_input", field, head)
    assert "王芳" not in answer.text


def mentor_link(api: Api, **fields: Any) -> dict[str, Any]:
    return {
        "link_id": str(uuid4()),
        "mentee_id": str(api.foundation),
        "focus": "项目申报与财务管理",
        "started_on": "2024-03-01",
        **fields,
    }


def test_a_person_mentor_sent_with_an_organisation_is_a_422_naming_mentor_org_id(
    api: Api,
) -> None:
    centre = register(api.ledger, name="浦东新区社会组织服务中心", roles=["service_center"])
    body = mentor_link(
        api,
        mentor_kind="person",
        mentor_subject_id=str(person(api.ledger, owner=api.foundation)),
        role_label="资深社工",
        mentor_org_id=str(centre),
    )
    head = api.ledger.head()
    refused(api, api.post("/mentor-links", body), 422, "invalid_input", "mentor_org_id", head)


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"publish_name": True}, "publish_name"), ({"role_label": "资深社工"}, "role_label")],
)
def test_an_organisation_mentor_sent_with_a_persons_fields_is_a_422_naming_them(
    api: Api, fields: dict[str, Any], field: str
) -> None:
    centre = register(api.ledger, name="浦东新区社会组织服务中心", roles=["service_center"])
    body = mentor_link(api, mentor_kind="organization", mentor_org_id=str(centre), **fields)
    head = api.ledger.head()
    refused(api, api.post("/mentor-links", body), 422, "invalid_input", field, head)


def test_a_person_nominee_sent_with_an_organisation_is_a_422_naming_nominee_org_id(
    api: Api,
) -> None:
    body = {
        "designation_id": str(uuid4()),
        "kind": "leader",
        "year": 2024,
        "nominee_kind": "person",
        "nominee_subject_id": str(person(api.ledger, owner=api.foundation)),
        "nominee_org_id": str(api.foundation),
        "nominating_body": "浦东新区民政局",
        "rationale": "长期扎根社区",
        "nominated_on": "2024-03-01",
    }
    head = api.ledger.head()
    answer = api.post("/designations", body, role="admin")
    refused(api, answer, 422, "invalid_input", "nominee_org_id", head)
