"""Funds over HTTP: what a write answers, what a repeat answers, and what each kind of bad input gets.

Every refusal is checked for its status, its stable body `{"error": {"code", "message", "field"}}`, and
that the log did not move.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from tests.api.conftest import ON_BOTH, Api, new_id, refused
from tests.support import personal_data_in, register


def open_fund(api: Api, **overrides: Any) -> str:
    body = {
        "fund_id": new_id(),
        "foundation_id": str(api.foundation),
        "kind": "general",
        "name": "社区发展基金",
        "opened_on": "2024-01-02",
        **overrides,
    }
    answer = api.post("/funds", body)
    assert answer.status_code == 201, answer.text
    return str(body["fund_id"])


def donation(**overrides: Any) -> dict[str, Any]:
    return {
        "donation_id": new_id(),
        "amount": "1200.50",
        "currency": "CNY",
        "received_on": "2024-03-01",
        "donor": {"kind": "anonymous"},
        **overrides,
    }


@ON_BOTH
def test_a_donation_answers_201_with_the_fund_its_version_and_the_log_position(api: Api) -> None:
    fund_id = open_fund(api)
    body = donation()
    answer = api.post(f"/funds/{fund_id}/donations", body)
    assert answer.status_code == 201
    result = answer.json()
    assert result["id"] == body["donation_id"]
    assert result["fund"]["balance"] == "1200.50"
    assert result["fund"]["currency"] == "CNY"
    assert result["position"] == api.ledger.head()
    assert answer.headers["ETag"] == f'"{result["fund"]["version"]}"'


def test_the_same_donation_sent_again_answers_200_with_the_original_result(api: Api) -> None:
    fund_id = open_fund(api)
    body = donation()
    first = api.post(f"/funds/{fund_id}/donations", body)
    head = api.ledger.head()
    again = api.post(f"/funds/{fund_id}/donations", body)
    assert again.status_code == 200
    assert again.json()["fund"]["balance"] == first.json()["fund"]["balance"] == "1200.50"
    assert api.ledger.head() == head


def test_the_same_donation_id_with_another_body_is_a_409(api: Api) -> None:
    fund_id = open_fund(api)
    body = donation()
    api.post(f"/funds/{fund_id}/donations", body)
    head = api.ledger.head()
    answer = api.post(f"/funds/{fund_id}/donations", {**body, "amount": "99.00"})
    refused(api, answer, 409, "duplicate_command", "donation_id")
    assert api.ledger.head() == head


@pytest.mark.parametrize(
    ("amount", "rule"),
    [
        (1200.5, "not a JSON number"),
        (1200, "not a JSON number"),
        ("12.345", "at most two decimals"),
        ("-5.00", "at most two decimals"),
        ("0.00", "more than 0"),
        ("1e3", "at most two decimals"),
        ("", "at most two decimals"),
    ],
)
def test_an_amount_that_is_not_positive_yuan_with_two_decimals_is_a_422_naming_amount(
    api: Api, amount: Any, rule: str
) -> None:
    fund_id = open_fund(api)
    head = api.ledger.head()
    answer = api.post(f"/funds/{fund_id}/donations", donation(amount=amount))
    refused(api, answer, 422, "invalid_input", "amount")
    assert rule in answer.json()["error"]["message"]
    assert api.ledger.head() == head


def test_a_currency_other_than_cny_is_a_422_naming_currency(api: Api) -> None:
    fund_id = open_fund(api)
    refused(
        api,
        api.post(f"/funds/{fund_id}/donations", donation(currency="USD")),
        422,
        "invalid_input",
        "currency",
    )


def test_an_unknown_field_in_a_command_is_refused_not_ignored(api: Api) -> None:
    fund_id = open_fund(api)
    answer = api.post(f"/funds/{fund_id}/donations", donation(note="extra"))
    refused(api, answer, 422, "unknown_field", "note")


def test_malformed_json_is_a_422(api: Api) -> None:
    fund_id = open_fund(api)
    answer = api.client.post(
        f"/funds/{fund_id}/donations",
        content=b'{"donation_id": ',
        headers={**api.staff, "Content-Type": "application/json"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "malformed_json"


def test_a_path_id_that_is_not_a_uuid_is_a_422_naming_it(api: Api) -> None:
    refused(api, api.post("/funds/not-a-uuid/donations", donation()), 422, "invalid_id", "fund_id")


def test_an_unknown_fund_is_a_404(api: Api) -> None:
    refused(
        api, api.post(f"/funds/{uuid4()}/donations", donation()), 404, "unknown_fund", "fund_id"
    )


def test_a_payment_beyond_the_available_balance_is_a_409_and_writes_nothing(api: Api) -> None:
    fund_id = open_fund(api)
    api.post(f"/funds/{fund_id}/donations", donation(amount="100.00"))
    head = api.ledger.head()
    answer = api.post(
        f"/funds/{fund_id}/payments",
        {
            "payment_id": new_id(),
            "amount": "100.01",
            "currency": "CNY",
            "paid_on": "2024-03-02",
            "purpose": "活动物资",
        },
    )
    refused(api, answer, 409, "insufficient_funds", "amount")
    assert api.ledger.head() == head


def test_a_staff_key_of_another_foundation_may_not_write_to_this_fund(api: Api) -> None:
    fund_id = open_fund(api)
    other = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    head = api.ledger.head()
    answer = api.client.post(
        f"/funds/{fund_id}/donations", json=donation(), headers=api.bearer("staff", other)
    )
    refused(api, answer, 403, "wrong_foundation", None)
    assert api.ledger.head() == head


def test_a_missing_a_malformed_an_unknown_and_a_revoked_key_are_each_a_401(api: Api) -> None:
    fund_id = open_fund(api)
    path, body = f"/funds/{fund_id}/donations", donation()
    missing = api.client.post(path, json=body)
    refused(api, missing, 401, "unauthenticated", "Authorization")
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    malformed = api.client.post(path, json=body, headers={"Authorization": "Token abc"})
    refused(api, malformed, 401, "unauthenticated", "Authorization")
    unknown = api.client.post(path, json=body, headers={"Authorization": "Bearer mzk_00_x"})
    refused(api, unknown, 401, "invalid_key", "Authorization")
    key, token = api.keys.create("staff", api.foundation)
    api.keys.revoke(key.key_id)
    revoked = api.client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    refused(api, revoked, 401, "invalid_key", "Authorization")


def test_a_write_with_a_stale_if_match_is_a_412_and_one_with_the_etag_goes_through(
    api: Api,
) -> None:
    fund_id = open_fund(api)
    etag = api.client.get(f"/funds/{fund_id}", headers=api.staff).headers["ETag"]
    api.post(f"/funds/{fund_id}/donations", donation())  # someone else writes first
    stale = api.post(f"/funds/{fund_id}/donations", donation(), **{"If-Match": etag})
    refused(api, stale, 412, "precondition_failed", "If-Match")
    fresh = api.client.get(f"/funds/{fund_id}", headers=api.staff).headers["ETag"]
    assert (
        api.post(f"/funds/{fund_id}/donations", donation(), **{"If-Match": fresh}).status_code
        == 201
    )


def test_a_command_without_an_id_of_its_own_is_made_idempotent_by_its_idempotency_key(
    api: Api,
) -> None:
    fund_id = open_fund(api)
    key = new_id()
    body = {"closed_on": "2024-12-31", "reason": "项目结束"}
    first = api.post(f"/funds/{fund_id}/close", body, **{"Idempotency-Key": key})
    head = api.ledger.head()
    again = api.post(f"/funds/{fund_id}/close", body, **{"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert api.ledger.head() == head
    bad = api.post(f"/funds/{fund_id}/close", body, **{"Idempotency-Key": "twelve"})
    refused(api, bad, 422, "invalid_id", "Idempotency-Key")


def test_a_person_donor_goes_to_the_vault_and_is_never_echoed_or_logged(api: Api) -> None:
    fund_id = open_fund(api)
    person = {"name": "测试捐赠人（虚构）", "phone": "13900001111"}
    body = donation(donor={"kind": "person", "person": person, "publish_name": True})
    answer = api.post(f"/funds/{fund_id}/donations", body)
    assert answer.status_code == 201
    assert "测试捐赠人" not in answer.text
    assert "13900001111" not in answer.text
    stored = b"".join(bytes(n.state) for n in api.ledger.recorder.select_notifications(1, 1000))
    assert "测试捐赠人".encode() not in stored
    assert b"13900001111" not in stored
    assert personal_data_in(api.ledger) == []
    # Sent again (a retry), it is the same donation and the same vault subject.
    assert api.post(f"/funds/{fund_id}/donations", body).status_code == 200


def test_a_body_over_the_limit_is_a_413(api: Api) -> None:
    fund_id = open_fund(api)
    answer = api.post(f"/funds/{fund_id}/donations", donation(padding="x" * 70_000))
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "body_too_large"


def test_an_unknown_route_is_a_404_in_the_same_body_shape(api: Api) -> None:
    answer = api.client.get("/nowhere")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
