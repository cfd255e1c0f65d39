"""The port through which the ledger remembers every command it has applied, by the command's own id.

Idempotency needs, for any command id ever used, the record that command produced; reversals need the
record of the donation or transfer they undo. Keeping those records inside aggregates would make every
snapshot, and so every load, grow with the aggregate's history. Instead each saved command writes one
row (command id → aggregate id, encoded record) in the *same transaction* as its events, through the
event store's recorder, so the row exists exactly when the events do. The rows are derivable from the
events (each event carries its command id and fields) and so add nothing the public log lacks.

`storage.ledger_store` implements this port for memory, SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable
from uuid import UUID


@dataclass(frozen=True)
class CommandRow:
    command_id: UUID
    aggregate_id: UUID  # the aggregate the command was addressed to (a transfer's source fund)
    record: bytes  # the command's record, encoded by the ledger's transcoder


@runtime_checkable
class CommandIndex(Protocol):
    """What the ledger's recorder must offer besides storing events."""

    def select_command(self, command_id: UUID) -> CommandRow | None:
        """The row written with the command's events, or None if no such command was applied."""
        ...

    def position_of(self, originator_id: UUID, originator_version: int) -> int | None:
        """The log position (notification id) of one stored event, found by its primary key; None
        if there is no such event. A repeat answers with the position its first write had."""
        ...

    def select_commands_by_id(self, command_ids: Sequence[UUID]) -> dict[UUID, CommandRow]:
        """The rows of these command ids (at most 500 per call), by id; an id without one is left
        out. One query for many lookups, for checking the index against the events."""
        ...

    def select_commands(self, after: UUID | None, limit: int) -> list[CommandRow]:
        """Up to `limit` rows in command-id order (the order of the id's 16 bytes), starting after
        `after` (from the first when None): a page of the whole index, for checking it against
        the events."""
        ...
