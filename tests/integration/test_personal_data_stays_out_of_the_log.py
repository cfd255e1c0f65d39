"""No personal data in events: unlinkable references, the log checked byte by byte, erasure.

(Every test that uses the `ledger` fixture also ends by checking that nothing the suite put into a
vault appears in that ledger's stored events; see tests/conftest.py.)
"""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.errors import SubjectErased, UnknownFund, WrongFundKind
from domain.foundations.entries import Donation
from domain.ledger import Ledger
from domain.money import Money
from domain.privacy import NewPerson, PersonalData
from tests.support import (
    DAY,
    PUT_INTO_VAULTS,
    donate,
    open_fund,
    person,
    personal_data_in,
    register,
    relief_case,
    stored_bytes,
    vault_of,
)

PUBLIC_CASE_FIELDS = {
    "fund_id",
    "reason_category",
    "purpose_code",
    "subdistrict",
    "requested_fen",
    "emergency",
    "opened_on",
    "originator_version",
    "originator_topic",
    "actor",  # the staff key that recorded both: it says who worked, not who was helped
}


def test_the_log_holds_none_of_the_personal_data_in_the_vault(ledger: Ledger) -> None:
    subject = person(ledger, name="张建国", id_card="11010519491231002X", phone="13912345678")
    foundation = register(ledger)
    relief = open_fund(ledger, foundation, kind="emergency_relief")
    donate(ledger, relief, "500", donor_kind="person", donor_subject_id=subject, publish_name=True)
    case_id = relief_case(ledger, relief, subject, emergency=True)
    ledger.disburse_relief(case_id, disbursement_id=uuid4(), amount=Money.yuan("300"), paid_on=DAY)
    assert {"张建国", "11010519491231002X", "13912345678", str(subject)} <= PUT_INTO_VAULTS
    assert len(stored_bytes(ledger)) >= 6
    assert personal_data_in(ledger) == []


def test_the_check_would_see_a_name_that_reached_the_log(ledger: Ledger) -> None:
    # The guard itself must be able to fail: a name put into the vault and also (wrongly) into a
    # public field is found, raw or JSON-escaped.
    person(ledger, name="赵六")
    register(ledger, name="赵六")
    assert personal_data_in(ledger) == ["赵六"]
    PUT_INTO_VAULTS.discard("赵六")  # so the fixture's own check passes


def test_two_cases_and_a_donation_of_one_person_cannot_be_linked_from_the_log(
    ledger: Ledger,
) -> None:
    subject = person(ledger)
    relief = open_fund(ledger, register(ledger), kind="emergency_relief")
    donation_id = donate(ledger, relief, "50", donor_kind="person", donor_subject_id=subject)
    first = relief_case(ledger, relief, subject)
    second = relief_case(ledger, relief, subject)
    opened = [ledger.history(case)[0].__dict__ for case in (first, second)]
    donation = ledger.applied(donation_id)
    assert donation is not None
    assert isinstance(donation.record, Donation)
    assert donation.record.donor_ref is not None  # a person donor enters as a vault reference
    references = {
        opened[0]["beneficiary_ref"],
        opened[1]["beneficiary_ref"],
        donation.record.donor_ref,
    }
    commitments = {
        opened[0]["beneficiary_commitment"],
        opened[1]["beneficiary_commitment"],
        donation.record.donor_commitment,
    }
    assert len({str(r) for r in references}) == 3
    assert len(commitments) == 3
    equal = {k for k in opened[0] if opened[0][k] == opened[1].get(k)}
    assert equal <= PUBLIC_CASE_FIELDS, equal - PUBLIC_CASE_FIELDS
    linked = vault_of(ledger).linked_references(opened[0]["beneficiary_ref"])
    assert set(linked) == {
        opened[1]["beneficiary_ref"],
        UUID(donation.record.donor_ref),
    }


def test_erasure_leaves_the_log_and_balances_untouched_and_the_person_unlinkable(
    ledger: Ledger,
) -> None:
    subject = person(ledger, name="钱七", phone="13700000000")
    relief = open_fund(ledger, register(ledger), kind="emergency_relief")
    donate(ledger, relief, "1000")
    case_id = relief_case(ledger, relief, subject, emergency=True)
    ledger.disburse_relief(case_id, disbursement_id=uuid4(), amount=Money.yuan("400"), paid_on=DAY)
    reference = ledger.history(case_id)[0].beneficiary_ref  # type: ignore[attr-defined]
    before, balance = stored_bytes(ledger), ledger.get_fund(relief).balance

    vault_of(ledger).erase(subject, date(2025, 1, 15))

    assert stored_bytes(ledger) == before
    assert ledger.get_fund(relief).balance == balance == Money.yuan("600")
    for look in (vault_of(ledger).prove, vault_of(ledger).linked_references):
        with pytest.raises(SubjectErased):
            look(reference)
    with pytest.raises(SubjectErased, match="2025-01-15"):
        vault_of(ledger).read(subject)
    rows = vault_of(ledger)._rows("SELECT wrapped_key, payload FROM vault_people")
    assert rows == [(None, None)]


def minted_for(ledger: Ledger, use_id: UUID) -> int:
    return int(vault_of(ledger)._use(use_id) is not None)


def test_a_refused_command_leaves_no_reference_to_the_person_in_the_vault(ledger: Ledger) -> None:
    subject = person(ledger)
    general = open_fund(ledger, register(ledger))  # not an emergency-relief fund
    refused_case = uuid4()
    with pytest.raises(WrongFundKind):
        relief_case(ledger, general, subject, case_id=refused_case)
    assert minted_for(ledger, refused_case) == 0
    relief = open_fund(ledger, register(ledger), kind="emergency_relief")
    recorded_case = relief_case(ledger, relief, subject)
    assert minted_for(ledger, recorded_case) == 1


def test_a_person_enters_through_the_ledger_and_a_refused_command_takes_them_out_again(
    ledger: Ledger,
) -> None:
    """One path in (`Ledger._mint`), one undo: the person given in a command is entered for its
    use, a repeat finds the same reference, and a refused command leaves no one behind."""
    PUT_INTO_VAULTS.add("测试捐赠人丑（虚构）")
    new = NewPerson(PersonalData.validated(name="测试捐赠人丑（虚构）"), owner="someone")
    fund = open_fund(ledger, register(ledger))
    donation = donate(ledger, fund, "10", donor_kind="person", donor_person=new)
    again = donate(ledger, fund, "10", donation_id=donation, donor_kind="person", donor_person=new)
    assert again == donation
    assert len(vault_of(ledger)._rows("SELECT subject_id FROM vault_people")) == 1
    with pytest.raises(UnknownFund):
        donate(ledger, uuid4(), "10", donor_kind="person", donor_person=new)
    assert len(vault_of(ledger)._rows("SELECT subject_id FROM vault_people")) == 1
    assert len(vault_of(ledger)._rows("SELECT lookup FROM vault_uses")) == 1
