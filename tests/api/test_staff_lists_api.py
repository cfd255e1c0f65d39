"""Staff find their own records over HTTP: `GET /funds`, `/grants`, `/relief-cases`, `/pairings` and
`/mentor-links` list the key's foundation's (an auditor's key: every foundation's, or one asked for),
the admin and auditors list `/organizations` and `/designations`, and `GET /keys/me` says who a key is.

Each list is checked for its scope (staff see only their foundation's, and asking for another's is a
403), its filters (`status`, `year`, and the registry's role, district, rural, type and tier), a bad
filter value as a 422 naming it, and a page walk that meets every row once.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.pairing.mentoring import LinkStart
from tests.api.conftest import ON_BOTH, Api, refused
from tests.api.test_disclosure_api import collect, settled
from tests.support import DAY, award, donate, open_fund, person, register, relief_case
from tests.unit.test_relief import APPROVERS, yuan

ID_CARD = "11010519491231002X"


def read(api: Api, path: str, holder: str = "staff", **params: Any) -> Any:
    """A list as the key of `holder` (a role, or a key the test added) reads it."""
    answer = api.client.get(path, params=params, headers=api.headers[holder])
    assert answer.status_code == 200, answer.text
    return answer.json()


def ids(api: Api, path: str, key: str, holder: str = "staff", **params: Any) -> set[str]:
    return {row[key] for row in read(api, path, holder, limit=500, **params)["items"]}


def other_foundation(api: Api) -> UUID:
    """A second community foundation, with a staff key of its own in `api.headers["other"]`."""
    other = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    api.headers["other"] = api.bearer("staff", other)
    return other


def emergency_paid(api: Api, fund_id: UUID, paid_on: date) -> UUID:
    """An emergency case paid before approval on `paid_on` (its deadline 7 days later)."""
    case_id = relief_case(
        api.ledger,
        fund_id,
        person(api.ledger, owner=api.foundation, id_card=ID_CARD),
        emergency=True,
        opened_on=paid_on,
    )
    api.ledger.disburse_relief(
        case_id, disbursement_id=uuid4(), amount=yuan("500"), paid_on=paid_on
    )
    return case_id


# --- funds, grants, relief cases ---------------------------------------------------------------------


@ON_BOTH
def test_staff_list_only_their_foundations_funds_and_an_auditor_lists_every_foundations(
    api: Api,
) -> None:
    other = other_foundation(api)
    mine = {str(open_fund(api.ledger, api.foundation, name=f"基金{i}")) for i in range(3)}
    theirs = str(open_fund(api.ledger, other, name="花木基金"))
    settled(api)
    assert ids(api, "/funds", "fund_id") == mine
    assert ids(api, "/funds", "fund_id", "other") == {theirs}
    assert ids(api, "/funds", "fund_id", "auditor") == mine | {theirs}
    assert ids(api, "/funds", "fund_id", "auditor", foundation_id=str(other)) == {theirs}
    assert ids(api, "/funds", "fund_id", foundation_id=str(api.foundation)) == mine


def test_a_staff_key_asking_for_another_foundations_list_is_a_403(api: Api) -> None:
    other = other_foundation(api)
    for path in ("/funds", "/grants", "/relief-cases", "/relief-cases/awaiting-ratification"):
        answer = api.client.get(path, params={"foundation_id": str(other)}, headers=api.staff)
        refused(api, answer, 403, "wrong_foundation", "foundation_id")
    for path in ("/pairings", "/mentor-links"):
        answer = api.client.get(path, params={"organization_id": str(other)}, headers=api.staff)
        refused(api, answer, 403, "wrong_foundation", "organization_id")


@ON_BOTH
def test_funds_filter_by_status_and_by_the_year_they_were_opened(api: Api) -> None:
    old = open_fund(api.ledger, api.foundation, opened_on=date(2020, 5, 1))
    new = open_fund(api.ledger, api.foundation, opened_on=date(2023, 5, 1))
    api.ledger.close_fund(old, command_id=uuid4(), closed_on=date(2023, 6, 1), reason="基金到期")
    settled(api)
    assert ids(api, "/funds", "fund_id", status="closed") == {str(old)}
    assert ids(api, "/funds", "fund_id", status="open") == {str(new)}
    assert ids(api, "/funds", "fund_id", year=2023) == {str(new)}
    assert ids(api, "/funds", "fund_id", year=2021) == set()


@ON_BOTH
def test_grants_list_the_foundations_awards_filtered_by_status_and_award_year(api: Api) -> None:
    other = other_foundation(api)
    recipient = register(api.ledger, name="花木睦邻中心", roles=["service_center"])
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "10000")
    early = award(api.ledger, fund, recipient, "1000", awarded_on=date(2023, 3, 1))
    late = award(api.ledger, fund, recipient, "1000")
    api.ledger.cancel_grant(early, command_id=uuid4(), reason="项目取消", cancelled_on=DAY)
    their_fund = open_fund(api.ledger, other)
    donate(api.ledger, their_fund, "10000")
    theirs = award(api.ledger, their_fund, recipient, "500")
    settled(api)
    assert ids(api, "/grants", "grant_id") == {str(early), str(late)}
    assert ids(api, "/grants", "grant_id", "other") == {str(theirs)}
    assert ids(api, "/grants", "grant_id", status="cancelled") == {str(early)}
    assert ids(api, "/grants", "grant_id", status="active", year=2024) == {str(late)}
    assert ids(api, "/grants", "grant_id", year=2023) == {str(early)}
    assert len(ids(api, "/grants", "grant_id", "auditor")) == 3


@ON_BOTH
def test_relief_cases_list_status_and_what_was_paid_but_never_the_beneficiary(api: Api) -> None:
    other = other_foundation(api)
    fund = open_fund(api.ledger, api.foundation, kind="emergency_relief")
    donate(api.ledger, fund, "10000")
    name, phone = "测试受助人戊（虚构）", "13900003333"
    waiting = relief_case(
        api.ledger, fund, person(api.ledger, owner=api.foundation, name=name, phone=phone)
    )
    approved = relief_case(
        api.ledger, fund, person(api.ledger, owner=api.foundation), opened_on=date(2024, 3, 2)
    )
    api.ledger.approve_relief_case(
        approved,
        command_id=uuid4(),
        amount=yuan("2000"),
        approvers=APPROVERS,
        approved_on=date(2024, 3, 2),
    )
    api.ledger.disburse_relief(
        approved, disbursement_id=uuid4(), amount=yuan("1500"), paid_on=date(2024, 3, 2)
    )
    their_fund = open_fund(api.ledger, other, kind="emergency_relief")
    donate(api.ledger, their_fund, "1000")
    theirs = relief_case(api.ledger, their_fund, person(api.ledger, owner=api.foundation))
    settled(api)
    answer = api.client.get("/relief-cases", headers=api.staff)
    assert answer.status_code == 200
    rows = {row["case_id"]: row for row in answer.json()["items"]}
    assert set(rows) == {str(waiting), str(approved)}
    assert rows[str(approved)]["status"] == "approved"
    assert rows[str(approved)]["paid"] == "1500.00"
    assert rows[str(waiting)]["status"] == "open"
    for secret in (name, phone, "beneficiary"):
        assert secret not in answer.text
    assert ids(api, "/relief-cases", "case_id", status="approved") == {str(approved)}
    assert ids(api, "/relief-cases", "case_id", "other") == {str(theirs)}
    assert ids(api, "/relief-cases", "case_id", "auditor", year=2024) == {
        str(waiting),
        str(approved),
        str(theirs),
    }


# --- pairings and mentor links: the lists of the parties ---------------------------------------------


@ON_BOTH
def test_pairings_and_mentor_links_list_those_the_foundation_is_party_to(api: Api) -> None:
    big = register(api.ledger, name="某大型基金会", roles=["foundation"], district="huangpu")
    api.headers["big"] = api.bearer("staff", big)
    other = other_foundation(api)
    pairing = uuid4()
    api.ledger.propose_pairing(
        pairing,
        kind="foundation_twinning",
        lead_id=big,
        partner_id=api.foundation,
        goals=["联合募捐"],
        planned_start=DAY,
        planned_end=date(2024, 12, 31),
        proposed_on=DAY,
    )
    elsewhere = uuid4()
    api.ledger.propose_pairing(
        elsewhere,
        kind="foundation_twinning",
        lead_id=big,
        partner_id=other,
        goals=["联合募捐"],
        planned_start=DAY,
        planned_end=date(2024, 12, 31),
        proposed_on=date(2023, 3, 1),
    )
    link = uuid4()
    api.ledger.start_mentor_link(
        link,
        mentor_kind="organization",
        mentor_org_id=big,
        mentee_id=api.foundation,
        focus="财务管理",
        started_on=DAY,
    )
    settled(api)
    assert ids(api, "/pairings", "pairing_id") == {str(pairing)}
    assert ids(api, "/pairings", "pairing_id", "other") == {str(elsewhere)}
    assert ids(api, "/pairings", "pairing_id", "big") == {str(pairing), str(elsewhere)}
    assert ids(api, "/pairings", "pairing_id", "big", year=2023) == {str(elsewhere)}
    assert ids(api, "/pairings", "pairing_id", status="proposed") == {str(pairing)}
    assert ids(api, "/pairings", "pairing_id", status="active") == set()
    assert ids(api, "/pairings", "pairing_id", "auditor", organization_id=str(other)) == {
        str(elsewhere)
    }
    assert ids(api, "/mentor-links", "link_id") == {str(link)}
    assert ids(api, "/mentor-links", "link_id", "big") == {str(link)}
    assert ids(api, "/mentor-links", "link_id", "other") == set()
    api.ledger.end_mentor_link(link, command_id=uuid4(), outcome="带教完成", ended_on=DAY)
    settled(api)
    assert ids(api, "/mentor-links", "link_id", status="ended") == {str(link)}
    assert ids(api, "/mentor-links", "link_id", status="active") == set()


# --- the admin's lists -------------------------------------------------------------------------------


@ON_BOTH
def test_the_admin_lists_the_registry_filtered_by_role_district_rural_type_and_tier(
    api: Api,
) -> None:
    centre = register(
        api.ledger,
        name="金山睦邻中心",
        roles=["service_center"],
        district="jinshan",
        subdistrict="朱泾镇",
        rural=True,
        type="life_services",
        tier="activity_team",
    )
    settled(api)
    every = ids(api, "/organizations", "organization_id", "admin")
    assert every == {str(api.foundation), str(centre)}
    assert ids(api, "/organizations", "organization_id", "auditor") == every
    for params in (
        {"role": "service_center"},
        {"district": "jinshan"},
        {"rural": "true"},
        {"type": "life_services"},
        {"tier": "activity_team"},
    ):
        assert ids(api, "/organizations", "organization_id", "admin", **params) == {str(centre)}
    assert ids(api, "/organizations", "organization_id", "admin", rural="false") == {
        str(api.foundation)
    }
    assert ids(api, "/organizations", "organization_id", "admin", role="community_foundation") == {
        str(api.foundation)
    }


@ON_BOTH
def test_the_admin_lists_designations_by_status_and_year(api: Api) -> None:
    chosen, waiting = uuid4(), uuid4()
    for designation_id, year in ((chosen, 2024), (waiting, 2023)):
        api.ledger.nominate(
            designation_id,
            kind="observation_point",
            year=year,
            nominee_kind="foundation",
            nominee_org_id=api.foundation,
            nominating_body="浦东新区民政局",
            rationale="社区基金会治理规范",
            nominated_on=DAY,
        )
    api.ledger.select_designation(
        chosen, command_id=uuid4(), selected_on=DAY, selecting_body="市民政局"
    )
    settled(api)
    assert ids(api, "/designations", "designation_id", "admin") == {str(chosen), str(waiting)}
    assert ids(api, "/designations", "designation_id", "admin", status="selected") == {str(chosen)}
    assert ids(api, "/designations", "designation_id", "auditor", year=2023) == {str(waiting)}


# --- bad filters, pages ------------------------------------------------------------------------------

BAD_FILTERS = [
    ("/funds", "staff", "status", "gone"),
    ("/funds", "staff", "year", "1800"),
    ("/grants", "staff", "status", "paid"),
    ("/grants", "staff", "year", "twenty"),
    ("/relief-cases", "staff", "status", "ratified"),
    ("/pairings", "staff", "status", "ended"),
    ("/mentor-links", "staff", "status", "concluded"),
    ("/funds", "auditor", "foundation_id", "not-a-uuid"),
    ("/organizations", "admin", "rural", "yes"),
    ("/organizations", "admin", "role", "bank"),
    ("/organizations", "admin", "type", "charity_shop"),
    ("/organizations", "admin", "tier", "gold"),
    ("/designations", "admin", "status", "chosen"),
    ("/designations", "admin", "year", "1999"),
]


@pytest.mark.parametrize(("path", "role", "name", "value"), BAD_FILTERS)
def test_a_filter_value_a_list_does_not_know_is_a_422_naming_it(
    api: Api, path: str, role: str, name: str, value: str
) -> None:
    answer = api.client.get(path, params={name: value}, headers=api.headers[role])
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == name
    assert name in answer.json()["error"]["message"]


def test_an_unknown_district_in_the_registry_list_is_a_422_naming_district(api: Api) -> None:
    answer = api.client.get("/organizations", params={"district": "atlantis"}, headers=api.admin)
    refused(api, answer, 422, "unknown_district", "district")


def staff_collect(api: Api, path: str, limit: int, holder: str = "staff") -> list[Any]:
    rows, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        answer = read(api, path, holder, **params)
        rows.extend(answer["items"])
        if (cursor := answer["next_cursor"]) is None:
            return rows


def test_walking_a_staff_list_page_by_page_meets_every_row_once(api: Api) -> None:
    funds = [
        open_fund(api.ledger, api.foundation, name=f"基金{i}", opened_on=date(2020, 1, 1 + i % 3))
        for i in range(7)
    ]
    for i in range(5):
        register(api.ledger, name=f"睦邻中心{i}", roles=["service_center"])
    settled(api)
    rows = staff_collect(api, "/funds", 2)
    assert sorted(r["fund_id"] for r in rows) == sorted(str(f) for f in funds)
    keys = [(r["opened_on"], r["fund_id"]) for r in rows]
    assert keys == sorted(keys)
    assert staff_collect(api, "/funds", 500) == rows
    organizations = staff_collect(api, "/organizations", 2, "admin")
    assert len({r["organization_id"] for r in organizations}) == len(organizations) == 6
    assert collect(api, "/disclosure/funds", 3)[0] == rows  # the public list, the same rows


def test_a_cursor_a_staff_list_did_not_give_is_a_422_naming_cursor(api: Api) -> None:
    answer = api.client.get("/funds", params={"cursor": "bm90IGEgY3Vyc29y"}, headers=api.staff)
    refused(api, answer, 422, "invalid_input", "cursor")


# --- who a key is; the recipient of a grant ----------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "staff", "auditor", "privacy_officer"])
def test_a_key_says_who_it_is_but_never_its_secret(api: Api, role: str) -> None:
    answer = api.client.get("/keys/me", headers=api.headers[role])
    assert answer.status_code == 200, answer.text
    me = answer.json()
    token = api.headers[role]["Authorization"].removeprefix("Bearer ")
    assert token.split("_")[1] == me["key_id"]
    assert me["role"] == role
    assert me["foundation_id"] == (str(api.foundation) if role == "staff" else None)
    assert token.split("_", 2)[2] not in answer.text
    assert "token" not in me


def test_a_revoked_key_cannot_ask_who_it_is(api: Api) -> None:
    key, token = api.keys.create("auditor")
    api.keys.revoke(key.key_id)
    answer = api.client.get("/keys/me", headers={"Authorization": f"Bearer {token}"})
    refused(api, answer, 401, "invalid_key", "Authorization")


def test_the_recipient_of_a_grant_may_read_it_but_not_write_it(api: Api) -> None:
    recipient = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    api.headers["recipient"] = api.bearer("staff", recipient)
    stranger = register(api.ledger, name="塘桥社区基金会", subdistrict="塘桥街道")
    api.headers["stranger"] = api.bearer("staff", stranger)
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "5000")
    grant = award(api.ledger, fund, recipient, "1000")
    answer = api.client.get(f"/grants/{grant}", headers=api.headers["recipient"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["recipient_id"] == str(recipient)
    refused(
        api,
        api.client.get(f"/grants/{grant}", headers=api.headers["stranger"]),
        403,
        "wrong_foundation",
        None,
    )
    head = api.ledger.head()
    body = {
        "payment_id": str(uuid4()),
        "amount": "100.00",
        "currency": "CNY",
        "paid_on": "2024-03-02",
    }
    paid = api.post(f"/grants/{grant}/payments", body, role="recipient")
    refused(api, paid, 403, "wrong_foundation", None, head)


def test_no_staff_or_admin_list_shows_a_person_their_subject_id_or_reference(api: Api) -> None:
    name, phone = "测试导师辛（虚构）", "13600005555"
    mentor = person(api.ledger, owner=api.foundation, name=name, phone=phone)
    link = uuid4()
    api.ledger.start_mentor_link(
        link,
        mentor_kind="person",
        mentor_subject_id=mentor,
        role_label="资深社工",
        mentee_id=api.foundation,
        focus="财务管理",
        started_on=DAY,
    )
    nominee = person(api.ledger, owner=api.foundation, name="测试提名人壬（虚构）")
    api.ledger.nominate(
        uuid4(),
        kind="leader",
        year=2024,
        nominee_kind="person",
        nominee_subject_id=nominee,
        nominating_body="浦东新区民政局",
        rationale="长期服务社区",
        nominated_on=DAY,
    )
    settled(api)
    applied = api.ledger.applied(link)
    assert applied is not None
    start = applied.record
    assert isinstance(start, LinkStart)
    references = {str(start.mentor_ref), str(mentor), str(nominee)}
    answers = [
        api.client.get("/mentor-links", headers=api.staff),
        api.client.get("/mentor-links", headers=api.headers["auditor"]),
        api.client.get("/designations", headers=api.admin),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        for secret in (name, phone, "测试提名人壬（虚构）", *references):
            assert secret not in answer.text
    (row,) = answers[0].json()["items"]
    assert row["mentor_name"] is None
    assert row["role_label"] == "资深社工"
