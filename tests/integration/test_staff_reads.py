"""The disclosure reader's lists for keyed readers agree with the ledger, on every backend: whatever
funds a foundation opened and closed, `funds` filtered by foundation, status and year lists exactly
the ones the aggregates say, each once; whatever fast-path payments were made, ratified or reversed,
`awaiting_ratification` lists exactly the cases whose aggregate still has one awaiting, by deadline,
and `days_overdue` calls a case overdue exactly when `ReliefCase.is_overdue` does.

Examples accumulate in one ledger (the fixtures are per test), so each draws a foundation of its own
and reads the lists scoped to it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import TypeVar
from uuid import uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.foundations.relief import days_overdue
from domain.ledger import Ledger
from projections.disclosure import DisclosureView, reader
from projections.pagination import Page, PageRequest, every_row
from projections.runner import Runner
from storage.viewdb import ViewDB
from tests.support import donate, open_fund, person, register, relief_case
from tests.unit.test_relief import APPROVERS, yuan

T = TypeVar("T")
START = date(2024, 1, 1)
EXAMPLES = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FUNDS = st.lists(st.tuples(st.integers(2020, 2024), st.booleans()), min_size=1, max_size=6)


def walk(fetch: Callable[[PageRequest], Page[T]], limit: int) -> list[T]:
    """Every row of a list, `limit` rows a page, so small pages are walked too."""
    rows: list[T] = []
    page = PageRequest(limit)
    while True:
        found = fetch(page)
        rows.extend(found.items)
        if found.next_cursor is None:
            return rows
        page = PageRequest(limit, found.next_cursor)


@EXAMPLES
@given(funds=FUNDS, limit=st.integers(1, 4))
def test_a_foundations_funds_filtered_by_status_and_year_are_the_ledgers(
    ledger: Ledger, views: ViewDB, funds: list[tuple[int, bool]], limit: int
) -> None:
    foundation = register(ledger)
    truth = {}
    for year, closed in funds:
        opened_on = date(year, 3, 1)
        fund_id = open_fund(ledger, foundation, opened_on=opened_on)
        if closed:
            ledger.close_fund(
                fund_id, command_id=uuid4(), closed_on=opened_on + timedelta(days=1), reason="到期"
            )
        truth[fund_id] = (year, "closed" if closed else "open")
    Runner(ledger, views, [DisclosureView()]).catch_up()
    for status in (None, "open", "closed"):
        for year in (None, *range(2020, 2025)):
            filters = reader.Filters(foundation_id=foundation, year=year, status=status)
            rows = walk(partial(reader.funds, views, filters), limit)
            expected = {
                f
                for f, (opened, state) in truth.items()
                if status in (None, state) and year in (None, opened)
            }
            listed = [row.fund_id for row in rows]
            assert len(listed) == len(set(listed))
            assert set(listed) == expected


PAYMENTS = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from(["wait", "ratify", "reverse", "approve"])),
    min_size=1,
    max_size=6,
)


@EXAMPLES
@given(payments=PAYMENTS, today_offset=st.integers(0, 60), limit=st.integers(1, 3))
def test_the_cases_awaiting_ratification_and_their_lateness_are_the_aggregates(
    ledger: Ledger,
    views: ViewDB,
    payments: list[tuple[int, str]],
    today_offset: int,
    limit: int,
) -> None:
    foundation = register(ledger)
    fund = open_fund(ledger, foundation, kind="emergency_relief")
    donate(ledger, fund, "100000")
    cases = []
    for offset, then in payments:
        paid_on = START + timedelta(days=offset)
        case_id = relief_case(ledger, fund, person(ledger), emergency=True, opened_on=paid_on)
        disbursement = uuid4()
        ledger.disburse_relief(
            case_id, disbursement_id=disbursement, amount=yuan("100"), paid_on=paid_on
        )
        later = paid_on + timedelta(days=1)
        if then == "ratify":
            ledger.ratify_relief_case(
                case_id, command_id=uuid4(), approvers=APPROVERS, ratified_on=later
            )
        elif then == "reverse":
            ledger.reverse_disbursement(
                case_id,
                reversal_id=uuid4(),
                disbursement_id=disbursement,
                reason="误付",
                reversed_on=later,
            )
        elif then == "approve":  # approving does not ratify what was paid before it
            ledger.approve_relief_case(
                case_id,
                command_id=uuid4(),
                amount=yuan("300"),
                approvers=APPROVERS,
                approved_on=later,
            )
        cases.append(case_id)
    Runner(ledger, views, [DisclosureView()]).catch_up()
    today = START + timedelta(days=today_offset)
    rows = walk(lambda page: reader.awaiting_ratification(views, foundation, page), limit)
    aggregates = {c: ledger.get_relief_case(c) for c in cases}
    assert {row.case_id for row in rows} == {c for c, case in aggregates.items() if case.unratified}
    keys = [(row.ratify_by, row.case_id) for row in rows]
    assert keys == sorted(keys, key=lambda k: (k[0], str(k[1])))
    for row in rows:
        case = aggregates[row.case_id]
        assert row.ratify_by is not None
        assert row.ratify_by == case.ratify_by
        late = days_overdue(row.ratify_by, today)
        assert (late > 0) == case.is_overdue(today)
    everything = list(every_row(lambda page: reader.awaiting_ratification(views, None, page)))
    assert {row.case_id for row in rows} <= {row.case_id for row in everything}
