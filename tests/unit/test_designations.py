"""Designations (带头人, 观察点), specified on every backend: nominate, select within the year's maximum,
revoke once with a public reason; and the per-year count the indicators will read."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import (
    AlreadyReversed,
    InvalidChoice,
    RoleMismatch,
    StateConflict,
    YearlyMaximumReached,
)
from domain.ledger import Ledger
from tests.support import DAY, person, refused, register


def nominate(ledger: Ledger, **overrides: Any) -> UUID:
    designation_id: UUID = overrides.pop("designation_id", uuid4())
    fields: dict[str, Any] = {
        "kind": "observation_point",
        "year": 2024,
        "nominee_kind": "foundation",
        "nominating_body": "浦东新区民政局",
        "rationale": "社区基金会治理规范",
        "nominated_on": DAY,
    }
    fields.update(overrides)
    if fields["nominee_kind"] == "foundation" and "nominee_org_id" not in fields:
        fields["nominee_org_id"] = register(ledger)
    ledger.nominate(designation_id, **fields)
    return designation_id


def select(ledger: Ledger, designation_id: UUID) -> None:
    ledger.select_designation(
        designation_id, command_id=uuid4(), selected_on=DAY, selecting_body="上海市民政局"
    )


def test_selection_is_counted_per_kind_and_year(ledger: Ledger) -> None:
    for _ in range(3):
        select(ledger, nominate(ledger))
    leader = person(ledger, name="周理事长")
    select(
        ledger, nominate(ledger, kind="leader", nominee_kind="person", nominee_subject_id=leader)
    )
    nominate(ledger)  # nominated, not selected: not counted
    assert ledger.designations_selected(2024) == {"leader": 1, "observation_point": 3}
    assert ledger.designations_selected(2025) == {"leader": 0, "observation_point": 0}


def test_no_more_than_the_yearly_maximum_is_selected(ledger: Ledger) -> None:
    ledger.designations_max_per_year = 2
    first, second, third = nominate(ledger), nominate(ledger), nominate(ledger)
    select(ledger, first)
    select(ledger, second)
    with refused(ledger, YearlyMaximumReached, "designation_id"):
        select(ledger, third)
    ledger.revoke_designation(first, command_id=uuid4(), reason="不再符合条件", revoked_on=DAY)
    select(ledger, third)  # a revoked selection frees its place
    assert ledger.designations_selected(2024)["observation_point"] == 2


def test_a_designation_is_revoked_once(ledger: Ledger) -> None:
    designation_id = nominate(ledger)
    select(ledger, designation_id)
    ledger.revoke_designation(designation_id, command_id=uuid4(), reason="违规", revoked_on=DAY)
    with refused(ledger, AlreadyReversed, "designation_id"):
        ledger.revoke_designation(
            designation_id, command_id=uuid4(), reason="again", revoked_on=DAY
        )
    with refused(ledger, StateConflict, "designation_id"):
        select(ledger, designation_id)


def test_an_observation_point_is_a_foundation(ledger: Ledger) -> None:
    somebody, centre = person(ledger), register(ledger, roles=["service_center"])
    with refused(ledger, InvalidChoice, "nominee_kind"):
        nominate(ledger, nominee_kind="person", nominee_subject_id=somebody)
    with refused(ledger, RoleMismatch, "nominee_org_id"):
        nominate(ledger, nominee_org_id=centre)


@pytest.mark.parametrize(("field", "value"), [("kind", "champion"), ("year", 1999)])
def test_kind_and_year_are_checked(ledger: Ledger, field: str, value: object) -> None:
    foundation = register(ledger)
    with refused(ledger, InvalidChoice, field):
        nominate(ledger, nominee_org_id=foundation, **{field: value})
