"""`history`: one row per event — position, aggregate, version, topic, recording time and the business
date the event carries (if any). The index the audit queries read; `positions_of` is its read (an
aggregate's versions to their log positions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar
from uuid import UUID

from domain.events import LedgerEvent
from projections.view import Handler, View
from storage.viewdb import ViewDB


def business_date(event: LedgerEvent) -> date | None:
    """The event's own date (received_on, paid_on, …): its first date-valued `…_on` field."""
    for name, value in vars(event).items():
        if name.endswith("_on") and isinstance(value, date):
            return value
    return None


class HistoryView(View):
    name = "history"
    tables = ("history_events",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS history_events ("
        " position BIGINT PRIMARY KEY, aggregate_id TEXT NOT NULL, version BIGINT NOT NULL,"
        " topic TEXT NOT NULL, recorded_at TEXT NOT NULL, business_date TEXT)",
        "CREATE INDEX IF NOT EXISTS history_by_aggregate ON history_events (aggregate_id, version)",
    )
    handlers: ClassVar[dict[str, Handler]] = {}

    def apply(self, db: ViewDB, position: int, event: LedgerEvent) -> None:
        self.apply_batch(db, [(position, event)])

    def apply_batch(self, db: ViewDB, events: Sequence[tuple[int, LedgerEvent]]) -> None:
        # Every event is indexed, whatever its topic; a batch's rows go in one statement.
        db.execute_many(
            "INSERT INTO history_events VALUES (?, ?, ?, ?, ?, ?)", [row(p, e) for p, e in events]
        )


def row(position: int, event: LedgerEvent) -> tuple[object, ...]:
    when = business_date(event)
    return (
        position,
        str(event.originator_id),
        event.originator_version,
        type(event).TOPIC,
        event.timestamp.isoformat(),
        None if when is None else when.isoformat(),
    )


def positions_of(db: ViewDB, aggregate_id: UUID) -> dict[int, int]:
    """An aggregate's versions → their log positions, as far as the view has indexed them."""
    rows = db.execute(
        "SELECT version, position FROM history_events WHERE aggregate_id = ?", (str(aggregate_id),)
    )
    return {int(version): int(position) for version, position in rows}
