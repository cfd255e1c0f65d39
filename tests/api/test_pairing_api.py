"""Pairings (结对) over HTTP: the story from proposal to conclusion, each rule of the domain with its
status, and who may write: staff of a foundation that is a party, and no one else.

Every refusal is checked for its status, its stable body `{"error": {"code", "message", "field"}}`, and
that the log did not move.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.money import Money
from tests.api.conftest import ON_BOTH, Api, new_id, refused
from tests.support import donate, open_fund, register


def large_foundation(api: Api) -> UUID:
    return register(
        api.ledger,
        name="上海市慈善基金会",
        roles=["foundation"],
        district="jingan",
        subdistrict="南京西路街道",
    )


def proposal(lead: UUID, partner: UUID, **overrides: Any) -> dict[str, Any]:
    return {
        "pairing_id": new_id(),
        "kind": "foundation_twinning",
        "lead_id": str(lead),
        "partner_id": str(partner),
        "goals": ["建立项目管理制度", "培训社工 3 名"],
        "planned_start": "2024-03-01",
        "planned_end": "2024-12-31",
        "proposed_on": "2024-02-20",
        **overrides,
    }


class Twinning:
    """A foundation twinning: a large foundation leads, the api's community foundation is partner."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.lead = large_foundation(api)
        self.lead_staff = api.bearer("staff", self.lead)
        self.body = proposal(self.lead, api.foundation)
        self.id = self.body["pairing_id"]

    def propose(self) -> Any:
        answer = self.api.post("/pairings", self.body)
        assert answer.status_code == 201, answer.text
        return answer

    def confirm_both(self) -> None:
        for headers in (self.api.staff, self.lead_staff):
            answer = self.api.client.post(
                f"/pairings/{self.id}/confirm",
                json={"confirmed_on": "2024-02-25"},
                headers=headers,
            )
            assert answer.status_code == 201, answer.text

    def active(self) -> Twinning:
        self.propose()
        self.confirm_both()
        return self


def activity(**overrides: Any) -> dict[str, Any]:
    return {
        "activity_id": new_id(),
        "kind": "training",
        "held_on": "2024-04-10",
        "summary": "项目管理培训，半天",
        **overrides,
    }


@ON_BOTH
def test_a_proposal_answers_201_with_the_pairing_and_a_repeat_answers_200_writing_nothing(
    api: Api,
) -> None:
    pairing = Twinning(api)
    first = pairing.propose()
    result = first.json()
    assert result["pairing_id"] == pairing.id
    assert result["status"] == "proposed"
    assert result["goals"] == ["建立项目管理制度", "培训社工 3 名"]
    assert result["confirmed_by"] == []
    assert result["position"] == api.ledger.head()
    assert first.headers["ETag"] == f'"{result["version"]}"'
    head = api.ledger.head()
    again = api.post("/pairings", pairing.body)
    assert again.status_code == 200
    assert again.json()["pairing_id"] == pairing.id
    assert api.ledger.head() == head
    other = api.post("/pairings", {**pairing.body, "goals": ["另一个目标"]})
    refused(api, other, 409, "duplicate_command", "pairing_id", head)


def test_the_whole_story_proposed_confirmed_by_both_active_evaluated_and_concluded(
    api: Api,
) -> None:
    pairing = Twinning(api)
    pairing.propose()
    confirmed = api.post(f"/pairings/{pairing.id}/confirm", {"confirmed_on": "2024-02-25"})
    assert confirmed.status_code == 201
    assert confirmed.json()["pairing"]["status"] == "proposed"
    assert confirmed.json()["pairing"]["confirmed_by"] == [str(api.foundation)]
    second = api.client.post(
        f"/pairings/{pairing.id}/confirm",
        json={"party_id": str(pairing.lead), "confirmed_on": "2024-02-26"},
        headers=pairing.lead_staff,
    )
    assert second.status_code == 201
    assert second.json()["pairing"]["status"] == "active"
    body = activity()
    recorded = api.post(f"/pairings/{pairing.id}/activities", body)
    assert recorded.status_code == 201
    assert recorded.json()["id"] == body["activity_id"]
    assert api.post(f"/pairings/{pairing.id}/activities", body).status_code == 200
    evaluation = {
        "results": [
            {"goal": 1, "result": "met", "note": "制度已建立"},
            {"goal": 2, "result": "partly", "note": "培训 2 名"},
        ],
        "evaluated_on": "2024-12-01",
    }
    evaluated = api.post(f"/pairings/{pairing.id}/evaluate", evaluation)
    assert evaluated.status_code == 201
    assert evaluated.json()["pairing"]["evaluated"] is True
    concluded = api.client.post(
        f"/pairings/{pairing.id}/conclude",
        json={"summary": "目标基本达成", "concluded_on": "2024-12-31"},
        headers=pairing.lead_staff,
    )
    assert concluded.status_code == 201
    assert concluded.json()["pairing"]["status"] == "concluded"
    assert concluded.json()["pairing"]["ended_on"] == "2024-12-31"
    read = api.client.get(f"/pairings/{pairing.id}", headers=api.headers["auditor"])
    assert read.status_code == 200
    assert read.json()["status"] == "concluded"
    assert read.headers["ETag"] == f'"{read.json()["version"]}"'


def test_a_confirmation_is_made_idempotent_by_its_idempotency_key(api: Api) -> None:
    pairing = Twinning(api)
    pairing.propose()
    key = new_id()
    path, body = f"/pairings/{pairing.id}/confirm", {"confirmed_on": "2024-02-25"}
    first = api.post(path, body, **{"Idempotency-Key": key})
    head = api.ledger.head()
    again = api.post(path, body, **{"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == key
    assert api.ledger.head() == head
    # Without the key it is a new command, and the party has already confirmed.
    refused(api, api.post(path, body), 409, "state_conflict", "party_id", head)


def test_a_confirmation_is_for_the_keys_own_foundation_not_the_other_party(api: Api) -> None:
    pairing = Twinning(api)
    pairing.propose()
    head = api.ledger.head()
    answer = api.post(
        f"/pairings/{pairing.id}/confirm",
        {"party_id": str(pairing.lead), "confirmed_on": "2024-02-25"},
    )
    refused(api, answer, 403, "wrong_foundation", "party_id", head)


def test_a_second_open_pairing_of_a_kind_between_the_same_two_is_a_409_until_the_first_ends(
    api: Api,
) -> None:
    pairing = Twinning(api)
    pairing.propose()
    head = api.ledger.head()
    refused(
        api,
        api.post("/pairings", proposal(pairing.lead, api.foundation)),
        409,
        "duplicate_pairing",
        "partner_id",
        head,
    )
    ended = api.post(
        f"/pairings/{pairing.id}/terminate", {"reason": "合作方调整", "terminated_on": "2024-03-01"}
    )
    assert ended.status_code == 201
    assert ended.json()["pairing"]["status"] == "terminated"
    assert api.post("/pairings", proposal(pairing.lead, api.foundation)).status_code == 201


def test_an_organisation_paired_with_itself_is_a_422(api: Api) -> None:
    head = api.ledger.head()
    answer = api.post("/pairings", proposal(api.foundation, api.foundation))
    refused(api, answer, 422, "self_pairing", "partner_id", head)


def test_organisations_without_the_roles_the_kind_expects_are_a_409(api: Api) -> None:
    other = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    head = api.ledger.head()
    # A community foundation cannot lead a foundation twinning.
    answer = api.post("/pairings", proposal(api.foundation, other))
    refused(api, answer, 409, "role_mismatch", "lead_id", head)


def test_an_activity_on_a_pairing_not_yet_active_is_a_409(api: Api) -> None:
    pairing = Twinning(api)
    pairing.propose()
    head = api.ledger.head()
    answer = api.post(f"/pairings/{pairing.id}/activities", activity())
    refused(api, answer, 409, "state_conflict", "pairing_id", head)
    assert "proposed" in answer.json()["error"]["message"]


def test_concluding_a_pairing_not_yet_active_is_a_409(api: Api) -> None:
    pairing = Twinning(api)
    pairing.propose()
    head = api.ledger.head()
    answer = api.post(
        f"/pairings/{pairing.id}/conclude", {"summary": "完成", "concluded_on": "2024-12-31"}
    )
    refused(api, answer, 409, "state_conflict", "pairing_id", head)


def funds_of(api: Api, *foundations: UUID) -> list[UUID]:
    funds = []
    for foundation in foundations:
        fund_id = open_fund(api.ledger, foundation)
        donate(api.ledger, fund_id, "10000.00")
        funds.append(fund_id)
    return funds


def transfer(api: Api, source: UUID, target: UUID, pairing_id: str | None = None) -> str:
    transfer_id = uuid4()
    api.ledger.transfer(
        transfer_id=transfer_id,
        from_fund_id=source,
        to_fund_id=target,
        amount=Money.yuan("5000.00"),
        transferred_on=date(2024, 4, 1),
        purpose="牵手计划配套资金",
        pairing_id=UUID(pairing_id) if pairing_id else None,
    )
    return str(transfer_id)


def test_a_funding_activity_names_a_transfer_between_the_two_parties_funds(api: Api) -> None:
    pairing = Twinning(api).active()
    lead_fund, partner_fund = funds_of(api, pairing.lead, api.foundation)
    moved = transfer(api, lead_fund, partner_fund, pairing.id)
    answer = api.post(
        f"/pairings/{pairing.id}/activities", activity(kind="funding", transfer_id=moved)
    )
    assert answer.status_code == 201, answer.text


def test_a_funding_activity_whose_transfer_does_not_run_between_the_parties_is_a_409(
    api: Api,
) -> None:
    pairing = Twinning(api).active()
    outsider = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    partner_fund, outsider_fund = funds_of(api, api.foundation, outsider)
    moved = transfer(api, partner_fund, outsider_fund)
    head = api.ledger.head()
    answer = api.post(
        f"/pairings/{pairing.id}/activities", activity(kind="funding", transfer_id=moved)
    )
    refused(api, answer, 409, "role_mismatch", "transfer_id", head)


def test_a_funding_activity_without_a_transfer_and_one_naming_no_transfer_are_refused(
    api: Api,
) -> None:
    pairing = Twinning(api).active()
    head = api.ledger.head()
    path = f"/pairings/{pairing.id}/activities"
    refused(api, api.post(path, activity(kind="funding")), 422, "invalid_text", "transfer_id", head)
    refused(
        api,
        api.post(path, activity(kind="funding", transfer_id=new_id())),
        404,
        "unknown_entry",
        "transfer_id",
        head,
    )


def test_an_evaluation_of_a_goal_the_pairing_does_not_have_is_a_422(api: Api) -> None:
    pairing = Twinning(api).active()
    head = api.ledger.head()
    answer = api.post(
        f"/pairings/{pairing.id}/evaluate",
        {"results": [{"goal": 3, "result": "met", "note": "—"}], "evaluated_on": "2024-12-01"},
    )
    refused(api, answer, 422, "invalid_choice", "results.goal", head)


def test_a_staff_key_of_a_foundation_that_is_not_a_party_may_not_write_or_read(
    api: Api,
) -> None:
    pairing = Twinning(api)
    outsider = api.bearer(
        "staff", register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    )
    head = api.ledger.head()
    proposed = api.client.post("/pairings", json=pairing.body, headers=outsider)
    refused(api, proposed, 403, "wrong_foundation", None, head)
    pairing.propose()
    head = api.ledger.head()
    for step, body in [
        ("confirm", {"confirmed_on": "2024-02-25"}),
        ("activities", activity()),
        ("terminate", {"reason": "无关", "terminated_on": "2024-03-01"}),
    ]:
        answer = api.client.post(f"/pairings/{pairing.id}/{step}", json=body, headers=outsider)
        refused(api, answer, 403, "wrong_foundation", None, head)
    read = api.client.get(f"/pairings/{pairing.id}", headers=outsider)
    refused(api, read, 403, "wrong_foundation", None, head)


@pytest.mark.parametrize("role", ["admin", "auditor", "privacy_officer"])
def test_only_staff_write_pairings(api: Api, role: str) -> None:
    pairing = Twinning(api)
    head = api.ledger.head()
    refused(api, api.post("/pairings", pairing.body, role=role), 403, "forbidden", None, head)


def test_a_stale_if_match_is_a_412(api: Api) -> None:
    pairing = Twinning(api)
    pairing.propose()
    etag = api.client.get(f"/pairings/{pairing.id}", headers=api.staff).headers["ETag"]
    api.client.post(
        f"/pairings/{pairing.id}/confirm",
        json={"confirmed_on": "2024-02-25"},
        headers=pairing.lead_staff,
    )
    head = api.ledger.head()
    stale = api.post(
        f"/pairings/{pairing.id}/confirm", {"confirmed_on": "2024-02-25"}, **{"If-Match": etag}
    )
    refused(api, stale, 412, "precondition_failed", "If-Match", head)


def test_unknown_pairings_unknown_fields_and_path_ids_that_are_not_uuids(api: Api) -> None:
    head = api.ledger.head()
    body = {"confirmed_on": "2024-02-25"}
    refused(
        api,
        api.post(f"/pairings/{uuid4()}/confirm", body),
        404,
        "unknown_pairing",
        "pairing_id",
        head,
    )
    refused(
        api,
        api.post("/pairings/not-a-uuid/confirm", body),
        422,
        "invalid_id",
        "pairing_id",
        head,
    )
    pairing = Twinning(api)
    head = api.ledger.head()
    refused(
        api,
        api.post("/pairings", {**pairing.body, "budget": "1"}),
        422,
        "unknown_field",
        "budget",
        head,
    )
    refused(
        api,
        api.post("/pairings", {**pairing.body, "kind": "twinning"}),
        422,
        "invalid_choice",
        "kind",
        head,
    )
