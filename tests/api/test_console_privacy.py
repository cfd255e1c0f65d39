"""The privacy officer's desk over HTTP (issue 17; the browser tests are tests/browser/
test_console_privacy.py): a privacy_officer key finds a person by ID number or by the reference a
record carries, sees their data and their records in the log with the public pages of each, prints
the proof behind one record (which recomputes the commitment in the public log), and erases them
after a page that says what that does; a second send erases nothing more and says so. No other key
may open the desk, every action needs the session's CSRF token, and the ID number is never in an
address: every request is a POST with it in the body."""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import re
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from domain.money import Money
from storage.vault import Vault
from tests.api.conftest import ON_BOTH, Api
from tests.api.test_console import TOKEN, caught_up, signed_in, staff_key
from tests.support import DAY, donate, open_fund, person, relief_case, vault_of

ID_CARD = "11010519491231002X"
NAME = "测试受助人戊（虚构）"
PHONE = "13900003333"


def officer_signed_in(api: Api, client: TestClient | None = None) -> str:
    """Signs the client in with a new privacy_officer key; returns the desk's CSRF token."""
    client = client or api.client
    _, key = api.keys.create("privacy_officer", None)
    signed_in(client, key)
    desk = client.get("/console/privacy")
    assert desk.status_code == 200, desk.text
    token = TOKEN.search(desk.text)
    assert token is not None
    return token.group(1)


def a_person_with_two_records(api: Api) -> tuple[UUID, UUID, UUID, UUID]:
    """A person who donated and was helped: (subject, donation's reference, case, case's reference)."""
    subject = person(api.ledger, NAME, owner=api.foundation, id_card=ID_CARD, phone=PHONE)
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "10", donor_kind="person", donor_subject_id=subject)
    relief = open_fund(api.ledger, api.foundation, kind="emergency_relief", name="暖心基金")
    donate(api.ledger, relief, "5000")
    case = relief_case(api.ledger, relief, subject)
    donor_ref, case_ref = vault_of(api.ledger).references_of(subject)
    caught_up(api)
    return subject, donor_ref, case, case_ref


def event_state(api: Api, reference: UUID) -> tuple[int, dict[str, object]]:
    for notification in api.ledger.recorder.select_notifications(1, 10_000):
        state = json.loads(notification.state)
        stored = notification.state.decode()
        if str(reference) in stored or reference.hex in stored:  # the store may write it as hex
            return notification.id, state
    raise AssertionError(f"no event carries {reference}")


def text_of(answer: object) -> str:
    return html.unescape(answer.text)  # type: ignore[attr-defined]


@ON_BOTH
def test_a_person_is_found_by_id_number_with_their_data_and_both_their_records(api: Api) -> None:
    subject, donor_ref, case, case_ref = a_person_with_two_records(api)
    token = officer_signed_in(api)
    found = api.client.post(
        "/console/privacy/find?lang=en",
        data={"csrf_token": token, "by": "id_card", "id_card": ID_CARD.lower()},
    )
    assert found.status_code == 200, found.text
    assert found.headers["cache-control"] == "no-store"
    page = text_of(found)
    assert NAME in page
    assert ID_CARD in page
    assert PHONE in page
    assert str(subject) in page
    donation_at, _ = event_state(api, donor_ref)
    case_at, _ = event_state(api, case_ref)
    assert "A donation of" in page
    assert f'href="/entries/{donation_at - 1}"' in page
    assert "A relief case was opened" in page
    assert f'href="/entries/{case_at - 1}"' in page
    assert f'href="/relief-cases/{case}"' in page
    assert page.index(str(donor_ref)) < page.index(str(case_ref)), "oldest record first"


@ON_BOTH
def test_the_json_api_lists_the_same_records_of_a_person_as_the_desk(api: Api) -> None:
    subject, donor_ref, _, case_ref = a_person_with_two_records(api)
    officer = api.headers["privacy_officer"]
    answer = api.client.get(f"/personal-data/{subject}/uses", headers=officer)
    assert answer.status_code == 200, answer.text
    donation_at, _ = event_state(api, donor_ref)
    case_at, _ = event_state(api, case_ref)
    assert answer.json() == {
        "subject_id": str(subject),
        "uses": [
            {
                "reference": str(donor_ref),
                "position": donation_at,
                "commitment_field": "donor_commitment",
            },
            {
                "reference": str(case_ref),
                "position": case_at,
                "commitment_field": "beneficiary_commitment",
            },
        ],
    }
    unknown = api.client.get(f"/personal-data/{uuid4()}/uses", headers=officer)
    assert unknown.status_code == 404
    vault_of(api.ledger).erase(subject, api.ledger.today())
    erased = api.client.get(f"/personal-data/{subject}/uses", headers=officer)
    assert erased.status_code == 409
    assert erased.json()["error"]["code"] == "subject_erased"


@ON_BOTH
def test_a_person_is_found_by_the_reference_a_record_carries(api: Api) -> None:
    subject, _, _, case_ref = a_person_with_two_records(api)
    token = officer_signed_in(api)
    found = api.client.post(
        "/console/privacy/find",
        data={"csrf_token": token, "by": "reference", "reference": str(case_ref)},
    )
    assert found.status_code == 200, found.text
    assert NAME in found.text
    assert str(subject) in found.text


def test_a_wrong_id_number_is_refused_beside_its_field_with_the_input_kept(api: Api) -> None:
    token = officer_signed_in(api)
    typed = "110105194912310021"  # the check character should be X
    answer = api.client.post(
        "/console/privacy/find?lang=en",
        data={"csrf_token": token, "by": "id_card", "id_card": typed},
    )
    assert answer.status_code == 422
    assert 'id="id_card-error"' in answer.text
    assert "check character is wrong" in answer.text
    assert f'value="{typed}"' in answer.text
    assert 'aria-invalid="true"' in answer.text


def test_no_one_with_the_id_number_or_reference_says_so_beside_the_field(api: Api) -> None:
    token = officer_signed_in(api)
    nobody = api.client.post(
        "/console/privacy/find?lang=en",
        data={"csrf_token": token, "by": "id_card", "id_card": ID_CARD},
    )
    assert nobody.status_code == 404
    assert 'id="id_card-error"' in nobody.text
    assert "The vault holds no one with this." in nobody.text
    unknown = api.client.post(
        "/console/privacy/find?lang=en",
        data={"csrf_token": token, "by": "reference", "reference": str(uuid4())},
    )
    assert unknown.status_code == 404
    assert 'id="reference-error"' in unknown.text
    assert "unknown_subject" in unknown.text


def test_the_same_id_number_entered_by_two_foundations_lists_both_to_choose_from(api: Api) -> None:
    first = person(api.ledger, "测试人员己（虚构）", owner=api.foundation, id_card=ID_CARD)
    second = person(api.ledger, "测试人员庚（虚构）", owner=uuid4(), id_card=ID_CARD)
    token = officer_signed_in(api)
    found = api.client.post(
        "/console/privacy/find?lang=en",
        data={"csrf_token": token, "by": "id_card", "id_card": ID_CARD},
    )
    assert found.status_code == 200
    assert "2 people found" in found.text
    for subject in (first, second):
        assert f'name="subject_id" value="{subject}"' in found.text
    opened = api.client.post(
        "/console/privacy/person", data={"csrf_token": token, "subject_id": str(second)}
    )
    assert opened.status_code == 200
    assert "测试人员庚（虚构）" in opened.text
    assert "测试人员己（虚构）" not in opened.text


def test_the_proof_of_one_record_recomputes_the_commitment_in_the_public_log(api: Api) -> None:
    _, donor_ref, _, _ = a_person_with_two_records(api)
    token = officer_signed_in(api)
    answer = api.client.post(
        "/console/privacy/proof?lang=en", data={"csrf_token": token, "reference": str(donor_ref)}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    page = text_of(answer)
    position, state = event_state(api, donor_ref)
    salt = re.search(r"Salt \(hex, 32 bytes\)</dt><dd><code>([0-9a-f]{64})</code>", page)
    data = re.search(r"The data committed to \(UTF-8 JSON\)</dt><dd><code>([^<]+)</code>", page)
    assert salt is not None
    assert data is not None
    recomputed = hmac.new(
        bytes.fromhex(salt.group(1)), data.group(1).encode(), hashlib.sha256
    ).hexdigest()
    assert recomputed == state["donor_commitment"]
    assert str(state["donor_commitment"]) in page
    assert "A donation of ¥10.00 was received" in page
    assert f"Entry {position} (entry index {position - 1})" in page
    assert f'href="/entries/{position - 1}"' in page
    assert "donor_commitment" in page
    assert NAME in page


def test_the_proof_of_a_relief_case_shows_what_was_paid_and_links_to_the_cases_page(
    api: Api,
) -> None:
    subject = person(api.ledger, NAME, owner=api.foundation)
    relief = open_fund(api.ledger, api.foundation, kind="emergency_relief", name="暖心基金")
    donate(api.ledger, relief, "5000")
    case = relief_case(api.ledger, relief, subject, emergency=True)
    api.ledger.disburse_relief(case, disbursement_id=uuid4(), amount=Money.yuan("800"), paid_on=DAY)
    (case_ref,) = vault_of(api.ledger).references_of(subject)
    caught_up(api)
    token = officer_signed_in(api)
    answer = api.client.post(
        "/console/privacy/proof?lang=en", data={"csrf_token": token, "reference": str(case_ref)}
    )
    assert answer.status_code == 200, answer.text
    _, state = event_state(api, case_ref)
    assert str(state["beneficiary_commitment"]) in answer.text
    assert "beneficiary_commitment" in answer.text
    assert f'href="/relief-cases/{case}"' in answer.text
    assert "¥800.00 of relief was paid (1 Mar 2024)" in text_of(answer)
    case_entries = [
        n.id for n in api.ledger.recorder.select_notifications(1, 10_000) if n.originator_id == case
    ]
    assert len(case_entries) == 2, "opened, then paid"
    for position in case_entries:
        assert f'href="/entries/{position - 1}"' in answer.text


def test_the_proof_of_a_donation_lists_no_other_entries_of_its_fund(api: Api) -> None:
    _, donor_ref, _, _ = a_person_with_two_records(api)
    token = officer_signed_in(api)
    answer = api.client.post(
        "/console/privacy/proof?lang=en", data={"csrf_token": token, "reference": str(donor_ref)}
    )
    assert "The record's entries" not in text_of(answer)
    assert "opened the fund" not in answer.text


@ON_BOTH
def test_an_erasure_is_confirmed_then_done_once_and_the_person_is_then_not_found(api: Api) -> None:
    subject, donor_ref, _, case_ref = a_person_with_two_records(api)
    head = api.ledger.head()
    token = officer_signed_in(api)
    confirm = api.client.post(
        "/console/privacy/erase/confirm?lang=en",
        data={"csrf_token": token, "subject_id": str(subject)},
    )
    assert confirm.status_code == 200, confirm.text
    page = text_of(confirm)
    for said in (
        "What disappears",
        "The links between this person's records (2 in the log)",
        "The detailed reasons of their relief cases",
        "What stays",
        "The public log, unchanged",
        "An erasure cannot be undone.",
        str(donor_ref),
        str(case_ref),
    ):
        assert said in page, said
    assert vault_of(api.ledger).erased_on(subject) is None, "confirming erases nothing"
    form = {"csrf_token": token, "subject_id": str(subject)}
    erased = api.client.post("/console/privacy/erase?lang=en", data=form)
    assert erased.status_code == 200, erased.text
    assert "This person's personal data was erased on" in text_of(erased)
    day = vault_of(api.ledger).erased_on(subject)
    assert day is not None
    again = api.client.post("/console/privacy/erase?lang=en", data=form)
    assert again.status_code == 200
    assert "had already been erased on" in again.text
    assert "nothing more was erased" in again.text
    assert vault_of(api.ledger).erased_on(subject) == day
    assert api.ledger.head() == head, "the log is never rewritten, nor written"
    by_number = api.client.post(
        "/console/privacy/find?lang=en",
        data={"csrf_token": token, "by": "id_card", "id_card": ID_CARD},
    )
    assert by_number.status_code == 404
    by_reference = api.client.post(
        "/console/privacy/find?lang=en",
        data={"csrf_token": token, "by": "reference", "reference": str(donor_ref)},
    )
    assert by_reference.status_code == 409
    assert "subject_erased" in by_reference.text
    assert NAME not in by_number.text + by_reference.text


def test_the_erasure_of_a_donor_who_had_no_relief_case_says_nothing_of_reasons(api: Api) -> None:
    subject = person(api.ledger, NAME, owner=api.foundation)
    donate(
        api.ledger,
        open_fund(api.ledger, api.foundation),
        "10",
        donor_kind="person",
        donor_subject_id=subject,
    )
    caught_up(api)
    token = officer_signed_in(api)
    confirm = api.client.post(
        "/console/privacy/erase/confirm?lang=en",
        data={"csrf_token": token, "subject_id": str(subject)},
    )
    page = text_of(confirm)
    assert "The links between this person's records (1 in the log)" in page
    assert "relief cases" not in page


def test_an_erased_person_has_no_page_and_no_proof(api: Api) -> None:
    subject, donor_ref, _, _ = a_person_with_two_records(api)
    vault: Vault = vault_of(api.ledger)
    vault.erase(subject, api.ledger.today())
    token = officer_signed_in(api)
    shown = api.client.post(
        "/console/privacy/person", data={"csrf_token": token, "subject_id": str(subject)}
    )
    assert shown.status_code == 409
    assert "subject_erased" in shown.text
    proof = api.client.post(
        "/console/privacy/proof", data={"csrf_token": token, "reference": str(donor_ref)}
    )
    assert proof.status_code == 409


def test_a_privacy_officer_signs_in_to_the_privacy_desk(api: Api) -> None:
    _, key = api.keys.create("privacy_officer", None)
    signed_in(api.client, key)
    home = api.client.get("/console", follow_redirects=False)
    assert home.status_code == 303
    assert home.headers["location"] == "/console/privacy"


def test_a_staff_key_may_not_open_the_desk_nor_post_to_it(api: Api) -> None:
    subject, _, _, _ = a_person_with_two_records(api)
    signed_in(api.client, staff_key(api))
    desk = api.client.get("/console/privacy")
    assert desk.status_code == 403
    assert "forbidden" in desk.text
    staff_desk = api.client.get(f"/console/foundations/{api.foundation}")
    token = TOKEN.search(staff_desk.text)
    assert token is not None
    for path, fields in (
        ("/console/privacy/find", {"by": "id_card", "id_card": ID_CARD}),
        ("/console/privacy/person", {"subject_id": str(subject)}),
        ("/console/privacy/erase", {"subject_id": str(subject)}),
    ):
        answer = api.client.post(path, data={"csrf_token": token.group(1), **fields})
        assert answer.status_code == 403, path
        assert NAME not in answer.text
    assert vault_of(api.ledger).erased_on(subject) is None


def test_every_action_needs_the_sessions_csrf_token(api: Api) -> None:
    subject, _, _, _ = a_person_with_two_records(api)
    officer_signed_in(api)
    for path, fields in (
        ("/console/privacy/find", {"by": "id_card", "id_card": ID_CARD}),
        ("/console/privacy/person", {"subject_id": str(subject)}),
        ("/console/privacy/proof", {"reference": str(uuid4())}),
        ("/console/privacy/erase/confirm", {"subject_id": str(subject)}),
        ("/console/privacy/erase", {"subject_id": str(subject)}),
    ):
        for token in ({}, {"csrf_token": "not-this-sessions"}):
            answer = api.client.post(path, data={**token, **fields})
            assert answer.status_code == 403, path
            assert "csrf_refused" in answer.text
            assert NAME not in answer.text
    assert vault_of(api.ledger).erased_on(subject) is None


def test_the_id_number_is_in_no_address_of_the_whole_visit(api: Api) -> None:
    subject, donor_ref, _, _ = a_person_with_two_records(api)
    token = officer_signed_in(api)
    answers = [
        api.client.post(
            "/console/privacy/find", data={"csrf_token": token, "by": "id_card", "id_card": ID_CARD}
        ),
        api.client.post(
            "/console/privacy/person", data={"csrf_token": token, "subject_id": str(subject)}
        ),
        api.client.post(
            "/console/privacy/proof", data={"csrf_token": token, "reference": str(donor_ref)}
        ),
        api.client.post(
            "/console/privacy/erase/confirm", data={"csrf_token": token, "subject_id": str(subject)}
        ),
        api.client.post(
            "/console/privacy/erase", data={"csrf_token": token, "subject_id": str(subject)}
        ),
    ]
    addresses = []
    for answer in answers:
        assert answer.status_code == 200, answer.text
        addresses += [str(step.url) for step in [*answer.history, answer]]
        addresses += [step.headers.get("location", "") for step in [*answer.history, answer]]
        # Every link and form target on the pages too: none carries a person's details.
        addresses += re.findall(r'(?:href|action)="([^"]*)"', answer.text)
    for address in addresses:
        for secret in (ID_CARD, ID_CARD.lower(), NAME, PHONE, str(subject)):
            assert secret not in address, address


def test_an_actions_address_asked_by_get_leads_back_to_the_desk_in_the_language_asked(
    api: Api,
) -> None:
    officer_signed_in(api)
    for path in ("find", "person", "proof", "erase/confirm", "erase"):
        # What the page's language link asks for: the person is not in the address to show again.
        answer = api.client.get(f"/console/privacy/{path}?lang=en", follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == "/console/privacy?lang=en"
    desk = api.client.get("/console/privacy/person?lang=en")
    assert desk.status_code == 200
    assert "The privacy officer" in text_of(desk)
