"""Personal data in Mingzhang: what it is, how it is checked, and the commitment events may carry.

No personal data ever enters an event. A person's data lives in the personal-data vault (its storage
arrives with the grants-and-relief issue); each use of a person in the ledger gets a fresh reference
with its own random salt, and the event carries only that reference and a *commitment*:
HMAC-SHA-256 under the salt of the canonical JSON of the data. Whoever is given the salt and the data
(the person, an auditor) can recompute it; the public cannot link two references of one person.

This module holds the pure parts: the `PersonalData` value, the Chinese resident ID number check
(GB 11643-1999, ISO 7064 MOD 11-2), the canonical encoding and the commitment.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from typing import Protocol
from uuid import UUID

from domain.checks import check_text
from domain.checks import id_card_check_character as id_card_check_character
from domain.errors import InvalidText

SALT_BYTES = 32


def validate_id_card(value: str, *, field: str = "id_card") -> str:
    """An 18-character resident ID number: 17 digits and an ISO 7064 MOD 11-2 check (0-9 or X)."""
    if not isinstance(value, str) or len(value) != 18:
        raise InvalidText(f"{field} must be exactly 18 characters (GB 11643-1999)", field=field)
    if not value[:17].isdigit() or not value[:17].isascii():
        raise InvalidText(f"{field} must start with 17 digits (GB 11643-1999)", field=field)
    expected = id_card_check_character(value[:17])
    if value[17].upper() != expected:
        # The expected character is not said: with the first 17 digits it is the whole number.
        raise InvalidText(f"{field} check character is wrong (ISO 7064 MOD 11-2)", field=field)
    return value[:17] + expected


@dataclass(frozen=True)
class PersonalData:
    """What the vault holds about a person. Only the name is required."""

    name: str
    id_card: str | None = None
    phone: str | None = None
    address: str | None = None
    neighbourhood_committee: str | None = None  # 居委会 / 村委会

    @classmethod
    def validated(
        cls,
        *,
        name: str,
        id_card: str | None = None,
        phone: str | None = None,
        address: str | None = None,
        neighbourhood_committee: str | None = None,
    ) -> PersonalData:
        # A person's own fields go to the vault, never to the public log: they may hold what a
        # public text may not (a phone number, an address).
        def optional(value: str | None, field: str) -> str | None:
            if value is None:
                return None
            return check_text(value, field=field, max_length=200, public=False)

        return cls(
            name=check_text(name, field="name", max_length=100, public=False),
            id_card=None if id_card is None else validate_id_card(id_card),
            phone=optional(phone, "phone"),
            address=optional(address, "address"),
            neighbourhood_committee=optional(neighbourhood_committee, "neighbourhood_committee"),
        )

    @classmethod
    def from_canonical(cls, data: bytes) -> PersonalData:
        return cls(**json.loads(data))

    def canonical(self) -> bytes:
        """The bytes a commitment is computed over: sorted keys, no spaces, UTF-8, nulls kept."""
        return json.dumps(
            asdict(self), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def commitment(salt: bytes, data: PersonalData) -> str:
    """HMAC-SHA-256(salt, canonical JSON), hex: what an event may carry instead of the data."""
    return hmac.new(salt, data.canonical(), hashlib.sha256).hexdigest()


def verify_commitment(salt: bytes, data: PersonalData, claimed: str) -> bool:
    return hmac.compare_digest(commitment(salt, data), claimed)


@dataclass(frozen=True)
class NewPerson:
    """A person given in a command, to enter the vault for that one use: their data and who will
    own the subject (the foundation that holds the data, or "admin")."""

    data: PersonalData
    owner: str


@dataclass(frozen=True)
class Minted:
    """What an event may carry for one use of a person: a fresh reference and its commitment."""

    reference: UUID
    commitment: str


class PersonalDataVault(Protocol):
    """The part of the vault the ledger needs: a reference for one use of a subject.

    Minting is idempotent per `use_id` (the command's id), so a repeated command gets the same
    reference and so the same record."""

    def mint_reference(self, subject_id: UUID, use_id: UUID) -> Minted: ...

    def mint_for_person(self, person: NewPerson, use_id: UUID) -> Minted:
        """Enter a person given in the command under a new random subject, and mint the use's
        reference; a repeated use gets the same reference and stores no one again."""

    def discard_use(self, use_id: UUID) -> None:
        """Remove the reference minted for a use the ledger never recorded (a refused command),
        and the person entered for it: the one undo of personal data entering the ledger."""

    def commit_circumstances(self, use_id: UUID, codes: tuple[str, ...]) -> str:
        """Keep a relief case's detailed reason codes with the reference minted for `use_id`, and
        return the commitment its public event carries (idempotent per use, like minting)."""
        ...

    def circumstances(self) -> list[tuple[UUID, tuple[str, ...]]]:
        """Every use's detailed reason codes still held (a person erased since is not among them),
        for the published aggregates."""
        ...

    def close(self) -> None:
        """Release the vault's connection; the ledger that was given the vault closes it."""
