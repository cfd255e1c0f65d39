"""The public views as they stood at the end of a Shanghai day (`projections/as_of.py`): the figure a
page shows before and after a correction, the checkpoint of that moment, one build per position under
concurrent requests, and eviction that closes what it drops (never under a reading). On SQLite and
PostgreSQL, with the events recorded on chosen days (`recording_at`, as the demo does)."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID, uuid4

import pytest

from domain.clock import SHANGHAI, recording_at
from domain.errors import InvalidDate
from domain.ledger import Ledger
from projections.as_of import AsOfViews
from projections.catalog import all_views
from projections.disclosure import reader
from projections.disclosure.rows import Figures
from projections.runner import Runner
from projections.transparency import TransparencyView
from projections.view import View
from storage.database import Database
from storage.viewdb import ViewDB
from tests.support import donate, open_fund, register
from transparency.signed_note import Signer

ON_BOTH = pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
ORIGIN = "mingzhang.test/ledger"
DONATED = date(2024, 3, 1)
CORRECTED = date(2024, 3, 5)


def at(day: date, hour: int = 10) -> AbstractContextManager[None]:
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
    return recording_at(lambda: moment)


class Story:
    """A fund that receives 100.00 and 50.00 on 1 March; on 5 March the 100.00 is found to be a
    duplicate and reversed. The live transparency view signs after each day."""

    def __init__(self, ledger: Ledger, live: ViewDB) -> None:
        self.ledger, self.live = ledger, live
        self.transparency = Runner(
            ledger, live, [TransparencyView(Signer.generate(ORIGIN), ORIGIN)]
        )
        with at(DONATED):
            self.fund = open_fund(ledger, register(ledger), opened_on=DONATED)
            duplicate = donate(ledger, self.fund, "100", received_on=DONATED)
            donate(ledger, self.fund, "50", received_on=DONATED)
        self.transparency.catch_up()
        self.before = ledger.head()
        with at(CORRECTED):
            ledger.reverse_donation(
                self.fund,
                reversal_id=uuid4(),
                donation_id=duplicate,
                reason="同一笔银行到账重复登记，予以冲正",
                reversed_on=CORRECTED,
            )
        self.transparency.catch_up()
        self.after = ledger.head()

    def figures(self, db: ViewDB) -> Figures:
        (fund,) = [f for f in reader.funds(db).items if f.fund_id == self.fund]
        return fund.figures


@pytest.fixture
def story(ledger: Ledger, views: ViewDB) -> Story:
    return Story(ledger, views)


@pytest.fixture
def as_of(ledger: Ledger, views: ViewDB) -> Iterator[AsOfViews]:
    cache = AsOfViews(ledger, all_views(), views)
    yield cache
    cache.close()


@ON_BOTH
def test_the_day_before_a_correction_shows_the_earlier_figure_and_the_day_of_it_the_later(
    story: Story, as_of: AsOfViews
) -> None:
    earlier = as_of.views_at(CORRECTED - timedelta(days=1))
    assert earlier.position == story.before
    figures = story.figures(earlier.db)
    assert (figures.received_fen, figures.reversed_in_fen, figures.balance_fen) == (15000, 0, 15000)
    later = as_of.views_at(CORRECTED)
    assert later.position == story.after
    figures = story.figures(later.db)
    assert (figures.received_fen, figures.reversed_in_fen, figures.balance_fen) == (
        15000,
        10000,
        5000,
    )
    assert reader.corrections(earlier.db).items == ()
    assert len(reader.corrections(later.db).items) == 1


@ON_BOTH
def test_each_day_names_the_last_checkpoint_signed_at_or_before_its_position(
    story: Story, as_of: AsOfViews
) -> None:
    earlier, later = as_of.views_at(date(2024, 3, 2)), as_of.views_at(CORRECTED)
    assert earlier.checkpoint is not None
    assert later.checkpoint is not None
    assert earlier.checkpoint.size == story.before
    assert later.checkpoint.size == story.after
    assert later.checkpoint.note != earlier.checkpoint.note


@ON_BOTH
def test_the_end_of_the_day_is_shanghais_midnight_not_utcs(
    ledger: Ledger, story: Story, as_of: AsOfViews
) -> None:
    # 07:30 in Shanghai on 6 March is still 5 March in UTC: it belongs to 6 March.
    with at(date(2024, 3, 6), hour=7):
        donate(ledger, story.fund, "1", received_on=date(2024, 3, 6))
    assert as_of.views_at(CORRECTED).position == story.after
    assert as_of.views_at(date(2024, 3, 6)).position == story.after + 1


@ON_BOTH
def test_a_day_before_the_first_event_is_an_empty_ledger_without_a_checkpoint(
    story: Story, as_of: AsOfViews
) -> None:
    empty = as_of.views_at(date(2023, 12, 31))
    assert empty.position == 0
    assert empty.checkpoint is None
    assert reader.funds(empty.db).items == ()


def test_a_day_after_today_is_refused_naming_as_of(ledger: Ledger, views: ViewDB) -> None:
    as_of = AsOfViews(ledger, all_views(), views)
    tomorrow = ledger.today() + timedelta(days=1)
    with pytest.raises(InvalidDate) as refused:
        as_of.views_at(tomorrow)
    assert refused.value.field == "as_of"
    assert "must not be after today" in str(refused.value)


def test_the_transparency_view_is_never_rebuilt_as_of_a_day(ledger: Ledger, views: ViewDB) -> None:
    with pytest.raises(ValueError, match="transparency"):
        AsOfViews(ledger, [TransparencyView(Signer.generate(ORIGIN), ORIGIN)], views)


class SlowView(View):
    """A view that takes a while over its first event, so a second request surely arrives while the
    first is still building."""

    name = "slow"
    tables = ()
    ddl = ()
    handlers: ClassVar[dict[str, Any]] = {}

    def apply(self, db: ViewDB, position: int, event: Any) -> None:
        if position == 1:
            time.sleep(0.3)


@ON_BOTH
def test_concurrent_requests_for_one_day_build_it_once(
    ledger: Ledger, views: ViewDB, story: Story
) -> None:
    as_of = AsOfViews(ledger, [*all_views(), SlowView()], views)
    start = threading.Barrier(4)
    answers: list[ViewDB] = []

    def request() -> None:
        start.wait()
        with as_of.reading(CORRECTED) as found:
            answers.append(found.db)
            assert story.figures(found.db).balance_fen == 5000

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 4
    assert as_of.builds == 1
    assert len({id(db) for db in answers}) == 1
    as_of.views_at(CORRECTED)
    assert as_of.builds == 1  # cached
    as_of.close()


def closed(db: ViewDB) -> bool:
    try:
        db.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


@ON_BOTH
def test_eviction_closes_the_least_recently_used_database_but_not_one_being_read(
    ledger: Ledger, views: ViewDB, story: Story
) -> None:
    as_of = AsOfViews(ledger, all_views(), views, capacity=2)
    empty = as_of.views_at(date(2024, 1, 1))  # position 0
    before = as_of.views_at(date(2024, 3, 2))
    assert as_of.views_at(date(2024, 1, 2)).db is empty.db  # same position: cached, now recent
    with as_of.reading(date(2024, 1, 3)) as held:  # position 0 again, held open
        as_of.views_at(CORRECTED)  # a third position: evicts the least recent, `before`
        assert closed(before.db)
        assert not closed(held.db)
        as_of.views_at(date(2024, 3, 4))  # `before`'s position again: rebuilt, evicts position 0
        assert not closed(held.db)  # still being read
    assert closed(held.db)  # closed when its reading ended
    assert as_of.builds == 4
    as_of.close()


def test_positions_are_found_by_day_on_an_unrelated_aggregate_too(
    ledger: Ledger, views: ViewDB
) -> None:
    # Days with no event of their own fall to the last event before them.
    for day in (date(2024, 5, 1), date(2024, 5, 3)):
        with at(day):
            register(ledger, registered_on=day)
    as_of = AsOfViews(ledger, all_views(), views)
    assert [as_of.position_on(date(2024, 5, d)) for d in range(1, 5)] == [1, 1, 2, 2]


def test_a_days_position_found_before_is_found_again_when_events_of_that_day_arrive_later(
    ledger: Ledger, views: ViewDB
) -> None:
    # A server asked about 1 May before the demo was loaded: the day was empty then, not now.
    as_of = AsOfViews(ledger, all_views(), views)
    assert as_of.position_on(date(2024, 5, 1)) == 0
    with at(date(2024, 5, 1)):
        register(ledger, registered_on=date(2024, 5, 1))
    assert as_of.position_on(date(2024, 5, 1)) == 1
    with at(date(2024, 5, 2)):
        register(ledger, registered_on=date(2024, 5, 2))
    assert as_of.position_on(date(2024, 5, 1)) == 1  # the event after it is of a later day
    assert as_of.position_on(date(2024, 5, 2)) == 2
    register(ledger)  # recorded now
    assert [as_of.position_on(date(2024, 5, d)) for d in (1, 2)] == [1, 2]
    assert as_of.position_on(ledger.today()) == 3


def signing(ledger: Ledger, views: ViewDB) -> None:
    """The live transparency view's tables, where a day's checkpoint is looked up."""
    Runner(ledger, views, [TransparencyView(Signer.generate(ORIGIN), ORIGIN)])


def every_row(db: ViewDB) -> dict[str, list[tuple[Any, ...]]]:
    tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return {name: sorted(db.execute(f"SELECT * FROM {name}"), key=repr) for (name,) in tables}


def kept_at(folder: Path) -> list[int]:
    """The positions of the snapshots in `folder` (`views-VERSIONS-POSITION-DIGEST.sqlite`)."""
    return sorted(int(path.stem.rsplit("-", 2)[1]) for path in folder.glob("views-*.sqlite"))


def a_donation_a_day(ledger: Ledger, days: int) -> UUID:
    """A fund opened on 1 May 2024 (events 1 and 2) and a donation on each day after (3 on)."""
    with at(date(2024, 5, 1)):
        fund = open_fund(ledger, register(ledger), opened_on=date(2024, 5, 1))
    for day in range(1, days + 1):
        with at(date(2024, 5, day)):
            donate(ledger, fund, str(day), received_on=date(2024, 5, day))
    return fund


def test_a_day_built_from_a_snapshot_is_the_day_replayed_from_the_start(
    ledger: Ledger, views: ViewDB, tmp_path: Path
) -> None:
    signing(ledger, views)
    with at(date(2024, 5, 1)):
        fund = open_fund(ledger, register(ledger), opened_on=date(2024, 5, 1))
    for day in range(1, 11):  # a donation a day, 1 to 10 May (events 3 to 12)
        with at(date(2024, 5, day)):
            donate(ledger, fund, str(day), received_on=date(2024, 5, day))
    late = AsOfViews(ledger, all_views(), views, snapshots=tmp_path, snapshot_every=4)
    assert late.views_at(date(2024, 5, 10)).position == 12
    assert late.replayed == 12
    assert len(list(tmp_path.glob("views-*-*.sqlite"))) == 3  # at 4, 8 and 12
    late.close()
    # A server started later: 7 May (position 9) starts from the snapshot at 8, 3 May (5) from 4.
    fresh = AsOfViews(ledger, all_views(), views, snapshots=tmp_path, snapshot_every=4)
    plain = AsOfViews(ledger, all_views(), views)
    for day, position, replayed in ((7, 9, 1), (3, 5, 1), (10, 12, 0)):
        before = fresh.replayed
        shown = fresh.views_at(date(2024, 5, day))
        assert shown.position == position
        assert fresh.replayed - before == replayed
        assert every_row(shown.db) == every_row(plain.views_at(date(2024, 5, day)).db)
    fresh.close()
    plain.close()


def test_a_snapshot_of_another_version_of_a_view_is_never_started_from(
    ledger: Ledger, views: ViewDB, tmp_path: Path
) -> None:
    signing(ledger, views)
    with at(date(2024, 5, 1)):
        fund = open_fund(ledger, register(ledger), opened_on=date(2024, 5, 1))
        donate(ledger, fund, "1", received_on=date(2024, 5, 1))
        donate(ledger, fund, "2", received_on=date(2024, 5, 1))

    class Counting(View):
        name = "counting"
        tables = ()
        ddl = ()

    class Recounting(Counting):
        version = 2  # what its handlers write has changed

    for view, replayed in ((Counting(), 4), (Counting(), 0), (Recounting(), 4)):
        past = AsOfViews(ledger, [view], views, snapshots=tmp_path, snapshot_every=2)
        assert past.views_at(date(2024, 5, 1)).position == 4
        assert past.replayed == replayed
        past.close()


def test_the_snapshots_up_to_the_head_are_written_before_any_day_is_asked_for(
    ledger: Ledger, views: ViewDB, tmp_path: Path
) -> None:
    signing(ledger, views)
    with at(date(2024, 5, 1)):
        fund = open_fund(ledger, register(ledger), opened_on=date(2024, 5, 1))
    for day in range(1, 10):  # events 3 to 11
        with at(date(2024, 5, day)):
            donate(ledger, fund, str(day), received_on=date(2024, 5, day))
    folder = tmp_path / "as_of"
    past = AsOfViews(ledger, all_views(), views, snapshots=folder, snapshot_every=4)
    past.keep_snapshots()
    assert past.replayed == 8
    assert kept_at(folder) == [4, 8]
    assert past.views_at(date(2024, 5, 9)).position == 11
    assert past.replayed == 8 + 3
    past.keep_snapshots()  # nothing left to write
    assert past.replayed == 11
    past.close()


def test_the_snapshots_stay_few_as_the_log_grows_the_spacing_doubling(
    ledger: Ledger, views: ViewDB, tmp_path: Path
) -> None:
    signing(ledger, views)
    fund = a_donation_a_day(ledger, 6)  # events 1 to 8
    folder = tmp_path / "as_of"
    past = AsOfViews(
        ledger, all_views(), views, snapshots=folder, snapshot_every=2, max_snapshots=3
    )
    past.keep_snapshots()
    assert past.spacing() == 4  # 8 events at 2 apart would be 4 snapshots
    assert kept_at(folder) == [4, 8]
    with at(date(2024, 5, 20)):
        for yuan in ("7", "8", "9", "10"):  # events 9 to 12
            donate(ledger, fund, yuan, received_on=date(2024, 5, 20))
    past.keep_snapshots()
    assert kept_at(folder) == [4, 8, 12]
    plain = AsOfViews(ledger, all_views(), views)
    for day in (3, 6, 20):
        assert every_row(past.views_at(date(2024, 5, day)).db) == every_row(
            plain.views_at(date(2024, 5, day)).db
        )
    past.close()
    plain.close()


def test_snapshots_another_ledger_left_in_the_folder_are_never_started_from(
    ledger: Ledger, views: ViewDB, tmp_path: Path
) -> None:
    """The same story recorded into another ledger: same positions, same view versions, other
    events. Its snapshots must not stand in for this ledger's views."""
    folder = tmp_path / "as_of"
    other_db = Database("sqlite", sqlite_path=str(tmp_path / "other.sqlite"))
    other_db.prepare()
    other_vault = other_db.open_vault(os.urandom(32))
    other = Ledger(env=other_db.eventsourcing_env(), vault=other_vault)
    other_views = other_db.open_views()
    try:
        signing(other, other_views)
        theirs = a_donation_a_day(other, 6)
        with at(date(2024, 5, 6)):
            donate(other, theirs, "1000", received_on=date(2024, 5, 6))
        left = AsOfViews(other, all_views(), other_views, snapshots=folder, snapshot_every=4)
        left.keep_snapshots()
        left.close()
        assert kept_at(folder) == [4, 8]
    finally:
        other_views.close()
        other.close()
        other_vault.close()

    signing(ledger, views)
    a_donation_a_day(ledger, 7)
    mine = AsOfViews(ledger, all_views(), views, snapshots=folder, snapshot_every=4)
    shown = mine.views_at(date(2024, 5, 6))
    assert shown.position == 8
    assert mine.replayed == 8  # from the start: nothing of the other ledger's was used
    plain = AsOfViews(ledger, all_views(), views)
    assert every_row(shown.db) == every_row(plain.views_at(date(2024, 5, 6)).db)
    mine.close()
    plain.close()
    assert kept_at(folder) == [4, 8]  # this ledger's own now: the other's were pruned
