"""`ReliefStatistics` (救急难统计): a year's relief cases by district and detailed reason, published as
an aggregate with cells of fewer than five cases suppressed, so that it can be part of the signed log.

The detailed reasons are only in the vault (docs/PRIVACY.md, "Relief reasons"); the ledger counts them
there and records the table as one event of an aggregate whose id is derived from the year, so a year
is published once. `suppressed_table` is the rule: within each (district, public category) group, whose
total is published, a cell below `MIN_CASES` is suppressed, and a group left with a single suppressed
cell has its smallest other cell suppressed too, so that no cell can be recovered by subtracting the
published cells from the total. No other total (by reason across districts, across years) is published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.events import LedgerAggregate
from domain.foundations.codes import RELIEF_CATEGORY_OF

MIN_CASES = 5
# Namespace of the statistics' ids: one aggregate per year, the same on every ledger.
STATISTICS = UUID("6d696e67-7a68-616e-672d-737461747321")


def statistics_id(year: int) -> UUID:
    return uuid5(STATISTICS, f"relief-statistics/{year}")


@dataclass(frozen=True)
class Cell:
    """One (district, reason) count; `cases` is None when suppressed."""

    STORED_AS: ClassVar[str] = "mingzhang/relief.StatisticsCell"

    district: str
    category: str
    reason_code: str
    cases: int | None


@dataclass(frozen=True)
class GroupTotal:
    """The cases of one public category in one district."""

    STORED_AS: ClassVar[str] = "mingzhang/relief.StatisticsTotal"

    district: str
    category: str
    cases: int


@dataclass(frozen=True)
class StatisticsPublication:
    STORED_AS: ClassVar[str] = "mingzhang/relief.StatisticsPublication"

    def __post_init__(self) -> None:
        # Stored records come back from JSON with lists; the record always holds tuples.
        object.__setattr__(self, "cells", tuple(self.cells))
        object.__setattr__(self, "totals", tuple(self.totals))

    year: int
    published_on: date
    cells: tuple[Cell, ...]
    totals: tuple[GroupTotal, ...]


STATISTICS_RECORDS: tuple[type, ...] = (Cell, GroupTotal, StatisticsPublication)


def suppressed_table(
    counts: Mapping[tuple[str, str], int],
) -> tuple[tuple[Cell, ...], tuple[GroupTotal, ...]]:
    """The published table of `counts` ((district, reason code) → cases): every reason of every
    category of each district that has a case, zeros included, with the suppression rule applied."""
    districts = sorted({district for district, _ in counts})
    cells: list[Cell] = []
    totals: list[GroupTotal] = []
    for district in districts:
        for category in sorted(set(RELIEF_CATEGORY_OF.values())):
            reasons = sorted(r for r, c in RELIEF_CATEGORY_OF.items() if c == category)
            group = {r: counts.get((district, r), 0) for r in reasons}
            hidden = {r for r, n in group.items() if n < MIN_CASES}
            if len(hidden) == 1:
                # The one suppressed cell would be the total less the others: hide the smallest
                # other too (the least information lost), the first reason code on a tie.
                hidden.add(min((r for r in reasons if r not in hidden), key=lambda r: group[r]))
            cells.extend(
                Cell(district, category, r, None if r in hidden else group[r]) for r in reasons
            )
            totals.append(GroupTotal(district, category, sum(group.values())))
    return tuple(cells), tuple(totals)


class ReliefStatistics(LedgerAggregate):
    """A year's published relief statistics; its id is `statistics_id(year)`."""

    TOPIC = "mingzhang/ReliefStatistics"

    class Created(LedgerAggregate.Created):
        """Base of the creation event; `Published` is the one recorded."""

        TOPIC = "mingzhang/ReliefStatistics.Created"

    @classmethod
    def publish(cls, publication: StatisticsPublication) -> ReliefStatistics:
        return cls(
            id=statistics_id(publication.year),
            year=publication.year,
            published_on=publication.published_on,
            cells=[
                {
                    "district": c.district,
                    "category": c.category,
                    "reason_code": c.reason_code,
                    "cases": c.cases,
                }
                for c in publication.cells
            ],
            totals=[
                {"district": t.district, "category": t.category, "cases": t.cases}
                for t in publication.totals
            ],
        )

    class Published(Created):
        """A year's cases by district and detailed reason, cells under five suppressed (null)."""

        TOPIC = "mingzhang/ReliefStatistics.Published"
        year: int
        published_on: date
        cells: list[dict[str, str | int | None]]
        totals: list[dict[str, str | int]]

    @event(Published)
    def __init__(
        self,
        id: UUID,
        year: int,
        published_on: date,
        cells: list[dict[str, str | int | None]],
        totals: list[dict[str, str | int]],
    ) -> None:
        self.year = year
        self.published_on = published_on
        self.cells = cells
        self.totals = totals
