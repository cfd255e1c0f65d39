"""The recording clock: every event (and snapshot) is recorded at the library's now, unless an in-process
tool runs its commands inside `recording_at(clock)`; and nothing reachable over HTTP can set it."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from domain.clock import SHANGHAI, recording_at, recording_time
from domain.events import LedgerEvent
from domain.ledger import Ledger, recorded_at
from storage.database import Database
from tests.support import donate, open_fund
from tests.unit.test_event_declarations import AGGREGATES

ROOT = Path(__file__).resolve().parents[2]
MOMENT = datetime(2022, 5, 6, 10, 30, tzinfo=SHANGHAI)


def memory_ledger() -> Ledger:
    return Ledger(env=Database("memory").eventsourcing_env())


def test_every_event_class_takes_its_time_from_the_recording_clock() -> None:
    """Creation events too: each aggregate's `Created` derives from `LedgerEvent` before the
    library's class, so its `create_timestamp` is the ledger's."""
    declared = [
        value
        for aggregate in AGGREGATES
        for value in vars(aggregate).values()
        if isinstance(value, type) and hasattr(value, "TOPIC")
    ]
    classes = [c for c in declared if issubclass(c, LedgerEvent)]
    assert len(classes) == len(declared) > 40
    assert all(c.create_timestamp is LedgerEvent.create_timestamp for c in classes)
    with recording_at(lambda: MOMENT):
        assert {c.create_timestamp() for c in classes} == {MOMENT}


def test_outside_the_context_manager_events_are_recorded_at_real_now() -> None:
    ledger = memory_ledger()
    before = datetime.now(UTC)
    fund_id = open_fund(ledger)
    after = datetime.now(UTC)
    events = ledger.history(fund_id)
    assert events
    assert all(before <= recorded_at(e) <= after for e in events)


def test_inside_recording_at_every_event_is_recorded_at_the_clock_in_utc() -> None:
    ledger = memory_ledger()
    with recording_at(lambda: MOMENT):
        fund_id = open_fund(ledger)
        donate(ledger, fund_id, "10")
    stamps = [recorded_at(e) for e in ledger.history(fund_id)]
    assert len(stamps) == 2
    assert stamps == [MOMENT, MOMENT]
    assert all(s.utcoffset() == timedelta(0) for s in stamps)  # stored as UTC, as always


def test_the_clock_is_undone_when_the_block_ends_even_by_an_error() -> None:
    def fails_inside() -> None:
        with recording_at(lambda: MOMENT):
            assert recording_time() == MOMENT
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fails_inside()
    assert recording_time() > datetime.now(UTC) - timedelta(seconds=5)


def test_snapshots_are_dated_by_the_same_clock() -> None:
    ledger = memory_ledger()
    fund_id = open_fund(ledger)
    with recording_at(lambda: MOMENT):
        for _ in range(100):  # the fund's 100th event takes a snapshot
            donate(ledger, fund_id, "1")
    snapshots = list(ledger.snapshots.get(fund_id)) if ledger.snapshots else []
    assert snapshots
    assert all(recorded_at(s) == MOMENT for s in snapshots)


def test_the_clock_reaches_only_its_own_thread() -> None:
    seen: list[datetime] = []
    with recording_at(lambda: MOMENT):
        worker = threading.Thread(target=lambda: seen.append(recording_time()))
        worker.start()
        worker.join()
    assert seen[0] != MOMENT


def test_a_clock_without_a_zone_is_refused() -> None:
    with (
        recording_at(lambda: datetime(2022, 5, 6, 10, 30)),
        pytest.raises(ValueError, match="aware"),
    ):
        recording_time()


def test_only_the_demo_sets_the_recording_clock() -> None:
    # Nothing an HTTP request reaches may choose when events are recorded: outside the clock's own
    # module, only the demo generator (run by `mingzhang demo`, in-process) names `recording_at`.
    sources = [
        p for p in ROOT.rglob("*.py") if not {".venv", "tests"} & set(p.relative_to(ROOT).parts)
    ]
    assert len(sources) > 50
    users = sorted(
        str(p.relative_to(ROOT))
        for p in sources
        if re.search(r"\brecording_at\(|\b_recording\.set\(", p.read_text(encoding="utf-8"))
    )
    assert users == ["demo/generator.py", "domain/clock.py"]
