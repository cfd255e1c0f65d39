"""Relief paid on the emergency fast path awaits ratification, and the disclosure view knows which
cases are overdue (`overdue_ratifications`), on every backend, without reading the log again; every
public relief row says where it stands on a given day (`ratification`: not_required, pending,
overdue, ratified, or reversed before it was ratified).

A case is overdue on a day when a disbursement paid before approval is neither ratified nor reversed
and the deadline the first such payment set has passed: the meaning of `ReliefCase.is_overdue`, which
each test also holds the view to.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from domain.errors import CaseStateConflict
from domain.ledger import Ledger
from projections.disclosure import DisclosureView, reader
from projections.disclosure.reader import overdue_ratifications
from projections.disclosure.rows import ReliefRow
from projections.pagination import PageRequest
from projections.runner import Runner
from storage.viewdb import ViewDB
from tests.support import (
    DAY,
    assert_sound,
    person,
    refused,
    relief_case,
)
from tests.unit.test_relief import APPROVERS, disburse, relief_fund, yuan

__all__ = ["relief_fund"]  # the fixture, shared with the relief unit tests


def ratify(ledger: Ledger, case_id: UUID) -> None:
    ledger.ratify_relief_case(case_id, command_id=uuid4(), approvers=APPROVERS, ratified_on=DAY)


def reverse(ledger: Ledger, case_id: UUID, disbursement_id: UUID) -> None:
    ledger.reverse_disbursement(
        case_id,
        reversal_id=uuid4(),
        disbursement_id=disbursement_id,
        reason="误付",
        reversed_on=DAY,
    )


class Overdue:
    """The view's overdue cases on a day, once it has caught up with the log; each time checked
    against what every case's aggregate says."""

    def __init__(self, ledger: Ledger, views: ViewDB) -> None:
        self.ledger, self.views = ledger, views
        self.runner = Runner(ledger, views, [DisclosureView()])

    def __call__(self, today: date) -> list[UUID]:
        self.runner.catch_up()
        found = overdue_ratifications(self.views, today)
        cases = [UUID(case) for (case,) in self.views.execute(CASES)]
        assert cases  # every test here has a case
        assert set(found) == {c for c in cases if self.ledger.get_relief_case(c).is_overdue(today)}
        return found


CASES = "SELECT case_id FROM disclosure_relief_cases"


@pytest.fixture
def overdue(ledger: Ledger, views: ViewDB) -> Overdue:
    return Overdue(ledger, views)


def emergency(ledger: Ledger, fund_id: UUID) -> UUID:
    return relief_case(ledger, fund_id, person(ledger), emergency=True)


def test_an_emergency_is_paid_first_and_is_overdue_until_ratified(
    ledger: Ledger, relief_fund: UUID, overdue: Overdue
) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger), emergency=True)
    disburse(ledger, case_id, "1500", paid_on=DAY)
    case = ledger.get_relief_case(case_id)
    assert case.ratify_by == DAY + timedelta(days=7)
    assert ledger.get_fund(relief_fund).balance == yuan("8500")
    assert overdue(DAY + timedelta(days=7)) == []
    assert overdue(DAY + timedelta(days=8)) == [case_id]
    ledger.ratify_relief_case(case_id, command_id=uuid4(), approvers=APPROVERS, ratified_on=DAY)
    assert overdue(DAY + timedelta(days=8)) == []
    assert_sound(ledger, relief_fund)


def test_an_emergency_disbursement_that_is_not_ratified_is_reversed_publicly(
    ledger: Ledger, relief_fund: UUID, overdue: Overdue
) -> None:
    case_id = relief_case(ledger, relief_fund, person(ledger), emergency=True)
    disbursement_id = disburse(ledger, case_id, "1500")
    ledger.reverse_disbursement(
        case_id,
        reversal_id=uuid4(),
        disbursement_id=disbursement_id,
        reason="经核实重复救助，款项已追回",
        reversed_on=DAY,
    )
    assert ledger.get_fund(relief_fund).balance == yuan("10000")
    assert overdue(DAY + timedelta(days=30)) == []
    with refused(ledger, CaseStateConflict, "case_id"):
        ledger.ratify_relief_case(case_id, command_id=uuid4(), approvers=APPROVERS, ratified_on=DAY)
    assert_sound(ledger, relief_fund)


def test_a_payment_after_ratification_awaits_it_again_by_the_first_deadline(
    ledger: Ledger, relief_fund: UUID, overdue: Overdue
) -> None:
    case_id = emergency(ledger, relief_fund)
    disburse(ledger, case_id, "100", paid_on=DAY)
    ratify(ledger, case_id)
    assert overdue(DAY + timedelta(days=30)) == []
    disburse(ledger, case_id, "100", paid_on=DAY + timedelta(days=20))
    # The deadline stays the one the first payment before approval set.
    assert overdue(DAY + timedelta(days=8)) == [case_id]


def test_reversing_a_ratified_payment_leaves_a_later_one_awaiting_ratification(
    ledger: Ledger, relief_fund: UUID, overdue: Overdue
) -> None:
    case_id = emergency(ledger, relief_fund)
    ratified = disburse(ledger, case_id, "100")
    ratify(ledger, case_id)
    awaiting = disburse(ledger, case_id, "200")
    reverse(ledger, case_id, ratified)
    assert overdue(DAY + timedelta(days=8)) == [case_id]
    reverse(ledger, case_id, awaiting)
    assert overdue(DAY + timedelta(days=8)) == []


def test_payments_against_an_approval_never_await_ratification(
    ledger: Ledger, relief_fund: UUID, overdue: Overdue
) -> None:
    approved = emergency(ledger, relief_fund)
    ledger.approve_relief_case(
        approved, command_id=uuid4(), amount=yuan("500"), approvers=APPROVERS, approved_on=DAY
    )
    disburse(ledger, approved, "500")
    fast = emergency(ledger, relief_fund)
    disburse(ledger, fast, "100", paid_on=DAY + timedelta(days=1))
    late = emergency(ledger, relief_fund)
    disburse(ledger, late, "100", paid_on=DAY)
    # Only the unratified ones, the earliest deadline first.
    assert overdue(DAY + timedelta(days=30)) == [late, fast]


def public_rows(views: ViewDB, today: date) -> dict[UUID, ReliefRow]:
    found = reader.relief(views, page=PageRequest(500), today=today)
    return {row.disbursement_id: row for row in found.items}


def test_every_public_relief_row_says_whether_it_was_ratified_or_awaits_it_on_a_fixed_day(
    ledger: Ledger, relief_fund: UUID, overdue: Overdue, views: ViewDB
) -> None:
    approved = emergency(ledger, relief_fund)
    ledger.approve_relief_case(
        approved, command_id=uuid4(), amount=yuan("500"), approvers=APPROVERS, approved_on=DAY
    )
    normal = disburse(ledger, approved, "500")
    awaiting = disburse(ledger, emergency(ledger, relief_fund), "100", paid_on=DAY)
    ratified_case = emergency(ledger, relief_fund)
    ratified = disburse(ledger, ratified_case, "100")
    ratify(ledger, ratified_case)
    reversed_case = emergency(ledger, relief_fund)
    withdrawn = disburse(ledger, reversed_case, "100")
    reverse(ledger, reversed_case, withdrawn)
    deadline = DAY + timedelta(days=7)
    overdue(deadline)  # caught up, and the cases agree with their aggregates

    on_the_deadline = public_rows(views, deadline)
    assert {d: r.ratification for d, r in on_the_deadline.items()} == {
        normal: "not_required",
        awaiting: "pending",
        ratified: "ratified",
        withdrawn: "reversed",
    }
    assert [on_the_deadline[d].ratify_by for d in (normal, awaiting, ratified, withdrawn)] == [
        None,
        deadline,
        deadline,
        deadline,
    ]
    # The day after its deadline the one still awaiting ratification is overdue; nothing else moves.
    day_after = {d: r.ratification for d, r in public_rows(views, deadline + timedelta(1)).items()}
    assert day_after == {
        **{d: r.ratification for d, r in on_the_deadline.items()},
        awaiting: "overdue",
    }


def test_a_ratified_payment_stays_ratified_when_reversed_and_a_later_one_awaits_again(
    ledger: Ledger, relief_fund: UUID, overdue: Overdue, views: ViewDB
) -> None:
    case_id = emergency(ledger, relief_fund)
    first = disburse(ledger, case_id, "100")
    ratify(ledger, case_id)
    later = disburse(ledger, case_id, "200", paid_on=DAY + timedelta(days=20))
    reverse(ledger, case_id, first)
    overdue(DAY + timedelta(days=30))
    rows = public_rows(views, DAY + timedelta(days=30))
    assert (rows[first].ratification, rows[first].reversed) == ("ratified", True)
    # The deadline stays the one the first payment before approval set, so the later one is late.
    assert (rows[later].ratification, rows[later].reversed) == ("overdue", False)
    page = reader.foundation_page(views, ledger.get_fund(relief_fund).foundation_id, today=DAY)
    assert page is not None
    assert {r.disbursement_id: r.ratification for r in page.relief} == {
        first: "ratified",
        later: "pending",
    }
