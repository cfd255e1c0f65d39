"""`history`: one row per event — position, aggregate, version, topic, recording time and the business
date the event carries (if any). The index the audit queries read; `positions_of` (an aggregate's
versions to their log positions) and `steps_of` (an aggregate's events as the public history pages
list them) are its reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
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


@dataclass(frozen=True)
class Step:
    """One event of an aggregate, as the history view indexed it."""

    position: int
    leaf_index: int  # position - 1: the entry's leaf in the transparency log
    version: int
    topic: str
    recorded_at: datetime
    business_date: date | None


def steps_of(db: ViewDB, aggregate_id: UUID, up_to: int | None = None) -> tuple[Step, ...]:
    """An aggregate's events, oldest first, as far as the view has indexed them (and, with `up_to`,
    only those at or before that log position: the history as it stood then)."""
    sql = (
        "SELECT position, version, topic, recorded_at, business_date FROM history_events"
        " WHERE aggregate_id = ?"
    )
    params: list[object] = [str(aggregate_id)]
    if up_to is not None:
        sql += " AND position <= ?"
        params.append(up_to)
    rows = db.execute(sql + " ORDER BY version", params)
    return tuple(
        Step(
            position=int(position),
            leaf_index=int(position) - 1,
            version=int(version),
            topic=str(topic),
            recorded_at=datetime.fromisoformat(str(recorded)),
            business_date=None if when is None else date.fromisoformat(str(when)),
        )
        for position, version, topic, recorded, when in rows
    )
