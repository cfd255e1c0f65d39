"""Relief cases (救急难) over HTTP: opening with the beneficiary kept in the vault, approval and
rejection, disbursement on the ordinary path and on the emergency fast path, ratification and reversal,
each rule of the domain as the API answers it, and who may do what.

Every refusal is checked for its status, its stable body `{"error": {"code", "message", "field"}}`, and
that the log did not move. The beneficiary's name, ID number and phone must appear in no response and in
no stored event.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.money import Money
from tests.api.conftest import ON_BOTH, Api, new_id, refused
from tests.support import (
    PUT_INTO_VAULTS,
    donate,
    open_fund,
    person,
    personal_data_in,
    register,
    vault_of,
)
from tests.support import stored_bytes as stored

NAME, ID_CARD, PHONE = "测试受助人乙（虚构）", "11010519491231002X", "13900002222"


def relief_fund(api: Api, yuan: str = "10000.00", kind: str = "emergency_relief") -> UUID:
    fund_id = open_fund(api.ledger, api.foundation, kind=kind, name="救急难专项基金")
    donate(api.ledger, fund_id, yuan)
    return fund_id


def case_body(api: Api, fund_id: UUID, **overrides: Any) -> dict[str, Any]:
    """An open-case body; the beneficiary, unless given, is a person already in the vault."""
    body = {
        "case_id": new_id(),
        "fund_id": str(fund_id),
        "reason_code": "GTIR100",
        "purpose_code": "GTIP170",
        "subdistrict": "陆家嘴街道",
        "requested_amount": "3000.00",
        "currency": "CNY",
        "emergency": False,
        "opened_on": "2024-03-01",
        **overrides,
    }
    if "beneficiary" not in body and "beneficiary_subject_id" not in body:
        body["beneficiary_subject_id"] = str(person(api.ledger, owner=api.foundation))
    return body


def opened(api: Api, emergency: bool = False, yuan: str = "10000.00") -> tuple[str, UUID]:
    """An open case on a relief fund holding `yuan`: (case id, fund id)."""
    fund_id = relief_fund(api, yuan)
    body = case_body(api, fund_id, emergency=emergency)
    answer = api.post("/relief-cases", body)
    assert answer.status_code == 201, answer.text
    return str(body["case_id"]), fund_id


def approval(amount: str = "3000.00") -> dict[str, Any]:
    return {
        "amount": amount,
        "currency": "CNY",
        "approvers": [new_id(), new_id()],
        "approved_on": "2024-03-02",
    }


def disbursement(amount: str = "1000.00", **overrides: Any) -> dict[str, Any]:
    return {
        "disbursement_id": new_id(),
        "amount": amount,
        "currency": "CNY",
        "paid_on": "2024-03-03",
        **overrides,
    }


def ratification() -> dict[str, Any]:
    return {"approvers": [new_id()], "ratified_on": "2024-03-05"}


def no_personal_data(text: str) -> bool:
    return all(secret not in text for secret in (NAME, ID_CARD, PHONE))


# --- opening --------------------------------------------------------------------------------------


@ON_BOTH
def test_opening_a_case_answers_201_with_the_vault_reference_and_never_the_beneficiary(
    api: Api,
) -> None:
    fund_id = relief_fund(api)
    PUT_INTO_VAULTS.update({NAME, ID_CARD, PHONE})
    beneficiary = {"name": NAME, "id_card": ID_CARD, "phone": PHONE}
    body = case_body(api, fund_id, beneficiary=beneficiary, emergency=True)
    answer = api.post("/relief-cases", body)
    assert answer.status_code == 201, answer.text
    case = answer.json()
    assert (case["case_id"], case["fund_id"], case["foundation_id"]) == (
        body["case_id"],
        str(fund_id),
        str(api.foundation),
    )
    assert (case["reason_category"], case["purpose_code"], case["subdistrict"]) == (
        "emergency",
        "GTIP170",
        "陆家嘴街道",
    )
    assert (case["requested_amount"], case["currency"], case["emergency"], case["status"]) == (
        "3000.00",
        "CNY",
        True,
        "open",
    )
    assert case["position"] == api.ledger.head()
    assert answer.headers["ETag"] == f'"{case["version"]}"'
    assert no_personal_data(answer.text)
    # The person is in the vault, under a random subject behind the reference.
    subject = vault_of(api.ledger).subject_of_reference(UUID(case["beneficiary_ref"]))
    assert vault_of(api.ledger).read(subject).name == NAME
    assert "subject" not in answer.text
    assert str(subject) not in answer.text

    head = api.ledger.head()
    again = api.post("/relief-cases", body)
    assert again.status_code == 200, again.text
    assert again.json()["beneficiary_ref"] == case["beneficiary_ref"]
    assert api.ledger.head() == head
    for role in ("staff", "auditor"):
        read = api.client.get(f"/relief-cases/{body['case_id']}", headers=api.headers[role])
        assert read.status_code == 200
        assert read.json()["beneficiary_ref"] == case["beneficiary_ref"]
        assert no_personal_data(read.text)
    events = b"".join(stored(api.ledger))
    for secret in (NAME, ID_CARD, PHONE, str(subject)):
        assert secret.encode() not in events
    assert personal_data_in(api.ledger) == []


def test_a_case_may_name_a_person_already_in_the_vault_by_subject_id(api: Api) -> None:
    fund_id = relief_fund(api)
    subject = person(api.ledger, owner=api.foundation, name="测试受助人丙（虚构）")
    answer = api.post("/relief-cases", case_body(api, fund_id, beneficiary_subject_id=str(subject)))
    assert answer.status_code == 201, answer.text
    assert "测试受助人丙" not in answer.text
    assert str(subject) not in answer.text
    assert personal_data_in(api.ledger) == []


@pytest.mark.parametrize("both", [True, False], ids=["both", "neither"])
def test_a_case_takes_either_the_beneficiary_or_a_subject_id_not_both_nor_neither(
    api: Api, both: bool
) -> None:
    fund_id = relief_fund(api)
    body = case_body(api, fund_id, beneficiary_subject_id=str(uuid4()))
    if both:
        body["beneficiary"] = {"name": NAME}
    else:
        del body["beneficiary_subject_id"]
    head = api.ledger.head()
    refused(api, api.post("/relief-cases", body), 422, "invalid_input", "beneficiary")
    assert api.ledger.head() == head


def test_a_subject_id_the_vault_does_not_hold_is_a_404_naming_it(api: Api) -> None:
    fund_id = relief_fund(api)
    head = api.ledger.head()
    answer = api.post("/relief-cases", case_body(api, fund_id, beneficiary_subject_id=str(uuid4())))
    refused(api, answer, 404, "unknown_subject", "beneficiary_subject_id")
    assert api.ledger.head() == head


def test_a_relief_case_on_a_fund_that_is_not_for_emergency_relief_is_a_409_wrong_fund_kind(
    api: Api,
) -> None:
    fund_id = relief_fund(api, kind="general")
    head = api.ledger.head()
    refused(
        api, api.post("/relief-cases", case_body(api, fund_id)), 409, "wrong_fund_kind", "fund_id"
    )
    assert api.ledger.head() == head


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"reason_code": "GTIR999"}, "invalid_choice", "reason_code"),
        ({"purpose_code": "poverty"}, "invalid_choice", "purpose_code"),
        ({"subdistrict": ""}, "invalid_text", "subdistrict"),
        ({"requested_amount": "0"}, "invalid_input", "requested_amount"),
        ({"currency": "HKD"}, "invalid_input", "currency"),
        ({"beneficiary_name": NAME}, "unknown_field", "beneficiary_name"),
    ],
)
def test_a_malformed_case_is_a_422_naming_the_field(
    api: Api, change: dict[str, Any], code: str, field: str
) -> None:
    fund_id = relief_fund(api)
    head = api.ledger.head()
    answer = api.post("/relief-cases", case_body(api, fund_id, **change))
    refused(api, answer, 422, code, field)
    assert no_personal_data(answer.text)
    assert api.ledger.head() == head


def test_a_case_on_an_unknown_fund_is_a_404_naming_fund_id(api: Api) -> None:
    head = api.ledger.head()
    refused(api, api.post("/relief-cases", case_body(api, uuid4())), 404, "unknown_fund", "fund_id")
    assert api.ledger.head() == head


# --- the ordinary path: approve, then disburse ----------------------------------------------------


def test_an_approved_case_is_paid_against_its_approval(api: Api) -> None:
    case_id, fund_id = opened(api)
    key = new_id()
    first = api.post(f"/relief-cases/{case_id}/approve", approval(), **{"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    assert (first.json()["id"], first.json()["case"]["status"]) == (key, "approved")
    assert first.json()["case"]["approved_amount"] == "3000.00"
    assert api.ledger.get_fund(fund_id).available == Money.yuan("7000.00")
    head = api.ledger.head()
    assert (
        api.post(
            f"/relief-cases/{case_id}/approve", approval(), **{"Idempotency-Key": key}
        ).status_code
        == 409  # same key, another body (new approver ids)
    )
    assert api.ledger.head() == head

    body = disbursement("2000.00")
    paid = api.post(f"/relief-cases/{case_id}/disburse", body)
    assert paid.status_code == 201, paid.text
    case = paid.json()["case"]
    assert case["disbursed"] == "2000.00"
    assert case["disbursements"] == [
        {
            "disbursement_id": body["disbursement_id"],
            "amount": "2000.00",
            "awaiting_ratification": False,
        }
    ]
    assert case["ratify_by"] is None
    assert api.post(f"/relief-cases/{case_id}/disburse", body).status_code == 200
    head = api.ledger.head()
    beyond = api.post(f"/relief-cases/{case_id}/disburse", disbursement("1000.01"))
    refused(api, beyond, 409, "insufficient_funds", "amount")
    assert api.ledger.head() == head


def test_a_second_approval_is_a_409_naming_case_id(api: Api) -> None:
    case_id, _ = opened(api)
    api.post(f"/relief-cases/{case_id}/approve", approval())
    head = api.ledger.head()
    refused(
        api,
        api.post(f"/relief-cases/{case_id}/approve", approval()),
        409,
        "case_state_conflict",
        "case_id",
    )
    assert api.ledger.head() == head


def test_an_approval_beyond_the_funds_available_balance_is_a_409_insufficient_funds(
    api: Api,
) -> None:
    case_id, _ = opened(api, yuan="2000.00")
    head = api.ledger.head()
    refused(
        api,
        api.post(f"/relief-cases/{case_id}/approve", approval("2000.01")),
        409,
        "insufficient_funds",
        "amount",
    )
    assert api.ledger.head() == head


def test_an_approval_needs_at_least_one_approver(api: Api) -> None:
    case_id, _ = opened(api)
    head = api.ledger.head()
    body = {**approval(), "approvers": []}
    refused(
        api, api.post(f"/relief-cases/{case_id}/approve", body), 422, "invalid_input", "approvers"
    )
    assert api.ledger.head() == head


# --- the emergency fast path ----------------------------------------------------------------------


def test_an_emergency_case_is_paid_before_approval_and_then_ratified(api: Api) -> None:
    case_id, fund_id = opened(api, emergency=True)
    body = disbursement("1500.00", paid_on="2024-03-01")
    paid = api.post(f"/relief-cases/{case_id}/disburse", body)
    assert paid.status_code == 201, paid.text
    case = paid.json()["case"]
    assert (case["status"], case["disbursed"], case["ratify_by"]) == (
        "open",
        "1500.00",
        "2024-03-08",
    )
    assert case["disbursements"][0]["awaiting_ratification"] is True
    fund = api.ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved) == (Money.yuan("8500.00"), Money.zero())

    key = new_id()
    ratified = api.post(
        f"/relief-cases/{case_id}/ratify", ratification(), **{"Idempotency-Key": key}
    )
    assert ratified.status_code == 201, ratified.text
    case = ratified.json()["case"]
    assert (case["ratified_on"], case["ratify_by"]) == ("2024-03-05", None)
    assert case["disbursements"][0]["awaiting_ratification"] is False
    head = api.ledger.head()
    nobody = api.post(f"/relief-cases/{case_id}/ratify", {**ratification(), "approvers": []})
    refused(api, nobody, 422, "invalid_input", "approvers")
    nothing = api.post(f"/relief-cases/{case_id}/ratify", ratification())
    refused(api, nothing, 409, "case_state_conflict", "case_id")
    assert "awaiting ratification" in nothing.json()["error"]["message"]
    assert api.ledger.head() == head


def test_a_case_that_is_not_an_emergency_cannot_be_paid_before_approval(api: Api) -> None:
    case_id, _ = opened(api, emergency=False)
    head = api.ledger.head()
    answer = api.post(f"/relief-cases/{case_id}/disburse", disbursement())
    refused(api, answer, 409, "case_state_conflict", "case_id")
    assert "not an emergency" in answer.json()["error"]["message"]
    assert api.ledger.head() == head


def test_a_fast_path_payment_beyond_the_funds_available_balance_is_a_409_insufficient_funds(
    api: Api,
) -> None:
    case_id, _ = opened(api, emergency=True, yuan="500.00")
    head = api.ledger.head()
    refused(
        api,
        api.post(f"/relief-cases/{case_id}/disburse", disbursement("500.01")),
        409,
        "insufficient_funds",
        "amount",
    )
    assert api.ledger.head() == head


# --- rejection and reversal -----------------------------------------------------------------------


def test_a_rejected_case_cannot_be_paid(api: Api) -> None:
    case_id, _ = opened(api, emergency=True)
    key = new_id()
    body = {"reason": "不符合救助条件", "rejected_on": "2024-03-02"}
    rejected = api.post(f"/relief-cases/{case_id}/reject", body, **{"Idempotency-Key": key})
    assert rejected.status_code == 201, rejected.text
    assert rejected.json()["case"]["status"] == "rejected"
    head = api.ledger.head()
    assert (
        api.post(f"/relief-cases/{case_id}/reject", body, **{"Idempotency-Key": key}).status_code
        == 200
    )
    answer = api.post(f"/relief-cases/{case_id}/disburse", disbursement())
    refused(api, answer, 409, "case_state_conflict", "case_id")
    assert "rejected" in answer.json()["error"]["message"]
    refused(
        api,
        api.post(f"/relief-cases/{case_id}/approve", approval()),
        409,
        "case_state_conflict",
        "case_id",
    )
    assert api.ledger.head() == head


def test_a_case_that_has_paid_out_cannot_be_rejected_until_the_payment_is_reversed(
    api: Api,
) -> None:
    case_id, fund_id = opened(api, emergency=True)
    paid = disbursement("1000.00")
    api.post(f"/relief-cases/{case_id}/disburse", paid)
    head = api.ledger.head()
    rejection = {"reason": "核查后不符合条件", "rejected_on": "2024-03-04"}
    refused(
        api,
        api.post(f"/relief-cases/{case_id}/reject", rejection),
        409,
        "case_state_conflict",
        "case_id",
    )
    assert api.ledger.head() == head

    body = {
        "reversal_id": new_id(),
        "disbursement_id": paid["disbursement_id"],
        "reason": "核查后不符合条件，款项已退回",
        "reversed_on": "2024-03-04",
    }
    reversed_ = api.post(f"/relief-cases/{case_id}/reverse", body)
    assert reversed_.status_code == 201, reversed_.text
    case = reversed_.json()["case"]
    assert (case["disbursed"], case["disbursements"], case["ratify_by"]) == ("0.00", [], None)
    assert api.ledger.get_fund(fund_id).available == Money.yuan("10000.00")
    head = api.ledger.head()
    assert api.post(f"/relief-cases/{case_id}/reverse", body).status_code == 200
    twice = api.post(f"/relief-cases/{case_id}/reverse", {**body, "reversal_id": new_id()})
    refused(api, twice, 409, "already_reversed", "disbursement_id")
    assert api.ledger.head() == head
    assert api.post(f"/relief-cases/{case_id}/reject", rejection).status_code == 201


@ON_BOTH
def test_a_reversed_disbursement_returns_to_the_approval_and_the_rest_can_still_be_paid(
    api: Api,
) -> None:
    case_id, fund_id = opened(api)
    api.post(f"/relief-cases/{case_id}/approve", approval("3000.00"))
    api.post(f"/relief-cases/{case_id}/disburse", disbursement("2000.00"))
    mistaken = disbursement("1000.00")
    api.post(f"/relief-cases/{case_id}/disburse", mistaken)
    body = {
        "reversal_id": new_id(),
        "disbursement_id": mistaken["disbursement_id"],
        "reason": "收款账户有误，款项退回",
        "reversed_on": "2024-03-04",
    }
    reversed_ = api.post(f"/relief-cases/{case_id}/reverse", body)
    assert reversed_.status_code == 201, reversed_.text
    assert reversed_.json()["case"]["disbursed"] == "2000.00"
    rest = api.post(f"/relief-cases/{case_id}/disburse", disbursement("1000.00"))
    assert rest.status_code == 201, rest.text
    assert rest.json()["case"]["disbursed"] == "3000.00"
    fund = api.ledger.get_fund(fund_id)
    assert (fund.balance, fund.reserved) == (Money.yuan("7000.00"), Money.zero())
    head = api.ledger.head()
    beyond = api.post(f"/relief-cases/{case_id}/disburse", disbursement("0.01"))
    refused(api, beyond, 409, "insufficient_funds", "amount")
    assert api.ledger.head() == head


def test_a_reversal_needs_a_public_reason(api: Api) -> None:
    case_id, _ = opened(api, emergency=True)
    paid = disbursement()
    api.post(f"/relief-cases/{case_id}/disburse", paid)
    head = api.ledger.head()
    body = {
        "reversal_id": new_id(),
        "disbursement_id": paid["disbursement_id"],
        "reason": "",
        "reversed_on": "2024-03-04",
    }
    refused(api, api.post(f"/relief-cases/{case_id}/reverse", body), 422, "invalid_text", "reason")
    assert api.ledger.head() == head


# --- who may --------------------------------------------------------------------------------------

WRITES: list[tuple[str, dict[str, Any]]] = [
    ("approve", approval()),
    ("reject", {"reason": "x", "rejected_on": "2024-03-02"}),
    ("disburse", disbursement()),
    ("ratify", ratification()),
    (
        "reverse",
        {
            "reversal_id": new_id(),
            "disbursement_id": new_id(),
            "reason": "x",
            "reversed_on": "2024-03-04",
        },
    ),
]


@pytest.mark.parametrize(("action", "body"), WRITES, ids=[w[0] for w in WRITES])
def test_a_staff_key_of_another_foundation_may_not_write_to_the_case_and_nothing_is_written(
    api: Api, action: str, body: dict[str, Any]
) -> None:
    case_id, _ = opened(api, emergency=True)
    other = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    head = api.ledger.head()
    answer = api.client.post(
        f"/relief-cases/{case_id}/{action}", json=body, headers=api.bearer("staff", other)
    )
    refused(api, answer, 403, "wrong_foundation", None)
    assert api.ledger.head() == head


def test_a_staff_key_of_another_foundation_may_not_open_a_case_and_writes_nothing_to_the_vault(
    api: Api,
) -> None:
    fund_id = relief_fund(api)
    other = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    head = api.ledger.head()
    body = case_body(api, fund_id, beneficiary={"name": NAME, "id_card": ID_CARD})
    answer = api.client.post("/relief-cases", json=body, headers=api.bearer("staff", other))
    refused(api, answer, 403, "wrong_foundation", None)
    assert no_personal_data(answer.text)
    assert api.ledger.head() == head
    assert vault_of(api.ledger)._rows("SELECT subject_id FROM vault_people") == []


@pytest.mark.parametrize("role", ["admin", "auditor", "privacy_officer"])
def test_only_staff_may_open_or_pay_a_case(api: Api, role: str) -> None:
    case_id, fund_id = opened(api, emergency=True)
    head = api.ledger.head()
    refused(
        api, api.post("/relief-cases", case_body(api, fund_id), role=role), 403, "forbidden", None
    )
    refused(
        api,
        api.post(f"/relief-cases/{case_id}/disburse", disbursement(), role=role),
        403,
        "forbidden",
        None,
    )
    assert api.ledger.head() == head


def test_a_case_is_read_by_staff_of_its_foundation_and_auditors_only(api: Api) -> None:
    case_id, _ = opened(api)
    path = f"/relief-cases/{case_id}"
    for role in ("staff", "auditor"):
        answer = api.client.get(path, headers=api.headers[role])
        assert answer.status_code == 200, answer.text
        assert answer.headers["ETag"] == f'"{answer.json()["version"]}"'
    other = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    refused(
        api, api.client.get(path, headers=api.bearer("staff", other)), 403, "wrong_foundation", None
    )
    refused(api, api.client.get(path, headers=api.admin), 403, "forbidden", None)
    refused(
        api,
        api.client.get(f"/relief-cases/{uuid4()}", headers=api.staff),
        404,
        "unknown_relief_case",
        "case_id",
    )
    refused(
        api,
        api.client.get("/relief-cases/case-1", headers=api.staff),
        422,
        "invalid_id",
        "case_id",
    )


def test_a_disbursement_with_a_stale_if_match_is_a_412(api: Api) -> None:
    case_id, _ = opened(api, emergency=True)
    etag = api.client.get(f"/relief-cases/{case_id}", headers=api.staff).headers["ETag"]
    api.post(f"/relief-cases/{case_id}/disburse", disbursement())
    head = api.ledger.head()
    stale = api.post(f"/relief-cases/{case_id}/disburse", disbursement(), **{"If-Match": etag})
    refused(api, stale, 412, "precondition_failed", "If-Match")
    assert api.ledger.head() == head


def test_a_beneficiary_id_number_with_a_wrong_check_character_is_a_422_that_does_not_echo_it(
    api: Api,
) -> None:
    fund_id = relief_fund(api)
    head = api.ledger.head()
    wrong = ID_CARD[:17] + "1"
    body = case_body(api, fund_id, beneficiary={"name": NAME, "id_card": wrong})
    answer = api.post("/relief-cases", body)
    refused(api, answer, 422, "invalid_text", "beneficiary.id_card")
    assert wrong not in answer.text
    assert no_personal_data(answer.text)
    assert api.ledger.head() == head


def test_a_refused_case_leaves_no_trace_of_the_person_in_the_vault(api: Api) -> None:
    def vault_rows() -> tuple[int, int]:
        count = vault_of(api.ledger)._rows
        subjects = count("SELECT COUNT(*) FROM vault_people")[0][0]
        return subjects, count("SELECT COUNT(*) FROM vault_uses")[0][0]

    general = relief_fund(api, kind="general")
    before = vault_rows()
    body = case_body(api, general, beneficiary={"name": NAME, "id_card": ID_CARD, "phone": PHONE})
    refused(api, api.post("/relief-cases", body), 409, "wrong_fund_kind", "fund_id")
    assert vault_rows() == before


def test_the_same_case_id_again_with_another_person_is_a_409_not_the_first_case(api: Api) -> None:
    fund_id = relief_fund(api)
    body = case_body(api, fund_id, beneficiary={"name": NAME, "phone": PHONE})
    assert api.post("/relief-cases", body).status_code == 201
    assert api.post("/relief-cases", body).status_code == 200  # a retry
    head = api.ledger.head()
    other = {**body, "beneficiary": {"name": "测试受助人丙（虚构）", "phone": PHONE}}
    refused(api, api.post("/relief-cases", other), 409, "duplicate_command", "case_id")
    assert api.ledger.head() == head
