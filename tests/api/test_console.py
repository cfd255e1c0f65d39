"""The staff console over HTTP (issue 17's first slice; the browser tests are tests/browser/
test_console.py): an API key signs in to a server-side session, every POST needs the session's CSRF
token, a session ends on sign-out, at expiry and when its key is revoked, a staff key works only at
its own foundation's desk and forms, and a form's command id makes a repeat record nothing new."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from api.app import create_app
from domain.ledger import Ledger
from domain.money import Money
from storage.console_sessions import _digest
from storage.database import Database
from tests.api.conftest import ON_BOTH, Api, settings_for
from tests.support import DAY, award, donate, open_fund, register

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
COMMAND = re.compile(r'name="command_id" value="([^"]+)"')


def caught_up(api: Api) -> None:
    """The desk reads the views: wait until they hold what the test recorded."""
    runner = api.client.app.state.runner  # type: ignore[attr-defined]
    for view in ("disclosure", "history"):
        assert runner.wait_for(view, api.ledger.head(), timeout=30)


def signed_in(client: TestClient, key: str) -> None:
    form = client.get("/console/sign-in")
    token = TOKEN.search(form.text)
    assert token is not None, form.text
    answer = client.post(
        "/console/sign-in", data={"csrf_token": token.group(1), "key": key}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/console"


def staff_key(api: Api, foundation: UUID | None = None) -> str:
    _, token = api.keys.create("staff", foundation or api.foundation)
    return token


def opened_form(client: TestClient, foundation: UUID, name: str = "donation") -> tuple[str, str]:
    """The form as a browser opens it: its CSRF token and command id."""
    page = client.get(f"/console/foundations/{foundation}/forms/{name}")
    assert page.status_code == 200, page.text
    token, command = TOKEN.search(page.text), COMMAND.search(page.text)
    assert token is not None
    assert command is not None
    return token.group(1), command.group(1)


def donation(fund_id: UUID, token: str, command: str, **overrides: str) -> dict[str, Any]:
    return {
        "csrf_token": token,
        "command_id": command,
        "fund_id": str(fund_id),
        "amount": "88.00",
        "received_on": "2024-03-01",
        "donor_kind": "anonymous",
        **overrides,
    }


def test_the_console_asks_for_a_sign_in_first(api: Api) -> None:
    answer = api.client.get("/console", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/sign-in"


def test_a_staff_key_signs_in_to_its_foundations_desk_with_a_strict_httponly_cookie(
    api: Api,
) -> None:
    signed_in(api.client, staff_key(api))
    caught_up(api)
    cookie = next(c for c in api.client.cookies.jar if c.name == "mz_console")
    assert cookie.path == "/console"
    assert cookie.has_nonstandard_attr("HttpOnly")
    desk = api.client.get("/console")
    assert desk.url.path == f"/console/foundations/{api.foundation}"
    assert "陆家嘴社区基金会" in desk.text
    assert desk.headers["cache-control"] == "no-store"


def test_the_session_cookie_is_secure_over_https(api: Api) -> None:
    client = TestClient(api.client.app, base_url="https://testserver")
    form = client.get("/console/sign-in")
    token = TOKEN.search(form.text)
    assert token is not None
    answer = client.post(
        "/console/sign-in",
        data={"csrf_token": token.group(1), "key": staff_key(api)},
        follow_redirects=False,
    )
    assert "secure" in answer.headers["set-cookie"].lower()
    assert "samesite=strict" in answer.headers["set-cookie"].lower()


@ON_BOTH
def test_the_session_is_stored_only_as_a_hash_beside_the_keys(api: Api) -> None:
    signed_in(api.client, staff_key(api))
    session_id = api.client.cookies["mz_console"]
    stored = api.keys.db.execute("SELECT session_sha256 FROM console_sessions")
    assert stored == [(_digest(session_id),)]
    assert not any(
        session_id in str(row) for row in api.keys.db.execute("SELECT * FROM console_sessions")
    )


def test_a_wrong_key_is_refused_with_the_form_again(api: Api) -> None:
    form = api.client.get("/console/sign-in")
    token = TOKEN.search(form.text)
    assert token is not None
    answer = api.client.post(
        "/console/sign-in", data={"csrf_token": token.group(1), "key": "mzk_nope_nope"}
    )
    assert answer.status_code == 401
    assert "mzk_nope_nope" not in answer.text
    assert 'type="password"' in answer.text


def test_signing_in_without_the_forms_token_is_refused(api: Api) -> None:
    answer = api.client.post("/console/sign-in", data={"key": staff_key(api)})
    assert answer.status_code == 403
    assert "csrf_refused" in answer.text
    assert "mz_console" not in api.client.cookies


def test_a_donation_form_records_once_however_often_it_is_sent(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    token, command = opened_form(api.client, api.foundation)
    path = f"/console/foundations/{api.foundation}/forms/donation"
    first = api.client.post(path, data=donation(fund, token, command))
    assert first.status_code == 201, first.text
    head = api.ledger.head()
    assert f"位置 {head}" in first.text
    again = api.client.post(path, data=donation(fund, token, command))
    assert again.status_code == 200
    assert f"位置是 {head}" in again.text
    assert api.ledger.head() == head
    assert api.ledger.get_fund(fund).balance.fen == 8800


def test_a_form_without_its_csrf_token_is_refused_and_records_nothing(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    _, command = opened_form(api.client, api.foundation)
    head = api.ledger.head()
    path = f"/console/foundations/{api.foundation}/forms/donation"
    for token in ("", "not-this-sessions"):
        answer = api.client.post(path, data=donation(fund, token, command))
        assert answer.status_code == 403
        assert "csrf_refused" in answer.text
    assert api.ledger.head() == head


def test_a_refusal_is_shown_beside_its_input_with_the_input_kept(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    token, command = opened_form(api.client, api.foundation)
    head = api.ledger.head()
    answer = api.client.post(
        f"/console/foundations/{api.foundation}/forms/donation",
        data=donation(fund, token, command, amount="12.345"),
    )
    assert answer.status_code == 422
    error = re.search(r'<p class="field-error" id="amount-error">(.*?)</p>', answer.text, re.S)
    assert error is not None
    assert "invalid_amount" in error.group(1)
    assert 'value="12.345"' in answer.text
    assert 'value="2024-03-01"' in answer.text
    assert api.ledger.head() == head


def test_a_refused_form_asks_for_a_persons_details_again_instead_of_showing_them(
    api: Api,
) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    token, command = opened_form(api.client, api.foundation)
    typed = {"donor_kind": "person", "donor_name": "测试捐赠人丙", "donor_phone": "13800138000"}
    answer = api.client.post(
        f"/console/foundations/{api.foundation}/forms/donation",
        data=donation(fund, token, command, amount="12.345", **typed),
    )
    assert answer.status_code == 422
    assert 'value="12.345"' in answer.text  # what is not personal is kept
    assert "测试捐赠人丙" not in answer.text
    assert "13800138000" not in answer.text
    assert "请重新填写" in answer.text


def test_staff_of_one_foundation_cannot_open_or_send_anothers_forms(api: Api) -> None:
    other = register(api.ledger, name="外滩社区基金会", district="huangpu")
    theirs = open_fund(api.ledger, other)
    ours = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    assert api.client.get(f"/console/foundations/{other}").status_code == 403
    assert api.client.get(f"/console/foundations/{other}/forms/donation").status_code == 403
    token, command = opened_form(api.client, api.foundation)
    head = api.ledger.head()
    # Their form's address, or our form naming their fund: both refused, nothing recorded.
    sent = api.client.post(
        f"/console/foundations/{other}/forms/donation", data=donation(theirs, token, command)
    )
    assert sent.status_code == 403
    assert "wrong_foundation" in sent.text
    sent = api.client.post(
        f"/console/foundations/{api.foundation}/forms/donation",
        data=donation(theirs, token, command),
    )
    assert sent.status_code == 403
    assert api.ledger.head() == head
    assert api.ledger.get_fund(ours).balance.fen == 0


@ON_BOTH
def test_signing_out_ends_the_session(api: Api) -> None:
    signed_in(api.client, staff_key(api))
    caught_up(api)
    desk = api.client.get("/console")
    token = TOKEN.search(desk.text)
    assert token is not None
    session_id = api.client.cookies["mz_console"]
    answer = api.client.post(
        "/console/sign-out", data={"csrf_token": token.group(1)}, follow_redirects=False
    )
    assert answer.headers["location"] == "/console/sign-in?reason=signed_out"
    # The old cookie, sent again, opens nothing.
    api.client.cookies.set("mz_console", session_id, path="/console")
    again = api.client.get(f"/console/foundations/{api.foundation}", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"].startswith("/console/sign-in")


@ON_BOTH
def test_revoking_the_key_ends_its_session_at_the_next_request(api: Api) -> None:
    key = staff_key(api)
    signed_in(api.client, key)
    caught_up(api)
    assert api.client.get(f"/console/foundations/{api.foundation}").status_code == 200
    api.keys.revoke(key.split("_")[1])
    answer = api.client.get(f"/console/foundations/{api.foundation}", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/sign-in?reason=ended"


@ON_BOTH
def test_an_expired_session_ends(api: Api) -> None:
    signed_in(api.client, staff_key(api))
    with api.keys.db.transaction():
        api.keys.db.execute("UPDATE console_sessions SET expires_at = '2000-01-01T00:00:00+00:00'")
    answer = api.client.get("/console", follow_redirects=False)
    assert answer.headers["location"] == "/console/sign-in?reason=ended"


def test_the_desk_lists_funds_with_reserved_and_what_needs_doing(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "1000.00")
    recipient = register(api.ledger, name="花木睦邻中心", roles=["service_center"])
    grant = award(api.ledger, fund, recipient, "400.00")
    caught_up(api)
    signed_in(api.client, staff_key(api))
    desk = api.client.get("/console").text
    funds = desk.split('id="funds-heading"')[1].split("</section>")[0]
    # Balance, reserved (the grant's award) and available, as the fund aggregate has them.
    assert re.findall(r"¥[0-9,.]+", funds) == ["¥1,000.00", "¥400.00", "¥600.00"]
    tasks = desk.split('id="tasks-heading"')[1].split("</section>")[0]
    assert f"/grants/{grant}" in tasks  # the award is not paid yet
    assert "年度信息公开" in tasks
    recent = desk.split('id="recent-heading"')[1].split("</section>")[0]
    assert f"/grants/{grant}" in recent
    assert f"/entries/{api.ledger.head() - 1}" in recent


def test_the_key_never_appears_in_a_location(api: Api) -> None:
    key = staff_key(api)
    form = api.client.get("/console/sign-in")
    token = TOKEN.search(form.text)
    assert token is not None
    answer = api.client.post(
        "/console/sign-in", data={"csrf_token": token.group(1), "key": key}, follow_redirects=False
    )
    assert key not in answer.headers["location"]
    assert key.split("_", 2)[2] not in answer.text


@ON_BOTH
def test_sessions_over_for_a_day_are_dropped_when_another_opens(api: Api) -> None:
    signed_in(api.client, staff_key(api))
    with api.keys.db.transaction():
        api.keys.db.execute("UPDATE console_sessions SET expires_at = '2000-01-01T00:00:00+00:00'")
    api.client.cookies.clear()
    signed_in(api.client, staff_key(api))
    assert len(api.keys.db.execute("SELECT session_sha256 FROM console_sessions")) == 1


def test_the_language_asked_for_a_new_form_reaches_the_form(api: Api) -> None:
    signed_in(api.client, staff_key(api))
    caught_up(api)
    page = api.client.get(f"/console/foundations/{api.foundation}/forms/donation?lang=en")
    assert "Receive a donation" in page.text
    assert api.client.cookies.get("lang") == "en"


def test_the_same_form_sent_again_with_other_values_is_refused_and_offers_a_new_form(
    api: Api,
) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    token, command = opened_form(api.client, api.foundation)
    path = f"/console/foundations/{api.foundation}/forms/donation"
    assert api.client.post(path, data=donation(fund, token, command)).status_code == 201
    head = api.ledger.head()
    changed = api.client.post(path, data=donation(fund, token, command, amount="99.00"))
    assert changed.status_code == 409
    assert "duplicate_command" in changed.text
    assert f'href="{path}"' in changed.text
    assert 'value="99.00"' in changed.text
    assert api.ledger.head() == head


def test_a_grant_just_awarded_is_in_the_instalment_forms_list_even_before_a_projector_ran(
    backend_database: Database, tmp_path: Path
) -> None:
    # No projector thread at all (MINGZHANG_PROJECT_IN_PROCESS=false and no `mingzhang project`):
    # a console page itself brings the views up to the log's head before it reads them, so a
    # staffer's own last write is always on the next page (the browser test met the lag under load).
    settings = settings_for(backend_database, tmp_path, project_in_process=False)
    with TestClient(create_app(settings)) as client:
        ledger: Ledger = client.app.state.ledger  # type: ignore[attr-defined]
        foundation = register(ledger, name="陆家嘴社区基金会")
        fund = open_fund(ledger, foundation)
        donate(ledger, fund, "1000.00")
        recipient = register(ledger, name="花木睦邻中心", roles=["service_center"])
        grant = award(ledger, fund, recipient, "400.00")
        _, token = client.app.state.keys.create("staff", foundation)  # type: ignore[attr-defined]
        signed_in(client, token)
        form = client.get(
            f"/console/foundations/{foundation}/forms/instalment", follow_redirects=True
        )
        assert form.status_code == 200, form.text
        assert f'value="{grant}"' in form.text


def sent_form(api: Api, name: str, **values: str) -> tuple[Any, Any]:
    """The form `name` of our foundation, opened and sent twice with the same command id."""
    token, command = opened_form(api.client, api.foundation, name)
    path = f"/console/foundations/{api.foundation}/forms/{name}"
    data = {"csrf_token": token, "command_id": command, **values}
    return api.client.post(path, data=data), api.client.post(path, data=data)


def recorded_once(api: Api, name: str, **values: str) -> None:
    first, again = sent_form(api, name, **values)
    assert first.status_code == 201, first.text
    head = api.ledger.head()
    assert f"位置 {head}" in first.text
    assert again.status_code == 200, again.text
    assert f"位置是 {head}" in again.text
    assert api.ledger.head() == head


def refused_beside(api: Api, name: str, field: str, code: str, status: int, **values: str) -> None:
    head = api.ledger.head()
    answer, _ = sent_form(api, name, **values)
    assert answer.status_code == status, answer.text
    error = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', answer.text, re.S)
    assert error is not None, answer.text
    assert code in error.group(1)
    assert api.ledger.head() == head


def refused_as_foreign(api: Api, name: str, **values: str) -> None:
    head = api.ledger.head()
    answer, _ = sent_form(api, name, **values)
    assert answer.status_code == 403, answer.text
    assert "wrong_foundation" in answer.text
    assert api.ledger.head() == head


def transfer_of(source: UUID, destination: UUID, amount: str) -> dict[str, str]:
    return {
        "fund_id": str(source),
        "to_fund_id": str(destination),
        "amount": amount,
        "transferred_on": "2024-03-02",
        "purpose": "支持社区养老项目",
    }


def test_a_transfer_form_moves_money_between_two_own_funds_once(api: Api) -> None:
    source, destination = (
        open_fund(api.ledger, api.foundation),
        open_fund(api.ledger, api.foundation),
    )
    donate(api.ledger, source, "1000.00")
    signed_in(api.client, staff_key(api))
    recorded_once(api, "transfer", **transfer_of(source, destination, "300.00"))
    assert api.ledger.get_fund(source).balance.fen == 70000
    assert api.ledger.get_fund(destination).balance.fen == 30000


def test_a_transfer_of_more_than_is_available_is_refused_beside_the_amount(api: Api) -> None:
    source, destination = (
        open_fund(api.ledger, api.foundation),
        open_fund(api.ledger, api.foundation),
    )
    donate(api.ledger, source, "1000.00")
    signed_in(api.client, staff_key(api))
    values = transfer_of(source, destination, "1000.01")
    refused_beside(api, "transfer", "amount", "insufficient_funds", 409, **values)


def test_a_transfer_form_refuses_another_foundations_fund_at_either_end(api: Api) -> None:
    other = register(api.ledger, name="外滩社区基金会", district="huangpu")
    theirs, ours = open_fund(api.ledger, other), open_fund(api.ledger, api.foundation)
    donate(api.ledger, theirs, "1000.00")
    donate(api.ledger, ours, "1000.00")
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "transfer", **transfer_of(ours, theirs, "10.00"))
    refused_as_foreign(api, "transfer", **transfer_of(theirs, ours, "10.00"))
    assert api.ledger.get_fund(theirs).balance.fen == 100000


def reservation_on(fund: UUID, amount: str) -> dict[str, str]:
    return {
        "fund_id": str(fund),
        "amount": amount,
        "reserved_on": "2024-03-02",
        "purpose": "为冬季助老活动预留",
    }


def test_a_reservation_form_sets_money_aside_once(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "1000.00")
    signed_in(api.client, staff_key(api))
    recorded_once(api, "reservation", **reservation_on(fund, "250.00"))
    assert api.ledger.get_fund(fund).reserved.fen == 25000


def test_a_reservation_of_more_than_is_available_is_refused_beside_the_amount(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "100.00")
    signed_in(api.client, staff_key(api))
    values = reservation_on(fund, "100.01")
    refused_beside(api, "reservation", "amount", "insufficient_funds", 409, **values)


def test_a_reservation_form_refuses_another_foundations_fund(api: Api) -> None:
    other = register(api.ledger, name="外滩社区基金会", district="huangpu")
    theirs = open_fund(api.ledger, other)
    donate(api.ledger, theirs, "1000.00")
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "reservation", **reservation_on(theirs, "10.00"))
    assert api.ledger.get_fund(theirs).reserved.fen == 0


def granted(api: Api, foundation: UUID) -> UUID:
    fund = open_fund(api.ledger, foundation)
    donate(api.ledger, fund, "1000.00")
    recipient = register(api.ledger, name="花木睦邻中心", roles=["service_center"])
    return award(api.ledger, fund, recipient, "400.00")


def amendment_of(grant: UUID, amount: str) -> dict[str, str]:
    return {
        "grant_id": str(grant),
        "amount": amount,
        "reason": "项目扩大到两个小区",
        "amended_on": "2024-03-02",
    }


def test_an_amendment_form_changes_the_grants_amount_once(api: Api) -> None:
    grant = granted(api, api.foundation)
    signed_in(api.client, staff_key(api))
    recorded_once(api, "grant-amendment", **amendment_of(grant, "500.00"))
    assert api.ledger.get_grant(grant).awarded.fen == 50000
    assert api.ledger.get_fund(api.ledger.get_grant(grant).fund_id).reserved.fen == 50000


def test_an_amendment_below_what_was_paid_is_refused_beside_the_amount(api: Api) -> None:
    grant = granted(api, api.foundation)
    api.ledger.pay_instalment(grant, payment_id=uuid4(), amount=Money.yuan("300.00"), paid_on=DAY)
    signed_in(api.client, staff_key(api))
    values = amendment_of(grant, "200.00")
    refused_beside(api, "grant-amendment", "amount", "amount_below_paid", 409, **values)


def test_an_amendment_form_refuses_another_foundations_grant(api: Api) -> None:
    other = register(api.ledger, name="外滩社区基金会", district="huangpu")
    theirs = granted(api, other)
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "grant-amendment", **amendment_of(theirs, "500.00"))
    assert api.ledger.get_grant(theirs).awarded.fen == 40000
