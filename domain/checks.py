"""Small `check_*` helpers that validate plain values at the edge of every command.

Each raises an `InvalidInput` subclass whose message names the field and the rule; a command whose
values pass them may still be refused by an aggregate's own rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.errors import InvalidChoice, InvalidDate, InvalidId, InvalidText

MAX_TEXT = 2000


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
        raise InvalidDate(f"{field} must be a calendar date (YYYY-MM-DD)", field=field)
    return value


def check_uuid(value: UUID, *, field: str) -> UUID:
    if not isinstance(value, UUID):
        raise InvalidId(f"{field} must be a UUID", field=field)
    return value
