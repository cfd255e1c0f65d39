"""What day it is for the ledger: the calendar date in Shanghai, from a clock that tests can set.

Business dates (a donation's date, a case's opening) are Shanghai dates, and a deadline (a ratification
due within seven days) is counted in them, so "today" is never the server's local date or UTC's. The
ledger, the views' readers and the API all ask `Ledger.today()`, which asks the clock it was built with:
`shanghai_today` in service, a fixed date where a test or a demo needs one (`MINGZHANG_TODAY`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

Clock = Callable[[], date]


def shanghai_today() -> date:
    return datetime.now(SHANGHAI).date()


def fixed(day: date) -> Clock:
    """A clock that always says `day`."""
    return lambda: day
