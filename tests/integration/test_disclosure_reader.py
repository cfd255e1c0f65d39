"""The disclosure reader, on every backend: what the JSON routes and the public pages read.

Its answers are frozen dataclasses of plain values (fen, dates, UUIDs, flags), never tuples or
formatted text; lists are keyset pages that walk every row once; a bad filter, cursor or limit is a
domain error naming its field; and the same functions read views built as of a past position.
"""

from __future__ import annotations

import base64
import dataclasses
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import InvalidCursor, InvalidInput, UnknownDistrict
from domain.ledger import Ledger
from domain.money import Money
from projections.catalog import all_views
from projections.disclosure import DisclosureView, reader
from projections.disclosure.reader import Filters, PartyFilters
from projections.disclosure.rows import (
    FoundationPage,
    FundRow,
    GoalOutcome,
    PairingEvaluation,
)
from projections.pagination import MAX_LIMIT, PageRequest, every_row
from projections.runner import Runner, build_as_of
from storage.viewdb import ViewDB
from tests.support import DAY, award, donate, open_fund, person, register, relief_case


@pytest.fixture
def story(ledger: Ledger, views: ViewDB) -> dict[str, Any]:
    """A community foundation's year, with a bit of everything the public sees, and the views
    caught up with it."""
    foundation = register(ledger, name="陆家嘴社区基金会")
    big = register(
        ledger,
        name="某大型基金会",
        roles=["foundation"],
        district="huangpu",
        subdistrict="外滩街道",
    )
    company = register(ledger, name="某科技公司", roles=[], district="xuhui")
    centre = register(ledger, name="花木睦邻中心", roles=["service_center"])
    general = open_fund(ledger, foundation, name="社区发展基金", opened_on=date(2020, 1, 1))
    relief = open_fund(
        ledger, foundation, kind="emergency_relief", name="暖心基金", opened_on=date(2021, 1, 1)
    )
    donate(
        ledger,
        general,
        "5000",
        donor_kind="organization",
        donor_ref=str(company),
        publish_name=True,
    )
    donor = person(ledger, name="测试捐赠人（虚构）")
    donate(ledger, general, "800", donor_kind="person", donor_subject_id=donor, publish_name=True)
    donate(ledger, general, "200")
    mistaken = donate(ledger, general, "300")
    ledger.reverse_donation(
        general, reversal_id=uuid4(), donation_id=mistaken, reason="重复入账", reversed_on=DAY
    )
    grant = award(ledger, general, centre, "3000")
    ledger.pay_instalment(grant, payment_id=uuid4(), amount=Money.yuan("1000"), paid_on=DAY)
    donate(ledger, relief, "2000")
    case = relief_case(ledger, relief, person(ledger), emergency=True)
    disbursement = uuid4()
    ledger.disburse_relief(
        case, disbursement_id=disbursement, amount=Money.yuan("600"), paid_on=date(2024, 3, 5)
    )
    pairing = uuid4()
    ledger.propose_pairing(
        pairing,
        kind="foundation_twinning",
        lead_id=big,
        partner_id=foundation,
        goals=["联合募捐", "理事培训"],
        planned_start=DAY,
        planned_end=date(2024, 12, 31),
        proposed_on=DAY,
    )
    for party in (big, foundation):
        ledger.confirm_pairing(pairing, command_id=uuid4(), party_id=party, confirmed_on=DAY)
    activity = uuid4()
    ledger.record_pairing_activity(
        pairing, activity_id=activity, kind="training", held_on=DAY, summary="理事培训"
    )
    ledger.evaluate_pairing(
        pairing, command_id=uuid4(), results=[(1, "met", "已建立")], evaluated_on=DAY
    )
    mentor = person(ledger, name="测试导师（虚构）")
    link = uuid4()
    ledger.start_mentor_link(
        link,
        mentor_kind="person",
        mentor_subject_id=mentor,
        role_label="资深社工",
        publish_name=True,
        mentee_id=centre,
        focus="财务规范化",
        started_on=DAY,
    )
    designation = uuid4()
    ledger.nominate(
        designation,
        kind="observation_point",
        year=2024,
        nominee_kind="foundation",
        nominee_org_id=foundation,
        nominating_body="浦东新区民政局",
        rationale="社区基金会治理规范",
        nominated_on=DAY,
    )
    Runner(ledger, views, all_views()).catch_up()
    return {
        "foundation": foundation,
        "big": big,
        "company": company,
        "centre": centre,
        "general": general,
        "relief": relief,
        "donor": donor,
        "grant": grant,
        "case": case,
        "disbursement": disbursement,
        "pairing": pairing,
        "activity": activity,
        "mentor": mentor,
        "link": link,
        "designation": designation,
    }


def test_a_foundations_page_is_frozen_rows_of_fen_dates_and_ids(
    views: ViewDB, story: dict[str, Any]
) -> None:
    page = reader.foundation_page(views, story["foundation"], today=DAY)
    assert isinstance(page, FoundationPage)
    assert (page.organization.organization_id, page.organization.name) == (
        story["foundation"],
        "陆家嘴社区基金会",
    )
    assert page.organization.roles == ("community_foundation",)
    assert page.organization.registered_on == date(2019, 6, 1)
    assert [f.fund_id for f in page.funds] == [story["general"], story["relief"]]  # by opening
    general = page.funds[0]
    # 200 yuan anonymous; the 300 reversed is no longer counted.
    assert (general.figures.received_fen, general.figures.anonymous_fen) == (630000, 20000)
    assert (general.figures.reversed_in_fen, general.figures.reversed_out_fen) == (30000, 0)
    assert general.figures.balance_fen == 500000
    # The foundation's figures are its funds' summed, in fen.
    assert page.figures.received_fen == 630000 + 200000
    assert page.figures.balance_fen == 500000 + 200000 - 60000
    assert page.section_limit == reader.SECTION
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.organization.name = "改名"  # type: ignore[misc]
    for row in (page.organization, page.figures, *page.funds, *page.grants, *page.relief):
        assert dataclasses.is_dataclass(row)
        assert not isinstance(row, tuple)


def test_a_named_donation_carries_the_organisations_name_or_the_persons_reference(
    views: ViewDB, story: dict[str, Any]
) -> None:
    page = reader.foundation_page(views, story["foundation"], today=DAY)
    assert page is not None
    by_kind = {d.donor_kind: d for d in page.named_donations}
    assert set(by_kind) == {"organization", "person"}
    company = by_kind["organization"]
    assert (company.donor_ref, company.organization_name, company.amount_fen) == (
        story["company"],
        "某科技公司",
        500000,
    )
    donor = by_kind["person"]
    # A per-use vault reference, for the caller to look the consenting name up: not the subject.
    assert donor.organization_name is None
    assert isinstance(donor.donor_ref, UUID)
    assert donor.donor_ref != story["donor"]


def test_an_id_that_is_no_fund_holder_has_no_page(views: ViewDB, story: dict[str, Any]) -> None:
    assert reader.foundation_page(views, uuid4(), today=DAY) is None
    assert (
        reader.foundation_page(views, story["company"], today=DAY) is None
    )  # registered, holds no funds


def test_grants_relief_monthly_totals_and_corrections_are_typed_rows(
    views: ViewDB, story: dict[str, Any]
) -> None:
    mine = Filters(foundation_id=story["foundation"])
    (grant,) = reader.grants(views, mine).items
    assert (grant.grant_id, grant.recipient_name) == (story["grant"], "花木睦邻中心")
    assert (grant.awarded_fen, grant.paid_fen, grant.status, grant.rating) == (
        300000,
        100000,
        "active",
        None,
    )
    assert (grant.awarded_on, grant.planned_end) == (DAY, date(2024, 12, 31))
    (paid,) = reader.relief(views, mine, today=date(2024, 3, 5)).items
    assert (paid.disbursement_id, paid.case_id, paid.amount_fen) == (
        story["disbursement"],
        story["case"],
        60000,
    )
    assert (paid.paid_on, paid.emergency, paid.before_approval, paid.reversed) == (
        date(2024, 3, 5),
        True,
        True,
        False,
    )
    assert (paid.ratify_by, paid.ratification) == (date(2024, 3, 12), "pending")
    (month,) = reader.relief_monthly(views, mine).items
    assert (month.month, month.subdistrict, month.total_fen, month.disbursements) == (
        "2024-03",
        "陆家嘴街道",
        60000,
        1,
    )
    (correction,) = reader.corrections(views, mine).items
    assert (correction.kind, correction.reason, correction.amount_fen) == (
        "donation_reversed",
        "重复入账",
        30000,
    )
    assert (correction.organization_id, correction.corrected_on) == (story["foundation"], DAY)


def test_pairings_activities_mentor_links_and_designations_are_typed_rows(
    views: ViewDB, story: dict[str, Any]
) -> None:
    ours = PartyFilters(organization_id=story["foundation"])
    (pairing,) = reader.pairings(views, ours).items
    assert (pairing.lead_name, pairing.partner_name, pairing.status) == (
        "某大型基金会",
        "陆家嘴社区基金会",
        "active",
    )
    assert pairing.goals == ("联合募捐", "理事培训")
    assert pairing.evaluation == PairingEvaluation(
        results=(GoalOutcome(1, "met", "已建立"),),
        grade_before=None,
        grade_after=None,
        evaluated_on=DAY,
    )
    activities = reader.pairing_activities(views, story["pairing"])
    assert activities is not None
    assert [(a.activity_id, a.kind, a.held_on) for a in activities.items] == [
        (story["activity"], "training", DAY)
    ]
    assert reader.pairing_activities(views, uuid4()) is None
    (link,) = reader.mentor_links(views, PartyFilters(organization_id=story["centre"])).items
    assert (link.link_id, link.mentor_kind, link.mentor_org_id, link.mentor_org_name) == (
        story["link"],
        "person",
        None,
        None,
    )
    assert (link.publish_name, link.role_label, link.mentee_name) == (
        True,
        "资深社工",
        "花木睦邻中心",
    )
    assert isinstance(link.mentor_ref, UUID)
    assert link.mentor_ref != story["mentor"]
    (designation,) = reader.designations(views, ours).items
    assert (designation.designation_id, designation.year, designation.status) == (
        story["designation"],
        2024,
        "nominated",
    )
    assert (designation.nominee_name, designation.decided_on) == ("陆家嘴社区基金会", None)


def test_lists_filter_by_district_foundation_and_year(views: ViewDB, story: dict[str, Any]) -> None:
    foundations = reader.foundations(views).items
    assert [f.organization.organization_id for f in foundations] == [
        story["big"],
        story["foundation"],
    ]
    assert [f.funds for f in foundations] == [0, 2]
    assert foundations[1].figures.balance_fen == 640000
    assert [f.organization.name for f in reader.foundations(views, "huangpu").items] == [
        "某大型基金会"
    ]
    assert reader.funds(views, Filters(district="huangpu")).items == ()
    assert [f.fund_id for f in reader.funds(views, Filters(year=2021)).items] == [story["relief"]]
    assert reader.pairings(views, PartyFilters(district="huangpu")).items != ()
    assert reader.pairings(views, PartyFilters(year=2023)).items == ()
    with pytest.raises(UnknownDistrict) as refused:
        reader.grants(views, Filters(district="atlantis"))
    assert refused.value.field == "district"


def test_a_walk_page_by_page_lists_every_row_once_in_order(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    for month in range(1, 13):  # after the foundation's registration (2019-06-01)
        open_fund(ledger, story["foundation"], name=f"基金{month}", opened_on=date(2022, month, 1))
    Runner(ledger, views, all_views()).catch_up()
    walked: list[FundRow] = []
    page = PageRequest(limit=5)
    while True:
        found = reader.funds(views, Filters(foundation_id=story["foundation"]), page)
        assert len(found.items) <= 5
        walked.extend(found.items)
        if found.next_cursor is None:
            break
        page = PageRequest(5, found.next_cursor)
    assert len(walked) == len({f.fund_id for f in walked}) == 14
    assert walked == sorted(walked, key=lambda f: (f.opened_on, str(f.fund_id)))
    everything = list(every_row(lambda p: reader.funds(views, reader.NO_FILTERS, p)))
    assert everything == walked  # every fund is the foundation's


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize("cursor", ["not base64!", b64("{}"), b64('["x"]'), b64("[1, 2]")])
def test_a_cursor_the_list_did_not_give_is_refused_naming_cursor(
    views: ViewDB, story: dict[str, Any], cursor: str
) -> None:
    with pytest.raises(InvalidCursor) as refused:
        reader.funds(views, reader.NO_FILTERS, PageRequest(10, cursor))
    assert (refused.value.field, refused.value.code) == ("cursor", "invalid_input")
    assert isinstance(refused.value, InvalidInput)


def test_a_cursor_of_one_list_is_refused_by_another(views: ViewDB, story: dict[str, Any]) -> None:
    first = reader.funds(views, reader.NO_FILTERS, PageRequest(1))
    assert first.next_cursor is not None
    with pytest.raises(InvalidCursor):
        reader.corrections(views, reader.NO_FILTERS, PageRequest(1, first.next_cursor))


@pytest.mark.parametrize("limit", [0, -1, MAX_LIMIT + 1, True])
def test_a_limit_outside_1_to_500_is_refused_naming_limit(limit: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        PageRequest(limit)
    assert refused.value.field == "limit"


def test_the_reader_reads_the_views_as_they_stood_at_a_past_position(ledger: Ledger) -> None:
    foundation = register(ledger)
    fund = open_fund(ledger, foundation)
    donate(ledger, fund, "100")
    cut = ledger.head()
    donate(ledger, fund, "50")
    past = build_as_of(ledger, [DisclosureView()], position=cut)
    now = build_as_of(ledger, [DisclosureView()], position=ledger.head())
    try:
        then_page, now_page = (
            reader.foundation_page(db, foundation, today=DAY) for db in (past, now)
        )
        assert then_page is not None
        assert now_page is not None
        assert (then_page.figures.received_fen, now_page.figures.received_fen) == (10000, 15000)
    finally:
        past.close()
        now.close()
