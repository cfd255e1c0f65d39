"""The public disclosure over HTTP: a foundation's page after a year's story, the lists and their
pagination and filters, and what never reaches the public (anything from the vault but a consenting
name, any subject id or commitment).

Writes go through the app's own ledger; the app's runner thread builds the views, and each test waits
for it to reach the log's head before reading.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.ledger import Ledger
from domain.money import Money
from storage.database import Database
from tests.api.conftest import ON_BOTH, Api, refused, settings_for
from tests.support import (
    DAY,
    PUDONG,
    award,
    donate,
    open_fund,
    person,
    register,
    relief_case,
)

CONSENTING = "测试捐赠人乙（虚构）"  # the one person whose name the public may see in these tests


def settled(api: Api) -> None:
    # TestClient types .app as a bare ASGI callable; ours is the FastAPI app, which has .state.
    runner = api.client.app.state.runner  # type: ignore[attr-defined]
    for view in ("disclosure", "indicators", "history"):
        assert runner.wait_for(view, api.ledger.head()), f"the {view} view did not catch up"


def get(api: Api, path: str, **params: Any) -> Any:
    answer = api.client.get(path, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def refused_read(
    api: Api, path: str, status: int, code: str, field: str | None, **params: Any
) -> None:
    head = api.ledger.head()
    answer = api.client.get(path, params=params)
    refused(api, answer, status, code, field, head)


def story(api: Api) -> dict[str, Any]:
    """A community foundation's year: donations named (an organisation, a consenting person) and
    anonymous, one reversed; a grant with an instalment; relief on the emergency fast path, one
    disbursement reversed; a pairing with an activity."""
    ledger, foundation = api.ledger, api.foundation
    company = register(
        ledger, name="某科技公司", roles=[], district="xuhui", subdistrict="徐家汇街道"
    )
    centre = register(ledger, name="花木睦邻中心", roles=["service_center"], subdistrict="花木街道")
    big = register(
        ledger,
        name="某大型基金会",
        roles=["foundation"],
        district="huangpu",
        subdistrict="外滩街道",
    )
    general = open_fund(ledger, foundation, name="社区发展基金")
    relief = open_fund(ledger, foundation, kind="emergency_relief", name="暖心基金")
    donor = person(ledger, name=CONSENTING, phone="13600001111")
    shy = person(ledger, name="测试捐赠人丙（虚构）", phone="13600002222")
    beneficiary = person(ledger, name="测试受助人丁（虚构）", id_card="11010519491231002X")
    donate(
        ledger,
        general,
        "5000",
        donor_kind="organization",
        donor_ref=str(company),
        publish_name=True,
    )
    named = donate(
        ledger, general, "800", donor_kind="person", donor_subject_id=donor, publish_name=True
    )
    donate(ledger, general, "150", donor_kind="person", donor_subject_id=shy)
    donate(ledger, general, "50")
    mistaken = donate(ledger, general, "300")
    ledger.reverse_donation(
        general, reversal_id=uuid4(), donation_id=mistaken, reason="重复入账", reversed_on=DAY
    )
    grant = award(ledger, general, centre, "3000")
    ledger.pay_instalment(grant, payment_id=uuid4(), amount=Money.yuan("1000"), paid_on=DAY)
    donate(ledger, relief, "2000")
    case = relief_case(ledger, relief, beneficiary, emergency=True)
    fast, mistake = uuid4(), uuid4()
    ledger.disburse_relief(
        case, disbursement_id=fast, amount=Money.yuan("600"), paid_on=date(2024, 3, 5)
    )
    ledger.disburse_relief(
        case, disbursement_id=mistake, amount=Money.yuan("100"), paid_on=date(2024, 3, 9)
    )
    ledger.reverse_disbursement(
        case,
        reversal_id=uuid4(),
        disbursement_id=mistake,
        reason="误付",
        reversed_on=date(2024, 3, 10),
    )
    pairing = uuid4()
    ledger.propose_pairing(
        pairing,
        kind="foundation_twinning",
        lead_id=big,
        partner_id=foundation,
        goals=["联合募捐"],
        planned_start=DAY,
        planned_end=date(2024, 12, 31),
        proposed_on=DAY,
    )
    settled(api)
    return {
        "general": general,
        "relief": relief,
        "named": named,
        "donor": donor,
        "shy": shy,
        "company": company,
        "centre": centre,
        "big": big,
        "grant": grant,
        "case": case,
        "fast": fast,
        "pairing": pairing,
        "beneficiary": beneficiary,
    }


@ON_BOTH
def test_the_foundation_page_after_a_story_shows_its_figures_and_names_only_consenting_donors(
    api: Api,
) -> None:
    s = story(api)
    page = get(api, f"/disclosure/foundations/{api.foundation}")
    assert page["organization"]["name"] == "陆家嘴社区基金会"
    funds = {f["name"]: f for f in page["funds"]}
    general = funds["社区发展基金"]
    assert (general["received"], general["anonymous"], general["reversed_in"]) == (
        "6300.00",
        "200.00",
        "300.00",
    )
    assert (general["reversed_out"], general["reversed"]) == ("0.00", "300.00")
    assert (general["granted"], general["paid"], general["balance"]) == (
        "3000.00",
        "1000.00",
        "5000.00",
    )
    assert general["balance"] == str(api.ledger.get_fund(s["general"]).balance.to_yuan())
    assert general["currency"] == "CNY"
    balances = sum(api.ledger.get_fund(s[f]).balance.fen for f in ("general", "relief"))
    assert page["figures"]["balance"] == str(Money(balances).to_yuan())
    assert page["figures"]["received"] == "8300.00"
    named = {(d["donor_kind"], d["donor_name"], d["amount"]) for d in page["named_donations"]}
    assert named == {("organization", "某科技公司", "5000.00"), ("person", CONSENTING, "800.00")}
    assert [g["title"] for g in page["grants"]] == ["楼组自治项目"]
    assert page["grants"][0]["recipient_name"] == "花木睦邻中心"
    assert (page["grants"][0]["awarded"], page["grants"][0]["paid"]) == ("3000.00", "1000.00")
    relief = {r["disbursement_id"]: r for r in page["relief"]}
    assert relief[str(s["fast"])]["before_approval"] is True
    assert relief[str(s["fast"])]["subdistrict"] == "陆家嘴街道"
    assert sorted(r["reversed"] for r in relief.values()) == [False, True]
    assert [(m["month"], m["total"], m["disbursements"]) for m in page["relief_monthly"]] == [
        ("2024-03", "600.00", 1)
    ]
    assert {(c["kind"], c["reason"]) for c in page["corrections"]} == {
        ("donation_reversed", "重复入账"),
        ("disbursement_reversed", "误付"),
    }
    assert all(c["organization_id"] == str(api.foundation) for c in page["corrections"])


def test_a_grants_public_row_says_what_the_community_said_the_recipients_report_and_the_outcome(
    api: Api,
) -> None:
    s = story(api)
    ledger, grant = api.ledger, s["grant"]
    before = get(api, "/disclosure/grants")["items"][0]
    assert {
        key: before[key] for key in ("rating", "feedback", "report", "outcome")
    } == dict.fromkeys(("rating", "feedback", "report", "outcome"))
    assert (before["feedback_on"], before["report_on"], before["ended_on"]) == (None, None, None)
    ledger.receive_grant_report(
        grant,
        command_id=uuid4(),
        summary="中期报告：已开展楼组议事12次",
        received_on=date(2024, 6, 1),
    )
    ledger.record_grant_feedback(
        grant,
        command_id=uuid4(),
        rating=4,
        summary="居民认为议事会解决了停车难题",
        recorded_on=date(2024, 9, 1),
    )
    ledger.receive_grant_report(
        grant, command_id=uuid4(), summary="结项报告：覆盖居民860户", received_on=date(2024, 11, 1)
    )
    ledger.close_grant(
        grant, command_id=uuid4(), outcome="项目完成，目标达成", closed_on=date(2024, 12, 1)
    )
    settled(api)
    row = get(api, "/disclosure/grants")["items"][0]
    assert (row["rating"], row["feedback"], row["feedback_on"]) == (
        4,
        "居民认为议事会解决了停车难题",
        "2024-09-01",
    )
    # The latest report is the one shown.
    assert (row["report"], row["report_on"]) == ("结项报告：覆盖居民860户", "2024-11-01")
    assert (row["status"], row["outcome"], row["ended_on"]) == (
        "closed",
        "项目完成，目标达成",
        "2024-12-01",
    )
    assert get(api, f"/disclosure/foundations/{api.foundation}")["grants"] == [row]
    event = ledger.recorder.select_notifications(row["last_leaf_index"] + 1, 1)[0]
    assert event.topic == "mingzhang/Grant.Closed"


def test_a_cancelled_grant_has_an_end_date_and_no_outcome(api: Api) -> None:
    s = story(api)
    api.ledger.cancel_grant(
        s["grant"], command_id=uuid4(), reason="受助方停止运营", cancelled_on=date(2024, 5, 1)
    )
    settled(api)
    row = get(api, "/disclosure/grants")["items"][0]
    assert (row["status"], row["outcome"], row["ended_on"]) == ("cancelled", None, "2024-05-01")


@pytest.fixture
def api_on_13_march(backend_database: Database, tmp_path: Path) -> Iterator[Api]:
    """The API with the ledger's date fixed (MINGZHANG_TODAY) the day after the story's emergency
    payment of 5 March had to be ratified (7 days)."""
    app = create_app(settings_for(backend_database, tmp_path, today=date(2024, 3, 13)))
    with TestClient(app) as client:
        ledger: Ledger = app.state.ledger
        foundation = register(ledger, name="陆家嘴社区基金会")
        found = Api(client, ledger, app.state.keys, foundation)
        found.headers = {"staff": found.bearer("staff", foundation)}
        yield found


def test_every_public_relief_row_says_if_it_was_paid_on_the_fast_path_and_is_ratified_or_overdue(
    api_on_13_march: Api,
) -> None:
    api = api_on_13_march
    s = story(api)
    normal = relief_case(api.ledger, s["relief"], s["beneficiary"])
    api.ledger.approve_relief_case(
        normal,
        command_id=uuid4(),
        amount=Money.yuan("300"),
        approvers=[uuid4(), uuid4()],
        approved_on=date(2024, 3, 11),
    )
    paid = uuid4()
    api.ledger.disburse_relief(
        normal, disbursement_id=paid, amount=Money.yuan("300"), paid_on=date(2024, 3, 11)
    )
    settled(api)

    def public() -> dict[str, tuple[bool, str | None, str]]:
        rows = get(api, "/disclosure/relief")["items"]
        return {
            r["disbursement_id"]: (r["before_approval"], r["ratify_by"], r["ratification"])
            for r in rows
        }

    fast, mistake = (
        str(s["fast"]),
        next(d for d in public() if d not in (str(s["fast"]), str(paid))),
    )
    assert public() == {
        fast: (True, "2024-03-12", "overdue"),
        mistake: (True, "2024-03-12", "reversed"),
        str(paid): (False, None, "not_required"),
    }
    ratified = api.post(
        f"/relief-cases/{s['case']}/ratify",
        {"approvers": [str(uuid4()), str(uuid4())], "ratified_on": "2024-03-13"},
        **{"Idempotency-Key": str(uuid4())},
    )
    assert ratified.status_code == 201, ratified.text
    settled(api)
    assert public()[fast] == (True, "2024-03-12", "ratified")
    page = get(api, f"/disclosure/foundations/{api.foundation}")
    assert {r["disbursement_id"]: r["ratification"] for r in page["relief"]} == {
        fast: "ratified",
        mistake: "reversed",
        str(paid): "not_required",
    }


def test_the_openapi_description_gives_the_balances_sum_and_deprecates_the_mixed_reversed(
    api: Api,
) -> None:
    figures = get(api, "/openapi.json")["components"]["schemas"]["Figures"]
    balance = figures["properties"]["balance"]["description"]
    sum_ = "received + transferred_in − paid − transferred_out − reversed_in + reversed_out"
    assert sum_ in balance
    assert f"balance = {sum_}" in " ".join(figures["description"].split())
    assert figures["properties"]["reversed"]["deprecated"] is True
    assert "subtracted" in figures["properties"]["reversed_in"]["description"]
    assert "added" in figures["properties"]["reversed_out"]["description"]


def test_each_row_names_its_leaf_so_the_page_can_link_an_inclusion_proof(api: Api) -> None:
    s = story(api)
    page = get(api, f"/disclosure/foundations/{api.foundation}")
    donation = next(d for d in page["named_donations"] if d["donation_id"] == str(s["named"]))
    event = api.ledger.recorder.select_notifications(donation["leaf_index"] + 1, 1)[0]
    assert event.originator_id == s["general"]
    assert event.topic == "mingzhang/Fund.DonationReceived"
    assert UUID(json.loads(event.state)["donation_id"]["_data_"]) == s["named"]
    general = next(f for f in page["funds"] if f["fund_id"] == str(s["general"]))
    assert general["last_leaf_index"] > general["leaf_index"]


def test_a_withdrawn_consent_or_an_erased_donor_takes_the_name_off_the_page(api: Api) -> None:
    s = story(api)
    api.ledger.withdraw_name_consent(
        s["general"], command_id=uuid4(), donation_id=s["named"], withdrawn_on=date(2024, 4, 1)
    )
    settled(api)
    page = get(api, f"/disclosure/foundations/{api.foundation}")
    assert [d["donor_name"] for d in page["named_donations"]] == ["某科技公司"]
    general = next(f for f in page["funds"] if f["fund_id"] == str(s["general"]))
    assert general["anonymous"] == "1000.00"

    other = person(api.ledger, owner=api.foundation, name="测试捐赠人戊（虚构）")
    donate(
        api.ledger,
        s["general"],
        "70",
        donor_kind="person",
        donor_subject_id=other,
        publish_name=True,
    )
    settled(api)
    names = [
        d["donor_name"]
        for d in get(api, f"/disclosure/foundations/{api.foundation}")["named_donations"]
    ]
    assert "测试捐赠人戊（虚构）" in names
    erased = api.client.delete(f"/personal-data/{other}", headers=api.headers["privacy_officer"])
    assert erased.status_code == 200
    names = [
        d["donor_name"]
        for d in get(api, f"/disclosure/foundations/{api.foundation}")["named_donations"]
    ]
    assert names == ["某科技公司"]


def test_a_donors_corrected_name_is_shown_at_once(api: Api) -> None:
    s = story(api)
    answer = api.client.put(
        f"/personal-data/{s['donor']}",
        json={"name": "测试捐赠人乙甲（虚构）"},
        headers=api.headers["privacy_officer"],
    )
    assert answer.status_code == 200
    names = [
        d["donor_name"]
        for d in get(api, f"/disclosure/foundations/{api.foundation}")["named_donations"]
    ]
    assert "测试捐赠人乙甲（虚构）" in names


def test_no_public_or_audit_answer_holds_personal_data_a_subject_id_or_a_commitment(
    api: Api,
) -> None:
    s = story(api)
    mentor = person(
        api.ledger, owner=api.foundation, name="测试导师己（虚构）", phone="13600003333"
    )
    api.ledger.start_mentor_link(
        uuid4(),
        mentor_kind="person",
        mentor_subject_id=mentor,
        role_label="资深社工",
        mentee_id=s["centre"],
        focus="财务管理",
        started_on=DAY,
    )
    nominee = person(api.ledger, owner=api.foundation, name="测试提名人庚（虚构）")
    api.ledger.nominate(
        uuid4(),
        kind="leader",
        year=2023,
        nominee_kind="person",
        nominee_subject_id=nominee,
        nominating_body="区民政局",
        rationale="长期服务",
        nominated_on=date(2023, 5, 1),
    )
    settled(api)
    auditor = api.headers["auditor"]
    bodies = [
        api.client.get(path).text
        for path in (
            "/disclosure/foundations",
            f"/disclosure/foundations/{api.foundation}",
            "/disclosure/funds",
            "/disclosure/grants",
            "/disclosure/relief",
            "/disclosure/relief/monthly",
            "/disclosure/pairings",
            f"/disclosure/pairings/{s['pairing']}/activities",
            "/disclosure/mentor-links",
            "/disclosure/designations",
            "/disclosure/corrections",
            "/disclosure/indicators",
        )
    ]
    bodies.append(api.client.get("/audit/events?limit=1000", headers=auditor).text)
    bodies.append(
        api.client.get(f"/audit/disclosure?position={api.ledger.head()}", headers=auditor).text
    )
    for aggregate in (s["general"], s["case"]):
        bodies.append(
            api.client.get(f"/audit/aggregates/{aggregate}/history", headers=auditor).text
        )
        bodies.append(
            api.client.get(f"/audit/aggregates/{aggregate}?version=1", headers=auditor).text
        )
    assert all('"error"' not in body for body in bodies)
    secrets = {
        "测试捐赠人丙（虚构）",
        "13600001111",
        "13600002222",
        "测试受助人丁（虚构）",
        "11010519491231002X",
        "测试导师己（虚构）",
        "13600003333",
        "测试提名人庚（虚构）",
    }
    subjects = {s["donor"], s["shy"], s["beneficiary"], mentor, nominee}
    secrets |= {str(subject) for subject in subjects} | {subject.hex for subject in subjects}
    commitments = {
        value
        for event in api.ledger.recorder.select_notifications(1, 10_000)
        for key, value in json.loads(event.state).items()
        if "commitment" in key and value
    }
    assert len(commitments) == 6  # five people's, and the case's reason
    for body in bodies:
        for secret in secrets | commitments:
            assert secret not in body, secret
            assert json.dumps(secret)[1:-1] not in body, secret  # nor JSON-escaped


def test_a_person_mentor_is_named_only_with_consent_and_otherwise_by_role_label(api: Api) -> None:
    s = story(api)
    named, unnamed = (
        person(api.ledger, owner=api.foundation, name="测试导师辛（虚构）"),
        person(api.ledger, owner=api.foundation, name="测试导师壬（虚构）"),
    )
    api.ledger.start_mentor_link(
        uuid4(),
        mentor_kind="person",
        mentor_subject_id=named,
        role_label="资深社工",
        publish_name=True,
        mentee_id=s["centre"],
        focus="财务管理",
        started_on=DAY,
    )
    api.ledger.start_mentor_link(
        uuid4(),
        mentor_kind="person",
        mentor_subject_id=unnamed,
        role_label="退休会计",
        mentee_id=s["centre"],
        focus="账务",
        started_on=date(2024, 3, 2),
    )
    api.ledger.start_mentor_link(
        uuid4(),
        mentor_kind="organization",
        mentor_org_id=s["big"],
        mentee_id=s["centre"],
        focus="筹款",
        started_on=date(2024, 3, 3),
    )
    settled(api)
    links = get(api, "/disclosure/mentor-links")["items"]
    assert [(m["mentor_name"], m["role_label"], m["mentee_name"]) for m in links] == [
        ("测试导师辛（虚构）", "资深社工", "花木睦邻中心"),
        (None, "退休会计", "花木睦邻中心"),
        ("某大型基金会", None, "花木睦邻中心"),
    ]
    assert all("mentor_ref" not in m for m in links)


def test_pairings_list_their_parties_and_activities(api: Api) -> None:
    s = story(api)
    pairing = get(api, "/disclosure/pairings")["items"][0]
    assert (pairing["lead_name"], pairing["partner_name"], pairing["goals"]) == (
        "某大型基金会",
        "陆家嘴社区基金会",
        ["联合募捐"],
    )
    assert get(api, f"/disclosure/pairings/{s['pairing']}/activities") == {
        "items": [],
        "next_cursor": None,
    }
    refused_read(
        api, f"/disclosure/pairings/{uuid4()}/activities", 404, "unknown_pairing", "pairing_id"
    )


def collect(api: Api, path: str, limit: int, **params: Any) -> tuple[list[Any], int]:
    rows, cursor, pages = [], None, 0
    while True:
        answer = get(api, path, limit=limit, **params, **({"cursor": cursor} if cursor else {}))
        rows.extend(answer["items"])
        pages += 1
        if (cursor := answer["next_cursor"]) is None:
            return rows, pages


def test_pagination_walks_every_row_exactly_once_in_a_stable_order(api: Api) -> None:
    funds = [
        open_fund(api.ledger, api.foundation, name=f"基金{i}", opened_on=date(2020, 1, 1 + i % 3))
        for i in range(7)
    ]
    settled(api)
    rows, pages = collect(api, "/disclosure/funds", 2)
    assert pages == 4
    assert sorted(r["fund_id"] for r in rows) == sorted(str(f) for f in funds)
    keys = [(r["opened_on"], r["fund_id"]) for r in rows]
    assert keys == sorted(keys)
    assert len(set(keys)) == 7
    assert collect(api, "/disclosure/funds", 500)[0] == rows  # the same order in one page


def test_a_row_added_while_walking_does_not_repeat_or_skip_a_row_already_listed(api: Api) -> None:
    for i in range(4):
        open_fund(api.ledger, api.foundation, name=f"基金{i}", opened_on=date(2020, 1, 10))
    settled(api)
    first = get(api, "/disclosure/funds", limit=2)
    open_fund(api.ledger, api.foundation, name="新基金", opened_on=date(2020, 1, 1))  # sorts first
    settled(api)
    rest = get(api, "/disclosure/funds", limit=10, cursor=first["next_cursor"])
    seen = [r["fund_id"] for r in first["items"] + rest["items"]]
    assert len(seen) == len(set(seen)) == 4


def test_foundations_list_only_fund_holders_with_their_summed_figures_and_walks_by_page(
    api: Api,
) -> None:
    others = [
        register(api.ledger, name=f"测试社区基金会{i}", subdistrict=PUDONG[i]) for i in range(4)
    ]
    register(api.ledger, name="某睦邻中心", roles=["service_center"])
    donate(api.ledger, open_fund(api.ledger, others[0]), "12.30")
    donate(api.ledger, open_fund(api.ledger, others[0]), "0.70")
    settled(api)
    rows, pages = collect(api, "/disclosure/foundations", 2)
    assert pages == 3
    assert {r["organization_id"] for r in rows} == {str(api.foundation), *map(str, others)}
    summed = next(r for r in rows if r["organization_id"] == str(others[0]))
    assert (summed["funds"], summed["figures"]["received"], summed["figures"]["currency"]) == (
        2,
        "13.00",
        "CNY",
    )


def test_lists_filter_by_district_foundation_and_year(api: Api) -> None:
    s = story(api)
    elsewhere = register(
        api.ledger, name="徐汇某社区基金会", district="xuhui", subdistrict="徐家汇街道"
    )
    other_fund = open_fund(api.ledger, elsewhere, opened_on=date(2023, 6, 1))
    settled(api)
    by_district = get(api, "/disclosure/funds", district="xuhui")["items"]
    assert [f["fund_id"] for f in by_district] == [str(other_fund)]
    by_foundation = get(api, "/disclosure/funds", foundation_id=str(api.foundation))["items"]
    assert {f["fund_id"] for f in by_foundation} == {str(s["general"]), str(s["relief"])}
    assert [f["fund_id"] for f in get(api, "/disclosure/funds", year=2023)["items"]] == [
        str(other_fund)
    ]
    assert get(api, "/disclosure/relief", year=2023)["items"] == []
    assert len(get(api, "/disclosure/relief", year=2024, district="pudong")["items"]) == 2
    assert get(api, "/disclosure/grants", district="xuhui")["items"] == []
    assert len(get(api, "/disclosure/corrections", foundation_id=str(api.foundation))["items"]) == 2
    assert get(api, "/disclosure/corrections", district="xuhui")["items"] == []
    assert len(get(api, "/disclosure/relief/monthly", year=2024)["items"]) == 1
    assert [f["name"] for f in get(api, "/disclosure/foundations", district="xuhui")["items"]] == [
        "徐汇某社区基金会"
    ]
    assert len(get(api, "/disclosure/pairings", organization_id=str(api.foundation))["items"]) == 1


def test_grants_filter_by_their_recipient_page_by_page(api: Api) -> None:
    s = story(api)
    other = register(
        api.ledger, name="洋泾睦邻中心", roles=["service_center"], subdistrict="洋泾街道"
    )
    for day in (2, 3, 4):
        award(api.ledger, s["general"], s["centre"], "100", awarded_on=date(2024, 3, day))
    elsewhere = award(api.ledger, s["general"], other, "100")
    settled(api)
    centre = str(s["centre"])
    assert len(get(api, "/disclosure/grants")["items"]) == 5
    walked, cursor = [], None
    while True:
        params = {"recipient_id": centre, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = get(api, "/disclosure/grants", **params)
        walked += page["items"]
        if (cursor := page["next_cursor"]) is None:
            break
    assert len(walked) == 4
    assert {g["recipient_id"] for g in walked} == {centre}
    assert [g["awarded_on"] for g in walked] == sorted(g["awarded_on"] for g in walked)
    only = get(
        api, "/disclosure/grants", recipient_id=str(other), foundation_id=str(api.foundation)
    )
    assert [g["grant_id"] for g in only["items"]] == [str(elsewhere)]
    assert get(api, "/disclosure/grants", recipient_id=str(uuid4()))["items"] == []
    assert get(api, "/disclosure/grants", recipient_id=centre, year=2023)["items"] == []


def test_a_malformed_recipient_id_is_a_422_naming_recipient_id(api: Api) -> None:
    refused_read(api, "/disclosure/grants", 422, "invalid_id", "recipient_id", recipient_id="x")


@pytest.mark.parametrize("limit", ["0", "501", "-1", "ten"])
def test_a_limit_outside_1_to_500_is_a_422_naming_limit(api: Api, limit: str) -> None:
    refused_read(api, "/disclosure/funds", 422, "invalid_input", "limit", limit=limit)


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "abc",
        b64("not json"),
        b64("[]"),
        b64('["2020-01-01"]'),
        b64("[1, 2]"),
        b64('["2020-01-01", 7]'),
        b64('{"a": 1}'),
        b64(json.dumps(["x", "y", "z"])),
    ],
)
def test_a_cursor_this_list_did_not_give_is_a_422_naming_cursor(api: Api, cursor: str) -> None:
    refused_read(api, "/disclosure/funds", 422, "invalid_input", "cursor", cursor=cursor)


def test_a_cursor_with_a_huge_number_is_a_422_not_a_database_error(api: Api) -> None:
    refused_read(
        api, "/disclosure/corrections", 422, "invalid_input", "cursor", cursor=b64("[1e400]")
    )
    refused_read(
        api, "/disclosure/corrections", 422, "invalid_input", "cursor", cursor=b64(str([10**30]))
    )


@pytest.mark.parametrize(
    "path",
    [
        "/disclosure/foundations",
        "/disclosure/funds",
        "/disclosure/grants",
        "/disclosure/relief",
        "/disclosure/relief/monthly",
        "/disclosure/pairings",
        "/disclosure/mentor-links",
        "/disclosure/designations",
        "/disclosure/corrections",
        "/disclosure/indicators",
    ],
)
def test_a_district_not_among_shanghais_16_is_a_422_naming_district(api: Api, path: str) -> None:
    refused_read(api, path, 422, "unknown_district", "district", district="gotham")


def test_a_year_out_of_range_is_a_422_naming_year(api: Api) -> None:
    refused_read(api, "/disclosure/grants", 422, "invalid_input", "year", year="99999")


def test_an_unknown_foundation_is_a_404_and_a_malformed_id_a_422(api: Api) -> None:
    refused_read(
        api, f"/disclosure/foundations/{uuid4()}", 404, "unknown_foundation", "foundation_id"
    )
    refused_read(api, "/disclosure/foundations/not-a-uuid", 422, "invalid_id", "foundation_id")
    centre = register(api.ledger, name="某睦邻中心", roles=["service_center"])
    refused_read(
        api, f"/disclosure/foundations/{centre}", 404, "unknown_foundation", "foundation_id"
    )


def test_after_waits_for_a_write_and_a_position_beyond_the_head_is_a_422(api: Api) -> None:
    open_fund(api.ledger, api.foundation, name="刚开的基金")
    names = [f["name"] for f in get(api, "/disclosure/funds", after=api.ledger.head())["items"]]
    assert "刚开的基金" in names
    refused_read(
        api, "/disclosure/funds", 422, "invalid_input", "after", after=api.ledger.head() + 1
    )


def test_indicators_give_the_plans_figures_citywide_and_per_district(api: Api) -> None:
    story(api)
    register(api.ledger, name="徐汇某社区基金会", district="xuhui", subdistrict="徐家汇街道")
    settled(api)
    city = get(api, "/disclosure/indicators")
    assert city["district"] is None
    assert city["community_foundations_with_relief_fund"] == {
        "count": 1,
        "total": 2,
        "percent": 50.0,
    }
    assert city["designations_expected"] == [3, 5]
    pudong = get(api, "/disclosure/indicators", district="pudong")
    assert pudong["community_foundations_with_relief_fund"]["percent"] == 100.0
    xuhui = get(api, "/disclosure/indicators", district="xuhui")
    assert xuhui["community_foundations_with_relief_fund"]["count"] == 0
    assert {
        (p["kind"], p["status"])
        for p in get(api, "/disclosure/indicators", district="huangpu")["pairings"]
    } == {("foundation_twinning", "proposed")}


def test_public_reads_need_no_key(api: Api) -> None:
    assert api.client.get("/disclosure/funds").status_code == 200


def test_a_foundation_page_asked_again_is_answered_from_the_kept_json_with_the_same_body(
    api: Api,
) -> None:
    story(api)
    settled(api)
    pages = api.client.app.state.page_cache  # type: ignore[attr-defined]
    path = f"/disclosure/foundations/{api.foundation}"
    first = api.client.get(path)
    hits = pages.hits
    again = api.client.get(path)
    assert pages.hits == hits + 1
    assert again.content == first.content
    assert [d["donor_name"] for d in again.json()["named_donations"]] == [
        d["donor_name"] for d in first.json()["named_donations"]
    ]
    assert again.json()["named_donations"], "the story names a donor: the list must be filled"
