"""The disclosure view, on every backend: a narrative through the application, then the public rows.

Also: each fund's figures in the view agree with the fund aggregate; and no view row holds a subject id,
a commitment, or anything that was put into the vault.
"""

from __future__ import annotations

import base64
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.ledger import Ledger
from domain.money import Money
from projections.catalog import all_views
from projections.disclosure import DisclosureView
from projections.runner import Runner
from projections.transparency import TransparencyView, inclusion_path
from storage.viewdb import ViewDB
from tests.support import (
    DAY,
    PUT_INTO_VAULTS,
    award,
    donate,
    open_fund,
    person,
    register,
    relief_case,
)
from transparency.leaf import stored_leaf_hash
from transparency.merkle import verify_inclusion
from transparency.signed_note import Signer, open_note


def yuan(text: str) -> Money:
    return Money.yuan(text)


@pytest.fixture
def story(ledger: Ledger) -> dict[str, Any]:
    """A community foundation's year: donations (named and not), a grant, relief, a pairing."""
    foundation = register(ledger, name="陆家嘴社区基金会")
    big = register(ledger, name="某大型基金会", roles=["foundation"])
    company = register(ledger, name="某科技公司", roles=[])
    centre = register(ledger, name="花木睦邻中心", roles=["service_center"])
    general = open_fund(ledger, foundation, name="社区发展基金")
    relief = open_fund(ledger, foundation, kind="emergency_relief", name="暖心基金")
    donor = person(ledger, name="林晓", phone="13611112222")
    beneficiary = person(ledger, name="吴某", id_card="11010519491231002X")
    donate(
        ledger,
        general,
        "5000",
        donor_kind="organization",
        donor_ref=str(company),
        publish_name=True,
    )
    named = donate(
        ledger, general, "800", donor_kind="person", donor_subject_id=donor, publish_name=True
    )
    donate(ledger, general, "200")
    mistaken = donate(ledger, general, "300")
    ledger.reverse_donation(
        general, reversal_id=uuid4(), donation_id=mistaken, reason="重复入账", reversed_on=DAY
    )
    ledger.withdraw_name_consent(
        general, command_id=uuid4(), donation_id=named, withdrawn_on=date(2024, 4, 1)
    )
    grant = award(ledger, general, centre, "3000")
    ledger.pay_instalment(grant, payment_id=uuid4(), amount=yuan("1000"), paid_on=DAY)
    ledger.record_grant_feedback(grant, command_id=uuid4(), rating=5, summary="好", recorded_on=DAY)
    donate(ledger, relief, "2000")
    case = relief_case(ledger, relief, beneficiary, emergency=True, subdistrict="陆家嘴街道")
    first, second = uuid4(), uuid4()
    ledger.disburse_relief(
        case, disbursement_id=first, amount=yuan("600"), paid_on=date(2024, 3, 5)
    )
    ledger.disburse_relief(
        case, disbursement_id=second, amount=yuan("100"), paid_on=date(2024, 3, 9)
    )
    ledger.reverse_disbursement(
        case,
        reversal_id=uuid4(),
        disbursement_id=second,
        reason="误付",
        reversed_on=date(2024, 3, 10),
    )
    pairing = uuid4()
    ledger.propose_pairing(
        pairing,
        kind="foundation_twinning",
        lead_id=big,
        partner_id=foundation,
        goals=["联合募捐"],
        planned_start=DAY,
        planned_end=DAY,
        proposed_on=DAY,
    )
    return {
        "foundation": foundation,
        "general": general,
        "relief": relief,
        "grant": grant,
        "case": case,
        "company": company,
        "pairing": pairing,
    }


def caught_up(ledger: Ledger, views: ViewDB) -> Runner:
    runner = Runner(ledger, views, all_views())
    runner.catch_up()
    return runner


def test_a_funds_public_figures_name_only_consenting_donors(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    caught_up(ledger, views)
    received, anonymous, granted, paid, reversed_, balance = views.execute(
        "SELECT received_fen, anonymous_fen, granted_fen, paid_fen, reversed_in_fen, balance_fen"
        " FROM disclosure_funds WHERE fund_id = ?",
        (str(story["general"]),),
    )[0]
    assert (received, reversed_, granted, paid) == (630000, 30000, 300000, 100000)
    # 200 yuan anonymous + 800 yuan whose donor withdrew consent; the 300 reversed is gone.
    assert anonymous == 100000
    assert balance == ledger.get_fund(story["general"]).balance.fen == 500000
    named = views.execute(
        "SELECT donor_kind, donor_ref, amount_fen FROM disclosure_named_donations"
    )
    assert named == [("organization", str(story["company"]), 500000)]


def test_every_funds_view_balance_matches_the_fund(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    caught_up(ledger, views)
    for fund_id, balance in views.execute("SELECT fund_id, balance_fen FROM disclosure_funds"):
        assert ledger.get_fund(UUID(fund_id)).balance.fen == balance


def test_grants_relief_and_pairings_are_public_rows(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    caught_up(ledger, views)
    assert views.execute("SELECT awarded_fen, paid_fen, status, rating FROM disclosure_grants") == [
        (300000, 100000, "active", 5)
    ]
    relief = views.execute(
        "SELECT case_id, subdistrict, reason_category, purpose_code, amount_fen, paid_on, emergency,"
        " before_approval, reversed FROM disclosure_relief ORDER BY paid_on"
    )
    assert relief == [
        (str(story["case"]), "陆家嘴街道", "emergency", "GTIP170", 60000, "2024-03-05", 1, 1, 0),
        (str(story["case"]), "陆家嘴街道", "emergency", "GTIP170", 10000, "2024-03-09", 1, 1, 1),
    ]
    monthly = views.execute(
        "SELECT month, subdistrict, reason_category, total_fen, disbursements FROM disclosure_relief_monthly"
    )
    assert monthly == [("2024-03", "陆家嘴街道", "emergency", 60000, 1)]
    assert views.execute("SELECT status, goals FROM disclosure_pairings") == [
        ("proposed", '["联合募捐"]')
    ]


def test_every_correction_is_listed_with_its_reason(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    caught_up(ledger, views)
    corrections = views.execute("SELECT kind, reason FROM disclosure_corrections ORDER BY position")
    assert corrections == [("donation_reversed", "重复入账"), ("disbursement_reversed", "误付")]


def test_no_view_row_holds_anything_from_the_vault(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    caught_up(ledger, views)
    commitments = {
        getattr(event, field)
        for notification in ledger.recorder.select_notifications(1, 10_000)
        for event in [ledger.mapper.to_domain_event(notification)]
        for field in ("donor_commitment", "beneficiary_commitment", "mentor_commitment")
        if getattr(event, field, None)
    }
    assert commitments  # the story has people in it
    forbidden = PUT_INTO_VAULTS | commitments
    tables = [table for view in all_views() for table in view.tables]
    for table in tables:
        for row in views.execute(f"SELECT * FROM {table}"):
            text = " ".join(str(value) for value in row)
            assert not [secret for secret in forbidden if secret in text], (table, row)


def test_every_row_made_from_an_event_names_its_leaf_and_the_leaf_is_in_the_signed_log(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    signer = Signer.generate("mingzhang.test/ledger")
    Runner(
        ledger, views, [*all_views(), TransparencyView(signer, "mingzhang.test/ledger")]
    ).catch_up()
    size, note = views.execute(
        "SELECT size, note FROM tlog_checkpoints ORDER BY size DESC LIMIT 1"
    )[0]
    root = base64.b64decode(open_note(note, signer.verifier_key()).splitlines()[2])

    def event_at(leaf: int) -> Any:
        return ledger.recorder.select_notifications(leaf + 1, 1)[0]

    linked = 0
    for statement in DisclosureView.ddl:
        if "leaf_index" not in statement:
            continue
        table, key = statement.split()[5], statement.split("(")[1].split()[0]
        columns = "leaf_index, last_leaf_index" if "last_leaf_index" in statement else "leaf_index"
        for row in views.execute(f"SELECT {key}, {columns} FROM {table}"):
            for leaf in row[1:]:
                event = event_at(leaf)
                # The event at that leaf is about this row: it is the row's aggregate, or names it.
                # (The stored state writes UUIDs as 32 hex digits.)
                about = f"{event.originator_id} {bytes(event.state).decode()}"
                names = str(row[0]) in about or str(row[0]).replace("-", "") in about
                assert names or row[0] == leaf + 1, (table, row)
                proof = inclusion_path(views, leaf, int(size))
                assert verify_inclusion(leaf, int(size), stored_leaf_hash(event), proof, root)
                linked += 1
            if len(row) == 3:
                assert row[2] >= row[1]
    assert linked > 20  # organisations, funds, the named donation, grant, case, relief, corrections
    grant_last = views.execute(
        "SELECT last_leaf_index FROM disclosure_grants WHERE grant_id = ?", (str(story["grant"]),)
    )[0][0]
    assert event_at(grant_last).topic == "mingzhang/Grant.FeedbackRecorded"  # its latest change
