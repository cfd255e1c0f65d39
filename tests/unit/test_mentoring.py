"""Mentor links (带教), specified on every backend: an organisation or a person (through the vault)
mentors an organisation; sessions while the link runs; an end with an outcome."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import (
    AlreadyReversed,
    InvalidChoice,
    InvalidText,
    LinkEnded,
    SelfPairing,
    UnknownOrganization,
    UnknownSubject,
)
from domain.ledger import Ledger
from tests.support import DAY, person, refused, register, vault_of


def start(ledger: Ledger, mentee: UUID, **overrides: Any) -> UUID:
    link_id: UUID = overrides.pop("link_id", uuid4())
    fields: dict[str, Any] = {"mentee_id": mentee, "focus": "财务规范化", "started_on": DAY}
    fields.update(overrides)
    ledger.start_mentor_link(link_id, **fields)
    return link_id


def test_a_person_mentor_enters_as_a_reference_with_a_role_label(ledger: Ledger) -> None:
    mentee, mentor = register(ledger, roles=[]), person(ledger, name="陈老师")
    link_id = start(
        ledger, mentee, mentor_kind="person", mentor_subject_id=mentor, role_label="资深社工"
    )
    started = ledger.history(link_id)[0].__dict__
    assert started["role_label"] == "资深社工"
    assert started["mentor_ref"] != mentor
    assert len(started["mentor_commitment"]) == 64
    assert vault_of(ledger).prove(started["mentor_ref"]).commitment == started["mentor_commitment"]


def test_a_person_mentor_needs_a_role_label_and_a_vault_subject(ledger: Ledger) -> None:
    mentee, mentor = register(ledger, roles=[]), person(ledger)
    with refused(ledger, InvalidText, "role_label"):
        start(ledger, mentee, mentor_kind="person", mentor_subject_id=mentor)
    with refused(ledger, UnknownSubject, "mentor_subject_id"):
        start(ledger, mentee, mentor_kind="person", mentor_subject_id=uuid4(), role_label="x")


def test_an_organisation_mentor_must_be_registered_and_not_the_mentee(ledger: Ledger) -> None:
    mentee = register(ledger, roles=[])
    with refused(ledger, UnknownOrganization, "mentor_org_id"):
        start(ledger, mentee, mentor_kind="organization", mentor_org_id=uuid4())
    with refused(ledger, SelfPairing, "mentee_id"):
        start(ledger, mentee, mentor_kind="organization", mentor_org_id=mentee)
    with refused(ledger, UnknownOrganization, "mentee_id"):
        start(ledger, uuid4(), mentor_kind="organization", mentor_org_id=mentee)


def test_sessions_add_up_until_the_link_ends(ledger: Ledger) -> None:
    mentee, mentor = register(ledger, roles=[]), register(ledger, roles=["service_center"])
    link_id = start(ledger, mentee, mentor_kind="organization", mentor_org_id=mentor)
    ledger.record_mentoring_session(
        link_id, session_id=uuid4(), held_on=DAY, hours="1.5", topic="预算"
    )
    ledger.record_mentoring_session(
        link_id, session_id=uuid4(), held_on=DAY, hours=Decimal("2"), topic="审计"
    )
    assert ledger.get_mentor_link(link_id).minutes == 210
    ledger.end_mentor_link(link_id, command_id=uuid4(), outcome="已独立完成年报", ended_on=DAY)
    with refused(ledger, LinkEnded, "link_id"):
        ledger.record_mentoring_session(
            link_id, session_id=uuid4(), held_on=DAY, hours="1", topic="x"
        )


@pytest.mark.parametrize("hours", ["0", "-1", "25", "0.001", "abc"])
def test_a_session_lasts_whole_minutes_up_to_a_day(ledger: Ledger, hours: str) -> None:
    mentee, mentor = register(ledger, roles=[]), register(ledger, roles=[])
    link_id = start(ledger, mentee, mentor_kind="organization", mentor_org_id=mentor)
    with refused(ledger, InvalidText, "hours"):
        ledger.record_mentoring_session(
            link_id, session_id=uuid4(), held_on=DAY, hours=hours, topic="x"
        )


def test_a_named_mentor_can_withdraw_consent(ledger: Ledger) -> None:
    mentee, mentor = register(ledger, roles=[]), person(ledger)
    link_id = start(
        ledger,
        mentee,
        mentor_kind="person",
        mentor_subject_id=mentor,
        role_label="退休教师",
        publish_name=True,
    )
    ledger.withdraw_mentor_name_consent(link_id, command_id=uuid4(), withdrawn_on=DAY)
    assert not ledger.get_mentor_link(link_id).publish_name
    with refused(ledger, AlreadyReversed, "link_id"):
        ledger.withdraw_mentor_name_consent(link_id, command_id=uuid4(), withdrawn_on=DAY)


def test_an_organisation_mentor_has_no_role_label(ledger: Ledger) -> None:
    mentee, mentor = register(ledger, roles=[]), register(ledger, roles=[])
    with refused(ledger, InvalidChoice, "mentor_org_id"):
        start(ledger, mentee, mentor_kind="organization", mentor_org_id=mentor, role_label="x")
