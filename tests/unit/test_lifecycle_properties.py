"""Property: random lifecycle commands on pairings, mentor links and designations never reach an
illegal state, and replaying the stored events reproduces every aggregate.

Commands are drawn at random, legal or not; refused ones must write nothing. After every step: at most
one open pairing of a kind joins two organisations and the slot names it; a pairing is active exactly
when both parties confirmed and it has not ended; no year has more selections than the maximum, and the
year's count is exactly the designations selected and not revoked; ended mentor links gain no minutes.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from domain.errors import DomainError
from domain.ledger import Ledger
from domain.pairing.designation import DESIGNATION_KINDS, year_id
from domain.pairing.pairing import slot_id
from storage.database import Database
from tests.support import person, register

DAY = date(2024, 1, 1)
MAXIMUM = 2


class Lifecycles(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        database = Database("memory")
        self.vault = database.open_vault(bytes(32))
        self.ledger = Ledger(
            env=database.eventsourcing_env(), vault=self.vault, designations_max_per_year=MAXIMUM
        )
        self.foundations = [register(self.ledger, roles=["foundation"]) for _ in range(2)]
        self.community = [register(self.ledger) for _ in range(2)]
        self.person = person(self.ledger)
        self.pairings: list[UUID] = []
        self.links: list[UUID] = []
        self.designations: list[UUID] = []

    def attempt(self, command: Callable[[], Any]) -> None:
        head = self.ledger.head()
        try:
            command()
        except DomainError:
            assert self.ledger.head() == head, "a refused command wrote an event"

    # --- pairings ------------------------------------------------------------------------------

    @rule(lead=st.integers(0, 1), partner=st.integers(0, 1))
    def propose(self, lead: int, partner: int) -> None:
        pairing_id = uuid4()
        self.attempt(
            lambda: self.ledger.propose_pairing(
                pairing_id,
                kind="foundation_twinning",
                lead_id=self.foundations[lead],
                partner_id=self.community[partner],
                goals=["g1", "g2"],
                planned_start=DAY,
                planned_end=DAY,
                proposed_on=DAY,
            )
        )
        self.pairings.append(pairing_id)

    @precondition(lambda self: self.pairings)
    @rule(data=st.data(), lead=st.booleans())
    def confirm(self, data: st.DataObject, lead: bool) -> None:
        pairing_id = data.draw(st.sampled_from(self.pairings))
        party = self.foundations if lead else self.community
        for candidate in party:
            self.attempt(
                partial(
                    self.ledger.confirm_pairing,
                    pairing_id,
                    command_id=uuid4(),
                    party_id=candidate,
                    confirmed_on=DAY,
                )
            )

    @precondition(lambda self: self.pairings)
    @rule(data=st.data(), kind=st.sampled_from(["training", "visit"]))
    def activity(self, data: st.DataObject, kind: str) -> None:
        pairing_id = data.draw(st.sampled_from(self.pairings))
        self.attempt(
            lambda: self.ledger.record_pairing_activity(
                pairing_id, activity_id=uuid4(), kind=kind, held_on=DAY, summary="s"
            )
        )

    @precondition(lambda self: self.pairings)
    @rule(data=st.data(), goal=st.integers(0, 3))
    def evaluate(self, data: st.DataObject, goal: int) -> None:
        pairing_id = data.draw(st.sampled_from(self.pairings))
        self.attempt(
            lambda: self.ledger.evaluate_pairing(
                pairing_id, command_id=uuid4(), results=[(goal, "met", "n")], evaluated_on=DAY
            )
        )

    @precondition(lambda self: self.pairings)
    @rule(data=st.data(), conclude=st.booleans())
    def end_pairing(self, data: st.DataObject, conclude: bool) -> None:
        pairing_id = data.draw(st.sampled_from(self.pairings))
        if conclude:
            self.attempt(
                lambda: self.ledger.conclude_pairing(
                    pairing_id, command_id=uuid4(), summary="s", concluded_on=DAY
                )
            )
        else:
            self.attempt(
                lambda: self.ledger.terminate_pairing(
                    pairing_id, command_id=uuid4(), reason="r", terminated_on=DAY
                )
            )

    # --- mentor links --------------------------------------------------------------------------

    @rule(by_person=st.booleans())
    def start_link(self, by_person: bool) -> None:
        link_id = uuid4()
        mentor: dict[str, Any] = (
            {"mentor_kind": "person", "mentor_subject_id": self.person, "role_label": "社工"}
            if by_person
            else {"mentor_kind": "organization", "mentor_org_id": self.foundations[0]}
        )
        self.attempt(
            lambda: self.ledger.start_mentor_link(
                link_id, mentee_id=self.community[0], focus="f", started_on=DAY, **mentor
            )
        )
        self.links.append(link_id)

    @precondition(lambda self: self.links)
    @rule(data=st.data(), hours=st.sampled_from(["0.5", "1", "3", "30"]))
    def session(self, data: st.DataObject, hours: str) -> None:
        link_id = data.draw(st.sampled_from(self.links))
        self.attempt(
            lambda: self.ledger.record_mentoring_session(
                link_id, session_id=uuid4(), held_on=DAY, hours=hours, topic="t"
            )
        )

    @precondition(lambda self: self.links)
    @rule(data=st.data())
    def end_link(self, data: st.DataObject) -> None:
        link_id = data.draw(st.sampled_from(self.links))
        self.attempt(
            lambda: self.ledger.end_mentor_link(
                link_id, command_id=uuid4(), outcome="o", ended_on=DAY
            )
        )

    # --- designations --------------------------------------------------------------------------

    @rule(
        kind=st.sampled_from(list(DESIGNATION_KINDS)),
        year=st.sampled_from([2024, 2024, 2024, 2025]),
    )
    def nominate(self, kind: str, year: int) -> None:
        designation_id = uuid4()
        self.attempt(
            lambda: self.ledger.nominate(
                designation_id,
                kind=kind,
                year=year,
                nominee_kind="foundation",
                nominee_org_id=self.community[0],
                nominating_body="b",
                rationale="r",
                nominated_on=DAY,
            )
        )
        self.designations.append(designation_id)

    @precondition(lambda self: self.designations)
    @rule(data=st.data(), revoke=st.booleans())
    def decide(self, data: st.DataObject, revoke: bool) -> None:
        designation_id = data.draw(st.sampled_from(self.designations))
        if revoke:
            self.attempt(
                lambda: self.ledger.revoke_designation(
                    designation_id, command_id=uuid4(), reason="r", revoked_on=DAY
                )
            )
        else:
            self.attempt(
                lambda: self.ledger.select_designation(
                    designation_id, command_id=uuid4(), selected_on=DAY, selecting_body="b"
                )
            )

    # --- what must always hold -----------------------------------------------------------------

    def existing(self, ids: list[UUID], get: Callable[[UUID], Any]) -> list[Any]:
        found = []
        for aggregate_id in ids:
            with contextlib.suppress(DomainError):  # refused at creation
                found.append(get(aggregate_id))
        return found

    @invariant()
    def at_most_one_open_pairing_per_pair_and_the_slot_names_it(self) -> None:
        pairings = self.existing(self.pairings, self.ledger.get_pairing)
        open_by_pair = Counter()  # type: Counter[UUID]
        for pairing in pairings:
            assert pairing.status == (
                pairing.ending.how
                if pairing.ending
                else ("active" if len(set(pairing.confirmed_by)) == 2 else "proposed")
            )
            assert set(pairing.confirmed_by) <= set(pairing.parties)
            key = slot_id(pairing.kind, pairing.lead_id, pairing.partner_id)
            if pairing.ending is None:
                open_by_pair[key] += 1
                assert self.ledger.repository.get(key).holder == pairing.id
        assert all(count <= 1 for count in open_by_pair.values())

    @invariant()
    def yearly_counts_are_exactly_the_standing_selections(self) -> None:
        designations = self.existing(self.designations, self.ledger.get_designation)
        for year in (2024, 2025):
            counts = self.ledger.designations_selected(year)
            for kind in DESIGNATION_KINDS:
                standing = {
                    d.id
                    for d in designations
                    if (d.kind, d.year, d.status) == (kind, year, "selected")
                }
                assert counts[kind] == len(standing) <= MAXIMUM
                if standing:
                    assert set(self.ledger.repository.get(year_id(kind, year)).selected) == standing

    def teardown(self) -> None:
        for aggregate_id in {*self.pairings, *self.links, *self.designations}:
            events = list(self.ledger.events.get(aggregate_id))
            if not events:
                continue
            replayed: Aggregate | None = None
            for stored in events:
                assert isinstance(stored, Aggregate.Event)
                replayed = stored.mutate(replayed)
            assert replayed is not None
            assert replayed.__dict__ == self.ledger.repository.get(aggregate_id).__dict__
        self.ledger.close()
        self.vault.close()


TestLifecycles = Lifecycles.TestCase
TestLifecycles.settings = settings(
    max_examples=100,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
