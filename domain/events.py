"""What every aggregate and event of the ledger shares: the event base that declares `actor`, and
the aggregate base.

Each aggregate declares its events as nested classes of `LedgerEvent` with typed fields and an
explicit `TOPIC`, and applies each in one method decorated `@event(ThatClass)`, whose parameters are
the event's fields in the same order (the order is the stored order of the keys). `actor` is the one
field every event has and no command gives: the ledger writes it when it saves the events
(`Ledger._stamp`), so it is set after the event is made and is stored last, as it always was.
"""

from __future__ import annotations

from dataclasses import field
from typing import ClassVar

from eventsourcing.domain import Aggregate


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


class LedgerAggregate(Aggregate):
    """Base of every aggregate of the ledger: its events are `LedgerEvent`s."""

    Event = LedgerEvent

    class Created(LedgerEvent, Aggregate.Created):
        """Base of the creation events; each aggregate's `Created` derives from it."""
