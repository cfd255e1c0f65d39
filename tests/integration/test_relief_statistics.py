"""Publishing a year's relief statistics by detailed reason, on every backend: counted from the vault,
suppressed, recorded as one event of the signed log, once per year."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import InvalidDate, NotFound
from domain.foundations.relief_statistics import ReliefStatistics, statistics_id
from domain.ledger import Ledger
from projections.catalog import all_views
from projections.runner import Runner
from storage.viewdb import ViewDB
from tests.support import donate, open_fund, person, refused, register, relief_case, stored_bytes

SPRING = date(2024, 3, 1)


def relief_fund(ledger: Ledger, district: str) -> UUID:
    fund_id = open_fund(ledger, register(ledger, district=district), kind="emergency_relief")
    donate(ledger, fund_id, "100000")
    return fund_id


def cases(
    ledger: Ledger,
    fund_id: UUID,
    reason: str,
    n: int,
    opened_on: date = SPRING,
    subdistrict: str = "陆家嘴街道",
) -> None:
    for _ in range(n):
        relief_case(
            ledger,
            fund_id,
            person(ledger),
            reason_code=reason,
            opened_on=opened_on,
            subdistrict=subdistrict,
        )


def table(statistics: ReliefStatistics) -> dict[tuple[object, object], object]:
    return {(c["district"], c["reason_code"]): c["cases"] for c in statistics.cells}


def test_a_years_cases_are_published_by_district_and_reason_with_small_cells_suppressed(
    ledger: Ledger,
) -> None:
    pudong, xuhui = relief_fund(ledger, "pudong"), relief_fund(ledger, "xuhui")
    cases(ledger, pudong, "GTIR010", 6)
    cases(ledger, pudong, "GTIR030", 2)  # illness: alone it would tell
    cases(ledger, pudong, "GTIR070", 5)
    cases(ledger, xuhui, "GTIR100", 7, subdistrict="徐家汇街道")
    cases(ledger, pudong, "GTIR030", 1, opened_on=date(2023, 6, 1))  # another year
    outcome = ledger.publish_relief_statistics(2024)
    assert outcome.created
    published = ledger.get_relief_statistics(2024)
    assert published.id == statistics_id(2024)
    cells = table(published)
    # Illness, and the hardship reasons nobody had, are suppressed: the two cases are among five.
    assert [cells[("pudong", r)] for r in ("GTIR020", "GTIR030", "GTIR040")] == [None] * 3
    assert (cells[("pudong", "GTIR010")], cells[("pudong", "GTIR070")]) == (6, 5)
    assert cells[("xuhui", "GTIR100")] == 7
    assert {"district": "pudong", "category": "hardship", "cases": 13} in published.totals
    assert (cells[("xuhui", "GTIR050")], cells[("xuhui", "GTIR060")]) == (None, None)  # zeros too
    assert {"district": "xuhui", "category": "emergency", "cases": 7} in published.totals
    # The table is an event of the log, so the signed log holds it.
    assert any(b"ReliefStatistics" in state for state in stored_bytes(ledger))


def test_a_year_is_published_once_and_again_is_a_repeat_that_writes_nothing(
    ledger: Ledger,
) -> None:
    fund_id = relief_fund(ledger, "pudong")
    cases(ledger, fund_id, "GTIR020", 5)
    first = ledger.publish_relief_statistics(2024)
    # Recorded late: telling it by difference from a second version is what is refused.
    cases(ledger, fund_id, "GTIR020", 1)
    head = ledger.head()
    again = ledger.publish_relief_statistics(2024)
    assert (again.created, again.value, ledger.head()) == (False, first.value, head)
    assert table(ledger.get_relief_statistics(2024))[("pudong", "GTIR020")] == 5


def test_a_year_not_yet_ended_is_not_published(ledger: Ledger) -> None:
    with refused(ledger, InvalidDate, "year"):
        ledger.publish_relief_statistics(ledger.today().year)
    with pytest.raises(NotFound):
        ledger.get_relief_statistics(2024)


def test_every_view_reads_past_a_published_table(ledger: Ledger, views: ViewDB) -> None:
    cases(ledger, relief_fund(ledger, "pudong"), "GTIR010", 5)
    ledger.publish_relief_statistics(2024)
    runner = Runner(ledger, views, all_views())
    runner.catch_up()
    statuses = runner.status()
    assert statuses
    assert all((s.lag, s.stopped_at) == (0, None) for s in statuses), statuses
