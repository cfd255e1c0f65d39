"""Identifiers: the USCC (统一社会信用代码) with its GB 32100-2015 check character, and command ids.

Every command names its own id. Clients choose UUIDs; when a command has a natural key instead, `natural_id`
derives a stable UUID (uuid5) from it so that repeating the command repeats the id.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from domain.errors import InvalidUSCC

# GB 32100-2015 §4: the code alphabet is the digits and 21 capital letters, leaving out I, O, Z, S and V
# (too easily misread as 1, 0, 2, 5 and U).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18

MINGZHANG_NAMESPACE = UUID("6d7a6c65-6467-6572-2d6d-696e677a6861")


def uscc_check_character(first17: str) -> str:
    """The 18th character: 31 − (Σ value×weight mod 31), with 31 written as 0."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    remainder = 31 - total % 31
    return USCC_ALPHABET[0 if remainder == 31 else remainder]


def validate_uscc(value: str, *, field: str = "uscc") -> str:
    """Return the code if valid; otherwise raise `InvalidUSCC` naming the rule that failed."""
    if not isinstance(value, str):
        raise InvalidUSCC(f"{field} must be a string of 18 characters", field=field)
    if len(value) != USCC_LENGTH:
        raise InvalidUSCC(
            f"{field} must be exactly 18 characters (GB 32100-2015), got {len(value)}", field=field
        )
    bad = sorted({c for c in value if c not in USCC_ALPHABET})
    if bad:
        raise InvalidUSCC(
            f"{field} may only use 0-9 and A-H J-N P-R T U W-Y (GB 32100-2015); "
            f"{''.join(bad)!r} is not allowed",
            field=field,
        )
    expected = uscc_check_character(value[:17])
    if value[17] != expected:
        raise InvalidUSCC(
            f"{field} check character is wrong (GB 32100-2015 mod 31): "
            f"expected {expected!r}, got {value[17]!r}",
            field=field,
        )
    return value


def natural_id(kind: str, *parts: str) -> UUID:
    """A stable id for a command identified by a natural key (e.g. a bank statement line)."""
    return uuid5(MINGZHANG_NAMESPACE, "/".join((kind, *parts)))
