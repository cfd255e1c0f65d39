"""Grants over HTTP: awarding, paying, amending, feedback and reports, closing, cancelling and reversing,
each rule of the domain as the API answers it, and who may do what.

Every refusal is checked for its status, its stable body `{"error": {"code", "message", "field"}}`, and
that the log did not move.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.money import Money
from tests.api.conftest import ON_BOTH, Api, new_id, refused
from tests.support import donate, open_fund, register


def funded(api: Api, yuan: str = "10000.00") -> UUID:
    fund_id = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund_id, yuan)
    return fund_id


def recipient(api: Api) -> UUID:
    return register(api.ledger, name="花木社区睦邻中心", roles=["service_center"])


def award_body(fund_id: UUID, recipient_id: UUID, **overrides: Any) -> dict[str, Any]:
    return {
        "grant_id": new_id(),
        "fund_id": str(fund_id),
        "recipient_id": str(recipient_id),
        "programme": "社区营造",
        "title": "楼组自治项目",
        "description": "支持居民楼组开展自治活动",
        "amount": "4000.00",
        "currency": "CNY",
        "awarded_on": "2024-03-01",
        "planned_start": "2024-03-01",
        "planned_end": "2024-12-31",
        **overrides,
    }


def awarded(api: Api, amount: str = "4000.00") -> tuple[str, UUID]:
    """A grant of `amount` from a fund holding 10,000 yuan: (grant id, fund id)."""
    fund_id = funded(api)
    body = award_body(fund_id, recipient(api), amount=amount)
    answer = api.post("/grants", body)
    assert answer.status_code == 201, answer.text
    return str(body["grant_id"]), fund_id


def instalment(**overrides: Any) -> dict[str, Any]:
    return {
        "payment_id": new_id(),
        "amount": "1000.00",
        "currency": "CNY",
        "paid_on": "2024-04-01",
        **overrides,
    }


def available(api: Api, fund_id: UUID) -> Money:
    return api.ledger.get_fund(fund_id).available


# --- awarding -----------------------------------------------------------------------------------


@ON_BOTH
def test_awarding_a_grant_answers_201_with_the_grant_reserved_in_its_fund_and_a_repeat_200(
    api: Api,
) -> None:
    fund_id = funded(api)
    to = recipient(api)
    body = award_body(fund_id, to)
    answer = api.post("/grants", body)
    assert answer.status_code == 201, answer.text
    grant = answer.json()
    assert grant["grant_id"] == body["grant_id"]
    assert (grant["fund_id"], grant["foundation_id"]) == (str(fund_id), str(api.foundation))
    assert (grant["recipient_id"], grant["programme"], grant["title"]) == (
        str(to),
        "社区营造",
        "楼组自治项目",
    )
    assert (grant["amount"], grant["currency"], grant["paid"], grant["left"]) == (
        "4000.00",
        "CNY",
        "0.00",
        "4000.00",
    )
    assert (grant["status"], grant["planned_end"]) == ("active", "2024-12-31")
    assert grant["position"] == api.ledger.head()
    assert answer.headers["ETag"] == f'"{grant["version"]}"'
    assert available(api, fund_id) == Money.yuan("6000.00")

    head = api.ledger.head()
    again = api.post("/grants", body)
    assert again.status_code == 200
    assert {k: v for k, v in again.json().items() if k != "position"} == {
        k: v for k, v in grant.items() if k != "position"
    }
    assert api.ledger.head() == head
    fetched = api.client.get(f"/grants/{body['grant_id']}", headers=api.headers["auditor"])
    assert fetched.status_code == 200
    assert fetched.json()["description"] == "支持居民楼组开展自治活动"


def test_the_same_grant_id_with_another_award_is_a_409(api: Api) -> None:
    fund_id = funded(api)
    body = award_body(fund_id, recipient(api))
    api.post("/grants", body)
    head = api.ledger.head()
    refused(
        api,
        api.post("/grants", {**body, "amount": "5000.00"}),
        409,
        "duplicate_command",
        "grant_id",
    )
    assert api.ledger.head() == head


def test_an_award_beyond_the_funds_available_balance_is_a_409_insufficient_funds(
    api: Api,
) -> None:
    fund_id = funded(api, "1000.00")
    head = api.ledger.head()
    answer = api.post("/grants", award_body(fund_id, recipient(api), amount="1000.01"))
    refused(api, answer, 409, "insufficient_funds", "amount")
    assert api.ledger.head() == head + 1  # only the recipient's registration


def test_an_award_from_an_unknown_fund_is_a_404_naming_fund_id(api: Api) -> None:
    to = recipient(api)
    head = api.ledger.head()
    refused(api, api.post("/grants", award_body(uuid4(), to)), 404, "unknown_fund", "fund_id")
    assert api.ledger.head() == head


def test_an_award_to_an_unknown_recipient_is_a_404_naming_recipient_id(api: Api) -> None:
    fund_id = funded(api)
    head = api.ledger.head()
    answer = api.post("/grants", award_body(fund_id, uuid4()))
    refused(api, answer, 404, "unknown_organization", "recipient_id")
    assert api.ledger.head() == head


def test_a_foundation_cannot_award_a_grant_to_itself(api: Api) -> None:
    fund_id = funded(api)
    head = api.ledger.head()
    answer = api.post("/grants", award_body(fund_id, api.foundation))
    refused(api, answer, 409, "role_mismatch", "recipient_id")
    assert api.ledger.head() == head


def test_a_planned_end_before_the_planned_start_is_a_422_naming_planned_end(api: Api) -> None:
    fund_id = funded(api)
    to = recipient(api)
    head = api.ledger.head()
    answer = api.post("/grants", award_body(fund_id, to, planned_end="2024-02-01"))
    refused(api, answer, 422, "invalid_date", "planned_end")
    assert api.ledger.head() == head


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"amount": 4000}, "invalid_input", "amount"),
        ({"currency": "USD"}, "invalid_input", "currency"),
        ({"title": ""}, "invalid_text", "title"),
        ({"awarded_on": "2024-13-01"}, "invalid_date", "awarded_on"),
        ({"note": "x"}, "unknown_field", "note"),
    ],
)
def test_a_malformed_award_is_a_422_naming_the_field(
    api: Api, change: dict[str, Any], code: str, field: str
) -> None:
    fund_id = funded(api)
    to = recipient(api)
    head = api.ledger.head()
    refused(api, api.post("/grants", award_body(fund_id, to, **change)), 422, code, field)
    assert api.ledger.head() == head


# --- instalments --------------------------------------------------------------------------------


def test_an_instalment_is_paid_against_the_grant_and_a_repeat_answers_200(api: Api) -> None:
    grant_id, fund_id = awarded(api)
    body = instalment(amount="1500.00")
    answer = api.post(f"/grants/{grant_id}/payments", body)
    assert answer.status_code == 201, answer.text
    result = answer.json()
    assert result["id"] == body["payment_id"]
    assert (result["grant"]["paid"], result["grant"]["left"]) == ("1500.00", "2500.00")
    assert result["grant"]["instalments"] == [
        {"payment_id": body["payment_id"], "amount": "1500.00"}
    ]
    assert result["position"] == api.ledger.head()
    assert answer.headers["ETag"] == f'"{result["grant"]["version"]}"'
    fund = api.ledger.get_fund(fund_id)
    assert (fund.balance, fund.available) == (Money.yuan("8500.00"), Money.yuan("6000.00"))
    head = api.ledger.head()
    again = api.post(f"/grants/{grant_id}/payments", body)
    assert again.status_code == 200
    assert again.json()["grant"] == result["grant"]
    assert api.ledger.head() == head


def test_an_instalment_beyond_what_is_left_of_the_grant_is_a_409_insufficient_funds(
    api: Api,
) -> None:
    grant_id, _ = awarded(api)
    api.post(f"/grants/{grant_id}/payments", instalment(amount="3000.00"))
    head = api.ledger.head()
    answer = api.post(f"/grants/{grant_id}/payments", instalment(amount="1000.01"))
    refused(api, answer, 409, "insufficient_funds", "amount")
    assert "1000.00 CNY left" in answer.json()["error"]["message"]
    assert api.ledger.head() == head


def test_an_instalment_of_an_unknown_grant_is_a_404_naming_grant_id(api: Api) -> None:
    head = api.ledger.head()
    answer = api.post(f"/grants/{uuid4()}/payments", instalment())
    refused(api, answer, 404, "unknown_grant", "grant_id")
    assert api.ledger.head() == head


def test_a_grant_path_id_that_is_not_a_uuid_is_a_422_naming_grant_id(api: Api) -> None:
    refused(api, api.post("/grants/42/payments", instalment()), 422, "invalid_id", "grant_id")
    refused(api, api.client.get("/grants/42", headers=api.staff), 422, "invalid_id", "grant_id")


def test_a_payment_with_a_stale_if_match_is_a_412(api: Api) -> None:
    grant_id, _ = awarded(api)
    etag = api.client.get(f"/grants/{grant_id}", headers=api.staff).headers["ETag"]
    api.post(f"/grants/{grant_id}/payments", instalment())
    head = api.ledger.head()
    stale = api.post(f"/grants/{grant_id}/payments", instalment(), **{"If-Match": etag})
    refused(api, stale, 412, "precondition_failed", "If-Match")
    assert api.ledger.head() == head
    fresh = api.client.get(f"/grants/{grant_id}", headers=api.staff).headers["ETag"]
    assert (
        api.post(f"/grants/{grant_id}/payments", instalment(), **{"If-Match": fresh}).status_code
        == 201
    )


# --- amendments ---------------------------------------------------------------------------------


def test_an_amendment_changes_the_award_and_its_reservation_once_per_idempotency_key(
    api: Api,
) -> None:
    grant_id, fund_id = awarded(api)
    key = new_id()
    body = {
        "amount": "5000.00",
        "currency": "CNY",
        "reason": "项目范围扩大",
        "amended_on": "2024-05-01",
    }
    first = api.post(f"/grants/{grant_id}/amendments", body, **{"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    assert (first.json()["id"], first.json()["grant"]["amount"]) == (key, "5000.00")
    assert available(api, fund_id) == Money.yuan("5000.00")
    head = api.ledger.head()
    again = api.post(f"/grants/{grant_id}/amendments", body, **{"Idempotency-Key": key})
    assert again.status_code == 200
    assert api.ledger.head() == head
    other = api.post(
        f"/grants/{grant_id}/amendments", {**body, "amount": "3000.00"}, **{"Idempotency-Key": key}
    )
    refused(api, other, 409, "duplicate_command", "Idempotency-Key")
    assert api.ledger.head() == head


def test_amending_a_grant_below_what_was_paid_is_a_409_amount_below_paid(api: Api) -> None:
    grant_id, _ = awarded(api)
    api.post(f"/grants/{grant_id}/payments", instalment(amount="2000.00"))
    head = api.ledger.head()
    body = {
        "amount": "1999.99",
        "currency": "CNY",
        "reason": "预算调减",
        "amended_on": "2024-05-01",
    }
    answer = api.post(f"/grants/{grant_id}/amendments", body)
    refused(api, answer, 409, "amount_below_paid", "amount")
    assert api.ledger.head() == head


def test_an_amendment_beyond_the_funds_available_balance_is_a_409_insufficient_funds(
    api: Api,
) -> None:
    grant_id, _ = awarded(api)  # 4,000 of the fund's 10,000 reserved
    head = api.ledger.head()
    body = {"amount": "10000.01", "currency": "CNY", "reason": "追加", "amended_on": "2024-05-01"}
    refused(
        api, api.post(f"/grants/{grant_id}/amendments", body), 409, "insufficient_funds", "amount"
    )
    assert api.ledger.head() == head


# --- feedback and reports -----------------------------------------------------------------------


def test_feedback_and_the_recipients_report_are_recorded_on_the_grant(api: Api) -> None:
    grant_id, _ = awarded(api)
    feedback = {"rating": 4, "summary": "居民参与度高", "recorded_on": "2024-11-01"}
    key = new_id()
    first = api.post(f"/grants/{grant_id}/feedback", feedback, **{"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    assert first.json()["grant"]["feedback"] == feedback
    assert (
        api.post(f"/grants/{grant_id}/feedback", feedback, **{"Idempotency-Key": key}).status_code
        == 200
    )
    report = {"summary": "共开展活动12场", "received_on": "2024-12-15"}
    answer = api.post(f"/grants/{grant_id}/reports", report)
    assert answer.status_code == 201, answer.text
    assert answer.json()["position"] == api.ledger.head()


@pytest.mark.parametrize("rating", [0, 6, "4", 4.5, True, None])
def test_a_feedback_rating_that_is_not_a_whole_number_from_1_to_5_is_a_422_naming_rating(
    api: Api, rating: Any
) -> None:
    grant_id, _ = awarded(api)
    head = api.ledger.head()
    body = {"rating": rating, "summary": "一般", "recorded_on": "2024-11-01"}
    refused(api, api.post(f"/grants/{grant_id}/feedback", body), 422, "invalid_input", "rating")
    assert api.ledger.head() == head


# --- closing, cancelling, reversing -------------------------------------------------------------


def test_closing_a_grant_releases_what_is_unpaid_and_it_cannot_be_cancelled_after(
    api: Api,
) -> None:
    grant_id, fund_id = awarded(api)
    api.post(f"/grants/{grant_id}/payments", instalment(amount="3000.00"))
    answer = api.post(
        f"/grants/{grant_id}/close", {"outcome": "项目完成，目标达成", "closed_on": "2024-12-31"}
    )
    assert answer.status_code == 201, answer.text
    grant = answer.json()["grant"]
    assert (grant["status"], grant["ended_on"], grant["ending"]) == (
        "closed",
        "2024-12-31",
        "项目完成，目标达成",
    )
    assert available(api, fund_id) == Money.yuan("7000.00")
    head = api.ledger.head()
    cancel = api.post(
        f"/grants/{grant_id}/cancel", {"reason": "撤销", "cancelled_on": "2025-01-02"}
    )
    refused(api, cancel, 409, "grant_not_active", "grant_id")
    assert api.ledger.head() == head


def test_paying_a_cancelled_grant_is_a_409_grant_not_active(api: Api) -> None:
    grant_id, fund_id = awarded(api)
    key = new_id()
    body = {"reason": "受助组织注销", "cancelled_on": "2024-06-01"}
    first = api.post(f"/grants/{grant_id}/cancel", body, **{"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    assert (first.json()["grant"]["status"], first.json()["grant"]["ending"]) == (
        "cancelled",
        "受助组织注销",
    )
    assert available(api, fund_id) == Money.yuan("10000.00")
    head = api.ledger.head()
    assert (
        api.post(f"/grants/{grant_id}/cancel", body, **{"Idempotency-Key": key}).status_code == 200
    )
    answer = api.post(f"/grants/{grant_id}/payments", instalment())
    refused(api, answer, 409, "grant_not_active", "grant_id")
    assert "cancelled" in answer.json()["error"]["message"]
    amend = {"amount": "5000.00", "currency": "CNY", "reason": "x", "amended_on": "2024-07-01"}
    refused(
        api, api.post(f"/grants/{grant_id}/amendments", amend), 409, "grant_not_active", "grant_id"
    )
    assert api.ledger.head() == head


def test_a_reversed_instalment_returns_to_the_award_with_a_public_reason_and_is_paid_again(
    api: Api,
) -> None:
    grant_id, fund_id = awarded(api)
    payment = instalment(amount="1000.00")
    api.post(f"/grants/{grant_id}/payments", payment)
    body = {
        "reversal_id": new_id(),
        "payment_id": payment["payment_id"],
        "reason": "项目未实施，款项退回",
        "reversed_on": "2024-05-01",
    }
    answer = api.post(f"/grants/{grant_id}/reversals", body)
    assert answer.status_code == 201, answer.text
    grant = answer.json()["grant"]
    assert (grant["paid"], grant["reversed"], grant["left"], grant["instalments"]) == (
        "0.00",
        "0.00",
        "4000.00",
        [],
    )
    # The money is back in the fund's balance and reserved again for the award it was paid from.
    fund = api.ledger.get_fund(fund_id)
    assert (fund.balance, fund.available) == (Money.yuan("10000.00"), Money.yuan("6000.00"))
    head = api.ledger.head()
    assert api.post(f"/grants/{grant_id}/reversals", body).status_code == 200
    twice = api.post(f"/grants/{grant_id}/reversals", {**body, "reversal_id": new_id()})
    refused(api, twice, 409, "already_reversed", "payment_id")
    assert api.ledger.head() == head
    again = api.post(f"/grants/{grant_id}/payments", instalment(amount="4000.00"))
    assert again.status_code == 201, again.text
    assert (again.json()["grant"]["paid"], again.json()["grant"]["left"]) == ("4000.00", "0.00")


def test_a_reversal_without_a_reason_is_a_422_naming_reason(api: Api) -> None:
    grant_id, _ = awarded(api)
    payment = instalment()
    api.post(f"/grants/{grant_id}/payments", payment)
    head = api.ledger.head()
    body = {
        "reversal_id": new_id(),
        "payment_id": payment["payment_id"],
        "reason": "  ",
        "reversed_on": "2024-05-01",
    }
    refused(api, api.post(f"/grants/{grant_id}/reversals", body), 422, "invalid_text", "reason")
    assert api.ledger.head() == head


# --- who may --------------------------------------------------------------------------------------

WRITES: list[tuple[str, dict[str, Any]]] = [
    ("payments", instalment()),
    (
        "amendments",
        {"amount": "5000.00", "currency": "CNY", "reason": "x", "amended_on": "2024-05-01"},
    ),
    ("feedback", {"rating": 5, "summary": "好", "recorded_on": "2024-11-01"}),
    ("reports", {"summary": "报告", "received_on": "2024-11-01"}),
    ("close", {"outcome": "完成", "closed_on": "2024-12-31"}),
    ("cancel", {"reason": "撤销", "cancelled_on": "2024-12-31"}),
    (
        "reversals",
        {
            "reversal_id": new_id(),
            "payment_id": new_id(),
            "reason": "x",
            "reversed_on": "2024-05-01",
        },
    ),
]


@pytest.mark.parametrize(("action", "body"), WRITES, ids=[w[0] for w in WRITES])
def test_a_staff_key_of_another_foundation_may_not_write_to_the_grant_and_nothing_is_written(
    api: Api, action: str, body: dict[str, Any]
) -> None:
    grant_id, _ = awarded(api)
    other = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    head = api.ledger.head()
    answer = api.client.post(
        f"/grants/{grant_id}/{action}", json=body, headers=api.bearer("staff", other)
    )
    refused(api, answer, 403, "wrong_foundation", None)
    assert api.ledger.head() == head


def test_a_staff_key_of_another_foundation_may_not_award_from_this_foundations_fund(
    api: Api,
) -> None:
    fund_id = funded(api)
    to = recipient(api)
    other = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    head = api.ledger.head()
    answer = api.client.post(
        "/grants", json=award_body(fund_id, to), headers=api.bearer("staff", other)
    )
    refused(api, answer, 403, "wrong_foundation", None)
    assert api.ledger.head() == head


@pytest.mark.parametrize("role", ["admin", "auditor", "privacy_officer"])
def test_only_staff_may_award_or_pay_a_grant(api: Api, role: str) -> None:
    grant_id, fund_id = awarded(api)
    head = api.ledger.head()
    award = api.post("/grants", award_body(fund_id, recipient(api)), role=role)
    refused(api, award, 403, "forbidden", None)
    pay = api.post(f"/grants/{grant_id}/payments", instalment(), role=role)
    refused(api, pay, 403, "forbidden", None)
    assert api.ledger.head() == head + 1  # only the second recipient's registration


def test_a_grant_is_read_by_staff_of_its_foundation_and_auditors_only(api: Api) -> None:
    grant_id, _ = awarded(api)
    path = f"/grants/{grant_id}"
    for role in ("staff", "auditor"):
        answer = api.client.get(path, headers=api.headers[role])
        assert answer.status_code == 200, answer.text
        assert answer.headers["ETag"] == f'"{answer.json()["version"]}"'
    other = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    refused(
        api, api.client.get(path, headers=api.bearer("staff", other)), 403, "wrong_foundation", None
    )
    refused(api, api.client.get(path, headers=api.admin), 403, "forbidden", None)
    refused(api, api.client.get(path), 401, "unauthenticated", "Authorization")
    refused(
        api,
        api.client.get(f"/grants/{uuid4()}", headers=api.staff),
        404,
        "unknown_grant",
        "grant_id",
    )
