"""Each event is declared once, as a class with typed fields, and applied by one method that takes
exactly those fields, in that order (the order in which the stored state lists them)."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from eventsourcing.domain import CommandMethodDecorator

from domain.events import LedgerAggregate, LedgerEvent
from domain.foundations.fund import Fund
from domain.foundations.grant import Grant
from domain.foundations.relief import ReliefCase
from domain.foundations.relief_statistics import ReliefStatistics
from domain.organizations import Organization, UsccClaim
from domain.pairing.designation import Designation, DesignationYear
from domain.pairing.mentoring import MentorLink
from domain.pairing.pairing import Pairing, PairingSlot
from domain.subdistricts import AddedSubdistrict

AGGREGATES = (
    Organization,
    UsccClaim,
    Fund,
    Grant,
    ReliefCase,
    ReliefStatistics,
    Pairing,
    PairingSlot,
    MentorLink,
    Designation,
    DesignationYear,
    AddedSubdistrict,
)
# What the library gives every event (the aggregate's id and version, when, and for a creation
# event the aggregate's topic); the rest of an event's fields are its payload.
LIBRARY_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic"}


def mutators(aggregate: type[LedgerAggregate]) -> list[CommandMethodDecorator]:
    return [v for v in vars(aggregate).values() if isinstance(v, CommandMethodDecorator)]


def payload(event_class: type) -> list[tuple[str, object]]:
    return [
        (f.name, f.type)
        for f in dataclasses.fields(event_class)
        if f.init and f.name not in LIBRARY_FIELDS
    ]


def parameters(method: CommandMethodDecorator) -> list[tuple[str, object]]:
    signature = inspect.signature(method.decorated_func)
    return [(p.name, p.annotation) for p in signature.parameters.values() if p.name != "self"]


@pytest.mark.parametrize("aggregate", AGGREGATES, ids=lambda a: a.__name__)
def test_each_event_is_a_ledger_event_applied_by_one_method_taking_its_fields(
    aggregate: type[LedgerAggregate],
) -> None:
    classes = [m.given_event_cls for m in mutators(aggregate)]
    applied = [c for c in classes if c is not None and issubclass(c, LedgerEvent)]
    assert len(applied) == len(classes), "a mutator applies something that is not a LedgerEvent"
    recorded = {
        value
        for name, value in vars(aggregate).items()
        if isinstance(value, type) and hasattr(value, "TOPIC") and name not in ("Event", "Created")
    }
    # The library subclasses each declared class to call its method; the topic is the declared one.
    assert {c.TOPIC for c in applied} == {c.TOPIC for c in recorded}
    assert all(issubclass(c, LedgerEvent) for c in recorded)
    for method in mutators(aggregate):
        declared = method.given_event_cls
        assert declared is not None, f"{method.decorated_func.__qualname__} names no event class"
        creates = method.decorated_func.__name__ == "__init__"
        given = [p for p in parameters(method) if not (creates and p[0] == "id")]
        assert given == payload(declared), declared.__qualname__


def test_actor_is_declared_on_every_event_and_reads_none_until_the_ledger_stamps_it() -> None:
    fields = {f.name: f for f in dataclasses.fields(Fund.DonationReceived)}
    assert fields["actor"].type == "str | None"
    assert not fields["actor"].init
    assert Fund.DonationReceived.actor is None
