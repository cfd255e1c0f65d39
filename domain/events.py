"""What every aggregate and event of the ledger shares: the event base that declares `actor`, the
aggregate base, and the snapshot class with its stored name.

Each aggregate declares its events as nested classes of `LedgerEvent` with typed fields and an
explicit `TOPIC`, and applies each in one method decorated `@event(ThatClass)`, whose parameters are
the event's fields in the same order (the order is the stored order of the keys). `actor` is the one
field every event has and no command gives: the ledger writes it when it saves the events
(`Ledger._stamp`), so it is set after the event is made and is stored last, as it always was. Every
event, and every snapshot, takes its recording time from `domain.clock.recording_time` (the library's
now, unless an in-process tool records at a clock of its own: `recording_at`).
"""

from __future__ import annotations

from dataclasses import field
from datetime import datetime
from typing import ClassVar

from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.utils import register_topic

from domain.clock import recording_time


class LedgerEvent(Aggregate.Event):
    """Base of every event the ledger records."""

    # Each event class declares the name it is stored under, e.g. "mingzhang/Fund.DonationReceived".
    TOPIC: ClassVar[str]

    # The id of the API key whose request caused the event; None for the operator's own tools.
    # Not an argument of the event: it stays out of `vars(event)` until the ledger stamps it, so
    # the stored state keeps its keys in their old order, and an event never stamped reads None.
    actor: str | None = field(default=None, init=False)

    def record_actor(self, actor: str | None) -> None:
        """Say who caused this event; the ledger does this once, just before saving it."""
        # Events are frozen dataclasses; the actor is known only when the ledger saves.
        object.__setattr__(self, "actor", actor)

    @staticmethod
    def create_timestamp() -> datetime:
        """The recording time of an event made now (the library asks every event class for it)."""
        return recording_time()


class LedgerSnapshot(Snapshot):
    """A snapshot of an aggregate's state, stored under the name the library gave its snapshot class
    when the first snapshots were written; declared here, so it stays the same whatever the library
    does with its own class. Inside, the aggregate is named by its `TOPIC` and the records it holds
    by their `STORED_AS`; its attribute names are stored as they are (renaming one needs an upcast)."""

    TOPIC = "eventsourcing.domain:Snapshot"

    @staticmethod
    def create_timestamp() -> datetime:
        """A snapshot taken now is dated by the same clock as the events it follows."""
        return recording_time()


# Registered on import, so the stored name always resolves to this class. The library's own
# `Snapshot` then cannot be written in the same process (its name is taken): an aggregate that is
# not a LedgerAggregate but is snapshotted beside the ledger uses LedgerSnapshot too.
register_topic(LedgerSnapshot.TOPIC, LedgerSnapshot)


class LedgerAggregate(Aggregate):
    """Base of every aggregate of the ledger: its events are `LedgerEvent`s, its snapshots
    `LedgerSnapshot`s."""

    Event = LedgerEvent

    class Created(LedgerEvent, Aggregate.Created):
        """Base of the creation events; each aggregate's `Created` derives from it."""

    Snapshot = LedgerSnapshot
