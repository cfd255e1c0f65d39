"""A relief case's reason never singles out a person's circumstances in public: the event carries
the reason's public category and a commitment to the detailed 360Giving code, which only the vault
holds (an auditor given the salt checks it); a case recorded before this rule reads as its category.
"""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from domain.circumstances import verify_reason_commitment
from domain.errors import DuplicateCommandError, WrongFundKind
from domain.foundations.codes import RELIEF_CATEGORY_OF, RELIEF_REASONS, SENSITIVE_REASONS
from domain.ledger import Ledger
from projections.catalog import all_views
from projections.runner import Runner
from storage.viewdb import ViewDB
from tests.stored_format.test_stored_format import load
from tests.support import donate, open_fund, person, register, relief_case, stored_bytes, vault_of


@pytest.fixture
def relief_fund(ledger: Ledger) -> UUID:
    fund_id = open_fund(ledger, register(ledger), kind="emergency_relief")
    donate(ledger, fund_id, "10000")
    return fund_id


@pytest.mark.parametrize("code", sorted(SENSITIVE_REASONS))
def test_a_case_opened_for_a_sensitive_reason_carries_only_its_public_category(
    ledger: Ledger, relief_fund: UUID, code: str
) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger), reason_code=code)
    assert not any(code.encode() in state for state in stored_bytes(ledger))
    opened = vars(ledger.history(case_id)[0])
    assert "reason_code" not in opened
    assert opened["reason_category"] == RELIEF_CATEGORY_OF[code]
    # The command index (beside the log, and in every backup of it) holds no code either.
    applied = ledger.applied(case_id)
    assert applied is not None
    assert code not in repr(applied.record)


def test_an_auditor_with_the_vault_checks_the_detailed_reason_against_the_public_commitment(
    ledger: Ledger, relief_fund: UUID
) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger), reason_code="GTIR040")
    committed = vars(ledger.history(case_id)[0])["reason_commitment"]
    salt_hex, codes, stored = vault_of(ledger).prove_circumstances(case_id)
    assert (codes, stored) == (("GTIR040",), committed)
    assert verify_reason_commitment(bytes.fromhex(salt_hex), codes, committed)
    assert not verify_reason_commitment(bytes.fromhex(salt_hex), ("GTIR010",), committed)
    assert vault_of(ledger).circumstances() == [(case_id, ("GTIR040",))]


def test_the_commitment_does_not_tell_one_reason_from_another_across_cases(
    ledger: Ledger, relief_fund: UUID
) -> None:
    subject = person(ledger)
    first = relief_case(ledger, relief_fund, subject, reason_code="GTIR030")
    second = relief_case(ledger, relief_fund, subject, reason_code="GTIR030")
    commitments = {vars(ledger.history(c)[0])["reason_commitment"] for c in (first, second)}
    assert len(commitments) == 2  # each case its own salt


def test_a_repeated_opening_is_a_repeat_and_another_reason_under_its_id_is_refused(
    ledger: Ledger, relief_fund: UUID
) -> None:
    subject, case_id = person(ledger), uuid4()
    relief_case(ledger, relief_fund, subject, case_id=case_id, reason_code="GTIR020")
    head = ledger.head()
    relief_case(ledger, relief_fund, subject, case_id=case_id, reason_code="GTIR020")
    assert ledger.head() == head
    with pytest.raises(DuplicateCommandError):
        relief_case(ledger, relief_fund, subject, case_id=case_id, reason_code="GTIR010")


def test_a_refused_opening_leaves_no_reason_in_the_vault(ledger: Ledger) -> None:
    general = open_fund(ledger, register(ledger))
    with pytest.raises(WrongFundKind):
        relief_case(ledger, general, person(ledger), reason_code="GTIR060")
    assert vault_of(ledger)._rows("SELECT COUNT(*) FROM vault_circumstances") == [(0,)]


def test_erasure_deletes_the_reason_and_the_salt_that_would_open_its_commitment(
    ledger: Ledger, relief_fund: UUID
) -> None:
    from datetime import date

    subject = person(ledger)
    relief_case(ledger, relief_fund, subject, reason_code="GTIR090")
    vault_of(ledger).erase(subject, date(2025, 1, 15))
    assert vault_of(ledger)._rows("SELECT COUNT(*) FROM vault_circumstances") == [(0,)]
    assert vault_of(ledger).circumstances() == []


def test_every_public_category_holds_several_reasons_and_every_reason_has_one() -> None:
    assert set(RELIEF_CATEGORY_OF) == set(RELIEF_REASONS)
    for category in set(RELIEF_CATEGORY_OF.values()):
        assert sum(1 for c in RELIEF_CATEGORY_OF.values() if c == category) >= 2


def test_a_case_recorded_before_the_rule_reads_and_shows_only_its_category(
    ledger: Ledger, views: ViewDB
) -> None:
    load(ledger, snapshots=True)  # the stored log of 2026-12-01, which carried reason codes
    Runner(ledger, views, all_views()).catch_up()
    rows = views.execute("SELECT reason_category FROM disclosure_relief_cases ORDER BY 1")
    assert {r[0] for r in rows} <= {"hardship", "emergency", "other"}
    for table in ("disclosure_relief", "disclosure_relief_monthly"):
        found = views.execute(f"SELECT * FROM {table}")
        assert not any("GTIR" in str(value) for row in found for value in row)
    opened = [
        vars(e)
        for n in ledger.recorder.select_notifications(1, 10_000)
        if type(e := ledger.mapper.to_domain_event(n)).__name__ == "Opened"
        and "ReliefCase" in type(e).__qualname__
    ]
    assert opened
    assert all("reason_code" not in e and e["reason_commitment"] is None for e in opened)
