"""`/relief-statistics`: a year's relief cases by district and detailed reason, published once the
year has ended, as suppressed aggregates only (docs/PRIVACY.md, "Relief reasons"). Publishing is for
the admin; reading is for anyone, straight from the event that recorded the table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from api.auth import Admin
from api.commands import execute
from api.deps import LedgerDep
from api.errors import ERRORS
from api.schemas.relief_statistics import (
    PublishReliefStatistics,
    ReliefStatisticsOut,
    ReliefStatisticsWritten,
    StatisticsCell,
    StatisticsTotal,
)
from domain.foundations.relief_statistics import ReliefStatistics
from domain.ledger import Ledger

router = APIRouter(prefix="/relief-statistics", tags=["relief statistics"])


def statistics_out(statistics: ReliefStatistics) -> ReliefStatisticsOut:
    return ReliefStatisticsOut(
        year=statistics.year,
        published_on=statistics.published_on,
        cells=[StatisticsCell.model_validate(c) for c in statistics.cells],
        totals=[StatisticsTotal.model_validate(t) for t in statistics.totals],
    )


def read(ledger: Ledger, year: int) -> ReliefStatisticsOut:
    return statistics_out(ledger.get_relief_statistics(year))


@router.post(
    "",
    status_code=201,
    response_model=ReliefStatisticsWritten,
    responses=ERRORS,
    summary="Publish an ended year's relief statistics by district and detailed reason, "
    "suppressed (admin; once per year, again is a repeat)",
)
def publish(
    body: PublishReliefStatistics, ledger: LedgerDep, who: Admin, response: Response
) -> ReliefStatisticsWritten:
    outcome = execute(ledger, who, None, lambda: ledger.publish_relief_statistics(body.year))
    response.status_code = 201 if outcome.created else 200
    published = read(ledger, body.year)
    return ReliefStatisticsWritten(**published.model_dump(), position=outcome.position)


@router.get(
    "/{year}",
    response_model=ReliefStatisticsOut,
    responses=ERRORS,
    summary="A year's published relief statistics (anyone): cells of fewer than 5 cases are null",
)
def get_statistics(
    year: Annotated[int, Path(description="the year published")], ledger: LedgerDep
) -> ReliefStatisticsOut:
    return read(ledger, year)
