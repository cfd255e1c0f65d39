"""`LedgerAggregate`: the base of every Mingzhang aggregate, and the idempotency rule they all share.

Every command names its own id, and every aggregate keeps a journal: the record each command produced,
keyed by that id. A command that arrives again with the same id and the same content finds its record and
returns it without a new event; the same id with different content is a `DuplicateCommandError`. Record
fields the command does not choose (an amount derived from state, say) are declared `compare=False`, so
they do not make an honest repeat look different.

The small `check_*` helpers below validate plain values at the edge of every command.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import DuplicateCommandError, InvalidChoice, InvalidText

R = TypeVar("R")

MAX_TEXT = 2000


class LedgerAggregate(Aggregate):
    if TYPE_CHECKING:
        # Set by each aggregate's creation event. Not a class annotation at run time, because
        # eventsourcing would take it for a constructor argument.
        journal: dict[str, Any]

    def repeat_of(self, command_id: UUID, record: R) -> R | None:
        """The earlier record of this very command, or None when the id is new here."""
        existing = self.journal.get(str(command_id))
        if existing is None:
            return None
        if existing != record:
            raise DuplicateCommandError(
                f"id {command_id} was already used on this {type(self).__name__} "
                f"for a different {type(existing).__name__}; choose a new id",
                field="id",
            )
        result: R = existing
        return result


def check_choice(value: str, allowed: Any, *, field: str) -> str:
    """`allowed` is any container of the permitted codes (a tuple or a mapping of code → label)."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidChoice(
            f"{field} must be one of {', '.join(allowed)}, got {value!r}", field=field
        )
    return value


def check_text(value: str, *, field: str, max_length: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidText(f"{field} must be a non-empty text", field=field)
    if len(value) > max_length:
        raise InvalidText(
            f"{field} must be at most {max_length} characters, got {len(value)}", field=field
        )
    return value


def check_date(value: date, *, field: str) -> date:
    # datetime is a date subclass; a business date with a time of day is a mistake upstream.
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise InvalidText(f"{field} must be a calendar date (YYYY-MM-DD)", field=field)
    return value


def check_uuid(value: UUID, *, field: str) -> UUID:
    if not isinstance(value, UUID):
        raise InvalidText(f"{field} must be a UUID", field=field)
    return value
