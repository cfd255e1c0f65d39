"""Pairings (结对), specified on every backend: roles per kind, one open pairing per pair and kind,
confirmation by both parties, activities (funding backed by a transfer between them), evaluation per
goal, conclusion or termination with a public reason."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import (
    DuplicatePairing,
    InvalidChoice,
    RoleMismatch,
    SelfPairing,
    StateConflict,
    UnknownEntry,
    UnknownOrganization,
)
from domain.ledger import Ledger
from domain.money import Money
from tests.support import DAY, donate, open_fund, refused, register

GOALS = ["建立联合募捐机制", "培训社区基金会理事 20 人次"]


def propose(ledger: Ledger, kind: str, lead: UUID, partner: UUID, **overrides: Any) -> UUID:
    pairing_id: UUID = overrides.pop("pairing_id", uuid4())
    fields: dict[str, Any] = {
        "kind": kind,
        "mode": "strong_weak" if kind == "service_center_partnership" else None,
        "lead_id": lead,
        "partner_id": partner,
        "goals": GOALS,
        "planned_start": DAY,
        "planned_end": date(2025, 2, 28),
        "proposed_on": DAY,
    }
    fields.update(overrides)
    ledger.propose_pairing(pairing_id, **fields)
    return pairing_id


def confirm_both(ledger: Ledger, pairing_id: UUID) -> None:
    pairing = ledger.get_pairing(pairing_id)
    for party in pairing.parties:
        ledger.confirm_pairing(pairing_id, command_id=uuid4(), party_id=party, confirmed_on=DAY)


@pytest.fixture
def twins(ledger: Ledger) -> tuple[UUID, UUID]:
    """A large foundation and a community foundation."""
    return register(ledger, name="上海某大型基金会", roles=["foundation"]), register(ledger)


def test_a_twinning_becomes_active_when_both_parties_confirm(
    ledger: Ledger, twins: tuple[UUID, UUID]
) -> None:
    pairing_id = propose(ledger, "foundation_twinning", *twins)
    assert ledger.get_pairing(pairing_id).status == "proposed"
    ledger.confirm_pairing(pairing_id, command_id=uuid4(), party_id=twins[0], confirmed_on=DAY)
    assert ledger.get_pairing(pairing_id).status == "proposed"
    with refused(ledger, RoleMismatch, "party_id"):
        ledger.confirm_pairing(pairing_id, command_id=uuid4(), party_id=uuid4(), confirmed_on=DAY)
    with refused(ledger, StateConflict, "party_id"):
        ledger.confirm_pairing(pairing_id, command_id=uuid4(), party_id=twins[0], confirmed_on=DAY)
    ledger.confirm_pairing(pairing_id, command_id=uuid4(), party_id=twins[1], confirmed_on=DAY)
    assert ledger.get_pairing(pairing_id).status == "active"


@pytest.mark.parametrize(
    ("kind", "lead_roles", "partner_roles", "field"),
    [
        ("foundation_twinning", ["community_foundation"], ["community_foundation"], "lead_id"),
        ("foundation_twinning", ["foundation"], ["service_center"], "partner_id"),
        ("service_center_partnership", ["service_center"], ["foundation"], "partner_id"),
    ],
)
def test_roles_must_fit_the_kind(
    ledger: Ledger, kind: str, lead_roles: list[str], partner_roles: list[str], field: str
) -> None:
    lead, partner = register(ledger, roles=lead_roles), register(ledger, roles=partner_roles)
    with refused(ledger, RoleMismatch, field):
        propose(ledger, kind, lead, partner)


def test_an_urban_rural_pairing_brings_an_urban_lead_to_a_rural_partner(ledger: Ledger) -> None:
    urban = register(ledger, roles=[], district="huangpu")
    rural = register(ledger, roles=[], district="chongming", subdistrict="竖新镇", rural=True)
    another_urban = register(ledger, roles=[])
    another_rural = register(ledger, roles=[], rural=True)
    with refused(ledger, RoleMismatch, "partner_id"):
        propose(ledger, "urban_rural", urban, another_urban)
    with refused(ledger, RoleMismatch, "lead_id"):
        propose(ledger, "urban_rural", rural, another_rural)
    propose(ledger, "urban_rural", urban, rural)


def test_an_organisation_cannot_pair_with_itself(ledger: Ledger, twins: tuple[UUID, UUID]) -> None:
    with refused(ledger, SelfPairing, "partner_id"):
        propose(ledger, "foundation_twinning", twins[0], twins[0])


def test_unknown_organisations_cannot_pair(ledger: Ledger, twins: tuple[UUID, UUID]) -> None:
    with refused(ledger, UnknownOrganization, "partner_id"):
        propose(ledger, "foundation_twinning", twins[0], uuid4())


def test_a_mode_belongs_only_to_a_service_centre_partnership(
    ledger: Ledger, twins: tuple[UUID, UUID]
) -> None:
    with refused(ledger, InvalidChoice, "mode"):
        propose(ledger, "foundation_twinning", *twins, mode="old_new")
    centres = register(ledger, roles=["service_center"]), register(ledger, roles=["service_center"])
    with refused(ledger, InvalidChoice, "mode"):
        propose(ledger, "service_center_partnership", *centres, mode="big_small")


def test_only_one_open_pairing_of_a_kind_joins_two_organisations(
    ledger: Ledger, twins: tuple[UUID, UUID]
) -> None:
    first = propose(ledger, "foundation_twinning", *twins)
    with refused(ledger, DuplicatePairing, "partner_id"):
        propose(ledger, "foundation_twinning", *twins)
    confirm_both(ledger, first)
    ledger.conclude_pairing(first, command_id=uuid4(), summary="目标完成", concluded_on=DAY)
    propose(ledger, "foundation_twinning", *twins)  # the place is free again


def test_activities_need_an_active_pairing(ledger: Ledger, twins: tuple[UUID, UUID]) -> None:
    pairing_id = propose(ledger, "foundation_twinning", *twins)
    fields: dict[str, Any] = {"kind": "training", "held_on": DAY, "summary": "理事培训"}
    with refused(ledger, StateConflict, "pairing_id"):
        ledger.record_pairing_activity(pairing_id, activity_id=uuid4(), **fields)
    confirm_both(ledger, pairing_id)
    ledger.record_pairing_activity(pairing_id, activity_id=uuid4(), **fields)
    ledger.conclude_pairing(pairing_id, command_id=uuid4(), summary="完成", concluded_on=DAY)
    with refused(ledger, StateConflict, "pairing_id"):
        ledger.record_pairing_activity(pairing_id, activity_id=uuid4(), **fields)


def test_a_funding_activity_names_a_transfer_between_the_parties_funds(
    ledger: Ledger, twins: tuple[UUID, UUID]
) -> None:
    pairing_id = propose(ledger, "foundation_twinning", *twins)
    confirm_both(ledger, pairing_id)
    big_fund, small_fund = (
        open_fund(ledger, twins[0]),
        open_fund(ledger, twins[1], kind="emergency_relief"),
    )
    other_fund = open_fund(ledger, register(ledger))
    donate(ledger, big_fund, "10000")
    between, elsewhere = uuid4(), uuid4()
    for transfer_id, destination in ((between, small_fund), (elsewhere, other_fund)):
        ledger.transfer(
            transfer_id=transfer_id,
            from_fund_id=big_fund,
            to_fund_id=destination,
            amount=Money.yuan("1000"),
            transferred_on=DAY,
            purpose="配捐",
            pairing_id=pairing_id,
        )
    funding: dict[str, Any] = {"kind": "funding", "held_on": DAY, "summary": "配捐救急难基金"}
    ledger.record_pairing_activity(pairing_id, activity_id=uuid4(), transfer_id=between, **funding)
    with refused(ledger, RoleMismatch, "transfer_id"):
        ledger.record_pairing_activity(
            pairing_id, activity_id=uuid4(), transfer_id=elsewhere, **funding
        )
    other_pairing = uuid4()
    ledger.transfer(
        transfer_id=(for_other := uuid4()),
        from_fund_id=big_fund,
        to_fund_id=small_fund,
        amount=Money.yuan("1"),
        transferred_on=DAY,
        purpose="另一结对",
        pairing_id=other_pairing,
    )
    with refused(ledger, RoleMismatch, "transfer_id"):
        ledger.record_pairing_activity(
            pairing_id, activity_id=uuid4(), transfer_id=for_other, **funding
        )
    with refused(ledger, UnknownEntry, "transfer_id"):
        ledger.record_pairing_activity(
            pairing_id, activity_id=uuid4(), transfer_id=uuid4(), **funding
        )


def test_an_evaluation_rates_each_known_goal(ledger: Ledger, twins: tuple[UUID, UUID]) -> None:
    pairing_id = propose(ledger, "foundation_twinning", *twins)
    confirm_both(ledger, pairing_id)
    with refused(ledger, InvalidChoice, "goal"):
        ledger.evaluate_pairing(
            pairing_id, command_id=uuid4(), results=[(3, "met", "无此目标")], evaluated_on=DAY
        )
    ledger.evaluate_pairing(
        pairing_id,
        command_id=uuid4(),
        results=[(1, "met", "已建立"), (2, "partly", "完成 14 人次")],
        evaluated_on=DAY,
    )
    assert ledger.get_pairing(pairing_id).evaluated


def test_a_service_centre_partnership_is_evaluated_with_the_partners_grades(ledger: Ledger) -> None:
    centres = register(ledger, roles=["service_center"]), register(ledger, roles=["service_center"])
    pairing_id = propose(ledger, "service_center_partnership", *centres)
    confirm_both(ledger, pairing_id)
    results = [(1, "met", "ok")]
    with refused(ledger, InvalidChoice, "grade_before"):
        ledger.evaluate_pairing(pairing_id, command_id=uuid4(), results=results, evaluated_on=DAY)
    ledger.evaluate_pairing(
        pairing_id,
        command_id=uuid4(),
        results=results,
        grade_before="2A",
        grade_after="3A",
        evaluated_on=DAY,
    )


def test_a_pairing_is_terminated_early_with_a_public_reason(
    ledger: Ledger, twins: tuple[UUID, UUID]
) -> None:
    pairing_id = propose(ledger, "foundation_twinning", *twins)
    ledger.terminate_pairing(
        pairing_id, command_id=uuid4(), reason="合作方调整战略", terminated_on=DAY
    )
    assert ledger.get_pairing(pairing_id).status == "terminated"
    with refused(ledger, StateConflict, "pairing_id"):
        ledger.terminate_pairing(pairing_id, command_id=uuid4(), reason="again", terminated_on=DAY)
    propose(ledger, "foundation_twinning", *twins)
