"""The console's remaining staff forms (issue 17; api/console/staff_forms_more.py and
staff_forms_pairing.py), over HTTP: for each, the same command id sent twice records one event, a
domain refusal is shown beside the input it names with what was typed kept, and a record of another
foundation named in the form is a 403 that writes nothing. A relief case's beneficiary and a person
mentor go to the vault only (the suite checks after every test that no name it put there is in any
stored event)."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID, uuid4

from api.console import catalog, staff_forms
from api.pages.i18n import MESSAGES
from domain.money import Money
from domain.subdistricts import OFFICIAL
from tests.api.conftest import ON_BOTH, Api
from tests.api.test_console import (
    opened_form,
    recorded_once,
    refused_as_foreign,
    refused_beside,
    sent_form,
    signed_in,
    staff_key,
)
from tests.support import (
    DAY,
    PUT_INTO_VAULTS,
    award,
    donate,
    open_fund,
    person,
    register,
    relief_case,
    reserve,
    vault_of,
)

LATER = "2024-03-05"
BEFORE = "2024-02-01"  # before DAY, when the tests' donations, grants and cases are dated


def other_foundation(api: Api) -> UUID:
    return register(api.ledger, name="外滩社区基金会", district="huangpu")


def relief_fund(api: Api, foundation: UUID) -> UUID:
    fund = open_fund(api.ledger, foundation, kind="emergency_relief", name="救急难基金")
    donate(api.ledger, fund, "10000.00")
    return fund


def case_of(api: Api, foundation: UUID, **overrides: object) -> UUID:
    fund = relief_fund(api, foundation)
    # In a subdistrict of the foundation's own district (the other foundation's is Huangpu).
    where = {"subdistrict": min(OFFICIAL["huangpu"])} if foundation != api.foundation else {}
    return relief_case(api.ledger, fund, person(api.ledger, owner=foundation), **where, **overrides)


def disbursed(api: Api, foundation: UUID) -> tuple[UUID, UUID]:
    case = case_of(api, foundation, emergency=True)
    payment = uuid4()
    api.ledger.disburse_relief(
        case, disbursement_id=payment, amount=Money.yuan("500.00"), paid_on=DAY
    )
    return case, payment


def granted(api: Api, foundation: UUID) -> UUID:
    fund = open_fund(api.ledger, foundation)
    donate(api.ledger, fund, "1000.00")
    recipient = register(api.ledger, name="花木睦邻中心", roles=["service_center"])
    return award(api.ledger, fund, recipient, "400.00")


def paid(api: Api, foundation: UUID) -> tuple[UUID, UUID]:
    grant = granted(api, foundation)
    payment = uuid4()
    api.ledger.pay_instalment(grant, payment_id=payment, amount=Money.yuan("100.00"), paid_on=DAY)
    return grant, payment


def uses(api: Api) -> dict[str, list[UUID]]:
    return vault_of(api.ledger).listed_uses()


# --- opening a relief case, with its beneficiary --------------------------------------------------


def case_opening(fund: UUID, name: str, **overrides: str) -> dict[str, str]:
    PUT_INTO_VAULTS.add(name)  # the suite then checks it is in no stored event
    return {
        "fund_id": str(fund),
        "reason_code": "GTIR100",
        "purpose_code": "GTIP170",
        "subdistrict": "陆家嘴街道",
        "requested_amount": "3000.00",
        "emergency": "1",
        "opened_on": "2024-03-02",
        "beneficiary_name": name,
        "beneficiary_phone": "13800000000",
        **overrides,
    }


def test_a_relief_case_form_opens_the_case_once_with_the_beneficiary_in_the_vault_only(
    api: Api,
) -> None:
    fund = relief_fund(api, api.foundation)
    signed_in(api.client, staff_key(api))
    token, command = opened_form(api.client, api.foundation, "relief-case")
    path = f"/console/foundations/{api.foundation}/forms/relief-case"
    data = {"csrf_token": token, "command_id": command, **case_opening(fund, "测试受助人甲")}
    first = api.client.post(path, data=data)
    assert first.status_code == 201, first.text
    head = api.ledger.head()
    again = api.client.post(path, data=data)
    assert again.status_code == 200
    assert api.ledger.head() == head
    case = api.ledger.get_relief_case(UUID(command))
    assert case.emergency
    assert case.fund_id == fund
    # The answer says where the person went, never who; the public page is the case's.
    for answer in (first, again):
        assert "测试受助人甲" not in answer.text
        assert "13800000000" not in answer.text
        assert "已存入个人信息库" in answer.text
        assert f'href="/relief-cases/{command}"' in answer.text
    # One person in the vault, with one use (this case): the repeat entered nobody again.
    assert [len(subjects) for subjects in uses(api).values()] == [1]


def test_a_relief_case_in_an_unknown_subdistrict_is_refused_beside_it_and_leaves_the_vault(
    api: Api,
) -> None:
    fund = relief_fund(api, api.foundation)
    signed_in(api.client, staff_key(api))
    before = uses(api)
    values = case_opening(fund, "测试受助人乙", subdistrict="不存在街道")
    refused_beside(api, "relief-case", "subdistrict", "unknown_subdistrict", 422, **values)
    answer, _ = sent_form(api, "relief-case", **values)
    assert 'value="不存在街道"' in answer.text
    # The beneficiary is asked for again, never written into a page outside the privacy desk.
    assert "测试受助人乙" not in answer.text
    assert "请重新填写" in answer.text
    assert uses(api) == before


def test_a_relief_case_needs_the_beneficiarys_name_beside_it(api: Api) -> None:
    fund = relief_fund(api, api.foundation)
    signed_in(api.client, staff_key(api))
    values = case_opening(fund, "测试受助人丙", beneficiary_id_card="123")
    refused_beside(api, "relief-case", "beneficiary_id_card", "invalid", 422, **values)


def test_a_relief_case_form_refuses_another_foundations_fund_and_keeps_nobody(api: Api) -> None:
    theirs = relief_fund(api, other_foundation(api))
    signed_in(api.client, staff_key(api))
    before = uses(api)
    refused_as_foreign(api, "relief-case", **case_opening(theirs, "测试受助人丁"))
    assert uses(api) == before


def test_the_relief_case_form_offers_only_emergency_relief_funds(api: Api) -> None:
    relief = relief_fund(api, api.foundation)
    general = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    page = api.client.get(f"/console/foundations/{api.foundation}/forms/relief-case")
    assert f'value="{relief}"' in page.text
    assert f'value="{general}"' not in page.text


# --- approving, rejecting, reversing a disbursement ---------------------------------------------


def approval_of(case: UUID, amount: str = "2000.00", **overrides: str) -> dict[str, str]:
    return {
        "case_id": str(case),
        "amount": amount,
        "approvers": f"{uuid4()}\n{uuid4()}",
        "approved_on": LATER,
        **overrides,
    }


def test_an_approval_form_approves_the_case_once(api: Api) -> None:
    case = case_of(api, api.foundation)
    signed_in(api.client, staff_key(api))
    recorded_once(api, "relief-approval", **approval_of(case))
    approved = api.ledger.get_relief_case(case).approved
    assert approved is not None
    assert approved.fen == 200000


def test_an_approval_above_what_the_fund_has_is_refused_beside_the_amount(api: Api) -> None:
    case = case_of(api, api.foundation)
    signed_in(api.client, staff_key(api))
    values = approval_of(case, "10000.01")
    refused_beside(api, "relief-approval", "amount", "insufficient_funds", 409, **values)


def test_an_approval_form_refuses_another_foundations_case(api: Api) -> None:
    theirs = case_of(api, other_foundation(api))
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "relief-approval", **approval_of(theirs))
    assert api.ledger.get_relief_case(theirs).approved is None


def rejection_of(case: UUID, **overrides: str) -> dict[str, str]:
    return {"case_id": str(case), "reason": "不符合救助条件", "rejected_on": LATER, **overrides}


def test_a_rejection_form_rejects_the_case_once(api: Api) -> None:
    case = case_of(api, api.foundation)
    signed_in(api.client, staff_key(api))
    recorded_once(api, "relief-rejection", **rejection_of(case))
    assert api.ledger.get_relief_case(case).rejected_on == date(2024, 3, 5)


def test_a_rejection_dated_before_the_case_is_refused_beside_the_date(api: Api) -> None:
    case = case_of(api, api.foundation)
    signed_in(api.client, staff_key(api))
    values = rejection_of(case, rejected_on=BEFORE)
    refused_beside(api, "relief-rejection", "rejected_on", "invalid_date", 422, **values)
    answer, _ = sent_form(api, "relief-rejection", **values)
    assert "不符合救助条件</textarea>" in answer.text


def test_a_rejection_form_refuses_another_foundations_case(api: Api) -> None:
    theirs = case_of(api, other_foundation(api))
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "relief-rejection", **rejection_of(theirs))
    assert api.ledger.get_relief_case(theirs).rejected_on is None


def relief_reversal_of(case: UUID, payment: UUID, **overrides: str) -> dict[str, str]:
    return {
        "case_id": str(case),
        "disbursement_id": str(payment),
        "reason": "重复发放，款项退回",
        "reversed_on": LATER,
        **overrides,
    }


@ON_BOTH
def test_a_relief_reversal_form_reverses_the_payment_once(api: Api) -> None:
    case, payment = disbursed(api, api.foundation)
    signed_in(api.client, staff_key(api))
    page = api.client.get(f"/console/foundations/{api.foundation}/forms/relief-reversal")
    assert f'value="{payment}"' in page.text
    recorded_once(api, "relief-reversal", **relief_reversal_of(case, payment))
    assert api.ledger.get_relief_case(case).disbursed.fen == 0


def test_a_relief_reversal_before_the_payment_is_refused_beside_the_date(api: Api) -> None:
    case, payment = disbursed(api, api.foundation)
    signed_in(api.client, staff_key(api))
    values = relief_reversal_of(case, payment, reversed_on=BEFORE)
    refused_beside(api, "relief-reversal", "reversed_on", "invalid_date", 422, **values)


def test_a_relief_reversal_of_another_cases_payment_is_refused_beside_the_payment(
    api: Api,
) -> None:
    case, _ = disbursed(api, api.foundation)
    _, elsewhere = disbursed(api, api.foundation)
    signed_in(api.client, staff_key(api))
    values = relief_reversal_of(case, elsewhere)
    refused_beside(api, "relief-reversal", "disbursement_id", "unknown", 404, **values)


def test_a_relief_reversal_form_refuses_another_foundations_case(api: Api) -> None:
    theirs, payment = disbursed(api, other_foundation(api))
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "relief-reversal", **relief_reversal_of(theirs, payment))
    assert api.ledger.get_relief_case(theirs).disbursed.fen == 50000


# --- grants: feedback, cancelling, reversing an instalment --------------------------------------


def feedback_on(grant: UUID, rating: str = "4") -> dict[str, str]:
    return {
        "grant_id": str(grant),
        "rating": rating,
        "summary": "居民参与度高，楼道环境明显改善",
        "recorded_on": LATER,
    }


def test_a_feedback_form_records_the_communitys_rating_once(api: Api) -> None:
    grant = granted(api, api.foundation)
    signed_in(api.client, staff_key(api))
    recorded_once(api, "grant-feedback", **feedback_on(grant))
    feedback = api.ledger.get_grant(grant).feedback
    assert feedback is not None


def test_a_rating_outside_one_to_five_is_refused_beside_the_rating(api: Api) -> None:
    grant = granted(api, api.foundation)
    signed_in(api.client, staff_key(api))
    values = feedback_on(grant, rating="9")
    refused_beside(api, "grant-feedback", "rating", "invalid", 422, **values)
    answer, _ = sent_form(api, "grant-feedback", **values)
    assert "居民参与度高，楼道环境明显改善</textarea>" in answer.text


def test_a_feedback_form_refuses_another_foundations_grant(api: Api) -> None:
    theirs = granted(api, other_foundation(api))
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "grant-feedback", **feedback_on(theirs))


def cancellation_of(grant: UUID, **overrides: str) -> dict[str, str]:
    return {"grant_id": str(grant), "reason": "受助组织注销", "cancelled_on": LATER, **overrides}


def test_a_cancellation_form_cancels_the_grant_once_and_frees_its_reservation(api: Api) -> None:
    grant = granted(api, api.foundation)
    signed_in(api.client, staff_key(api))
    recorded_once(api, "grant-cancellation", **cancellation_of(grant))
    assert api.ledger.get_fund(api.ledger.get_grant(grant).fund_id).reserved.fen == 0


def test_a_cancellation_dated_before_the_award_is_refused_beside_the_date(api: Api) -> None:
    grant = granted(api, api.foundation)
    signed_in(api.client, staff_key(api))
    values = cancellation_of(grant, cancelled_on=BEFORE)
    refused_beside(api, "grant-cancellation", "cancelled_on", "invalid_date", 422, **values)


def test_a_cancellation_form_refuses_another_foundations_grant(api: Api) -> None:
    theirs = granted(api, other_foundation(api))
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "grant-cancellation", **cancellation_of(theirs))
    assert api.ledger.get_fund(api.ledger.get_grant(theirs).fund_id).reserved.fen == 40000


def instalment_reversal_of(grant: UUID, payment: UUID, **overrides: str) -> dict[str, str]:
    return {
        "grant_id": str(grant),
        "payment_id": str(payment),
        "reason": "项目未实施，款项退回",
        "reversed_on": LATER,
        **overrides,
    }


@ON_BOTH
def test_an_instalment_reversal_form_reverses_the_payment_once(api: Api) -> None:
    grant, payment = paid(api, api.foundation)
    signed_in(api.client, staff_key(api))
    page = api.client.get(f"/console/foundations/{api.foundation}/forms/instalment-reversal")
    assert f'value="{payment}"' in page.text
    recorded_once(api, "instalment-reversal", **instalment_reversal_of(grant, payment))
    assert api.ledger.get_grant(grant).paid.fen == 0


def test_an_instalment_reversal_before_the_payment_is_refused_beside_the_date(api: Api) -> None:
    grant, payment = paid(api, api.foundation)
    signed_in(api.client, staff_key(api))
    values = instalment_reversal_of(grant, payment, reversed_on=BEFORE)
    refused_beside(api, "instalment-reversal", "reversed_on", "invalid_date", 422, **values)


def test_an_instalment_reversal_form_refuses_another_foundations_grant(api: Api) -> None:
    theirs, payment = paid(api, other_foundation(api))
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "instalment-reversal", **instalment_reversal_of(theirs, payment))
    assert api.ledger.get_grant(theirs).paid.fen == 10000


# --- funds: opening, reversing, closing, consent, releasing -------------------------------------


def opening(**overrides: str) -> dict[str, str]:
    return {"kind": "special", "name": "助老专项基金", "opened_on": LATER, **overrides}


def test_a_fund_form_opens_a_fund_of_the_keys_foundation_once(api: Api) -> None:
    signed_in(api.client, staff_key(api))
    token, command = opened_form(api.client, api.foundation, "fund")
    path = f"/console/foundations/{api.foundation}/forms/fund"
    data = {"csrf_token": token, "command_id": command, **opening()}
    first = api.client.post(path, data=data)
    assert first.status_code == 201, first.text
    assert f'href="/funds/{command}/statement"' in first.text
    head = api.ledger.head()
    assert api.client.post(path, data=data).status_code == 200
    assert api.ledger.head() == head
    fund = api.ledger.get_fund(UUID(command))
    assert (fund.foundation_id, fund.kind, fund.opening.name) == (
        api.foundation,
        "special",
        "助老专项基金",
    )


def test_a_fund_of_an_unknown_kind_is_refused_beside_the_kind(api: Api) -> None:
    signed_in(api.client, staff_key(api))
    head = api.ledger.head()
    token, command = opened_form(api.client, api.foundation, "fund")
    answer = api.client.post(
        f"/console/foundations/{api.foundation}/forms/fund",
        data={"csrf_token": token, "command_id": command, **opening(kind="forged")},
    )
    assert answer.status_code == 422, answer.text
    error = re.search(r'<p class="field-error" id="kind-error">(.*?)</p>', answer.text, re.S)
    assert error is not None, answer.text
    assert "invalid_choice" in error.group(1)
    assert 'value="助老专项基金"' in answer.text
    assert api.ledger.head() == head


def test_a_fund_form_sent_to_another_foundations_desk_is_refused(api: Api) -> None:
    other = other_foundation(api)
    signed_in(api.client, staff_key(api))
    token, command = opened_form(api.client, api.foundation, "fund")
    head = api.ledger.head()
    answer = api.client.post(
        f"/console/foundations/{other}/forms/fund",
        data={"csrf_token": token, "command_id": command, **opening()},
    )
    assert answer.status_code == 403
    assert "wrong_foundation" in answer.text
    assert api.ledger.head() == head


def fund_reversal_of(fund: UUID, target: UUID, **overrides: str) -> dict[str, str]:
    return {
        "fund_id": str(fund),
        "target_id": str(target),
        "reason": "重复入账",
        "reversed_on": LATER,
        **overrides,
    }


# The choice reads SQL of its own (projections/desk.py): on both backends.
@ON_BOTH
def test_a_fund_reversal_form_reverses_a_donation_once(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    donation = donate(api.ledger, fund, "300.00")
    signed_in(api.client, staff_key(api))
    page = api.client.get(f"/console/foundations/{api.foundation}/forms/fund-reversal")
    assert f'value="{donation}"' in page.text
    recorded_once(api, "fund-reversal", **fund_reversal_of(fund, donation))
    assert api.ledger.get_fund(fund).balance.fen == 0


def test_a_fund_reversal_form_reverses_a_transfer_once(api: Api) -> None:
    source, destination = (
        open_fund(api.ledger, api.foundation),
        open_fund(api.ledger, api.foundation),
    )
    donate(api.ledger, source, "500.00")
    transfer = uuid4()
    api.ledger.transfer(
        transfer_id=transfer,
        from_fund_id=source,
        to_fund_id=destination,
        amount=Money.yuan("200.00"),
        transferred_on=DAY,
        purpose="配套资金",
    )
    signed_in(api.client, staff_key(api))
    recorded_once(api, "fund-reversal", **fund_reversal_of(source, transfer))
    assert api.ledger.get_fund(source).balance.fen == 50000
    assert api.ledger.get_fund(destination).balance.fen == 0


# The choice reads SQL of its own (projections/desk.py): on both backends.
@ON_BOTH
def test_a_transfer_into_the_foundations_fund_is_offered_and_reversed_from_it(api: Api) -> None:
    # Either end of a transfer may reverse it (as over the JSON API): one from another
    # foundation's fund (a pairing's funding) is offered under ours, the receiving fund.
    theirs, ours = (
        open_fund(api.ledger, other_foundation(api)),
        open_fund(api.ledger, api.foundation),
    )
    donate(api.ledger, theirs, "500.00")
    transfer = uuid4()
    api.ledger.transfer(
        transfer_id=transfer,
        from_fund_id=theirs,
        to_fund_id=ours,
        amount=Money.yuan("200.00"),
        transferred_on=DAY,
        purpose="结对资助",
    )
    signed_in(api.client, staff_key(api))
    page = api.client.get(f"/console/foundations/{api.foundation}/forms/fund-reversal")
    assert f'value="{transfer}"' in page.text
    recorded_once(api, "fund-reversal", **fund_reversal_of(ours, transfer))
    assert api.ledger.get_fund(ours).balance.fen == 0
    assert api.ledger.get_fund(theirs).balance.fen == 50000


def test_a_reversal_of_another_funds_donation_is_refused_beside_the_entry(api: Api) -> None:
    fund, elsewhere = (
        open_fund(api.ledger, api.foundation),
        open_fund(api.ledger, api.foundation),
    )
    donation = donate(api.ledger, elsewhere, "300.00")
    signed_in(api.client, staff_key(api))
    values = fund_reversal_of(fund, donation)
    refused_beside(api, "fund-reversal", "target_id", "unknown", 404, **values)


def test_a_fund_reversal_form_refuses_another_foundations_fund(api: Api) -> None:
    theirs = open_fund(api.ledger, other_foundation(api))
    donation = donate(api.ledger, theirs, "300.00")
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "fund-reversal", **fund_reversal_of(theirs, donation))
    assert api.ledger.get_fund(theirs).balance.fen == 30000


def closing_of(fund: UUID, **overrides: str) -> dict[str, str]:
    return {"fund_id": str(fund), "reason": "专项活动结束", "closed_on": LATER, **overrides}


def test_a_fund_closing_form_closes_an_empty_fund_once(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    recorded_once(api, "fund-closing", **closing_of(fund))
    assert api.ledger.get_fund(fund).closure is not None


def test_closing_a_fund_that_holds_money_is_refused_and_says_why(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "1.00")
    signed_in(api.client, staff_key(api))
    head = api.ledger.head()
    answer, _ = sent_form(api, "fund-closing", **closing_of(fund))
    assert answer.status_code == 409, answer.text
    assert "fund_not_empty" in answer.text
    assert "专项活动结束</textarea>" in answer.text
    assert api.ledger.head() == head


def test_a_fund_closing_form_refuses_another_foundations_fund(api: Api) -> None:
    theirs = open_fund(api.ledger, other_foundation(api))
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "fund-closing", **closing_of(theirs))
    assert api.ledger.get_fund(theirs).closure is None


def named_donation(api: Api, foundation: UUID) -> tuple[UUID, UUID]:
    fund = open_fund(api.ledger, foundation)
    donor = register(api.ledger, name="陆家嘴商会", roles=[])
    donation = donate(
        api.ledger,
        fund,
        "300.00",
        donor_kind="organization",
        donor_ref=str(donor),
        publish_name=True,
    )
    return fund, donation


def withdrawal_of(fund: UUID, donation: UUID, **overrides: str) -> dict[str, str]:
    return {
        "fund_id": str(fund),
        "donation_id": str(donation),
        "withdrawn_on": LATER,
        **overrides,
    }


# The choice reads SQL of its own (projections/desk.py): on both backends.
@ON_BOTH
def test_a_consent_withdrawal_form_stops_naming_the_donor_once(api: Api) -> None:
    fund, donation = named_donation(api, api.foundation)
    signed_in(api.client, staff_key(api))
    page = api.client.get(f"/console/foundations/{api.foundation}/forms/consent-withdrawal")
    assert f'value="{donation}"' in page.text
    recorded_once(api, "consent-withdrawal", **withdrawal_of(fund, donation))
    assert str(donation) in api.ledger.get_fund(fund).consent_withdrawn
    # Withdrawn, the donation is no longer offered.
    page = api.client.get(f"/console/foundations/{api.foundation}/forms/consent-withdrawal")
    assert f'value="{donation}"' not in page.text


def test_a_withdrawal_dated_before_the_donation_is_refused_beside_the_date(api: Api) -> None:
    fund, donation = named_donation(api, api.foundation)
    signed_in(api.client, staff_key(api))
    values = withdrawal_of(fund, donation, withdrawn_on=BEFORE)
    refused_beside(api, "consent-withdrawal", "withdrawn_on", "invalid_date", 422, **values)


def test_a_consent_withdrawal_form_refuses_another_foundations_fund(api: Api) -> None:
    fund, donation = named_donation(api, other_foundation(api))
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "consent-withdrawal", **withdrawal_of(fund, donation))
    assert api.ledger.get_fund(fund).consent_withdrawn == {}


def release_of(fund: UUID, reservation: UUID, **overrides: str) -> dict[str, str]:
    return {
        "fund_id": str(fund),
        "reservation_id": str(reservation),
        "released_on": LATER,
        **overrides,
    }


@ON_BOTH
def test_a_release_form_offers_the_funds_own_reservations_and_releases_once(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "1000.00")
    reservation = reserve(api.ledger, fund, "250.00")
    recipient = register(api.ledger, name="花木睦邻中心", roles=["service_center"])
    grant = award(api.ledger, fund, recipient, "400.00")
    signed_in(api.client, staff_key(api))
    page = api.client.get(f"/console/foundations/{api.foundation}/forms/release")
    offered = re.findall(r'<option value="([0-9a-f-]{36})"', page.text)
    assert str(reservation) in offered
    assert str(grant) not in offered  # the grant's reservation is the grant's to release
    recorded_once(api, "release", **release_of(fund, reservation))
    assert api.ledger.get_fund(fund).reserved.fen == 40000


def test_a_release_before_the_reservation_is_refused_beside_the_date(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "1000.00")
    reservation = reserve(api.ledger, fund, "250.00")
    signed_in(api.client, staff_key(api))
    values = release_of(fund, reservation, released_on=BEFORE)
    refused_beside(api, "release", "released_on", "invalid_date", 422, **values)


def test_a_release_form_refuses_another_foundations_fund(api: Api) -> None:
    theirs = open_fund(api.ledger, other_foundation(api))
    donate(api.ledger, theirs, "1000.00")
    reservation = reserve(api.ledger, theirs, "250.00")
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "release", **release_of(theirs, reservation))
    assert api.ledger.get_fund(theirs).reserved.fen == 25000


# --- pairings ------------------------------------------------------------------------------------


def big_foundation(api: Api, name: str = "上海慈善基金会") -> UUID:
    """A foundation that may lead a twinning with a community foundation (ours)."""
    return register(api.ledger, name=name, roles=["foundation"])


def proposed(api: Api, lead: UUID, partner: UUID) -> UUID:
    pairing = uuid4()
    api.ledger.propose_pairing(
        pairing,
        kind="foundation_twinning",
        lead_id=lead,
        partner_id=partner,
        goals=["建立项目管理制度", "培训社工 3 名"],
        planned_start=DAY,
        planned_end=date(2024, 12, 31),
        proposed_on=DAY,
    )
    return pairing


def active(api: Api, lead: UUID, partner: UUID) -> UUID:
    pairing = proposed(api, lead, partner)
    for party in (lead, partner):
        api.ledger.confirm_pairing(pairing, command_id=uuid4(), party_id=party, confirmed_on=DAY)
    return pairing


def foreign_pairing(api: Api, *, confirmed: bool = True) -> UUID:
    """A pairing between two other organisations: ours is party to neither side."""
    lead = big_foundation(api, "另一慈善基金会")
    partner = other_foundation(api)
    return (active if confirmed else proposed)(api, lead, partner)


def proposal(lead: UUID, partner: UUID, **overrides: str) -> dict[str, str]:
    return {
        "kind": "foundation_twinning",
        "lead_id": str(lead),
        "partner_id": str(partner),
        "goals": "建立项目管理制度\n培训社工 3 名\n",
        "planned_start": "2024-04-01",
        "planned_end": "2024-12-31",
        "proposed_on": LATER,
        **overrides,
    }


def test_a_pairing_form_proposes_a_pairing_of_the_foundation_once(api: Api) -> None:
    lead = big_foundation(api)
    signed_in(api.client, staff_key(api))
    token, command = opened_form(api.client, api.foundation, "pairing")
    path = f"/console/foundations/{api.foundation}/forms/pairing"
    data = {"csrf_token": token, "command_id": command, **proposal(lead, api.foundation)}
    first = api.client.post(path, data=data)
    assert first.status_code == 201, first.text
    assert f'href="/pairings/{command}"' in first.text
    head = api.ledger.head()
    assert api.client.post(path, data=data).status_code == 200
    assert api.ledger.head() == head
    pairing = api.ledger.get_pairing(UUID(command))
    assert pairing.parties == (lead, api.foundation)
    assert pairing.goal_count == 2


def test_a_pairing_with_itself_is_refused_beside_the_partner(api: Api) -> None:
    signed_in(api.client, staff_key(api))
    values = proposal(api.foundation, api.foundation)
    refused_beside(api, "pairing", "partner_id", "self_pairing", 422, **values)


def test_a_pairing_form_refuses_a_pairing_the_foundation_is_not_party_to(api: Api) -> None:
    lead, partner = big_foundation(api), other_foundation(api)
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "pairing", **proposal(lead, partner))


def test_a_confirmation_form_confirms_for_the_keys_foundation_once(api: Api) -> None:
    lead = big_foundation(api)
    pairing = proposed(api, lead, api.foundation)
    signed_in(api.client, staff_key(api))
    recorded_once(api, "pairing-confirmation", pairing_id=str(pairing), confirmed_on=LATER)
    assert list(api.ledger.get_pairing(pairing).confirmed_by) == [api.foundation]


def test_a_confirmation_before_the_proposal_is_refused_beside_the_date(api: Api) -> None:
    pairing = proposed(api, big_foundation(api), api.foundation)
    signed_in(api.client, staff_key(api))
    values = {"pairing_id": str(pairing), "confirmed_on": BEFORE}
    refused_beside(api, "pairing-confirmation", "confirmed_on", "invalid_date", 422, **values)


def test_a_confirmation_form_refuses_another_foundations_pairing(api: Api) -> None:
    theirs = foreign_pairing(api, confirmed=False)
    signed_in(api.client, staff_key(api))
    values = {"pairing_id": str(theirs), "confirmed_on": LATER}
    refused_as_foreign(api, "pairing-confirmation", **values)


def activity_of(pairing: UUID, **overrides: str) -> dict[str, str]:
    return {
        "pairing_id": str(pairing),
        "kind": "training",
        "held_on": LATER,
        "summary": "项目管理培训，半天",
        **overrides,
    }


def test_an_activity_form_records_the_activity_once(api: Api) -> None:
    pairing = active(api, big_foundation(api), api.foundation)
    signed_in(api.client, staff_key(api))
    recorded_once(api, "pairing-activity", **activity_of(pairing))


def test_a_funding_activity_without_its_transfer_is_refused_beside_the_transfer(
    api: Api,
) -> None:
    pairing = active(api, big_foundation(api), api.foundation)
    signed_in(api.client, staff_key(api))
    values = activity_of(pairing, kind="funding")
    refused_beside(api, "pairing-activity", "transfer_id", "invalid", 422, **values)
    answer, _ = sent_form(api, "pairing-activity", **values)
    assert "项目管理培训，半天</textarea>" in answer.text


def test_an_activity_form_refuses_another_foundations_pairing(api: Api) -> None:
    theirs = foreign_pairing(api)
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "pairing-activity", **activity_of(theirs))


def evaluation_of(
    pairing: UUID, results: str = "1 met 制度已建立并运行\n2 partly 培训了 2 名"
) -> dict[str, str]:
    return {"pairing_id": str(pairing), "results": results, "evaluated_on": LATER}


def test_an_evaluation_form_evaluates_each_goal_once(api: Api) -> None:
    pairing = active(api, big_foundation(api), api.foundation)
    signed_in(api.client, staff_key(api))
    recorded_once(api, "pairing-evaluation", **evaluation_of(pairing))
    assert api.ledger.get_pairing(pairing).evaluated


def test_an_evaluation_of_a_goal_the_pairing_lacks_is_refused_beside_the_results(
    api: Api,
) -> None:
    pairing = active(api, big_foundation(api), api.foundation)
    signed_in(api.client, staff_key(api))
    values = evaluation_of(pairing, "3 met 多出的目标")
    refused_beside(api, "pairing-evaluation", "results", "invalid_choice", 422, **values)
    answer, _ = sent_form(api, "pairing-evaluation", **values)
    assert "3 met 多出的目标</textarea>" in answer.text


def test_an_evaluation_form_refuses_another_foundations_pairing(api: Api) -> None:
    theirs = foreign_pairing(api)
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "pairing-evaluation", **evaluation_of(theirs))
    assert not api.ledger.get_pairing(theirs).evaluated


def test_a_conclusion_form_concludes_the_pairing_once(api: Api) -> None:
    pairing = active(api, big_foundation(api), api.foundation)
    signed_in(api.client, staff_key(api))
    values = {"pairing_id": str(pairing), "summary": "目标均已达成", "concluded_on": LATER}
    recorded_once(api, "pairing-conclusion", **values)
    assert api.ledger.get_pairing(pairing).status == "concluded"


def test_a_conclusion_before_the_pairing_began_is_refused_beside_the_date(api: Api) -> None:
    pairing = active(api, big_foundation(api), api.foundation)
    signed_in(api.client, staff_key(api))
    values = {"pairing_id": str(pairing), "summary": "目标均已达成", "concluded_on": BEFORE}
    refused_beside(api, "pairing-conclusion", "concluded_on", "invalid_date", 422, **values)


def test_a_conclusion_form_refuses_another_foundations_pairing(api: Api) -> None:
    theirs = foreign_pairing(api)
    signed_in(api.client, staff_key(api))
    values = {"pairing_id": str(theirs), "summary": "目标均已达成", "concluded_on": LATER}
    refused_as_foreign(api, "pairing-conclusion", **values)
    assert api.ledger.get_pairing(theirs).status == "active"


def test_a_termination_form_ends_the_pairing_early_once(api: Api) -> None:
    pairing = active(api, big_foundation(api), api.foundation)
    signed_in(api.client, staff_key(api))
    values = {"pairing_id": str(pairing), "reason": "合作方注销", "terminated_on": LATER}
    recorded_once(api, "pairing-termination", **values)
    assert api.ledger.get_pairing(pairing).status == "terminated"


def test_a_termination_before_the_pairing_began_is_refused_beside_the_date(api: Api) -> None:
    pairing = active(api, big_foundation(api), api.foundation)
    signed_in(api.client, staff_key(api))
    values = {"pairing_id": str(pairing), "reason": "合作方注销", "terminated_on": BEFORE}
    refused_beside(api, "pairing-termination", "terminated_on", "invalid_date", 422, **values)


def test_a_termination_form_refuses_another_foundations_pairing(api: Api) -> None:
    theirs = foreign_pairing(api)
    signed_in(api.client, staff_key(api))
    values = {"pairing_id": str(theirs), "reason": "合作方注销", "terminated_on": LATER}
    refused_as_foreign(api, "pairing-termination", **values)
    assert api.ledger.get_pairing(theirs).status == "active"


# --- mentor links --------------------------------------------------------------------------------


def linked(api: Api, mentor_org: UUID, mentee: UUID) -> UUID:
    link = uuid4()
    api.ledger.start_mentor_link(
        link,
        mentor_kind="organization",
        mentor_org_id=mentor_org,
        mentee_id=mentee,
        focus="项目申报与财务管理",
        started_on=DAY,
    )
    return link


def person_linked(api: Api, mentee: UUID) -> UUID:
    link = uuid4()
    api.ledger.start_mentor_link(
        link,
        mentor_kind="person",
        mentor_subject_id=person(api.ledger, owner=mentee),
        role_label="资深社工",
        publish_name=True,
        mentee_id=mentee,
        focus="社区议事",
        started_on=DAY,
    )
    return link


def centre(api: Api) -> UUID:
    return register(api.ledger, name="花木睦邻中心", roles=["service_center"])


def mentor_start(mentee: UUID, name: str, **overrides: str) -> dict[str, str]:
    PUT_INTO_VAULTS.add(name)
    return {
        "mentee_id": str(mentee),
        "focus": "项目申报与财务管理",
        "started_on": LATER,
        "mentor_kind": "person",
        "mentor_name": name,
        "role_label": "资深社工",
        **overrides,
    }


def test_a_mentor_link_form_starts_a_link_with_a_person_mentor_in_the_vault_once(
    api: Api,
) -> None:
    signed_in(api.client, staff_key(api))
    token, command = opened_form(api.client, api.foundation, "mentor-link")
    path = f"/console/foundations/{api.foundation}/forms/mentor-link"
    values = mentor_start(api.foundation, "测试导师甲（虚构）")
    data = {"csrf_token": token, "command_id": command, **values}
    first = api.client.post(path, data=data)
    assert first.status_code == 201, first.text
    head = api.ledger.head()
    again = api.client.post(path, data=data)
    assert again.status_code == 200
    assert api.ledger.head() == head
    for answer in (first, again):
        assert "测试导师甲（虚构）" not in answer.text
        assert f'href="/organizations/{api.foundation}"' in answer.text
    assert api.ledger.get_mentor_link(UUID(command)).mentee_id == api.foundation
    assert [len(subjects) for subjects in uses(api).values()] == [1]


def test_a_person_mentors_details_for_an_organisation_mentor_are_refused_beside_them(
    api: Api,
) -> None:
    signed_in(api.client, staff_key(api))
    before = uses(api)
    values = mentor_start(
        centre(api),
        "测试导师乙（虚构）",
        mentor_kind="organization",
        mentor_org_id=str(api.foundation),
        role_label="",
    )
    refused_beside(api, "mentor-link", "mentor_name", "invalid_input", 422, **values)
    answer, _ = sent_form(api, "mentor-link", **values)
    assert 'value="项目申报与财务管理"' in answer.text
    assert uses(api) == before


def test_a_mentor_link_form_refuses_a_link_the_foundation_is_not_party_to(api: Api) -> None:
    signed_in(api.client, staff_key(api))
    before = uses(api)
    refused_as_foreign(
        api, "mentor-link", **mentor_start(other_foundation(api), "测试导师丙（虚构）")
    )
    assert uses(api) == before


def session_of(link: UUID, **overrides: str) -> dict[str, str]:
    return {
        "link_id": str(link),
        "held_on": LATER,
        "hours": "1.5",
        "topic": "年度预算编制",
        **overrides,
    }


def test_a_session_form_records_the_session_once(api: Api) -> None:
    link = linked(api, api.foundation, centre(api))
    signed_in(api.client, staff_key(api))
    page = api.client.get(f"/console/foundations/{api.foundation}/forms/mentor-session")
    assert f'value="{link}"' in page.text
    recorded_once(api, "mentor-session", **session_of(link))
    assert api.ledger.get_mentor_link(link).minutes == 90


def test_a_session_of_more_than_a_day_is_refused_beside_the_hours(api: Api) -> None:
    link = linked(api, api.foundation, centre(api))
    signed_in(api.client, staff_key(api))
    values = session_of(link, hours="25")
    refused_beside(api, "mentor-session", "hours", "invalid", 422, **values)
    answer, _ = sent_form(api, "mentor-session", **values)
    assert 'value="25"' in answer.text


def test_a_session_form_refuses_another_foundations_link(api: Api) -> None:
    theirs = linked(api, other_foundation(api), centre(api))
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "mentor-session", **session_of(theirs))
    assert api.ledger.get_mentor_link(theirs).minutes == 0


def test_a_mentor_consent_withdrawal_form_stops_naming_the_mentor_once(api: Api) -> None:
    link = person_linked(api, api.foundation)
    signed_in(api.client, staff_key(api))
    recorded_once(api, "mentor-consent-withdrawal", link_id=str(link), withdrawn_on=LATER)
    assert not api.ledger.get_mentor_link(link).publish_name


def test_a_mentor_consent_withdrawal_before_the_link_is_refused_beside_the_date(
    api: Api,
) -> None:
    link = person_linked(api, api.foundation)
    signed_in(api.client, staff_key(api))
    values = {"link_id": str(link), "withdrawn_on": BEFORE}
    refused_beside(api, "mentor-consent-withdrawal", "withdrawn_on", "invalid_date", 422, **values)


def test_a_mentor_consent_withdrawal_form_refuses_another_foundations_link(api: Api) -> None:
    theirs = person_linked(api, other_foundation(api))
    signed_in(api.client, staff_key(api))
    values = {"link_id": str(theirs), "withdrawn_on": LATER}
    refused_as_foreign(api, "mentor-consent-withdrawal", **values)
    assert api.ledger.get_mentor_link(theirs).publish_name


def ending_of(link: UUID, **overrides: str) -> dict[str, str]:
    return {
        "link_id": str(link),
        "outcome": "受带教机构已能独立完成项目申报",
        "ended_on": LATER,
        **overrides,
    }


def test_a_mentor_link_end_form_ends_the_link_once(api: Api) -> None:
    link = linked(api, api.foundation, centre(api))
    signed_in(api.client, staff_key(api))
    recorded_once(api, "mentor-link-end", **ending_of(link))
    assert api.ledger.get_mentor_link(link).ended is not None


def test_a_mentor_link_ended_before_it_began_is_refused_beside_the_date(api: Api) -> None:
    link = linked(api, api.foundation, centre(api))
    signed_in(api.client, staff_key(api))
    values = ending_of(link, ended_on=BEFORE)
    refused_beside(api, "mentor-link-end", "ended_on", "invalid_date", 422, **values)


def test_a_mentor_link_end_form_refuses_another_foundations_link(api: Api) -> None:
    theirs = linked(api, other_foundation(api), centre(api))
    signed_in(api.client, staff_key(api))
    refused_as_foreign(api, "mentor-link-end", **ending_of(theirs))
    assert api.ledger.get_mentor_link(theirs).ended is None


def test_every_new_form_has_distinct_inputs_and_its_strings_in_both_languages() -> None:
    new = [f for name, f in catalog.FORMS.items() if name not in staff_forms.FORMS]
    assert len(new) == 22
    for form in new:
        names = [given.name for given in form.inputs]
        assert len(names) == len(set(names)), form.name
        assert not {"command_id", "csrf_token"} & set(names)
        keys = [form.title, form.intro, *(i.label for i in form.inputs)]
        keys += [i.hint for i in form.inputs] + [i.group for i in form.inputs]
        for key in filter(None, keys):
            assert all(MESSAGES[key]), key
