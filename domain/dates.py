"""Plausible business dates: no later than today in Shanghai, no earlier than a floor, and never
before the thing they happen to began.

A business date may be backdated (the recording time says when it was written), but a donation dated
9999-12-31 or 0001-01-01, or one before its fund was opened, would be counted in public figures that
no reader could place. Every command's date passes `check_plausible` against `Ledger.today()` (the
Shanghai date of the ledger's clock, `domain/clock.py`), and the aggregate it happens to checks it is
not before that aggregate began (`Dated.check_dated`: a fund's opening, an organisation's
registration, a grant's award, a case's opening, a pairing's proposal, a mentor link's start, a
nomination). The floors: an organisation may have been registered since 1949-10-01; everything the
ledger itself records (funds, money, grants, cases, pairings, mentoring, designations, evaluations)
dates from 2000-01-01 on. Plans (a grant's or pairing's planned start and end) are not business dates
of something that happened, and may lie ahead.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from domain.checks import check_date
from domain.errors import InvalidDate

FIRST_REGISTRATION = date(1949, 10, 1)  # the earliest registration date of an organisation
FIRST_LEDGER_DATE = date(2000, 1, 1)  # the earliest date of anything else the ledger records


def check_plausible(day: date, *, field: str, today: date, floor: date = FIRST_LEDGER_DATE) -> date:
    """A calendar date no later than `today` (Asia/Shanghai) and no earlier than `floor`."""
    check_date(day, field=field)
    if day > today:
        raise InvalidDate(
            f"{field} must not be after today ({today}, Asia/Shanghai), got {day}", field=field
        )
    if day < floor:
        raise InvalidDate(f"{field} must not be before {floor}, got {day}", field=field)
    return day


def check_not_before(day: date, start: date, *, field: str, since: str) -> date:
    """`day` is not before `start`, the date `since` ("the fund was opened") happened."""
    if day < start:
        raise InvalidDate(f"{field} must not be before {since} on {start}, got {day}", field=field)
    return day


class Dated:
    """An aggregate that began on a date, and refuses dates before it (mixed into aggregates)."""

    # How the refusal names the beginning: "the fund was opened".
    BEGAN: ClassVar[str]

    if TYPE_CHECKING:  # each aggregate defines it (a property over its creation event's date)

        @property
        def began_on(self) -> date: ...

    def check_dated(self, day: date, *, field: str, today: date) -> date:
        """A plausible date (see `check_plausible`) that is not before this aggregate began."""
        check_plausible(day, field=field, today=today)
        return check_not_before(day, self.began_on, field=field, since=self.BEGAN)
