"""The vault over HTTP, for the privacy officer only: store and correct a person's data, read it,
erase it (idempotently), and hand a person the proof behind a commitment in the public log, which they
can check themselves with nothing but HMAC-SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.clock import shanghai_today
from domain.privacy import PersonalData, commitment
from tests.api.conftest import ON_BOTH, Api, refused
from tests.support import PUT_INTO_VAULTS, donate, open_fund, vault_of

ID_CARD = "11010519491231002X"
ROUTES = [
    ("PUT", "/personal-data/{id}"),
    ("GET", "/personal-data/{id}"),
    ("DELETE", "/personal-data/{id}"),
    ("GET", "/personal-data/references/{id}/proof"),
    ("GET", "/personal-data/references/{id}/subject"),
    ("POST", "/personal-data/search"),
]


def officer(api: Api, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return api.client.request(method, path, json=body, headers=api.headers["privacy_officer"])


def put(api: Api, subject: UUID | str, **fields: Any) -> Any:
    body = {"name": "测试人员甲（虚构）", **fields}
    # Recorded so the suite's check that no event holds vault data covers these too (tests/conftest.py).
    PUT_INTO_VAULTS.update(body[k] for k in ("name", "id_card", "phone") if body.get(k))
    PUT_INTO_VAULTS.update({str(subject), UUID(str(subject)).hex})
    return officer(api, "PUT", f"/personal-data/{subject}", body)


@ON_BOTH
def test_storing_a_person_answers_201_and_correcting_them_200(api: Api) -> None:
    subject = uuid4()
    stored = put(api, subject, id_card=ID_CARD.lower(), phone="13700001111")
    assert stored.status_code == 201
    assert stored.json() == {
        "subject_id": str(subject),
        "name": "测试人员甲（虚构）",
        "id_card": ID_CARD,
        "phone": "13700001111",
        "address": None,
        "neighbourhood_committee": None,
    }
    corrected = put(api, subject, name="测试人员乙（虚构）")
    assert corrected.status_code == 200
    read = officer(api, "GET", f"/personal-data/{subject}")
    assert (read.status_code, read.json()["name"], read.json()["phone"]) == (
        200,
        "测试人员乙（虚构）",
        None,
    )


def test_the_ledger_does_not_move_when_personal_data_is_stored_or_erased(api: Api) -> None:
    head, subject = api.ledger.head(), uuid4()
    put(api, subject)
    officer(api, "DELETE", f"/personal-data/{subject}")
    assert api.ledger.head() == head


def test_an_unknown_subject_is_a_404_naming_subject_id(api: Api) -> None:
    for method in ("GET", "DELETE"):
        refused(
            api,
            officer(api, method, f"/personal-data/{uuid4()}"),
            404,
            "unknown_subject",
            "subject_id",
        )


def test_bad_personal_data_is_a_422_naming_the_field(api: Api) -> None:
    subject = uuid4()
    bad_check = {"name": "甲", "id_card": "110105194912310021"}
    refused(
        api,
        officer(api, "PUT", f"/personal-data/{subject}", bad_check),
        422,
        "invalid_text",
        "id_card",
    )
    refused(
        api,
        officer(api, "PUT", f"/personal-data/{subject}", {"name": ""}),
        422,
        "invalid_text",
        "name",
    )
    unknown = officer(api, "PUT", f"/personal-data/{subject}", {"name": "甲", "nickname": "x"})
    refused(api, unknown, 422, "unknown_field", "nickname")
    refused(
        api,
        officer(api, "PUT", "/personal-data/not-a-uuid", {"name": "x"}),
        422,
        "invalid_id",
        "subject_id",
    )
    assert officer(api, "GET", f"/personal-data/{subject}").status_code == 404


def test_erasing_is_idempotent_and_leaves_nothing_to_read_or_correct(api: Api) -> None:
    subject = uuid4()
    put(api, subject)
    first = officer(api, "DELETE", f"/personal-data/{subject}?erased_on=2025-01-15")
    assert (first.status_code, first.json()) == (
        200,
        {"subject_id": str(subject), "erased_on": "2025-01-15", "already_erased": False},
    )
    again = officer(api, "DELETE", f"/personal-data/{subject}")
    assert (again.status_code, again.json()["erased_on"], again.json()["already_erased"]) == (
        200,
        "2025-01-15",
        True,
    )
    refused(
        api, officer(api, "GET", f"/personal-data/{subject}"), 409, "subject_erased", "subject_id"
    )
    refused(api, put(api, subject), 409, "subject_erased", "subject_id")


def test_erasing_without_a_date_erases_today_in_shanghai(api: Api) -> None:
    subject = uuid4()
    put(api, subject)
    answer = officer(api, "DELETE", f"/personal-data/{subject}")
    assert answer.json()["erased_on"] == shanghai_today().isoformat()


@ON_BOTH
def test_a_person_can_recompute_the_commitment_in_the_public_log_from_the_proof(api: Api) -> None:
    subject = uuid4()
    put(api, subject, id_card=ID_CARD)
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "10", donor_kind="person", donor_subject_id=subject)
    event = json.loads(api.ledger.recorder.select_notifications(api.ledger.head(), 1)[0].state)
    reference, committed = event["donor_ref"], event["donor_commitment"]
    put(api, subject, name="测试人员乙（虚构）")  # a later correction does not change the proof
    answer = officer(api, "GET", f"/personal-data/references/{reference}/proof")
    assert answer.status_code == 200, answer.text
    proof = answer.json()
    assert proof["commitment"] == committed
    # With the domain's own function...
    data = PersonalData.from_canonical(proof["canonical_data"].encode())
    assert data.name == "测试人员甲（虚构）"
    assert commitment(bytes.fromhex(proof["salt_hex"]), data) == committed
    # ...and as docs/API.md tells a person to, with nothing but HMAC-SHA-256.
    mac = hmac.new(
        bytes.fromhex(proof["salt_hex"]), proof["canonical_data"].encode(), hashlib.sha256
    )
    assert mac.hexdigest() == committed


def test_a_proof_after_erasure_is_a_409_and_of_an_unknown_reference_a_404(api: Api) -> None:
    subject = uuid4()
    put(api, subject)
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "10", donor_kind="person", donor_subject_id=subject)
    reference = json.loads(api.ledger.recorder.select_notifications(api.ledger.head(), 1)[0].state)[
        "donor_ref"
    ]
    officer(api, "DELETE", f"/personal-data/{subject}")
    refused(
        api,
        officer(api, "GET", f"/personal-data/references/{reference}/proof"),
        409,
        "subject_erased",
        "reference",
    )
    refused(
        api,
        officer(api, "GET", f"/personal-data/references/{uuid4()}/proof"),
        404,
        "unknown_subject",
        "reference",
    )


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("role", ["admin", "staff", "auditor"])
def test_each_other_role_is_refused_with_a_403(api: Api, method: str, path: str, role: str) -> None:
    subject = uuid4()
    put(api, subject)
    answer = api.client.request(
        method, path.format(id=subject), json={"name": "x"}, headers=api.headers[role]
    )
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"] == "forbidden"
    assert role in answer.json()["error"]["message"]
    assert officer(api, "GET", f"/personal-data/{subject}").json()["name"] == "测试人员甲（虚构）"


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_no_key_is_a_401(api: Api, method: str, path: str) -> None:
    answer = api.client.request(method, path.format(id=uuid4()), json={"name": "x"})
    assert answer.status_code == 401
    assert answer.json()["error"]["field"] == "Authorization"


def flip_a_byte(api: Api, table: str, column: str) -> None:
    """What a bad disk sector or a careless restore does to a vault row."""
    vault = vault_of(api.ledger)
    for key, blob in vault._rows(f"SELECT rowid, {column} FROM {table}"):
        damaged = bytearray(blob)
        damaged[len(damaged) // 2] ^= 0x01
        vault._rows(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (bytes(damaged), key))


def named_donor(api: Api) -> tuple[UUID, str]:
    subject = uuid4()
    put(api, subject, name="测试捐赠人癸（虚构）")
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "10", donor_kind="person", donor_subject_id=subject, publish_name=True)
    event = json.loads(api.ledger.recorder.select_notifications(api.ledger.head(), 1)[0].state)
    return subject, event["donor_ref"]


def undecryptable(api: Api) -> str:
    metrics = api.client.get("/metrics").text
    (line,) = [
        x for x in metrics.splitlines() if x.startswith("mingzhang_vault_undecryptable_total")
    ]
    return str(line.split()[-1])


def test_a_name_that_cannot_be_decrypted_is_left_off_the_public_page_and_counted(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    named_donor(api)
    runner = api.client.app.state.runner  # type: ignore[attr-defined]
    assert runner.wait_for("disclosure", api.ledger.head())
    flip_a_byte(api, "vault_people", "payload")
    page = api.client.get(f"/disclosure/foundations/{api.foundation}")
    assert page.status_code == 200, page.text
    assert "测试捐赠人癸（虚构）" not in page.text
    assert [d["donor_name"] for d in page.json()["named_donations"]] == []
    assert undecryptable(api) == "1"
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "decrypt" in logged
    assert "测试捐赠人癸" not in logged


def test_a_proof_that_cannot_be_decrypted_is_a_409_damaged_record(api: Api) -> None:
    _, reference = named_donor(api)
    flip_a_byte(api, "vault_uses", "secret")
    answer = officer(api, "GET", f"/personal-data/references/{reference}/proof")
    refused(api, answer, 409, "damaged_record", "reference")


@ON_BOTH
def test_the_privacy_officer_finds_the_subject_behind_a_public_reference(api: Api) -> None:
    subject, reference = named_donor(api)
    answer = officer(api, "GET", f"/personal-data/references/{reference}/subject")
    assert (answer.status_code, answer.json()) == (200, {"subject_id": str(subject)})
    erased = officer(api, "DELETE", f"/personal-data/{subject}")
    assert erased.status_code == 200
    gone = officer(api, "GET", f"/personal-data/references/{reference}/subject")
    refused(api, gone, 409, "subject_erased", "reference")


@ON_BOTH
def test_the_privacy_officer_finds_a_subject_by_id_number_sent_in_the_body(api: Api) -> None:
    subject, other = uuid4(), uuid4()
    put(api, subject, id_card=ID_CARD)
    put(api, other, id_card="440304199003070026")
    found = officer(api, "POST", "/personal-data/search", {"id_card": ID_CARD.lower()})
    assert (found.status_code, found.json()) == (200, {"subject_ids": [str(subject)]})
    nobody = officer(api, "POST", "/personal-data/search", {"id_card": "310115198001011238"})
    assert (nobody.status_code, nobody.json()) == (200, {"subject_ids": []})
    bad = officer(api, "POST", "/personal-data/search", {"id_card": "110105194912310021"})
    refused(api, bad, 422, "invalid_text", "id_card")


def test_a_command_repeated_after_its_person_was_erased_answers_as_before_and_revives_no_one(
    api: Api,
) -> None:
    fund = open_fund(api.ledger, api.foundation)
    PUT_INTO_VAULTS.add("测试捐赠人子（虚构）")
    body = {
        "donation_id": str(uuid4()),
        "amount": "10.00",
        "currency": "CNY",
        "received_on": "2024-03-01",
        "donor": {"kind": "person", "person": {"name": "测试捐赠人子（虚构）"}},
    }
    first = api.post(f"/funds/{fund}/donations", body)
    assert first.status_code == 201, first.text
    event = json.loads(api.ledger.recorder.select_notifications(api.ledger.head(), 1)[0].state)
    found = officer(api, "GET", f"/personal-data/references/{event['donor_ref']}/subject")
    subject = found.json()["subject_id"]
    assert officer(api, "DELETE", f"/personal-data/{subject}").status_code == 200
    head = api.ledger.head()
    again = api.post(f"/funds/{fund}/donations", body)
    assert again.status_code == 200, again.text
    assert api.ledger.head() == head
    assert vault_of(api.ledger)._rows("SELECT payload FROM vault_people") == [(None,)]
