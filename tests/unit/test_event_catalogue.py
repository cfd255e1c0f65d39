"""docs/EVENTS.md lists every event topic the aggregates can record, and nothing they cannot."""

from __future__ import annotations

import re
from pathlib import Path

from domain.foundations.fund import Fund
from domain.foundations.grant import Grant
from domain.foundations.relief import ReliefCase
from domain.foundations.relief_statistics import ReliefStatistics
from domain.organizations import Organization, UsccClaim
from domain.pairing.designation import Designation, DesignationYear
from domain.pairing.mentoring import MentorLink
from domain.pairing.pairing import Pairing, PairingSlot
from domain.subdistricts import AddedSubdistrict

CATALOGUE = Path(__file__).parents[2] / "docs" / "EVENTS.md"


def recorded_topics(aggregate: type) -> set[str]:
    return {
        value.TOPIC
        for name, value in vars(aggregate).items()
        if isinstance(value, type) and hasattr(value, "TOPIC") and name not in ("Event", "Created")
    }


def test_the_event_catalogue_lists_exactly_the_recordable_topics() -> None:
    documented = set(
        re.findall(r"^\| `(mingzhang/[A-Za-z]+\.[A-Za-z]+)`", CATALOGUE.read_text(), re.M)
    )
    aggregates = (
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
    assert documented == set().union(*(recorded_topics(a) for a in aggregates))
