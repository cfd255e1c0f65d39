"""Records and snapshots are stored under names they declare, as events are under their topics:
renaming or moving a module or a class changes nothing stored, and a record type without a declared
name is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from eventsourcing.persistence import JSONTranscoder
from eventsourcing.utils import resolve_topic

from domain.events import LedgerSnapshot
from domain.foundations.entries import Closure, Donation
from domain.foundations.fund import Fund
from domain.ledger import FUND_SNAPSHOT_INTERVAL, Ledger
from domain.money import Money
from domain.transcodings import STORED_RECORDS, RecordAsDict, register_all
from tests.support import donate, funded

# The names records have been stored under since the first row was written; never to change.
STORED_NAMES = {
    "mingzhang/organizations.Registration",
    "mingzhang/organizations.Reclassification",
    "mingzhang/organizations.Evaluation",
    "mingzhang/organizations.Deregistration",
    "mingzhang/subdistricts.SubdistrictAddition",
    "mingzhang/entries.FundOpening",
    "mingzhang/entries.Donation",
    "mingzhang/entries.Transfer",
    "mingzhang/entries.Reservation",
    "mingzhang/entries.Release",
    "mingzhang/entries.Payment",
    "mingzhang/entries.Reversal",
    "mingzhang/entries.Closure",
    "mingzhang/entries.ReservationAdjustment",
    "mingzhang/entries.ConsentWithdrawal",
    "mingzhang/grant.Award",
    "mingzhang/grant.Instalment",
    "mingzhang/grant.Amendment",
    "mingzhang/grant.Feedback",
    "mingzhang/grant.Report",
    "mingzhang/grant.Ending",
    "mingzhang/relief.CaseOpening",
    "mingzhang/relief.ConfidentialCaseOpening",
    "mingzhang/relief.StatisticsCell",
    "mingzhang/relief.StatisticsTotal",
    "mingzhang/relief.StatisticsPublication",
    "mingzhang/relief.Approval",
    "mingzhang/relief.Rejection",
    "mingzhang/relief.Disbursement",
    "mingzhang/relief.Ratification",
    "mingzhang/pairing.Proposal",
    "mingzhang/pairing.Confirmation",
    "mingzhang/pairing.Activity",
    "mingzhang/pairing.GoalResult",
    "mingzhang/pairing.Evaluation",
    "mingzhang/pairing.Ending",
    "mingzhang/mentoring.LinkStart",
    "mingzhang/mentoring.Session",
    "mingzhang/mentoring.LinkEnd",
    "mingzhang/designation.Nomination",
    "mingzhang/designation.Selection",
    "mingzhang/designation.Revocation",
}


def test_every_stored_record_type_declares_its_own_name_and_no_two_share_one() -> None:
    declared = [vars(record_type).get("STORED_AS") for record_type in STORED_RECORDS]
    assert all(isinstance(name, str) for name in declared)
    assert len(set(declared)) == len(declared) == len(STORED_RECORDS)
    assert set(declared) == STORED_NAMES


def test_a_record_is_stored_under_its_declared_name_and_decodes_back() -> None:
    transcoder = JSONTranscoder()
    register_all(transcoder)
    donation = Donation(Money.yuan("8"), date(2024, 3, 1), "anonymous", None, False)
    stored = transcoder.encode({"record": donation, "closure": Closure(date(2024, 3, 2), "合并")})
    assert b'"_type_":"mingzhang/entries.Donation"' in stored
    assert b'"_type_":"mingzhang/entries.Closure"' in stored
    assert transcoder.decode(stored) == {
        "record": donation,
        "closure": Closure(date(2024, 3, 2), "合并"),
    }


def test_a_record_type_that_declares_no_stored_name_is_refused() -> None:
    @dataclass(frozen=True)
    class Unnamed:
        amount: Money

    class Inheriting(Closure):
        pass

    for record_type in (Unnamed, Inheriting):
        with pytest.raises(TypeError, match="declares no STORED_AS"):
            RecordAsDict(record_type)


def test_a_fund_snapshot_is_stored_under_the_declared_names_of_the_snapshot_and_the_fund(
    ledger: Ledger,
) -> None:
    fund_id = funded(ledger, "100")
    while ledger.get_fund(fund_id).version < FUND_SNAPSHOT_INTERVAL:
        donate(ledger, fund_id, "1")
    assert ledger.snapshots is not None
    [stored] = ledger.snapshots.recorder.select_events(fund_id)
    assert stored.topic == LedgerSnapshot.TOPIC == "eventsourcing.domain:Snapshot"
    assert resolve_topic(stored.topic) is LedgerSnapshot
    assert b'"topic":"mingzhang/Fund"' in stored.state
    assert b'"opening":{"_type_":"mingzhang/entries.FundOpening"' in stored.state
    assert isinstance(Fund.Snapshot.take(ledger.get_fund(fund_id)), LedgerSnapshot)
