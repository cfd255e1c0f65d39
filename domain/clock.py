"""What day it is for the ledger, and what time an event is recorded at: the calendar date in Shanghai,
from a clock that tests can set, and the recording clock that stamps every event.

Business dates (a donation's date, a case's opening) are Shanghai dates, and a deadline (a ratification
due within seven days) is counted in them, so "today" is never the server's local date or UTC's. The
ledger, the views' readers and the API all ask `Ledger.today()`, which asks the clock it was built with:
`shanghai_today` in service, a fixed date where a test or a demo needs one (`MINGZHANG_TODAY`).

Every event's recording time (the library's `timestamp`) comes from `recording_time()`: the library's
own UTC now, unless an in-process tool runs its commands inside `recording_at(clock)` (the demo, which
writes a history spread over its story's days, so that a past date has something to show). The clock
is held in a context variable, so it reaches only the commands run inside the block, in that thread or
task; nothing reachable over HTTP sets it (a test keeps it to `demo/`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from eventsourcing.domain import datetime_now_with_tzinfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

Clock = Callable[[], date]
RecordingClock = Callable[[], datetime]

_recording: ContextVar[RecordingClock | None] = ContextVar(
    "mingzhang_recording_clock", default=None
)


def shanghai_today() -> date:
    return datetime.now(SHANGHAI).date()


def fixed(day: date) -> Clock:
    """A clock that always says `day`."""
    return lambda: day


def recording_time() -> datetime:
    """The time an event made now is recorded at: the recording clock's, in UTC, or the library's now."""
    clock = _recording.get()
    if clock is None:
        return datetime_now_with_tzinfo()
    moment = clock()
    if moment.tzinfo is None:
        msg = f"a recording clock must give an aware time, got {moment!r}"
        raise ValueError(msg)
    # Stored as UTC whatever zone the clock speaks, as every recording time always was.
    return moment.astimezone(UTC)


@contextmanager
def recording_at(clock: RecordingClock) -> Iterator[None]:
    """Events made inside are recorded at `clock()`'s time (for in-process tools only: the demo)."""
    token = _recording.set(clock)
    try:
        yield
    finally:
        _recording.reset(token)
