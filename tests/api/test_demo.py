"""`mingzhang demo`: one run of about 1,500 events on SQLite, through the command line, then what the
dataset must show (every district, type, tier, pairing kind, the relief fast path, designations), that
its funds are sound, that no fictitious person's data reached the log, that its events are recorded on
their story's days (so a past date has a history to show), that a seed fixes the events, and that a
ledger already holding events is refused.
"""

from __future__ import annotations

import base64
import sqlite3
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from api.settings import Settings
from cli.compose import open_ledger
from cli.main import main
from demo.generator import END, START, fake_person
from domain.clock import SHANGHAI
from domain.districts import DISTRICTS
from domain.foundations.invariants import fund_invariant_violations
from domain.ledger import Ledger, recorded_at
from domain.organizations import GRADES, ORGANIZATION_TYPES, TIERS
from domain.pairing.pairing import PAIRING_KINDS
from projections.history import business_date

EVENTS = 1500
VAULT_KEY = base64.b64encode(bytes(range(32))).decode()


@dataclass
class Demo:
    """A demo ledger on SQLite, its settings, and its events decoded once, oldest first."""

    settings: Settings
    ledger: Ledger
    events: list[Any]
    exit_status: int

    def of(self, topic: str) -> list[Any]:
        return [e for e in self.events if type(e).TOPIC.removeprefix("mingzhang/") == topic]

    def subjects_in_vault(self) -> int:
        path = Path(self.settings.database.sqlite_path)
        with sqlite3.connect(path.with_name(path.stem + ".vault.sqlite")) as vault:
            (count,) = vault.execute("SELECT count(*) FROM vault_people").fetchone()
        return int(count)


def settings_in(folder: Path) -> dict[str, str]:
    return {
        "MINGZHANG_DATABASE_URL": f"sqlite:///{folder / 'ledger.sqlite'}",
        "MINGZHANG_VAULT_KEY": VAULT_KEY,
        "MINGZHANG_VAR_DIR": str(folder),
    }


def run(folder: Path, *args: str) -> int:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in settings_in(folder).items():
            patch.setenv(name, value)
        return main(["demo", *args])


def decoded(ledger: Ledger) -> list[Any]:
    found: list[Any] = []
    position = 0
    while batch := ledger.recorder.select_notifications(position + 1, 1000):
        found.extend(ledger.mapper.to_domain_event(n) for n in batch)
        position = batch[-1].id
    return found


def open_demo(folder: Path, *args: str) -> Generator[Demo, None, None]:
    status = run(folder, *args)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in settings_in(folder).items():
            patch.setenv(name, value)
        settings = Settings()
    ledger = open_ledger(settings)
    try:
        yield Demo(settings, ledger, decoded(ledger), status)
    finally:
        ledger.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    yield from open_demo(tmp_path_factory.mktemp("demo"), "--events", str(EVENTS), "--seed", "7")


def test_the_demo_fills_an_empty_ledger_with_about_the_events_asked_for(demo: Demo) -> None:
    """About the events asked for in its story, and besides them one claim per USCC registered."""
    assert demo.exit_status == 0
    assert len(demo.events) == demo.ledger.head()
    claims = demo.of("UsccClaim.Claimed")
    assert EVENTS <= demo.ledger.head() - len(claims) < EVENTS + 10
    usccs = [e.uscc for e in demo.of("Organization.Registered") if e.uscc is not None]
    assert sorted(c.uscc for c in claims) == sorted(usccs)
    assert len(set(usccs)) == len(usccs)


def test_organisations_are_registered_in_all_16_districts(demo: Demo) -> None:
    assert {e.district for e in demo.of("Organization.Registered")} == set(DISTRICTS)


def test_community_foundations_are_in_many_subdistricts_some_of_them_rural(demo: Demo) -> None:
    foundations = [
        e for e in demo.of("Organization.Registered") if "community_foundation" in e.roles
    ]
    assert len({e.subdistrict for e in foundations}) >= 16
    assert any(e.rural for e in foundations)
    assert all(e.name.endswith("社区基金会") for e in foundations)
    assert any("foundation" in e.roles for e in demo.of("Organization.Registered"))


def test_social_organisations_of_all_4_types_and_3_tiers(demo: Demo) -> None:
    social = [e for e in demo.of("Organization.Registered") if not e.roles]
    assert {e.type for e in social} == set(ORGANIZATION_TYPES)
    assert {e.tier for e in social} == set(TIERS)
    assert {(e.type, e.tier) for e in social} == {(t, r) for t in ORGANIZATION_TYPES for r in TIERS}


def test_service_centres_are_graded(demo: Demo) -> None:
    grades = [e.grade for e in demo.of("Organization.Evaluated")]
    assert len(grades) >= 16
    assert set(grades) <= set(GRADES)
    assert len(set(grades)) >= 3


def test_funds_include_emergency_relief_and_donations_come_from_all_kinds_of_donor(
    demo: Demo,
) -> None:
    assert {e.kind for e in demo.of("Fund.Opened")} == {"general", "special", "emergency_relief"}
    donors = Counter(e.donor_kind for e in demo.of("Fund.DonationReceived"))
    assert set(donors) == {"anonymous", "organization", "person"}
    assert donors["anonymous"] > donors["organization"] + donors["person"]
    assert any(e.publish_name for e in demo.of("Fund.DonationReceived") if e.donor_kind == "person")


def test_grants_are_paid_in_instalments_with_feedback_and_a_few_cancellations(demo: Demo) -> None:
    paid = Counter(e.originator_id for e in demo.of("Grant.InstalmentPaid"))
    assert max(paid.values()) >= 2
    assert demo.of("Grant.FeedbackRecorded")
    assert demo.of("Grant.Closed")
    assert 1 <= len(demo.of("Grant.Cancelled")) < len(demo.of("Grant.Awarded")) // 4


def test_relief_takes_the_fast_path_is_ratified_and_once_reversed(demo: Demo) -> None:
    disbursed = demo.of("ReliefCase.Disbursed")
    assert any(e.before_approval for e in disbursed)
    assert any(not e.before_approval for e in disbursed)
    assert demo.of("ReliefCase.Approved")
    assert demo.of("ReliefCase.Ratified")
    assert len(demo.of("ReliefCase.DisbursementReversed")) >= 1


def test_pairings_of_all_three_kinds_with_activities_and_evaluations(demo: Demo) -> None:
    assert {e.kind for e in demo.of("Pairing.Proposed")} == set(PAIRING_KINDS)
    activities = {e.kind for e in demo.of("Pairing.ActivityRecorded")}
    assert "funding" in activities
    assert len(activities) >= 3
    assert demo.of("Pairing.Evaluated")
    assert demo.of("Pairing.Concluded")


def test_mentor_links_hold_sessions(demo: Demo) -> None:
    assert {e.mentor_kind for e in demo.of("MentorLink.Started")} == {"person", "organization"}
    assert demo.of("MentorLink.SessionHeld")


def test_designations_are_selected_for_2021_2022_and_2023(demo: Demo) -> None:
    nominated = {e.originator_id: e for e in demo.of("Designation.Nominated")}
    selected = [nominated[e.originator_id] for e in demo.of("Designation.Selected")]
    assert {(d.kind, d.year) for d in selected} == {
        (kind, year) for kind in ("leader", "observation_point") for year in (2021, 2022, 2023)
    }
    assert demo.of("Designation.Revoked")


def test_every_fund_keeps_its_invariants(demo: Demo) -> None:
    funds = [e.originator_id for e in demo.of("Fund.Opened")]
    for fund_id in funds:
        fund = demo.ledger.get_fund(fund_id)
        assert fund_invariant_violations(fund, demo.ledger.history(fund_id)) == [], fund_id


def test_business_dates_lie_in_2021_to_2024_and_never_go_back_within_a_record(
    demo: Demo,
) -> None:
    """So nothing is paid before it was received, approved or awarded."""
    last: dict[UUID, date] = {}
    for event in demo.events:
        for name, value in vars(event).items():
            if name.endswith("_on") and name != "registered_on":
                assert START <= value <= END, (type(event).TOPIC, name, value)
                assert value >= last.get(event.originator_id, START), (type(event).TOPIC, name)
                last[event.originator_id] = value


def test_recording_times_never_go_back_with_the_position(demo: Demo) -> None:
    """The log's order and its times agree, which the binary search of a past moment relies on."""
    times = [recorded_at(e) for e in demo.events]
    assert all(earlier <= later for earlier, later in pairwise(times))
    assert times[0] < times[-1] - timedelta(days=3 * 365)  # spread over the story, not "now"


def test_each_event_is_recorded_on_its_business_date_in_shanghai_office_hours(
    demo: Demo,
) -> None:
    """An organisation's registration dates from before the ledger (2012–2020) and is the one
    business date the demo records later than it happened."""
    dated = 0
    for event in demo.events:
        moment = recorded_at(event)
        local = moment.astimezone(SHANGHAI)
        assert time(9) <= local.time() <= time(17), (type(event).TOPIC, local)
        assert moment < datetime.now(UTC)
        day = business_date(event)
        if day is not None and type(event).TOPIC != "mingzhang/Organization.Registered":
            assert local.date() == day, (type(event).TOPIC, day, local)
            dated += 1
    assert dated > len(demo.events) // 2


def test_fast_path_payments_are_ratified_within_their_deadline(demo: Demo) -> None:
    """Each ratification is dated the day it is recorded, and that day is never past the deadline."""
    deadline = {
        e.originator_id: e.ratify_by for e in demo.of("ReliefCase.Disbursed") if e.ratify_by
    }
    ratified = demo.of("ReliefCase.Ratified")
    assert ratified
    assert all(e.ratified_on <= deadline[e.originator_id] for e in ratified)


def test_no_fictitious_persons_data_reaches_the_log(demo: Demo) -> None:
    people = demo.subjects_in_vault()
    assert people >= 20
    log = b"\x00".join(n.state for n in demo.ledger.recorder.select_notifications(1, 1_000_000))
    for number in range(people):
        person = fake_person(number)
        for secret in (person.name, person.id_card, person.phone):
            assert secret is not None
            assert secret.encode() not in log
            assert secret.encode("unicode_escape") not in log
    assert "虚构".encode() not in log
    assert b"\\u865a\\u6784" not in log


def test_the_same_seed_writes_the_same_events(demo: Demo, tmp_path: Path) -> None:
    def fingerprint(events: list[Any]) -> list[tuple[object, ...]]:
        return [
            (
                e.originator_id,
                e.originator_version,
                type(e).TOPIC,
                getattr(e, "amount_fen", None),
                recorded_at(e),
            )
            for e in events
        ]

    again = open_demo(tmp_path, "--events", str(EVENTS), "--seed", "7")
    second = next(again)
    try:
        assert fingerprint(second.events) == fingerprint(demo.events)
    finally:
        again.close()


def test_a_ledger_that_holds_events_is_refused_and_nothing_is_written(
    demo: Demo, capsys: pytest.CaptureFixture[str]
) -> None:
    head, people = demo.ledger.head(), demo.subjects_in_vault()
    folder = Path(demo.settings.database.sqlite_path).parent
    assert run(folder, "--events", "100") == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert "already holds" in lines[0]
    assert demo.ledger.head() == head
    assert demo.subjects_in_vault() == people
