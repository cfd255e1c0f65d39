"""The projection runner, on every backend: exactly once, view by view, resumable, rebuildable.

Each fault in the issue gets its test: an unknown event is skipped but tracked; a raising handler stops
only its view and it resumes after a fix; a runner killed mid-batch resumes without double counting; two
runners on the same views do not double count; a position beyond the head is refused.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.ledger import Ledger
from projections.catalog import all_views
from projections.history import HistoryView
from projections.runner import PositionBeyondHead, Runner
from projections.view import View
from storage.viewdb import ViewDB
from tests.support import DAY, donate, open_fund, pay, register


class EventCount(View):
    """Counts events by topic, with no key that would hide a double count."""

    name = "event_count"
    tables = ("event_count",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS event_count (topic TEXT NOT NULL, position BIGINT NOT NULL)",
    )

    def apply(self, db: ViewDB, position: int, event: Any) -> None:
        db.execute("INSERT INTO event_count VALUES (?, ?)", (type(event).TOPIC, position))


class FundsOpened(View):
    """Knows one topic only; every other event is skipped."""

    name = "funds_opened"
    tables = ("funds_opened",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS funds_opened (fund_id TEXT PRIMARY KEY, kind TEXT NOT NULL)",
    )
    broken: ClassVar[bool] = False

    def apply(self, db: ViewDB, position: int, event: Any) -> None:
        if type(event).TOPIC == "mingzhang/Fund.Opened":
            if FundsOpened.broken:
                raise RuntimeError("handler bug")
            db.execute(
                "INSERT INTO funds_opened VALUES (?, ?)", (str(event.originator_id), event.kind)
            )


def activity(ledger: Ledger) -> None:
    """A small ledger: an organisation, a fund, two donations, a payment and a reversal."""
    fund_id = open_fund(ledger, register(ledger))
    donate(ledger, fund_id, "100")
    mistaken = donate(ledger, fund_id, "50")
    pay(ledger, fund_id, "30")
    ledger.reverse_donation(
        fund_id, reversal_id=uuid4(), donation_id=mistaken, reason="r", reversed_on=DAY
    )


def counts(db: ViewDB) -> list[tuple[Any, ...]]:
    return db.execute(
        "SELECT position, COUNT(*) FROM event_count GROUP BY position ORDER BY position"
    )


def test_history_indexes_every_event_with_its_business_date(ledger: Ledger, views: ViewDB) -> None:
    activity(ledger)
    runner = Runner(ledger, views, [HistoryView()])
    runner.catch_up()
    rows = views.execute(
        "SELECT position, topic, business_date FROM history_events ORDER BY position"
    )
    assert [r[0] for r in rows] == list(range(1, ledger.head() + 1))
    assert rows[0][1:] == ("mingzhang/Organization.Registered", "2019-06-01")
    assert rows[-1][1:] == ("mingzhang/Fund.DonationReversed", DAY.isoformat())
    assert runner.status()[0].lag == 0


def test_an_event_a_view_does_not_know_is_skipped_but_tracked(
    ledger: Ledger, views: ViewDB
) -> None:
    activity(ledger)
    runner = Runner(ledger, views, [FundsOpened()])
    runner.catch_up()
    assert runner.position("funds_opened") == ledger.head()
    assert len(views.execute("SELECT * FROM funds_opened")) == 1


def test_a_raising_handler_stops_its_view_only_and_resumes_after_a_fix(
    ledger: Ledger, views: ViewDB
) -> None:
    register(ledger)
    runner = Runner(ledger, views, [FundsOpened(), EventCount()], batch_size=100)
    runner.catch_up()
    FundsOpened.broken = True
    try:
        activity(ledger)
        runner.catch_up()
        assert runner.failed["funds_opened"] == "RuntimeError"  # the class; never the text
        stopped = {s.view: s for s in runner.status()}["funds_opened"]
        # It kept the organisation registered before the fund and stopped on the fund itself.
        assert (stopped.position, stopped.stopped_at, stopped.error) == (2, 3, "RuntimeError")
        assert runner.position("event_count") == ledger.head()  # the other view went on
    finally:
        FundsOpened.broken = False
    runner.retry("funds_opened")
    runner.catch_up()
    assert runner.position("funds_opened") == ledger.head()
    assert len(views.execute("SELECT * FROM funds_opened")) == 1


class KilledOnce(Runner):
    """Dies after writing a batch's rows and before its position commits, once."""

    killed = False

    def _commit_position(self, db: ViewDB, view: str, position: int) -> None:
        if not KilledOnce.killed:
            KilledOnce.killed = True
            raise SystemExit("killed mid-batch")
        super()._commit_position(db, view, position)


def test_a_runner_killed_mid_batch_resumes_without_double_counting(
    ledger: Ledger, views: ViewDB
) -> None:
    activity(ledger)
    KilledOnce.killed = False
    with pytest.raises(SystemExit):
        KilledOnce(ledger, views, [EventCount()], batch_size=3).catch_up()
    Runner(ledger, views, [EventCount()], batch_size=3).catch_up()
    assert counts(views) == [(p, 1) for p in range(1, ledger.head() + 1)]


@pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_two_runners_on_the_same_views_do_not_double_count(
    ledger: Ledger, views: ViewDB, backend_database: Any
) -> None:
    for _ in range(5):
        activity(ledger)
    other = backend_database.open_views()
    try:
        runners = [Runner(ledger, db, [EventCount()], batch_size=2) for db in (views, other)]
        threads = [threading.Thread(target=r.catch_up) for r in runners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.close()
    assert counts(views) == [(p, 1) for p in range(1, ledger.head() + 1)]


def test_waiting_for_a_position_beyond_the_head_is_refused(ledger: Ledger, views: ViewDB) -> None:
    activity(ledger)
    runner = Runner(ledger, views, [HistoryView()])
    assert runner.wait_for("history", ledger.head())
    with pytest.raises(PositionBeyondHead, match="beyond the log's head"):
        runner.wait_for("history", ledger.head() + 1)


def test_a_rebuilt_view_equals_the_view_built_as_it_went(ledger: Ledger, views: ViewDB) -> None:
    runner = Runner(ledger, views, [HistoryView()], batch_size=2)
    activity(ledger)
    runner.catch_up()
    activity(ledger)
    runner.catch_up()
    before = views.execute("SELECT * FROM history_events ORDER BY position")
    runner.rebuild("history")
    assert views.execute("SELECT * FROM history_events") == []
    runner.catch_up()
    assert views.execute("SELECT * FROM history_events ORDER BY position") == before


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=30))
def test_views_built_in_any_batch_sizes_equal_the_view_rebuilt_at_once(
    ledger: Ledger, views: ViewDB, batches: list[int]
) -> None:
    if not ledger.head():
        for _ in range(3):
            activity(ledger)
    built = [EventCount(), *all_views()]
    runner = Runner(ledger, views, built)
    for view in built:
        runner.rebuild(view.name)
    for size in batches:
        runner.batch_size = size
        runner.run_once()
    runner.batch_size = 1000
    runner.catch_up()
    incremental = everything(views, built)
    for view in built:
        runner.rebuild(view.name)
    runner.catch_up()
    assert everything(views, built) == incremental


def everything(views: ViewDB, built: list[View]) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: sorted(views.execute(f"SELECT * FROM {table}"), key=repr)
        for view in built
        for table in view.tables
    }


class FundsOpenedV2(FundsOpened):
    """The same view after a change to what it stores: a second version."""

    version = 2
    ddl = (
        "CREATE TABLE IF NOT EXISTS funds_opened (fund_id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
        " position BIGINT NOT NULL)",
    )

    def apply(self, db: ViewDB, position: int, event: Any) -> None:
        if type(event).TOPIC == "mingzhang/Fund.Opened":
            db.execute(
                "INSERT INTO funds_opened VALUES (?, ?, ?)",
                (str(event.originator_id), event.kind, position),
            )


def test_a_view_built_by_an_older_version_is_rebuilt_from_the_log(
    ledger: Ledger, views: ViewDB
) -> None:
    activity(ledger)
    Runner(ledger, views, [FundsOpened()]).catch_up()
    Runner(ledger, views, [FundsOpened()]).catch_up()  # same version: kept as it is
    assert views.execute("SELECT version FROM view_versions WHERE view = 'funds_opened'") == [(1,)]

    runner = Runner(ledger, views, [FundsOpenedV2()])
    assert runner.position("funds_opened") == 0
    runner.catch_up()
    assert views.execute("SELECT kind, position FROM funds_opened") == [("general", 2)]
    assert views.execute("SELECT version FROM view_versions WHERE view = 'funds_opened'") == [(2,)]


def test_a_stopped_runner_started_again_follows_the_log_again(
    ledger: Ledger, views: ViewDB
) -> None:
    runner = Runner(ledger, views, [EventCount()])
    runner.start(interval=0.01)
    runner.stop()
    activity(ledger)
    runner.start(interval=0.01)
    try:
        assert runner.wait_for("event_count", ledger.head(), timeout=10)
    finally:
        runner.stop()
