"""The indicators view, on every backend: the plan's targets from a narrative of registrations, funds,
pairings, designations and grades."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from uuid import uuid4

from domain.districts import DISTRICTS
from domain.ledger import Ledger
from domain.pairing.pairing import PAIRING_KINDS
from projections.indicators import (
    ESTABLISHED,
    IndicatorsView,
    Share,
    district_indicators,
    indicator_figures,
)
from projections.runner import Runner
from storage.viewdb import ViewDB
from tests.support import DAY, open_fund, person, register


def plan_narrative(ledger: Ledger) -> None:
    """Registrations, funds, a pairing, designations and grades across five districts."""
    # Pudong: two subdistricts known, one with a community foundation that has a relief fund.
    lujiazui = register(ledger, district="pudong", subdistrict="陆家嘴街道")
    open_fund(ledger, lujiazui, kind="emergency_relief")
    register(ledger, roles=["service_center"], district="pudong", subdistrict="花木街道")
    # Chongming: a community foundation without a relief fund; rural organisations before and after 2020.
    chongming = register(ledger, district="chongming", subdistrict="城桥镇")
    open_fund(ledger, chongming, kind="general")
    for registered_on in (date(2019, 5, 1), date(2021, 3, 1), date(2022, 7, 1), date(2024, 2, 1)):
        register(
            ledger,
            roles=[],
            district="chongming",
            subdistrict="竖新镇",
            rural=True,
            registered_on=registered_on,
        )
    # Service centres: one graded 4A, one 2A, one ungraded.
    graded = [
        register(ledger, roles=["service_center"], district="xuhui", subdistrict="田林街道")
        for _ in range(3)
    ]
    for centre, grade in zip(graded, ("4A", "2A"), strict=False):
        ledger.record_evaluation(
            centre, evaluation_id=uuid4(), grade=grade, evaluated_on=DAY, evaluator="评估机构"
        )
    # One foundation twinning, active; two observation points selected for 2024.
    big = register(ledger, roles=["foundation"], district="huangpu", subdistrict="外滩街道")
    pairing = uuid4()
    ledger.propose_pairing(
        pairing,
        kind="foundation_twinning",
        lead_id=big,
        partner_id=chongming,
        goals=["g"],
        planned_start=DAY,
        planned_end=DAY,
        proposed_on=DAY,
    )
    for party in (big, chongming):
        ledger.confirm_pairing(pairing, command_id=uuid4(), party_id=party, confirmed_on=DAY)
    for foundation in (lujiazui, chongming):
        designation = uuid4()
        ledger.nominate(
            designation,
            kind="observation_point",
            year=2024,
            nominee_kind="foundation",
            nominee_org_id=foundation,
            nominating_body="市民政局",
            rationale="r",
            nominated_on=DAY,
        )
        ledger.select_designation(
            designation, command_id=uuid4(), selected_on=DAY, selecting_body="市民政局"
        )


def test_the_plans_figures_per_district_and_citywide(ledger: Ledger, views: ViewDB) -> None:
    plan_narrative(ledger)
    Runner(ledger, views, [IndicatorsView()]).catch_up()
    city = indicator_figures(views)
    pudong = indicator_figures(views, "pudong")

    assert pudong["subdistricts_with_community_foundation"] == Share(1, 2)
    assert pudong["community_foundations_with_relief_fund"] == Share(1, 1)
    assert city["community_foundations_with_relief_fund"] == Share(1, 2)
    assert city["community_foundations_with_relief_fund"].percent == 50.0
    assert city["pairings"] == {("foundation_twinning", "active"): 1}
    assert city["designations"] == {
        (2024, "observation_point"): {"selected": 2, "gap": 1, "over": 0}
    }
    rural = indicator_figures(views, "chongming")["rural_registered"]
    assert (rural["baseline_2020"], rural["at_end_of_2023"], rural["now"]) == (1, 3, 4)
    assert rural["met_by_2023"] is True
    assert indicator_figures(views, "xuhui")["service_centres_graded_3a_or_above"] == Share(1, 3)


def test_a_district_counts_only_the_designations_of_its_own_organisations(
    ledger: Ledger, views: ViewDB
) -> None:
    pudong = register(ledger, district="pudong", subdistrict="陆家嘴街道")
    register(ledger, district="jinshan", subdistrict="朱泾镇")  # registered, nothing designated
    for _ in range(5):
        designation = uuid4()
        ledger.nominate(
            designation,
            kind="leader",
            year=2024,
            nominee_kind="foundation",
            nominee_org_id=pudong,
            nominating_body="市民政局",
            rationale="r",
            nominated_on=DAY,
        )
        ledger.select_designation(
            designation, command_id=uuid4(), selected_on=DAY, selecting_body="市民政局"
        )

    # A person leader belongs to no district: counted citywide only.
    designation = uuid4()
    ledger.nominate(
        designation,
        kind="leader",
        year=2025,
        nominee_kind="person",
        nominee_subject_id=person(ledger),
        nominating_body="市民政局",
        rationale="r",
        nominated_on=DAY,
    )
    ledger.select_designation(
        designation, command_id=uuid4(), selected_on=DAY, selecting_body="市民政局"
    )

    Runner(ledger, views, [IndicatorsView()]).catch_up()

    leaders = {(2024, "leader"): {"selected": 5, "gap": 0, "over": 0}}
    person_leader = {(2025, "leader"): {"selected": 1, "gap": 2, "over": 0}}
    assert indicator_figures(views)["designations"] == leaders | person_leader
    assert indicator_figures(views, "pudong")["designations"] == leaders
    assert indicator_figures(views, "jinshan")["designations"] == {}


def test_every_districts_figures_at_once_are_each_districts_own_figures(
    ledger: Ledger, views: ViewDB
) -> None:
    plan_narrative(ledger)
    # A proposed pairing (not yet established) and a terminated one (broken off) count for nothing.
    lead = register(ledger, roles=["foundation"], district="huangpu", subdistrict="外滩街道")
    partner = register(ledger, district="jinshan", subdistrict="朱泾镇")
    for ends in ("terminate", None):
        pairing = uuid4()
        ledger.propose_pairing(
            pairing,
            kind="foundation_twinning",
            lead_id=lead,
            partner_id=partner,
            goals=["g"],
            planned_start=DAY,
            planned_end=DAY,
            proposed_on=DAY,
        )
        if ends:
            for party in (lead, partner):
                ledger.confirm_pairing(
                    pairing, command_id=uuid4(), party_id=party, confirmed_on=DAY
                )
            ledger.terminate_pairing(pairing, command_id=uuid4(), reason="r", terminated_on=DAY)
    Runner(ledger, views, [IndicatorsView()]).catch_up()

    grid = district_indicators(views)

    assert [d.district for d in grid] == list(DISTRICTS)
    for found in grid:
        alone = indicator_figures(views, found.district)
        assert (
            found.subdistricts_with_community_foundation
            == (alone["subdistricts_with_community_foundation"])
        )
        assert (
            found.community_foundations_with_relief_fund
            == (alone["community_foundations_with_relief_fund"])
        )
        assert (
            found.service_centres_graded_3a_or_above
            == (alone["service_centres_graded_3a_or_above"])
        )
        assert asdict(found.rural_registered) == alone["rural_registered"]
        established = {
            kind: sum(
                n
                for (k, status), n in alone["pairings"].items()
                if k == kind and status in ESTABLISHED
            )
            for kind in PAIRING_KINDS
        }
        assert dict(found.pairings) == established
        assert found.pairings_established == sum(established.values())
    huangpu = grid[list(DISTRICTS).index("huangpu")]
    assert dict(huangpu.pairings) == {
        "foundation_twinning": 1,
        "service_center_partnership": 0,
        "urban_rural": 0,
    }
    chongming = grid[list(DISTRICTS).index("chongming")]
    assert chongming.rural_registered.progress == Share(4, 2)
