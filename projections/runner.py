"""The runner: follows the log by position and keeps each view exactly once up to date.

For each view and each batch, the view's rows and its tracking position are written in one transaction:
a crash, a kill or a second runner can neither apply an event twice nor skip one. Views run
independently: a handler that raises stops only its own view, and the others go on. A batch that fails
is applied again one event per transaction, so the view keeps every event before the one it cannot
apply and stops exactly there (its tracking position is the event before); the error's class is kept
with it (never its text, which a database fills with the failing row, so with event content) and
shown by `/health` and `mingzhang verify`, while the log gets the whole message; a view that stops on
purpose (a `ViewRefusal`: the transparency view refusing to sign) also keeps its reason, in its own
words, which hold no event content. After a fix, `retry` (or a new runner) resumes from the position
the view last committed. An event a view does not know is skipped, and its position still advances.
A `read_only` runner (an API process on a hot standby) only reads: the positions, the status and
`wait_for`, over views the primary's runner writes and replication brings.
A database that cannot be reached (storage/outage.py: PostgreSQL restarting) stops no view: the batch
fails whole, the runner in the background waits (up to `OUTAGE_PAUSE_MAX` seconds, doubling) and tries
again from the positions committed, so `mingzhang project` rides out a restart instead of exiting.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.ledger import Ledger, recorded_at
from projections.view import View, ViewRefusal
from storage.outage import is_outage
from storage.viewdb import ViewDB

log = logging.getLogger("mingzhang.projections")

TRACKING_DDL = (
    "CREATE TABLE IF NOT EXISTS view_tracking ("
    " view TEXT PRIMARY KEY, position BIGINT NOT NULL, error TEXT)"
)
# A view's `version` as last built. Kept apart from view_tracking so older databases need no migration;
# a tracked view with no row here was built before versions existed, as version 1.
VERSIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS view_versions (view TEXT PRIMARY KEY, version INTEGER NOT NULL)"
)
# Why a view stopped, in the view's own words, when it stopped on purpose (a `ViewRefusal`). A table of
# its own for the same reason: older databases need no migration.
REASONS_DDL = (
    "CREATE TABLE IF NOT EXISTS view_stop_reasons (view TEXT PRIMARY KEY, reason TEXT NOT NULL)"
)
DEFAULT_BATCH = 500
OUTAGE_PAUSE_MAX = 5.0  # seconds between tries while the database cannot be reached


class PositionBeyondHead(ValueError):
    """A reader asked to wait for a position the log has not reached."""


class ViewStopped(RuntimeError):
    """A view stopped on an event it cannot apply (raised by a rebuild, which must not look done)."""

    def __init__(self, view: str, position: int, error: str) -> None:
        super().__init__(f"view {view} stopped at position {position}: {error}")
        self.view, self.position, self.error = view, position, error


@dataclass(frozen=True)
class ViewStatus:
    view: str
    position: int
    head: int
    error: str | None
    reason: str | None = None  # the view's own words, when it stopped on purpose

    @property
    def lag(self) -> int:
        return self.head - self.position

    @property
    def stopped_at(self) -> int | None:
        """The position of the event the view could not apply (positions have no gaps, and a view
        stops on the event after the last one it committed); None while it runs."""
        return None if self.error is None else self.position + 1


class Runner:
    def __init__(
        self,
        ledger: Ledger,
        db: ViewDB,
        views: Sequence[View],
        *,
        batch_size: int = DEFAULT_BATCH,
        stop_at: int | None = None,
        read_only: bool = False,
    ) -> None:
        self.ledger = ledger
        self.read_only = read_only
        self.stop_at = stop_at  # build no further than this position (views as of a past moment)
        self.db = db
        self.views = {view.name: view for view in views}
        self.batch_size = batch_size
        self.failed: dict[str, str] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if read_only:  # the primary created the tables; a hot standby refuses DDL
            return
        with db.transaction():
            db.execute(TRACKING_DDL)
            db.execute(VERSIONS_DDL)
            db.execute(REASONS_DDL)
            for view in views:
                self._prepare(db, view)

    def _prepare(self, db: ViewDB, view: View) -> None:
        """Create the view's tables; if they were built by another version of the view, drop them
        and start it again from position 0, since its rows no longer mean what its handlers write."""
        tracked = db.execute("SELECT 1 FROM view_tracking WHERE view = ?", (view.name,))
        built = db.execute("SELECT version FROM view_versions WHERE view = ?", (view.name,))
        version = int(built[0][0]) if built else 1
        if tracked and version != view.version:
            log.warning(
                "view %s was built by version %s; rebuilding it as version %s",
                view.name,
                version,
                view.version,
            )
            view.drop(db)
            db.execute(
                "UPDATE view_tracking SET position = 0, error = NULL WHERE view = ?", (view.name,)
            )
        view.create(db)
        if not tracked:
            db.execute("INSERT INTO view_tracking VALUES (?, 0, NULL)", (view.name,))
        if built:
            db.execute(
                "UPDATE view_versions SET version = ? WHERE view = ?", (view.version, view.name)
            )
        else:
            db.execute("INSERT INTO view_versions VALUES (?, ?)", (view.name, view.version))

    # --- following the log -----------------------------------------------------------------------

    def run_once(self) -> int:
        """One batch for every view that is not stopped; returns how many events were applied.

        The batch is read and decoded once, from the least advanced view's position, and then
        applied to each view in a transaction of its own."""
        running = [view for name, view in self.views.items() if name not in self.failed]
        if not running:
            return 0
        start = min(self.position(view.name) for view in running)
        notifications = self.ledger.recorder.select_notifications(
            start + 1, self.batch_size, stop=self.stop_at
        )
        stored = [(n.id, n) for n in notifications]
        decoded = (
            self._decode(notifications) if any(not v.wants_notifications for v in running) else []
        )
        return sum(self._advance(v, stored if v.wants_notifications else decoded) for v in running)

    def _decode(self, notifications: Sequence[Any]) -> list[tuple[int, Any]]:
        return [(n.id, self.ledger.mapper.to_domain_event(n)) for n in notifications]

    def catch_up(self) -> None:
        while self.run_once():
            pass

    def _advance(self, view: View, events: Sequence[tuple[int, Any]]) -> int:
        try:
            return self._apply(view, events)
        except Exception as error:
            if is_outage(error):  # not the event's fault: the batch is tried again later
                raise
            if len(events) == 1:
                self._stop_view(view, error)
                return 0
        # Again one event per transaction: the view keeps what it can apply and stops exactly on
        # the event it cannot (if each goes through alone, the batch's failure was passing).
        applied = 0
        for one in events:
            try:
                applied += self._apply(view, [one])
            except Exception as error:
                if is_outage(error):
                    raise
                self._stop_view(view, error)
                break
        return applied

    def _apply(self, view: View, events: Sequence[tuple[int, Any]]) -> int:
        with self.db.transaction() as db:
            position = db.lock_tracking(view.name)  # another runner may have moved it
            todo = [(p, e) for p, e in events if p > position]
            view.apply_batch(db, todo)
            if todo:
                self._commit_position(db, view.name, todo[-1][0])
            return len(todo)

    def _stop_view(self, view: View, error: Exception) -> None:
        """The view stops alone. Only the error's class is kept where `/health` shows it: the text of
        a database error can quote the row it refused, so event content; the log gets all of it. A
        `ViewRefusal`'s text is the view's own words, so it is kept too, as the reason."""
        self.failed[view.name] = type(error).__name__
        position = self.position(view.name)
        log.error(
            "view %s stopped at position %d (the event after %d): %s: %s",
            view.name,
            position + 1,
            position,
            type(error).__name__,
            error,
        )
        with self.db.transaction() as db:
            db.execute(
                "UPDATE view_tracking SET error = ? WHERE view = ?",
                (self.failed[view.name], view.name),
            )
            db.execute("DELETE FROM view_stop_reasons WHERE view = ?", (view.name,))
            if isinstance(error, ViewRefusal):
                db.execute("INSERT INTO view_stop_reasons VALUES (?, ?)", (view.name, str(error)))

    def _commit_position(self, db: ViewDB, view: str, position: int) -> None:
        db.execute(
            "UPDATE view_tracking SET position = ?, error = NULL WHERE view = ?", (position, view)
        )

    def _advance_alone(self, view: View) -> int:
        notifications = self.ledger.recorder.select_notifications(
            self.position(view.name) + 1, self.batch_size, stop=self.stop_at
        )
        if view.wants_notifications:
            return self._advance(view, [(n.id, n) for n in notifications])
        return self._advance(view, self._decode(notifications))

    def retry(self, view: str) -> None:
        """Resume a stopped view (after its handler was fixed) from its last committed position."""
        self.failed.pop(view, None)

    # --- reading positions -----------------------------------------------------------------------

    def position(self, view: str) -> int:
        rows = self.db.execute("SELECT position FROM view_tracking WHERE view = ?", (view,))
        return int(rows[0][0])

    def status(self, head: int | None = None) -> list[ViewStatus]:
        """Each view's position and error against the log's `head` (read here unless given). Two
        queries while every view runs, a third only when one has stopped (`/health` asks this on
        every probe)."""
        head = self.ledger.head() if head is None else head
        rows = self.db.execute("SELECT view, position, error FROM view_tracking ORDER BY view")
        reasons = stop_reasons(self.db) if any(error is not None for _, _, error in rows) else {}
        return [
            ViewStatus(name, int(position), head, error_class(error), reasons.get(name))
            for name, position, error in rows
            if name in self.views
        ]

    def wait_for(self, view: str, position: int, *, timeout: float = 5.0) -> bool:
        """Read-your-writes: wait (bounded) until `view` has reached `position`. On a read-only
        replica the log itself may still be behind the primary that answered the write, so a
        position beyond its head is waited for like any other."""
        if not self.read_only and position > self.ledger.head():
            msg = f"after: position {position} is beyond the log's head {self.ledger.head()}"
            raise PositionBeyondHead(msg)
        deadline = time.monotonic() + timeout
        while self.position(view) < position:
            if view in self.failed or time.monotonic() > deadline:
                return False
            if self._thread is None and not self.read_only:
                self.run_once()
            else:
                time.sleep(0.01)
        return True

    # --- in the background -----------------------------------------------------------------------

    def start(self, *, interval: float = 0.2) -> None:
        if self.read_only:
            msg = "a read-only runner applies nothing; the primary's projector keeps the views"
            raise RuntimeError(msg)

        def follow() -> None:
            pause = interval
            while not self._stop.is_set():
                try:
                    applied = self.run_once()
                except Exception as error:
                    if not is_outage(error):
                        raise
                    log.warning(
                        "projections: the database cannot be reached (%s); trying again in %.1f s",
                        type(error).__name__,
                        pause,
                    )
                    self._stop.wait(pause)
                    pause = min(pause * 2, OUTAGE_PAUSE_MAX)
                    continue
                if pause != interval:
                    log.warning("projections: the database is back; following the log again")
                    pause = interval
                if not applied:
                    self._stop.wait(interval)

        self._stop.clear()  # a runner stopped before may be started again
        self._thread = threading.Thread(target=follow, name="mingzhang-projections", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Block until the background thread ends (after `stop`, say from a signal handler)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    # --- rebuilding ------------------------------------------------------------------------------

    def rebuild_with_progress(self, view: str, report: Callable[[str], None]) -> int:
        """Rebuild one view from position 0, reporting events per second and the time left; raises
        `ViewStopped` if the view stops on the way."""
        self.rebuild(view)
        head, done, started = self.ledger.head(), 0, time.monotonic()
        while view not in self.failed and (applied := self._advance_alone(self.views[view])):
            done += applied
            rate = done / max(time.monotonic() - started, 1e-9)
            left = (head - done) / rate if rate else 0.0
            report(f"{view}: {done}/{head} events, {rate:,.0f} events/s, ETA {left:.0f}s")
        if view in self.failed:
            raise ViewStopped(view, self.position(view) + 1, self.failed[view])
        return done

    def rebuild(self, view: str) -> None:
        """Drop the view's tables and start it again from position 0."""
        target = self.views[view]
        with self.db.transaction() as db:
            target.drop(db)
            target.create(db)
            db.execute(
                "UPDATE view_tracking SET position = 0, error = NULL WHERE view = ?", (view,)
            )
        self.failed.pop(view, None)


def stopped_views(db: ViewDB) -> list[tuple[str, int, str]]:
    """The views that have stopped, as the views' database holds them (whichever process ran them):
    each view's name, the position of the event it could not apply, and the error's class."""
    rows = db.execute(
        "SELECT view, position, error FROM view_tracking WHERE error IS NOT NULL ORDER BY view"
    )
    return [
        (str(view), int(position) + 1, str(error_class(error))) for view, position, error in rows
    ]


def stop_reasons(db: ViewDB) -> dict[str, str]:
    """Why each stopped view stopped, for those that said so in their own words (`ViewRefusal`)."""
    try:
        rows = db.execute(
            "SELECT r.view, r.reason FROM view_stop_reasons r"
            " JOIN view_tracking t ON t.view = r.view WHERE t.error IS NOT NULL"
        )
    except Exception:  # views built before reasons were kept, and no runner here since: none
        return {}
    return {str(view): str(reason) for view, reason in rows}


def error_class(stored: str | None) -> str | None:
    """The error's class alone, also from a row an older release wrote as "Class: message"."""
    return None if stored is None else stored.split(":", 1)[0].strip()


def view_positions(db: ViewDB) -> dict[str, int]:
    """Each view's tracking position, as the views' database holds it."""
    return {
        str(view): int(position)
        for view, position in db.execute("SELECT view, position FROM view_tracking")
    }


def position_at(ledger: Ledger, moment: datetime) -> int:
    """The last position recorded at or before `moment` (0 if none): a binary search over the log,
    reading O(log n) events. Recording times follow positions; writers racing within milliseconds
    may invert two neighbours, which moves the boundary by at most that race."""
    low, high = 0, ledger.head()
    while low < high:
        middle = (low + high + 1) // 2
        notification = ledger.recorder.select_notifications(middle, 1)[0]
        if recorded_at(ledger.mapper.to_domain_event(notification)) <= moment:
            low = middle
        else:
            high = middle - 1
    return low


def build_as_of(
    ledger: Ledger,
    views: Sequence[View],
    *,
    position: int | None = None,
    moment: datetime | None = None,
) -> ViewDB:
    """Views as they stood at a past position or recording time, built by the same code into a fresh
    in-memory database (for auditors: "the disclosure as it stood on 2023-06-30")."""
    if (position is None) == (moment is None):
        msg = "give exactly one of position or moment"
        raise ValueError(msg)
    if moment is not None:
        position = position_at(ledger, moment)
    assert position is not None
    if position > ledger.head():
        msg = f"as_of: position {position} is beyond the log's head {ledger.head()}"
        raise PositionBeyondHead(msg)
    db = ViewDB.sqlite(":memory:")
    runner = Runner(ledger, db, views, batch_size=5000, stop_at=position)
    if position:
        runner.catch_up()
    return db
