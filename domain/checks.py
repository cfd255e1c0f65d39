"""Small `check_*` helpers that validate plain values at the edge of every command.

Each raises an `InvalidInput` subclass whose message names the field and the rule; a command whose
values pass them may still be refused by an aggregate's own rules.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any
from uuid import UUID

from domain.errors import (
    InvalidChoice,
    InvalidDate,
    InvalidId,
    InvalidText,
    PersonalDataInPublicText,
)

MAX_TEXT = 2000
LINE_BREAKS = "\n\r"
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
FILLERS = frozenset("\u115f\u1160\u3164\uffa0")

# What is evidently personal data in a public text. The patterns run over the NFKC form, so that
# full-width digits and ＠ count, and allow the spaces and hyphens people type inside numbers.
_SEP = r"[ \-]?"
ID_NUMBER = re.compile(
    rf"(?<![0-9])([1-9][0-9]{{5}}){_SEP}([0-9]{{8}}){_SEP}([0-9]{{3}})([0-9Xx])(?![0-9A-Za-z])"
)
MOBILE = re.compile(rf"(?<![0-9])(?:(?:\+|00)?86{_SEP})?1[3-9][0-9](?:{_SEP}[0-9]){{8}}(?![0-9])")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
ID_CARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(17−i) mod 11
ID_CARD_CHECK = "10X98765432"  # indexed by (Σ digit×weight) mod 11


def check_choice(value: str, allowed: Any, *, field: str) -> str:
    """`allowed` is any container of the permitted codes (a tuple or a mapping of code → label)."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidChoice(
            f"{field} must be one of {', '.join(allowed)}, got {value!r}", field=field
        )
    return value


def check_text(
    value: str,
    *,
    field: str,
    max_length: int = MAX_TEXT,
    multiline: bool = False,
    public: bool = True,
) -> str:
    """The one gate of every free text a command carries: the text as it must be stored, in NFC.

    Refused, each as `InvalidText` naming the field and the rule (never the text, which may hold a
    person's data or a character no encoder can write): lone surrogates, control characters (line
    breaks only where the field is `multiline`), bidirectional controls, a text made only of
    invisible characters, and more than `max_length` characters once normalised. A `public` text
    (every text but a person's own fields, which go to the vault) is also refused by
    `check_public_text` when it evidently holds personal data."""
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
    if public:
        check_public_text(text, field=field)
    return text


def check_public_text(text: str, *, field: str) -> str:
    """Refuses a text bound for the public log that evidently holds personal data: a valid resident
    ID number (GB 11643-1999: a birth date and the check character right), a mainland mobile number
    (with or without +86, spaces, hyphens) or an e-mail address. The message never quotes the text."""
    folded = unicodedata.normalize("NFKC", text)
    if (
        any(_is_id_number("".join(m.groups())) for m in ID_NUMBER.finditer(folded))
        or MOBILE.search(folded)
        or EMAIL.search(folded)
    ):
        raise PersonalDataInPublicText(
            f"{field}: must not hold personal data (an ID number, a mobile number or an e-mail "
            "address); it is published: a person's data belongs in the person fields",
            field=field,
        )
    return text


def id_card_check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID number."""
    return ID_CARD_CHECK[
        sum(int(d) * w for d, w in zip(first17, ID_CARD_WEIGHTS, strict=True)) % 11
    ]


def _is_id_number(number: str) -> bool:
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return int(number[6:10]) >= 1900 and number[17].upper() == id_card_check_character(number[:17])


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
