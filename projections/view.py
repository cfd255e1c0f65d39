"""What a view is: tables, and one handler per event topic it cares about.

A view is a pure function of the event log: its rows are made only by its handlers from events, in
position order, so it can be dropped and rebuilt at any time, or built as of a past position.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from storage.viewdb import ViewDB

Handler = Callable[[Any, ViewDB, int, Any], None]


class ViewRefusal(RuntimeError):
    """A view refusing, on purpose, to go on. Its message is the view's own words (sizes, levels,
    indices; never event content), so `/health` may show it, where for any other error it shows only
    the class: a database error's text can quote the row it refused."""


class View:
    """Subclasses set `name`, `tables` (their names), `ddl` (statements that create tables and indexes)
    and `handlers` (topic → method taking db, position, event). Topics without a handler are skipped."""

    name: ClassVar[str]
    tables: ClassVar[tuple[str, ...]]
    ddl: ClassVar[tuple[str, ...]]
    handlers: ClassVar[dict[str, Handler]] = {}
    # Raise it when the tables or what the handlers write change: the runner then rebuilds the view.
    version: ClassVar[int] = 1
    # A view that hashes what is stored (the transparency log) gets stored notifications, not events.
    wants_notifications: ClassVar[bool] = False

    def create(self, db: ViewDB) -> None:
        for statement in self.ddl:
            db.execute(statement)

    def drop(self, db: ViewDB) -> None:
        for table in self.tables:
            db.execute(f"DROP TABLE IF EXISTS {table}")

    def apply(self, db: ViewDB, position: int, event: Any) -> None:
        handler = self.handlers.get(type(event).TOPIC)
        if handler is not None:
            handler(self, db, position, event)

    def apply_batch(self, db: ViewDB, events: Sequence[tuple[int, Any]]) -> None:
        """Apply a batch in position order (inside the batch's transaction). A view may override
        this to write a batch's rows at once."""
        for position, event in events:
            self.apply(db, position, event)


def handles(*topics: str) -> Callable[[Handler], Handler]:
    """Mark a method as the handler of these topics (collected by `collect_handlers`)."""

    def mark(method: Handler) -> Handler:
        method.topics = topics  # type: ignore[attr-defined]
        return method

    return mark


def collect_handlers(cls: type[View]) -> type[View]:
    """Class decorator: build `handlers` from the methods marked with `@handles`."""
    cls.handlers = {
        topic: method for method in vars(cls).values() for topic in getattr(method, "topics", ())
    }
    return cls
