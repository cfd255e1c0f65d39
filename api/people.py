"""Personal data enters the API only here: a person (donor, beneficiary, mentor) given in a command's
body goes into the vault, and the command carries on with the vault subject id alone.

A person given inline is stored under a random subject id, owned by the key's foundation (or the
admin); a subject given by id must be one the key's owner stored, and any other answers exactly as an
unknown one does, so no key can use, or even learn of, another foundation's people. A retried command
finds its subject again through the use the vault recorded for it, and a command the ledger has already
applied does not write to the vault again (which would revive the data of a person erased since). A subject stored for a command that the ledger then refuses is removed
again (`forget_staged`, called by `api.commands.execute`): the vault keeps no one for a use that never
happened.
"""

from __future__ import annotations

import contextvars
import uuid
from typing import Annotated, Any

from pydantic import Field

from api.auth import Principal
from api.errors import ApiError
from api.schemas.common import Command
from domain.errors import DomainError, DuplicateCommandError, SubjectErased, UnknownSubject
from domain.ledger import Ledger
from domain.privacy import PersonalData
from storage.vault import Vault

# Subjects this request stored, with the command they are for; a request runs in one thread.
_staged: contextvars.ContextVar[tuple[tuple[uuid.UUID, uuid.UUID], ...]] = contextvars.ContextVar(
    "staged_subjects", default=()
)


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


def subject_for(
    ledger: Ledger,
    who: Principal,
    use_id: uuid.UUID,
    person: Person | None,
    subject_id: uuid.UUID | None,
    field: str,
    *,
    person_field: str | None = None,
) -> uuid.UUID:
    """The vault subject a command refers to: an existing one of this key's own by id, or this
    person, stored now under a random id owned by the key's foundation. `field` names the party;
    `person_field` is where the body holds the person, when that is not the party's own field
    (`donor.person`)."""
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
        return subject_id
    assert person is not None
    try:
        data = PersonalData.validated(**person.model_dump())
    except DomainError as error:  # name the field where the caller put it: "beneficiary.id_card"
        where = person_field or field
        inner = f"{where}.{error.field}" if error.field else where
        message = error.message.removeprefix(f"{error.field}: ") if error.field else error.message
        raise type(error)(f"{inner}: {message}", field=inner) from None
    if ledger.applied(use_id) is None:
        # A refused earlier try left nothing behind, so a retry stores the person afresh.
        subject = uuid.uuid4()
        vault.put(subject, data, owner=owner_of(who))
        _staged.set((*_staged.get(), (use_id, subject)))
        return subject
    # A repeat of a recorded command: the subject it stored is found through its use, and is not
    # written again (which would revive the data of a person erased since).
    earlier = vault.subject_of_use(use_id)
    if earlier is None:
        return uuid.uuid4()  # erased since: the vault answers the repeat from the use alone
    if _stored(vault, earlier) not in (None, data):
        # The same command id again, with another person: a different command, as for any field.
        raise DuplicateCommandError(
            f"id {use_id} was already used with other personal data in {field}; choose a new id",
            field="id",
        )
    return earlier


def vault_of(ledger: Ledger) -> Vault:
    if not isinstance(ledger.vault, Vault):
        raise ApiError(503, "no_vault", "this deployment has no personal-data vault")
    return ledger.vault


def _stored(vault: Vault, subject_id: uuid.UUID) -> PersonalData | None:
    """What the vault holds for a subject now (None if erased or gone: nothing left to compare)."""
    try:
        stored: PersonalData = vault.read(subject_id)
    except (UnknownSubject, SubjectErased):
        return None
    return stored


def forget_staged(ledger: Ledger, *, refused: bool) -> None:
    """End the request's staging: after a refusal, remove every subject it stored for a command the
    ledger has not recorded."""
    staged, _ = _staged.get(), _staged.set(())
    if refused and ledger.vault is not None:
        for use_id, subject_id in staged:
            if ledger.applied(use_id) is None:
                ledger.vault.discard_subject(subject_id)  # type: ignore[attr-defined]
