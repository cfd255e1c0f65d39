"""`/personal-data`: the vault, for the privacy officer only. Put (store or correct) a subject's data,
read it and the records of the log that concern them, erase it, and give a person the proof behind
one commitment in the public log.

A subject's id is chosen by the client, like every id. Storing answers 201 for a new subject and 200
for a correction (earlier uses keep the data they committed to). Reading or correcting an erased
subject is a 409 `subject_erased` (the record of the subject remains, its data does not: a conflict
with the vault's state, like every other such refusal of the API, rather than a 410). Erasing is
idempotent: a repeat answers 200 with the original date.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.auth import PrivacyOfficer
from api.deps import LedgerDep
from api.errors import ApiError, ErrorBody
from api.people import Person
from api.schemas.common import Day
from api.schemas.personal_data import (
    CommitmentProof,
    Erased,
    FindByIdCard,
    PersonalDataOut,
    SubjectFound,
    SubjectsFound,
    SubjectUse,
    SubjectUses,
)
from domain.errors import SubjectErased, UnknownSubject
from domain.ledger import Ledger
from domain.privacy import PersonalData
from storage.vault import Vault
from storage.vault_audit import positions_naming

router = APIRouter(prefix="/personal-data", tags=["personal data"])
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 409, 422, 503)
}


def vault_of(ledger: Ledger) -> Vault:
    if not isinstance(ledger.vault, Vault):
        raise ApiError(503, "no_vault", "this deployment has no personal-data vault")
    return ledger.vault


def data_out(subject_id: UUID, data: PersonalData) -> PersonalDataOut:
    return PersonalDataOut(
        subject_id=subject_id,
        name=data.name,
        id_card=data.id_card,
        phone=data.phone,
        address=data.address,
        neighbourhood_committee=data.neighbourhood_committee,
    )


@router.put(
    "/{subject_id}",
    status_code=201,
    response_model=PersonalDataOut,
    responses=ERRORS,
    summary="Store a person's data (201), or correct it (200)",
)
def put(
    subject_id: UUID,
    body: Person,
    ledger: LedgerDep,
    who: PrivacyOfficer,
    response: Response,
    foundation_id: Annotated[
        UUID | None,
        Query(
            description="the foundation that holds this person's data: only its staff may then "
            "use the subject (set when the subject is stored; a correction keeps it)"
        ),
    ] = None,
) -> PersonalDataOut:
    vault = vault_of(ledger)
    data = PersonalData.validated(**body.model_dump())
    try:
        vault.read(subject_id)
        response.status_code = 200
    except UnknownSubject:
        response.status_code = 201
    owner = None if foundation_id is None else str(foundation_id)
    vault.put(subject_id, data, owner=owner)  # an erased subject raises SubjectErased: 409
    return data_out(subject_id, data)


@router.get(
    "/{subject_id}",
    response_model=PersonalDataOut,
    responses=ERRORS,
    summary="A person's data (404 unknown, 409 erased)",
)
def get(subject_id: UUID, ledger: LedgerDep, who: PrivacyOfficer) -> PersonalDataOut:
    return data_out(subject_id, vault_of(ledger).read(subject_id))


@router.get(
    "/{subject_id}/uses",
    response_model=SubjectUses,
    responses=ERRORS,
    summary="The records of the log that concern a person: each use's reference and position",
)
def uses(subject_id: UUID, ledger: LedgerDep, who: PrivacyOfficer) -> SubjectUses:
    return uses_of_subject(ledger, subject_id)


def uses_of_subject(ledger: Ledger, subject_id: UUID) -> SubjectUses:
    """A subject's uses, oldest first, each where the log carries it (the console's desk shows these)."""
    references = vault_of(ledger).references_of(subject_id)  # 404 unknown, 409 erased
    where = positions_naming(ledger, set(references))
    return SubjectUses(
        subject_id=subject_id,
        uses=[
            SubjectUse(
                reference=reference,
                position=where[reference][0] if reference in where else None,
                commitment_field=where[reference][1] if reference in where else None,
            )
            for reference in references
        ],
    )


@router.delete(
    "/{subject_id}",
    response_model=Erased,
    responses=ERRORS,
    summary="Erase a person's data and unlink every use of it (idempotent)",
)
def erase(
    subject_id: UUID,
    ledger: LedgerDep,
    who: PrivacyOfficer,
    erased_on: Annotated[Day | None, Query(description="YYYY-MM-DD; defaults to today")] = None,
) -> Erased:
    return erase_subject(ledger, subject_id, erased_on)


def erase_subject(ledger: Ledger, subject_id: UUID, erased_on: date | None = None) -> Erased:
    """The erasure, once: a repeat answers the first one's date (the console's erase runs this too)."""
    vault = vault_of(ledger)
    earlier = vault.erased_on(subject_id)  # UnknownSubject: 404
    if earlier is not None:
        return Erased(subject_id=subject_id, erased_on=earlier, already_erased=True)
    day = erased_on or ledger.today()
    try:
        vault.erase(subject_id, day)
    except SubjectErased:
        # A second request (a double click) erased them between the check above and this one.
        first = vault.erased_on(subject_id)
        assert first is not None  # SubjectErased means the row holds its erasure date
        return Erased(subject_id=subject_id, erased_on=first, already_erased=True)
    return Erased(subject_id=subject_id, erased_on=day, already_erased=False)


@router.get(
    "/references/{reference}/proof",
    response_model=CommitmentProof,
    responses=ERRORS,
    summary="Salt and data behind one commitment, so the person can recompute it themselves",
)
def proof(reference: UUID, ledger: LedgerDep, who: PrivacyOfficer) -> CommitmentProof:
    found = vault_of(ledger).prove(reference)
    return CommitmentProof(
        reference=found.reference,
        salt_hex=found.salt_hex,
        canonical_data=found.canonical_data,
        commitment=found.commitment,
    )


@router.get(
    "/references/{reference}/subject",
    response_model=SubjectFound,
    responses=ERRORS,
    summary="The subject behind a public reference, so the officer can erase them",
)
def subject_of_reference(reference: UUID, ledger: LedgerDep, who: PrivacyOfficer) -> SubjectFound:
    return SubjectFound(subject_id=vault_of(ledger).subject_of_reference(reference))


@router.post(
    "/search",
    response_model=SubjectsFound,
    responses=ERRORS,
    summary="The subjects with an ID number (by blind index; the number goes in the body)",
)
def find_by_id_card(body: FindByIdCard, ledger: LedgerDep, who: PrivacyOfficer) -> SubjectsFound:
    return SubjectsFound(subject_ids=vault_of(ledger).find_by_id_card(body.id_card))
