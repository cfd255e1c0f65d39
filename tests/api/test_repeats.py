"""A repeated command answers what its first answer said: the record as that command left it (its
state, `ETag` and `position`), not as it is now. A client retrying after a lost answer must learn what
its own command did, not what other commands did since."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import ON_BOTH, Api, new_id
from tests.api.test_grants_api import award_body, awarded, funded, instalment, recipient
from tests.api.test_relief_api import approval, disbursement, opened
from tests.support import open_fund


def donation(yuan: str) -> dict[str, Any]:
    return {
        "donation_id": new_id(),
        "amount": yuan,
        "currency": "CNY",
        "received_on": "2024-02-01",
        "donor": {"kind": "anonymous"},
    }


def first_and_repeat(api: Api, path: str, body: dict[str, Any], between: Any) -> None:
    first = api.post(path, body)
    assert first.status_code == 201, first.text
    between()
    head = api.ledger.head()
    repeat = api.post(path, body)
    assert repeat.status_code == 200, repeat.text
    assert repeat.json() == first.json()
    assert repeat.headers["ETag"] == first.headers["ETag"]
    assert api.ledger.head() == head  # and nothing was written


@ON_BOTH
def test_a_repeated_donation_answers_the_fund_as_that_donation_left_it(api: Api) -> None:
    fund_id = open_fund(api.ledger, api.foundation)
    path = f"/funds/{fund_id}/donations"
    a = donation("100.00")

    def b() -> None:
        answer = api.post(path, donation("200.00"))
        assert answer.json()["fund"]["balance"] == "300.00"

    first = api.post(path, a)
    assert first.json()["fund"]["balance"] == "100.00"
    b()
    repeat = api.post(path, a)
    assert repeat.status_code == 200
    assert repeat.json()["fund"]["balance"] == "100.00"
    assert repeat.json() == first.json()
    assert repeat.headers["ETag"] == first.headers["ETag"]


def test_a_repeated_grant_instalment_answers_the_grant_as_that_instalment_left_it(
    api: Api,
) -> None:
    grant_id, _ = awarded(api)
    path = f"/grants/{grant_id}/payments"
    first_and_repeat(
        api,
        path,
        instalment(amount="1000.00"),
        lambda: api.post(path, instalment(amount="500.00")),
    )


def test_a_repeated_award_answers_the_grant_as_it_was_awarded(api: Api) -> None:
    body = award_body(funded(api), recipient(api))
    first_and_repeat(
        api,
        "/grants",
        body,
        lambda: api.post(f"/grants/{body['grant_id']}/payments", instalment()),
    )


def test_a_repeated_relief_disbursement_answers_the_case_as_that_disbursement_left_it(
    api: Api,
) -> None:
    case_id, _ = opened(api)
    assert api.post(f"/relief-cases/{case_id}/approve", approval()).status_code == 201
    path = f"/relief-cases/{case_id}/disburse"
    first_and_repeat(
        api, path, disbursement("1000.00"), lambda: api.post(path, disbursement("500.00"))
    )


def test_a_repeated_approval_by_idempotency_key_answers_the_case_as_approved(api: Api) -> None:
    case_id, _ = opened(api)
    key = new_id()
    body = approval()
    path = f"/relief-cases/{case_id}/approve"
    first = api.post(path, body, **{"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    paid = api.post(f"/relief-cases/{case_id}/disburse", disbursement("1000.00"))
    assert paid.status_code == 201, paid.text
    repeat = api.post(path, body, **{"Idempotency-Key": key})
    assert repeat.status_code == 200, repeat.text
    assert repeat.json() == first.json()
    assert repeat.headers["ETag"] == first.headers["ETag"]
