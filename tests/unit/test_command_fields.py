"""The verifier knows, for every event the aggregates can record, which field holds the id of the
command it belongs to (or that it holds none): a new kind of event needs that decision first."""

from __future__ import annotations

import typing
from uuid import UUID

from domain.foundations.fund import Fund
from domain.foundations.grant import Grant
from domain.foundations.relief import ReliefCase
from domain.foundations.relief_statistics import ReliefStatistics
from domain.organizations import Organization, UsccClaim
from domain.pairing.designation import Designation, DesignationYear
from domain.pairing.mentoring import MentorLink
from domain.pairing.pairing import Pairing, PairingSlot
from domain.subdistricts import AddedSubdistrict
from tests.unit.test_event_catalogue import recorded_topics
from transparency.ledger_audit import COMMAND_FIELD, ORIGINATOR

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


def test_every_recordable_topic_says_where_its_command_id_is() -> None:
    recordable = set().union(*(recorded_topics(aggregate) for aggregate in AGGREGATES))
    assert set(COMMAND_FIELD) == recordable


def test_each_named_command_field_is_a_uuid_field_of_its_event() -> None:
    classes = {
        value.TOPIC: value
        for aggregate in AGGREGATES
        for name in dir(aggregate)
        if isinstance(value := getattr(aggregate, name), type) and hasattr(value, "TOPIC")
    }
    for topic, name in COMMAND_FIELD.items():
        if name is not None and name != ORIGINATOR:
            assert typing.get_type_hints(classes[topic])[name] is UUID, topic
