"""The organisation registry, specified on every backend (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import (
    DuplicateCommandError,
    DuplicateUSCC,
    InvalidChoice,
    InvalidText,
    InvalidUSCC,
    OrganizationDeregistered,
    RoleMismatch,
    UnknownDistrict,
    UnknownOrganization,
)
from domain.ledger import Ledger
from domain.organizations import Organization, Registration, UsccClaim, claim_id
from tests.support import VALID_USCC, open_fund, refused, register

REGISTRATION: dict[str, Any] = {
    "name": "浦东新区公益服务中心",
    "uscc": VALID_USCC,
    "type": "charity",
    "tier": "registered",
    "roles": ["service_center"],
    "district": "pudong",
    "subdistrict": "花木街道",
    "rural": False,
    "registered_on": date(2018, 5, 4),
}


def test_a_registered_organisation_can_be_read_back(ledger: Ledger) -> None:
    org_id = uuid4()
    outcome = ledger.register_organization(org_id, **REGISTRATION)
    org = ledger.get_organization(org_id)
    assert outcome.created
    assert outcome.position == ledger.head() == 2  # the organisation, then its USCC's claim
    assert org.name == "浦东新区公益服务中心"
    assert org.registration.uscc == VALID_USCC
    assert (org.type, org.tier, org.roles, org.district) == (
        "charity",
        "registered",
        ("service_center",),
        "pudong",
    )
    assert org.is_active


def test_repeating_a_registration_writes_nothing_and_returns_the_same_result(
    ledger: Ledger,
) -> None:
    org_id = uuid4()
    first = ledger.register_organization(org_id, **REGISTRATION)
    again = ledger.register_organization(org_id, **REGISTRATION)
    assert again.value == first.value
    assert not again.created
    assert ledger.head() == 2  # the organisation and its USCC's claim, once


def test_reusing_an_organisation_id_for_different_content_is_a_conflict(ledger: Ledger) -> None:
    org_id = uuid4()
    ledger.register_organization(org_id, **REGISTRATION)
    with refused(ledger, DuplicateCommandError, "id"):
        ledger.register_organization(org_id, **{**REGISTRATION, "name": "另一个组织"})


def test_an_unknown_district_is_refused(ledger: Ledger) -> None:
    with refused(ledger, UnknownDistrict, "district"):
        ledger.register_organization(uuid4(), **{**REGISTRATION, "district": "suzhou"})


@pytest.mark.parametrize(
    ("uscc", "rule"),
    [
        ("91110000600037341", "exactly 18"),
        ("91110000600037341I", "may only use"),
        ("91110000600037341M", "check character"),
    ],
)
def test_a_malformed_uscc_is_refused_naming_the_rule(ledger: Ledger, uscc: str, rule: str) -> None:
    with refused(ledger, InvalidUSCC, "uscc") as r:
        ledger.register_organization(uuid4(), **{**REGISTRATION, "uscc": uscc})
    assert r.head == ledger.head()


def test_an_unregistered_activity_group_needs_no_uscc(ledger: Ledger) -> None:
    org_id = register(ledger, uscc=None, tier="activity_group", roles=[], type="culture_sports")
    assert ledger.get_organization(org_id).registration.uscc is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("type", "sports"), ("tier", "informal"), ("roles", ["bank"]), ("roles", "foundation")],
)
def test_values_outside_the_closed_lists_are_refused(
    ledger: Ledger, field: str, value: object
) -> None:
    with refused(ledger, InvalidChoice, field):
        ledger.register_organization(uuid4(), **{**REGISTRATION, field: value})


def test_an_empty_name_is_refused(ledger: Ledger) -> None:
    with refused(ledger, InvalidText, "name"):
        ledger.register_organization(uuid4(), **{**REGISTRATION, "name": "  "})


def test_reclassification_changes_type_and_tier_and_keeps_the_reason(ledger: Ledger) -> None:
    org_id = register(ledger, type="culture_sports", tier="activity_team", roles=[])
    command_id = uuid4()
    outcome = ledger.reclassify_organization(
        org_id,
        command_id=command_id,
        type="life_services",
        tier="registered",
        reason="按沪民社管发〔2021〕3号重新分类",
        reclassified_on=date(2022, 1, 10),
    )
    org = ledger.get_organization(org_id)
    assert (org.type, org.tier) == ("life_services", "registered")
    assert org.registration.type == "culture_sports"  # the original registration is never edited
    assert outcome.value.reason == "按沪民社管发〔2021〕3号重新分类"
    applied = ledger.applied(command_id)
    assert applied is not None
    assert (applied.aggregate_id, applied.record) == (org_id, outcome.value)


def test_a_service_centre_is_graded(ledger: Ledger) -> None:
    org_id = register(ledger, roles=["service_center"])
    ledger.record_evaluation(
        org_id,
        evaluation_id=uuid4(),
        grade="4A",
        evaluated_on=date(2023, 9, 1),
        evaluator="市民政局",
    )
    assert ledger.get_organization(org_id).grade == "4A"


def test_only_a_service_centre_is_graded(ledger: Ledger) -> None:
    org_id = register(ledger, roles=["community_foundation"])
    with refused(ledger, RoleMismatch, "organization_id"):
        ledger.record_evaluation(
            org_id, evaluation_id=uuid4(), grade="3A", evaluated_on=date(2023, 9, 1), evaluator="x"
        )


def test_a_grade_outside_1a_to_5a_is_refused(ledger: Ledger) -> None:
    org_id = register(ledger, roles=["service_center"])
    with refused(ledger, InvalidChoice, "grade"):
        ledger.record_evaluation(
            org_id, evaluation_id=uuid4(), grade="6A", evaluated_on=date(2023, 9, 1), evaluator="x"
        )


def test_a_deregistered_organisation_accepts_no_further_changes(ledger: Ledger) -> None:
    org_id = register(ledger, roles=["community_foundation"])
    ledger.deregister_organization(
        org_id, command_id=uuid4(), reason="自行解散", deregistered_on=date(2024, 1, 2)
    )
    assert not ledger.get_organization(org_id).is_active
    with refused(ledger, OrganizationDeregistered, "organization_id"):
        ledger.reclassify_organization(
            org_id,
            command_id=uuid4(),
            type="charity",
            tier="registered",
            reason="x",
            reclassified_on=date(2024, 2, 1),
        )
    with refused(ledger, OrganizationDeregistered, "foundation_id"):
        open_fund(ledger, org_id)


def test_commands_on_an_unknown_organisation_are_refused(ledger: Ledger) -> None:
    with refused(ledger, UnknownOrganization, "organization_id"):
        ledger.deregister_organization(
            uuid4(), command_id=uuid4(), reason="x", deregistered_on=date(2024, 1, 2)
        )


def test_a_repeated_command_with_new_content_is_a_conflict(ledger: Ledger) -> None:
    org_id = register(ledger, roles=[])
    command_id = uuid4()
    fields: dict[str, Any] = {
        "type": "charity",
        "tier": "registered",
        "reclassified_on": date(2022, 1, 1),
    }
    ledger.reclassify_organization(org_id, command_id=command_id, reason="first", **fields)
    again = ledger.reclassify_organization(org_id, command_id=command_id, reason="first", **fields)
    assert not again.created
    with refused(ledger, DuplicateCommandError, "id"):
        ledger.reclassify_organization(org_id, command_id=command_id, reason="second", **fields)


def test_a_uscc_names_one_organisation_and_a_second_registration_of_it_is_refused(
    ledger: Ledger,
) -> None:
    first = uuid4()
    ledger.register_organization(first, **REGISTRATION)
    with refused(ledger, DuplicateUSCC, "uscc"):
        ledger.register_organization(uuid4(), **{**REGISTRATION, "name": "另一个组织"})
    with pytest.raises(DuplicateUSCC, match=str(first)):
        ledger.register_organization(uuid4(), **REGISTRATION)


def test_a_deregistered_organisation_keeps_its_uscc(ledger: Ledger) -> None:
    first = uuid4()
    ledger.register_organization(first, **REGISTRATION)
    ledger.deregister_organization(
        first, command_id=uuid4(), reason="合并", deregistered_on=date(2024, 1, 1)
    )
    with refused(ledger, DuplicateUSCC, "uscc"):
        ledger.register_organization(uuid4(), **REGISTRATION)


def test_an_organisation_registered_before_claims_existed_holds_none_and_the_next_takes_it(
    ledger: Ledger,
) -> None:
    """Organisations registered before 2026-12-01 wrote no claim; the ledger does not search the
    registry for their code, so the first registration of it since then is accepted and takes the
    claim (docs/API.md says so), and every later one is refused."""
    # As an old log holds it: the organisation's `Registered` event and no claim.
    old = Organization.register(uuid4(), Registration.validated(**REGISTRATION))
    ledger.save(old)
    assert ledger.as_of(claim_id(VALID_USCC)) is None
    newer = uuid4()
    ledger.register_organization(newer, **REGISTRATION)
    claim = ledger.as_of(claim_id(VALID_USCC))
    assert isinstance(claim, UsccClaim)
    assert claim.organization_id == newer
    with refused(ledger, DuplicateUSCC, "uscc"):
        ledger.register_organization(uuid4(), **REGISTRATION)
