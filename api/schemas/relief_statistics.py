"""Published relief statistics (救急难统计): a year's cases by district and detailed reason, with the
suppressed cells null, as the `ReliefStatistics.Published` event recorded them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from api.schemas.common import Command, Written


class PublishReliefStatistics(Command):
    year: Annotated[int, Field(examples=[2024], description="an ended year (by today in Shanghai)")]


class StatisticsCell(BaseModel):
    district: str
    category: Annotated[
        str, Field(description="hardship (生活困难), emergency (突发事件), other (其他)")
    ]
    reason_code: Annotated[str, Field(examples=["GTIR030"], description="360Giving GTIR… code")]
    cases: Annotated[
        int | None,
        Field(
            description="cases opened in the year for this reason; null when suppressed (fewer "
            "than 5, or hidden with one so that it cannot be recovered from the group's total)"
        ),
    ]


class StatisticsTotal(BaseModel):
    district: str
    category: str
    cases: Annotated[int, Field(description="the cases of this category in this district")]


class ReliefStatisticsOut(BaseModel):
    year: int
    published_on: date
    min_cases: Annotated[int, Field(description="the smallest count a published cell shows")] = 5
    cells: list[StatisticsCell]
    totals: Annotated[
        list[StatisticsTotal],
        Field(description="one per district and category; no other total is published"),
    ]


class ReliefStatisticsWritten(ReliefStatisticsOut, Written):
    pass
