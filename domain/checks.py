"""Small `check_*` helpers that validate plain values at the edge of every command.

Each raises an `InvalidInput` subclass whose message names the field and the rule; a command whose
values pass them may still be refused by an aggregate's own rules.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any
from uuid import UUID

from domain.errors import InvalidChoice, InvalidDate, InvalidId, InvalidText

MAX_TEXT = 2000
LINE_BREAKS = "\n\r"
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
FILLERS = frozenset("\u115f\u1160\u3164\uffa0")


def check_choice(value: str, allowed: Any, *, field: str) -> str:
    """`allowed` is any container of the permitted codes (a tuple or a mapping of code → label)."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidChoice(
            f"{field} must be one of {', '.join(allowed)}, got {value!r}", field=field
        )
    return value


def check_text(
    value: str, *, field: str, max_length: int = MAX_TEXT, multiline: bool = False
) -> str:
    """The one gate of every free text a command carries: the text as it must be stored, in NFC.

    Refused, each as `InvalidText` naming the field and the rule (never the text, which may hold a
    person's data or a character no encoder can write): lone surrogates, control characters (line
    breaks only where the field is `multiline`), bidirectional controls, a text made only of
    invisible characters, and more than `max_length` characters once normalised."""
    if not isinstance(value, str):
        raise InvalidText(f"{field}: must be a text", field=field)
    # A lone surrogate (a JSON "\\ud800" escape) cannot be encoded as UTF-8, so no store can hold it.
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise InvalidText(
            f"{field}: must not contain a lone surrogate (U+D800–U+DFFF)", field=field
        )
    text = unicodedata.normalize("NFC", value)
    allowed = LINE_BREAKS if multiline else ""
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in text):
        rule = "control characters other than line breaks" if multiline else "control characters"
        raise InvalidText(f"{field}: must not contain {rule} (NUL, tab...)", field=field)
    if any(c in BIDI_CONTROLS for c in text):
        raise InvalidText(
            f"{field}: must not contain bidirectional control characters (U+202A–U+202E, "
            "U+2066–U+2069, U+200E, U+200F, U+061C)",
            field=field,
        )
    if all(_invisible(c) for c in text):
        raise InvalidText(f"{field}: must contain a visible character", field=field)
    if len(text) > max_length:
        raise InvalidText(
            f"{field}: must be at most {max_length} characters, got {len(text)}", field=field
        )
    return text


def _invisible(c: str) -> bool:
    # Spaces (U+3000 included), separators and format characters (zero-width space and joiners,
    # word joiner, BOM) draw nothing; nor do the Hangul fillers, which are letters by category.
    return c.isspace() or unicodedata.category(c) in INVISIBLE_CATEGORIES or c in FILLERS


def check_date(value: date, *, field: str) -> date:
    # datetime is a date subclass; a business date with a time of day is a mistake upstream.
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise InvalidDate(f"{field} must be a calendar date (YYYY-MM-DD)", field=field)
    return value


def check_uuid(value: UUID, *, field: str) -> UUID:
    if not isinstance(value, UUID):
        raise InvalidId(f"{field} must be a UUID", field=field)
    return value
