"""The public views as they stood at the end of a day in Shanghai, for `?as_of=YYYY-MM-DD` pages: the log
position of that moment (`position_at`), the views rebuilt to it by the same code (the `Runner`, into an
in-memory SQLite database), and the signed checkpoint of that moment (the last one over at most that
many leaves, read from the live transparency view, which is never rebuilt: it signs).

Built databases are kept by position in a small LRU cache, so the second visitor to a past date reads
it at once. One build per position, however many requests ask for it at the same time: the first
builds, the others wait for it. An evicted database is closed, but not while a `reading` holds it.

Given a `snapshots` folder, a build also keeps the views as they stood at every multiple of the
spacing it passes (a SQLite file each), and starts from the nearest one at or before its position:
the first render of a day replays at most that many events instead of the whole log up to it (a
profile at 100,000 events: the replay is decoding events and writing view rows, about 50 µs an event,
so ~2.5 s for a day mid-way). The spacing is `snapshot_every` (5,000), doubled as the log grows so that
at most `max_snapshots` (20) are kept: each is a whole copy of the views, and without a bound the
folder would grow with the square of the log. The log never changes below its head, so a snapshot
stays true for good; its name holds the views' versions and the leaf hash of the event at its
position, so a new version, or another ledger's folder, is never started from (and is pruned).
`keep_snapshots` writes those up to the head (a server runs it on a thread of its own at start), so
no visitor pays the replay from the start.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from domain.clock import SHANGHAI
from domain.dates import check_plausible
from domain.ledger import Ledger, recorded_at
from projections.runner import Runner, position_at
from projections.transparency import Checkpoint, TransparencyView, checkpoint_at_or_before
from projections.view import View
from storage.viewdb import ViewDB
from transparency.leaf import stored_leaf_hash

log = logging.getLogger("mingzhang.projections")
DEFAULT_CAPACITY = 4
DAYS_KEPT = 4096  # days whose position was found; a day's entry is a few dozen bytes
SNAPSHOT_EVERY = 5000  # positions between snapshots, at the least: the most a first render replays
MAX_SNAPSHOTS = 20  # then the spacing doubles (`AsOfViews.spacing`)
BATCH = 5000


def snapshot_spacing(head: int, every: int = SNAPSHOT_EVERY, most: int = MAX_SNAPSHOTS) -> int:
    """Positions between snapshots for a log of `head` events: `every`, doubled until at most
    `most` fit (`AsOfViews.spacing`)."""
    while head // every > most:
        every *= 2
    return every


@dataclass(frozen=True)
class AsOf:
    """The views at the end of `day` (Asia/Shanghai): `db` holds them built to `position` (0 when
    the log had nothing yet), and `checkpoint` is the last one signed at or before that position
    (None before the first)."""

    day: date
    position: int
    db: ViewDB
    checkpoint: Checkpoint | None


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in Shanghai."""
    return datetime.combine(day + timedelta(days=1), time(0), SHANGHAI) - timedelta(microseconds=1)


class _Built:
    """One position's database, built once; `users` counts the builder, waiters and readings."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.db: ViewDB | None = None
        self.error: BaseException | None = None
        self.users = 0
        self.evicted = False


class AsOfViews:
    """Past-day views of `views` (the disclosure, indicators and history views; not the transparency
    view) over `ledger`, with the checkpoints read from `checkpoints` (the live views' database)."""

    def __init__(
        self,
        ledger: Ledger,
        views: Sequence[View],
        checkpoints: ViewDB,
        *,
        capacity: int = DEFAULT_CAPACITY,
        snapshots: Path | None = None,
        snapshot_every: int = SNAPSHOT_EVERY,
        max_snapshots: int = MAX_SNAPSHOTS,
    ) -> None:
        if any(isinstance(view, TransparencyView) for view in views):
            # It would sign checkpoints of a past tree with the live key, as if they were new.
            msg = "the transparency view is never rebuilt as of a past day"
            raise ValueError(msg)
        if capacity < 1:
            msg = f"capacity must be at least 1, got {capacity}"
            raise ValueError(msg)
        self.ledger, self.views, self.checkpoints = ledger, list(views), checkpoints
        self.capacity = capacity
        self.snapshots, self.snapshot_every = snapshots, snapshot_every
        self.max_snapshots = max_snapshots
        self.replayed = 0  # events replayed by builds so far (not those a snapshot held)
        self.builds = 0  # databases built so far (the cache's misses)
        self._lock = threading.Lock()
        self._built: OrderedDict[int, _Built] = OrderedDict()
        self._positions: OrderedDict[date, int] = OrderedDict()

    def position_on(self, day: date) -> int:
        """The log position at the end of `day` in Shanghai; a day after today is refused
        (`InvalidDate`, naming `as_of`).

        A day's position found before is kept (a few thousand days at most) and checked with one
        read instead of a search: it still holds while the event after it, if any, was recorded
        after that day (recording times follow positions, so nothing can come between)."""
        check_plausible(day, field="as_of", today=self.ledger.today())
        moment = end_of_day(day)
        with self._lock:
            known = self._positions.get(day)
        if known is not None and self._still_last(known, moment):
            return known
        position = position_at(self.ledger, moment)
        with self._lock:
            self._positions[day] = position
            self._positions.move_to_end(day)
            while len(self._positions) > DAYS_KEPT:
                self._positions.popitem(last=False)
        return position

    def _still_last(self, position: int, moment: datetime) -> bool:
        following = self.ledger.recorder.select_notifications(position + 1, 1)
        if not following:
            return True
        return recorded_at(self.ledger.mapper.to_domain_event(following[0])) > moment

    def views_at(self, day: date) -> AsOf:
        """The views at the end of `day`. Its database stays open until the cache evicts it: a
        reader on a thread of its own (a web server's) reads inside `reading` instead."""
        found, built = self._take(day)
        self._give_back(built)
        return found

    @contextmanager
    def reading(self, day: date) -> Iterator[AsOf]:
        """The views at the end of `day`, kept open until the block ends, whatever is evicted."""
        found, built = self._take(day)
        try:
            yield found
        finally:
            self._give_back(built)

    def keep_snapshots(self) -> None:
        """Write the snapshots up to the log's head, from the last one kept (none without a
        folder). A failure is logged, not raised: a build without them replays further, that is all."""
        if self.snapshots is None:
            return
        head = self.ledger.head()
        try:
            every = self.spacing()
            last = head - head % every
            if last and not self._snapshot(last).exists():
                self._replay(last).close()
            elif last:
                self._prune(every)
        except Exception as error:  # e.g. the ledger closed under it at shutdown
            log.warning("as-of snapshots stopped: %s", type(error).__name__)

    def close(self) -> None:
        """Close every database kept (those still being read close when their reading ends)."""
        with self._lock:
            entries = list(self._built.values())
            self._built.clear()
            for entry in entries:
                entry.evicted = True
        for entry in entries:
            self._close_if_unused(entry)

    # --- the cache -------------------------------------------------------------------------------

    def _take(self, day: date) -> tuple[AsOf, _Built]:
        position = self.position_on(day)
        checkpoint = checkpoint_at_or_before(self.checkpoints, position)
        with self._lock:
            built = self._built.get(position)
            builder = built is None
            if built is None:
                built = self._built[position] = _Built()
                evicted = self._evict()
            else:
                self._built.move_to_end(position)
                evicted = []
            built.users += 1
        for old in evicted:
            self._close_if_unused(old)
        if builder:
            self._build(position, built)
        built.ready.wait()
        if built.error is not None:
            self._give_back(built)
            raise built.error
        assert built.db is not None
        return AsOf(day, position, built.db, checkpoint), built

    def _evict(self) -> list[_Built]:
        """Drop the least recently used beyond capacity (the caller holds the lock)."""
        evicted: list[_Built] = []
        while len(self._built) > self.capacity:
            _, old = self._built.popitem(last=False)
            old.evicted = True
            evicted.append(old)
        return evicted

    def _build(self, position: int, built: _Built) -> None:
        try:
            built.db = self._replay(position)
            with self._lock:
                self.builds += 1
        except BaseException as error:
            built.error = error
            with self._lock:  # not kept: the next request tries again
                if self._built.get(position) is built:
                    del self._built[position]
        finally:
            built.ready.set()

    def spacing(self) -> int:
        """Positions between snapshots now: `snapshot_every`, doubled until the log holds at most
        `max_snapshots` of them, so their disk stays a bounded multiple of the views' own size
        (each is a whole copy of the views: without a bound the folder grows with the square of
        the log). Every multiple of a doubled spacing is one of the spacing before it, so the
        snapshots already kept at those positions stay of use."""
        return snapshot_spacing(self.ledger.head(), self.snapshot_every, self.max_snapshots)

    def _replay(self, position: int) -> ViewDB:
        """A new in-memory database of the views at `position`: from the nearest snapshot at or
        before it (if any), keeping a snapshot at each multiple of the spacing on the way."""
        db = ViewDB.sqlite(":memory:")
        every = self.spacing()
        start = self._restore(db, position, every)
        stops = (
            []
            if self.snapshots is None
            else list(range(start - start % every + every, position + 1, every))
        )
        for stop in [*stops, position]:
            if stop > start:
                Runner(self.ledger, db, self.views, batch_size=BATCH, stop_at=stop).catch_up()
                with self._lock:
                    self.replayed += stop - start
                start = stop
            if stop in stops:
                self._keep(db, stop, every)
        if position == 0:
            Runner(self.ledger, db, self.views, stop_at=0)  # the empty views' tables
        return db

    def _snapshot(self, position: int) -> Path:
        """Where the views at `position` of this ledger are kept. The name holds the views'
        versions (a new version never starts from an old one) and the leaf hash of the event at
        `position` (a folder left by another ledger, or by this one before a restore that then
        took another course, is never started from: its event there is not this one)."""
        assert self.snapshots is not None
        versions = "-".join(
            f"{v.name}.{v.version}" for v in sorted(self.views, key=lambda v: v.name)
        )
        (event,) = self.ledger.recorder.select_notifications(position, 1, stop=position)
        digest = stored_leaf_hash(event).hex()[:16]
        return self.snapshots / f"views-{versions}-{position}-{digest}.sqlite"

    def _restore(self, db: ViewDB, position: int, every: int) -> int:
        """Copy the nearest snapshot at or before `position` into `db`; its position (0: none)."""
        if self.snapshots is None:
            return 0
        for stop in range(position - position % every, 0, -every):
            try:
                # Read-only: a snapshot another process has just pruned is not created empty.
                source = sqlite3.connect(f"file:{self._snapshot(stop)}?mode=ro", uri=True)
            except sqlite3.OperationalError:
                continue
            try:
                source.backup(db.connection)
            finally:
                source.close()
            return stop
        return 0

    def _keep(self, db: ViewDB, position: int, every: int) -> None:
        path = self._snapshot(position)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: a reader never opens half a snapshot.
            partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
            target = sqlite3.connect(partial)
            try:
                db.connection.backup(target)
            finally:
                target.close()
            partial.replace(path)
        self._prune(every)

    def _prune(self, every: int) -> None:
        """Delete the snapshots no build will start from: those between the multiples of the
        spacing, of other view versions, or of another ledger."""
        assert self.snapshots is not None
        head = self.ledger.head()
        wanted = {self._snapshot(stop) for stop in range(every, head + 1, every)}
        for path in self.snapshots.glob("views-*.sqlite"):
            if path not in wanted:
                path.unlink(missing_ok=True)

    def _give_back(self, built: _Built) -> None:
        with self._lock:
            built.users -= 1
        self._close_if_unused(built)

    def _close_if_unused(self, built: _Built) -> None:
        with self._lock:
            closing = built.evicted and built.users == 0 and built.db is not None
            db, built.db = (built.db, None) if closing else (None, built.db)
        if db is not None:
            db.close()
