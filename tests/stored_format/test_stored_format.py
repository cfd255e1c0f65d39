"""The stored format holds: a log written by the code of 2026-12-01 still decodes, replays and rebuilds.

`ledger-v1.jsonl` (made once by `generate.py`, never regenerated) holds 502 events of all 50 topics,
a fund snapshot and 433 command-index rows, as the ledger stored them. Each backend loads those rows
verbatim and must then decode every event, load every aggregate (the fund through its snapshot, and to
the same state without it), recognise every stored command as applied and a repeated command as a
repeat, rebuild every view to the figures below, and hash the log to the same Merkle root. A change
that breaks any of this has changed what is stored, and needs an upcaster, not a new fixture.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

import pytest
from eventsourcing.persistence import StoredEvent

from domain.command_index import CommandRow
from domain.foundations.fund import Fund
from domain.foundations.invariants import fund_invariant_violations
from domain.ledger import Ledger
from domain.money import Money
from projections.catalog import all_views
from projections.indicators import indicator_figures
from projections.runner import Runner
from storage.database import Database
from transparency.leaf import stored_leaf_hash

FIXTURE = Path(__file__).with_name("ledger-v1.jsonl")
NAMESPACE = UUID("6d696e67-7a68-616e-672d-666978747572")  # generate.py's, for the story's ids
DAY = date(2024, 3, 1)
# Measured on the day the fixture was made (and equal to the transparency view's root then).
ROOT_OF_THE_LOG = "c77de1f57e5ff16cd585659fc1bddaea88adb59082f71bf6d0da0ebaa7b0cafd"


def story_id(name: str) -> UUID:
    return uuid5(NAMESPACE, name)


def rows(table: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line["table"] == table]


def stored(row: dict[str, Any]) -> StoredEvent:
    return StoredEvent(
        originator_id=UUID(row["originator_id"]),
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=row["state"].encode(),
    )


def load(ledger: Ledger, *, snapshots: bool) -> None:
    """Put the fixture's rows into an empty ledger's stores, byte for byte."""
    commands = [
        CommandRow(UUID(r["command_id"]), UUID(r["aggregate_id"]), r["record"].encode())
        for r in rows("commands")
    ]
    ledger.recorder.insert_events([stored(r) for r in rows("events")], commands=commands)
    if snapshots:
        assert ledger.snapshots is not None
        ledger.snapshots.recorder.insert_events([stored(r) for r in rows("snapshots")])


@pytest.fixture
def fixture_ledger(ledger: Ledger) -> Ledger:
    load(ledger, snapshots=True)
    return ledger


@pytest.fixture
def replayed_only() -> Iterator[Ledger]:
    """The same log without its snapshot, in memory: every aggregate from its events alone."""
    app = Ledger(env=Database("memory").eventsourcing_env())
    load(app, snapshots=False)
    yield app
    app.close()


def merkle_root(hashes: list[bytes]) -> bytes:
    """RFC 9162 MTH over leaf hashes, written out here so the check depends on no module of ours."""
    if len(hashes) == 1:
        return hashes[0]
    split = 1 << ((len(hashes) - 1).bit_length() - 1)
    left, right = merkle_root(hashes[:split]), merkle_root(hashes[split:])
    return hashlib.sha256(b"\x01" + left + right).digest()


def test_every_stored_event_decodes_into_its_topic(fixture_ledger: Ledger) -> None:
    notifications = fixture_ledger.recorder.select_notifications(1, 10_000)
    topics = Counter(type(fixture_ledger.mapper.to_domain_event(n)).TOPIC for n in notifications)  # type: ignore[attr-defined]
    assert fixture_ledger.head() == 502
    assert len(topics) == 50
    assert topics["mingzhang/Fund.DonationReceived"] == 170
    assert topics["mingzhang/Grant.AmountAmended"] == 1
    assert topics["mingzhang/Pairing.Terminated"] == 1


def test_every_aggregate_loads_and_a_snapshot_gives_the_state_its_events_give(
    fixture_ledger: Ledger, replayed_only: Ledger
) -> None:
    ids = {UUID(r["originator_id"]) for r in rows("events")}
    kinds = Counter(type(fixture_ledger.repository.get(i)).__name__ for i in ids)
    assert kinds == EXPECTED_AGGREGATES
    snapshotted = UUID(rows("snapshots")[0]["originator_id"])
    assert snapshotted == story_id("fund/relief")
    for fund_id in (i for i in ids if isinstance(replayed_only.repository.get(i), Fund)):
        with_snapshot, from_events = (
            fixture_ledger.get_fund(fund_id),
            replayed_only.get_fund(fund_id),
        )
        assert fund_state(with_snapshot) == fund_state(from_events)
        assert fund_invariant_violations(with_snapshot, fixture_ledger.history(fund_id)) == []


def fund_state(fund: Fund) -> dict[str, object]:
    return {
        "version": fund.version,
        "opening": fund.opening,
        "balance": fund.balance,
        "reserved": fund.reserved,
        "outstanding": fund.outstanding,
        "reversed_by": fund.reversed_by,
        "consent_withdrawn": fund.consent_withdrawn,
        "closure": fund.closure,
    }


def test_the_story_funds_hold_what_was_recorded(fixture_ledger: Ledger) -> None:
    general = fixture_ledger.get_fund(story_id("fund/general"))
    relief = fixture_ledger.get_fund(story_id("fund/relief"))
    matching = fixture_ledger.get_fund(story_id("fund/matching"))
    # 800 + 50,000 donated, 50 paid, a grant of 6,000 amended to 5,000 with 2,000 paid, closed.
    assert (general.balance, general.reserved) == (Money.yuan("48750"), Money.zero())
    # 20,000 + 30,000 by transfer + 105 small gifts (1.00 to 2.04), less 600 + 1,500 disbursed.
    assert relief.balance == Money.yuan("48059.60")
    assert matching.balance == Money.yuan("70000")
    assert fixture_ledger.get_fund(story_id("fund/short")).closure is not None


def test_every_stored_command_is_found_and_a_repeat_writes_nothing(fixture_ledger: Ledger) -> None:
    for row in rows("commands"):
        applied = fixture_ledger.applied(UUID(row["command_id"]))
        assert applied is not None
        assert applied.aggregate_id == UUID(row["aggregate_id"])
    head = fixture_ledger.head()
    repeat = fixture_ledger.receive_donation(
        story_id("fund/general"),
        donation_id=story_id("donation/company"),
        amount=Money.yuan("50000"),
        received_on=DAY,
        donor_kind="organization",
        donor_ref=str(story_id("org/大型基金会")),
        publish_name=True,
    )
    assert (repeat.created, fixture_ledger.head()) == (False, head)
    amended = fixture_ledger.amend_grant(
        story_id("grant"),
        command_id=story_id("amend"),
        new_amount=Money.yuan("5000"),
        reason="预算调整",
        amended_on=DAY,
    )
    assert (amended.created, fixture_ledger.head()) == (False, head)


def test_the_views_rebuild_from_the_stored_log_to_the_same_figures(
    fixture_ledger: Ledger, backend_database: Database
) -> None:
    db = backend_database.open_views()
    try:
        Runner(fixture_ledger, db, all_views()).catch_up()
        funds = db.execute(
            "SELECT COUNT(*), SUM(received_fen), SUM(granted_fen), SUM(paid_fen),"
            " SUM(reversed_in_fen + reversed_out_fen), SUM(balance_fen) FROM disclosure_funds"
        )[0]
        assert tuple(int(v) for v in funds) == EXPECTED_FUND_TOTALS
        counts = {
            table: int(db.execute(f"SELECT COUNT(*) FROM {table}")[0][0]) for table in EXPECTED_ROWS
        }
        assert counts == EXPECTED_ROWS
        figures = indicator_figures(db)
        assert figures["pairings"] == EXPECTED_PAIRINGS
    finally:
        db.close()


def test_the_stored_log_hashes_to_the_same_merkle_root(fixture_ledger: Ledger) -> None:
    notifications = fixture_ledger.recorder.select_notifications(1, 10_000)
    assert merkle_root([stored_leaf_hash(n) for n in notifications]).hex() == ROOT_OF_THE_LOG


# What the fixture held when it was made, read off the code of that day.
EXPECTED_AGGREGATES = Counter(
    {
        "Organization": 66,
        "Fund": 48,
        "Designation": 38,
        "DesignationYear": 8,
        "ReliefCase": 5,
        "PairingSlot": 4,
        "Pairing": 4,
        "Grant": 4,
        "MentorLink": 2,
    }
)
# Funds; received, granted, paid, reversed and balance in fen, over all funds.
EXPECTED_FUND_TOTALS = (48, 98399803, 1808200, 1165000, 1170000, 97344803)
EXPECTED_ROWS = {
    "disclosure_organizations": 66,
    "disclosure_funds": 48,
    "disclosure_named_donations": 2,
    "disclosure_grants": 4,
    "disclosure_relief_cases": 5,
    "disclosure_relief": 3,
    "disclosure_relief_monthly": 2,
    "disclosure_corrections": 11,
    "disclosure_pairings": 4,
    "disclosure_pairing_activities": 5,
    "disclosure_transfers": 3,
    "disclosure_mentor_links": 2,
    "disclosure_designations": 38,
    "history_events": 502,
}
EXPECTED_PAIRINGS = {
    ("foundation_twinning", "active"): 1,
    ("foundation_twinning", "concluded"): 1,
    ("service_center_partnership", "terminated"): 1,
    ("urban_rural", "active"): 1,
}
