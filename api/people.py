"""Personal data enters the API only here: a person (donor, beneficiary, mentor, nominee) given in a
command's body is checked and handed to the ledger as a `NewPerson`, and the ledger enters them into
the vault for the command's use (`Ledger._mint`, the one path, whose one undo discards the person again
if the command is refused). Nothing is written to the vault here.

A person given inline is stored under a random subject id, owned by the key's foundation (or the
admin); a subject given by id must be one the key's owner stored, and any other answers exactly as an
unknown one does, so no key can use, or even learn of, another foundation's people.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import Field

from api.auth import Principal
from api.errors import ApiError
from api.schemas.common import Command
from domain.errors import DomainError, UnknownSubject
from domain.ledger import Ledger
from domain.privacy import NewPerson, PersonalData
from storage.vault import Vault


class Person(Command):
    """A person, for the vault only: never in an event, never echoed back (except to the privacy officer)."""

    name: Annotated[
        str, Field(examples=["测试人员甲（虚构）"], description="at most 100 characters (in NFC)")
    ]
    id_card: Annotated[str | None, Field(description="居民身份证号 (GB 11643)")] = None
    phone: str | None = None
    address: str | None = None
    neighbourhood_committee: Annotated[str | None, Field(description="居委会 / 村委会")] = None


def check_party(
    kind: str, given: Any, fields_by_kind: dict[str, tuple[str, ...]], prefix: str = ""
) -> None:
    """A party (donor, mentor, nominee) is given by the fields of its kind only: any other of
    `fields_by_kind`'s fields sent with it is a 422 naming it, never silently dropped (a person's
    data must not be taken where it is not used)."""
    others = {name for names in fields_by_kind.values() for name in names}
    for name in sorted(others - set(fields_by_kind[kind])):
        if getattr(given, name) not in (None, False):
            raise ApiError(
                422,
                "invalid_input",
                f"{prefix}{name}: not for a {kind}",
                f"{prefix}{name}",
            )


def owner_of(who: Principal) -> str:
    """Who a subject stored by this key belongs to: its foundation, or the admin (nominees)."""
    return str(who.foundation_id) if who.foundation_id is not None else who.role


def party_for(
    ledger: Ledger,
    who: Principal,
    person: Person | None,
    subject_id: uuid.UUID | None,
    field: str,
    *,
    person_field: str | None = None,
) -> tuple[uuid.UUID | None, NewPerson | None]:
    """The person a command names, for the ledger: a subject of this key's own by id, or the person
    given in the body, checked here and entered by the ledger for the command's use (under a random
    id owned by the key's foundation). `field` names the party; `person_field` is where the body
    holds the person, when that is not the party's own field (`donor.person`)."""
    if (person is None) == (subject_id is None):
        raise ApiError(
            422,
            "invalid_input",
            f"{field}: give either the person or the subject_id of one already in the vault",
            field,
        )
    vault = vault_of(ledger)
    if subject_id is not None:
        try:
            vault.check_usable(subject_id, owner_of(who))
        except UnknownSubject as error:
            # Worded as the ledger words a subject the vault does not hold (domain/ledger.py `_mint`).
            where = f"{field}_subject_id"
            raise UnknownSubject(f"{where}: {error.message}", field=where) from None
        return subject_id, None
    assert person is not None
    try:
        data = PersonalData.validated(**person.model_dump())
    except DomainError as error:  # name the field where the caller put it: "beneficiary.id_card"
        where = person_field or field
        inner = f"{where}.{error.field}" if error.field else where
        message = error.message.removeprefix(f"{error.field}: ") if error.field else error.message
        raise type(error)(f"{inner}: {message}", field=inner) from None
    return None, NewPerson(data, owner_of(who))


def new_person(
    who: Principal,
    prefix: str,
    *,
    name: str,
    id_card: str | None = None,
    phone: str | None = None,
    address: str | None = None,
) -> NewPerson:
    """A person typed into a console form (`api/console/`), for the ledger to enter into the vault
    for the command's use, owned by the key's foundation: checked as the API checks a body's person,
    a refusal naming the form's own input (`prefix` + the field: `donor_name`)."""
    try:
        data = PersonalData.validated(name=name, id_card=id_card, phone=phone, address=address)
    except DomainError as error:
        where = f"{prefix}{error.field}" if error.field else prefix.rstrip("_")
        message = error.message.removeprefix(f"{error.field}: ") if error.field else error.message
        raise type(error)(f"{where}: {message}", field=where) from None
    return NewPerson(data, owner_of(who))


def vault_of(ledger: Ledger) -> Vault:
    if not isinstance(ledger.vault, Vault):
        raise ApiError(503, "no_vault", "this deployment has no personal-data vault")
    return ledger.vault
