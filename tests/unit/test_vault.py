"""The personal-data vault, on every backend: encrypted subjects, per-use references, proofs, erasure."""

from __future__ import annotations

import os
from datetime import date
from uuid import uuid4

import pytest

from domain.errors import DuplicateCommandError, InvalidText, SubjectErased, UnknownSubject
from domain.privacy import PersonalData, commitment, verify_commitment
from storage.vault import Vault

WANG = PersonalData.validated(
    name="王芳",
    id_card="11010519491231002X",
    phone="13912345678",
    address="浦东大道1号",
    neighbourhood_committee="崂山居委会",
)


def test_a_subject_is_stored_and_read_back(vault: Vault) -> None:
    subject = uuid4()
    vault.put(subject, WANG)
    assert vault.read(subject) == WANG


def test_personal_data_is_encrypted_at_rest(vault: Vault) -> None:
    subject = uuid4()
    vault.put(subject, WANG)
    vault.mint_reference(subject, uuid4())
    for table in ("vault_people", "vault_uses"):
        for row in vault._rows(f"SELECT * FROM {table}"):
            raw = b"".join(
                bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in row
            )
            for secret in ("王芳", "11010519491231002X", "13912345678", "崂山居委会"):
                assert secret.encode() not in raw


def test_a_malformed_id_number_is_refused_before_it_reaches_the_vault() -> None:
    with pytest.raises(InvalidText, match="check character") as caught:
        PersonalData.validated(name="王芳", id_card="110105194912310021")
    assert caught.value.field == "id_card"


def test_an_unknown_subject_or_reference_is_named_as_such(vault: Vault) -> None:
    with pytest.raises(UnknownSubject) as caught:
        vault.read(uuid4())
    assert caught.value.field == "subject_id"
    with pytest.raises(UnknownSubject) as caught:
        vault.prove(uuid4())
    assert caught.value.field == "reference"


def test_each_use_gets_a_fresh_reference_and_commitment_and_minting_repeats(vault: Vault) -> None:
    subject, first_use, second_use = uuid4(), uuid4(), uuid4()
    vault.put(subject, WANG)
    first = vault.mint_reference(subject, first_use)
    second = vault.mint_reference(subject, second_use)
    assert first.reference != second.reference
    assert first.commitment != second.commitment
    assert vault.mint_reference(subject, first_use) == first  # a repeated command gets the same
    other = uuid4()
    vault.put(other, PersonalData.validated(name="李强"))
    with pytest.raises(DuplicateCommandError):
        vault.mint_reference(other, first_use)


def test_a_proof_lets_the_person_check_their_commitment_even_after_a_correction(
    vault: Vault,
) -> None:
    subject = uuid4()
    vault.put(subject, WANG)
    minted = vault.mint_reference(subject, uuid4())
    vault.put(subject, PersonalData.validated(name="王芳", phone="13800000000"))
    proof = vault.prove(minted.reference)
    data = PersonalData.from_canonical(proof.canonical_data.encode())
    assert data == WANG  # what was committed, not the corrected data
    assert verify_commitment(bytes.fromhex(proof.salt_hex), data, minted.commitment)
    assert proof.commitment == minted.commitment == commitment(bytes.fromhex(proof.salt_hex), WANG)


def test_the_vault_links_the_references_of_one_person_for_duplicate_aid_checks(
    vault: Vault,
) -> None:
    subject, stranger = uuid4(), uuid4()
    vault.put(subject, WANG)
    vault.put(stranger, PersonalData.validated(name="李强"))
    first = vault.mint_reference(subject, uuid4()).reference
    second = vault.mint_reference(subject, uuid4()).reference
    vault.mint_reference(stranger, uuid4())
    assert vault.linked_references(first) == [second]


def test_erasure_leaves_nothing_readable_or_linkable(vault: Vault) -> None:
    subject = uuid4()
    vault.put(subject, WANG)
    minted = vault.mint_reference(subject, uuid4())
    vault.mint_reference(subject, uuid4())
    vault.erase(subject, date(2025, 3, 1))
    with pytest.raises(SubjectErased, match="erased on 2025-03-01"):
        vault.read(subject)
    with pytest.raises(SubjectErased):
        vault.prove(minted.reference)
    with pytest.raises(SubjectErased):
        vault.linked_references(minted.reference)
    with pytest.raises(SubjectErased):
        vault.put(subject, WANG)
    subjects = vault._rows("SELECT wrapped_key, payload, uses, id_index FROM vault_people")
    uses = vault._rows("SELECT link, secret FROM vault_uses")
    assert subjects == [(None, None, None, None)]
    assert uses == [(None, None), (None, None)]


def test_the_master_key_must_be_32_bytes() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Vault.sqlite(":memory:", master_key=os.urandom(16))
