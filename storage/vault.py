"""The personal-data vault: the only place a person's name, ID number, phone or address is stored.

A *subject* is a person. Their data is encrypted with AES-GCM under a data key of their own; that key is
stored wrapped (AES-GCM) under the master key from configuration. Each use of a person in the ledger (a
relief case, a donation, a mentor link) gets a fresh *reference* with a random salt; events carry the
reference and the commitment HMAC-SHA-256(salt, canonical data), never the subject id. The reference
keeps an encrypted copy of the data as committed, so the proof still checks after the subject's data is
corrected. A relief case's detailed reason codes are sealed beside its reference, with the salt of the
commitment its event carries. Erasure deletes the subject's wrapped key, its data, its cases' reasons
and every reference's salt and copy: the ledger's events stay as they are, and nothing can link them to
the person any more.

One implementation over SQLite (a file beside the event store, or memory) and PostgreSQL (tables beside
the events); the vault's own tables are mutable, unlike the log.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import psycopg
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg import sql

from domain.circumstances import canonical_codes, reason_commitment
from domain.errors import DuplicateCommandError, SubjectErased, UnknownSubject
from domain.privacy import Minted, PersonalData, commitment, new_salt

NONCE_BYTES = 12
KEY_BYTES = 32

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS vault_subjects ("
    " subject_id TEXT PRIMARY KEY, wrapped_key {blob}, payload {blob}, erased_on TEXT)",
    "CREATE TABLE IF NOT EXISTS vault_references ("
    " reference TEXT PRIMARY KEY, use_id TEXT NOT NULL UNIQUE, subject_id TEXT NOT NULL,"
    " salt {blob}, commitment TEXT NOT NULL, payload {blob}, erased_on TEXT)",
    "CREATE INDEX IF NOT EXISTS vault_references_subject ON vault_references (subject_id)",
    # A relief case's detailed reason codes, sealed under the subject's key, with the salt of the
    # commitment its public event carries: one row per use, beside that use's reference.
    "CREATE TABLE IF NOT EXISTS vault_circumstances ("
    " use_id TEXT PRIMARY KEY, salt {blob}, payload {blob}, commitment TEXT NOT NULL)",
)


@dataclass(frozen=True)
class Proof:
    """What lets a person (or an auditor they choose) check a commitment in the public log."""

    reference: UUID
    salt_hex: str
    canonical_data: str
    commitment: str


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _open(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)


class Vault:
    def __init__(self, connection: Any, *, master_key: bytes, placeholder: str) -> None:
        if len(master_key) != KEY_BYTES:
            msg = f"the vault master key must be {KEY_BYTES} bytes, got {len(master_key)}"
            raise ValueError(msg)
        self._conn = connection
        self._master = master_key
        self._placeholder = placeholder
        self._lock = threading.Lock()

    @classmethod
    def sqlite(cls, path: str, *, master_key: bytes) -> Vault:
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        vault = cls(conn, master_key=master_key, placeholder="?")
        for statement in SCHEMA:
            conn.execute(statement.format(blob="BLOB"))
        return vault

    @classmethod
    def postgres(
        cls, connection: psycopg.Connection[Any], *, schema: str, master_key: bytes
    ) -> Vault:
        if schema:
            connection.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        vault = cls(connection, master_key=master_key, placeholder="%s")
        for statement in SCHEMA:
            connection.execute(statement.format(blob="BYTEA"))
        return vault

    def close(self) -> None:
        self._conn.close()

    def _rows(self, statement: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            cursor = self._conn.execute(statement.replace("?", self._placeholder), tuple(params))
            rows = cursor.fetchall() if cursor.description else []
        return [tuple(r) for r in rows]

    def _subject_key(self, subject_id: UUID) -> bytes:
        found = self._rows(
            "SELECT wrapped_key, erased_on FROM vault_subjects WHERE subject_id = ?",
            (str(subject_id),),
        )
        if not found:
            raise UnknownSubject(
                f"subject_id: the vault holds no subject {subject_id}", field="subject_id"
            )
        wrapped, erased_on = found[0]
        if erased_on is not None:
            raise SubjectErased(
                f"subject_id: subject {subject_id} was erased on {erased_on}; nothing of it can be read",
                field="subject_id",
            )
        return _open(self._master, bytes(wrapped), str(subject_id).encode())

    # --- operations ------------------------------------------------------------------------------

    def put(self, subject_id: UUID, data: PersonalData) -> None:
        """Store or correct a subject's data (references keep the data they committed to)."""
        try:
            key = self._subject_key(subject_id)
            exists = True
        except UnknownSubject:
            key, exists = AESGCM.generate_key(bit_length=256), False
        aad = str(subject_id).encode()
        payload = _seal(key, data.canonical(), aad)
        if exists:
            self._rows(
                "UPDATE vault_subjects SET payload = ? WHERE subject_id = ?",
                (payload, str(subject_id)),
            )
        else:
            wrapped = _seal(self._master, key, aad)
            self._rows(
                "INSERT INTO vault_subjects VALUES (?, ?, ?, NULL)",
                (str(subject_id), wrapped, payload),
            )

    def read(self, subject_id: UUID) -> PersonalData:
        key = self._subject_key(subject_id)
        (payload,) = self._rows(
            "SELECT payload FROM vault_subjects WHERE subject_id = ?", (str(subject_id),)
        )[0]
        return PersonalData.from_canonical(_open(key, bytes(payload), str(subject_id).encode()))

    def mint_reference(self, subject_id: UUID, use_id: UUID) -> Minted:
        existing = self._rows(
            "SELECT reference, subject_id, commitment FROM vault_references WHERE use_id = ?",
            (str(use_id),),
        )
        if existing:
            reference, owner, committed = existing[0]
            if owner != str(subject_id):
                raise DuplicateCommandError(
                    f"id {use_id} already has a reference for another person", field="id"
                )
            return Minted(UUID(reference), committed)
        key = self._subject_key(subject_id)
        data = self.read(subject_id)
        salt, reference = new_salt(), uuid4()
        committed = commitment(salt, data)
        sealed = _seal(key, data.canonical(), str(subject_id).encode())
        self._rows(
            "INSERT INTO vault_references VALUES (?, ?, ?, ?, ?, ?, NULL)",
            (str(reference), str(use_id), str(subject_id), salt, committed, sealed),
        )
        return Minted(reference, committed)

    def discard_use(self, use_id: UUID) -> None:
        """Remove the reference minted for a use that was never recorded (its command was refused):
        no event names it, so nothing of the person should stay behind for it."""
        self._rows("DELETE FROM vault_circumstances WHERE use_id = ?", (str(use_id),))
        self._rows("DELETE FROM vault_references WHERE use_id = ?", (str(use_id),))

    # --- a relief case's detailed reasons --------------------------------------------------------

    def commit_circumstances(self, use_id: UUID, codes: tuple[str, ...]) -> str:
        """Seal a case's detailed reason codes under the key of the person its reference (minted
        first) is for, and return the commitment; the same codes again give the same commitment,
        other codes for the same use are another command."""
        subject_id = self._subject_of_use(use_id)
        key = self._subject_key(subject_id)
        aad = f"circumstances:{use_id}".encode()
        existing = self._rows(
            "SELECT payload, commitment FROM vault_circumstances WHERE use_id = ?", (str(use_id),)
        )
        if existing:
            sealed, committed = existing[0]
            if _open(key, bytes(sealed), aad) != canonical_codes(codes):
                raise DuplicateCommandError(
                    f"id {use_id} was already used with another reason_code; choose a new id",
                    field="id",
                )
            return str(committed)
        salt = new_salt()
        committed = reason_commitment(salt, codes)
        self._rows(
            "INSERT INTO vault_circumstances VALUES (?, ?, ?, ?)",
            (str(use_id), salt, _seal(key, canonical_codes(codes), aad), committed),
        )
        return committed

    def circumstances(self) -> list[tuple[UUID, tuple[str, ...]]]:
        """Every use's detailed reason codes that can still be read, by use id."""
        rows = self._rows(
            "SELECT c.use_id, c.payload, r.subject_id FROM vault_circumstances c"
            " JOIN vault_references r ON r.use_id = c.use_id ORDER BY c.use_id"
        )
        found = []
        for use_id, sealed, subject_id in rows:
            try:
                key = self._subject_key(UUID(subject_id))
            except (UnknownSubject, SubjectErased):
                continue
            opened = _open(key, bytes(sealed), f"circumstances:{use_id}".encode())
            found.append((UUID(use_id), tuple(json.loads(opened))))
        return found

    def prove_circumstances(self, use_id: UUID) -> tuple[str, tuple[str, ...], str]:
        """The salt (hex), the codes and the commitment of a case's reasons: what lets an auditor
        check the public event's `reason_commitment`."""
        subject_id = self._subject_of_use(use_id)
        key = self._subject_key(subject_id)
        found = self._rows(
            "SELECT salt, payload, commitment FROM vault_circumstances WHERE use_id = ?",
            (str(use_id),),
        )
        if not found:
            raise UnknownSubject(f"use {use_id} has no reasons in the vault", field="case_id")
        salt, sealed, committed = found[0]
        opened = _open(key, bytes(sealed), f"circumstances:{use_id}".encode())
        return bytes(salt).hex(), tuple(json.loads(opened)), str(committed)

    def _subject_of_use(self, use_id: UUID) -> UUID:
        found = self._rows(
            "SELECT subject_id FROM vault_references WHERE use_id = ?", (str(use_id),)
        )
        if not found:
            raise UnknownSubject(f"use {use_id} has no reference in the vault", field="case_id")
        return UUID(found[0][0])

    def discard_subject(self, subject_id: UUID) -> None:
        """Remove a subject no reference uses: one stored for a command that was then refused."""
        self._rows(
            "DELETE FROM vault_subjects WHERE subject_id = ? AND NOT EXISTS"
            " (SELECT 1 FROM vault_references WHERE subject_id = ?)",
            (str(subject_id), str(subject_id)),
        )

    def prove(self, reference: UUID) -> Proof:
        subject_id, salt, committed, sealed = self._reference(reference)
        key = self._subject_key(subject_id)
        canonical = _open(key, bytes(sealed), str(subject_id).encode()).decode()
        return Proof(reference, bytes(salt).hex(), canonical, committed)

    def read_reference(self, reference: UUID) -> PersonalData:
        """The current data of the person behind a reference, corrections included (the public page
        names donors and mentors who consented this way, at render time); raises as `read` does
        once the person is erased."""
        return self.read(self._reference(reference)[0])

    def erased_on(self, subject_id: UUID) -> date | None:
        """When the subject was erased, or None if their data is still held (UnknownSubject if the
        vault never held them): lets an erasure be repeated and answered the same way."""
        found = self._rows(
            "SELECT erased_on FROM vault_subjects WHERE subject_id = ?", (str(subject_id),)
        )
        if not found:
            raise UnknownSubject(
                f"subject_id: the vault holds no subject {subject_id}", field="subject_id"
            )
        return None if found[0][0] is None else date.fromisoformat(found[0][0])

    def linked_references(self, reference: UUID) -> list[UUID]:
        """Other references of the same person (privileged: for duplicate-aid checks)."""
        subject_id = self._reference(reference)[0]
        self._subject_key(subject_id)  # an erased subject links nothing
        rows = self._rows(
            "SELECT reference FROM vault_references WHERE subject_id = ? AND reference <> ? ORDER BY reference",
            (str(subject_id), str(reference)),
        )
        return [UUID(r[0]) for r in rows]

    def erase(self, subject_id: UUID, erased_on: date) -> None:
        """Delete the subject's key, data and every reference's salt and copy, and cut the references
        loose from the subject (and so from each other): the person becomes unlinkable."""
        self._subject_key(subject_id)
        # The codes are few: with its salt, a reason commitment could be opened by trying them all.
        self._rows(
            "DELETE FROM vault_circumstances WHERE use_id IN"
            " (SELECT use_id FROM vault_references WHERE subject_id = ?)",
            (str(subject_id),),
        )
        self._rows(
            "UPDATE vault_subjects SET wrapped_key = NULL, payload = NULL, erased_on = ? WHERE subject_id = ?",
            (erased_on.isoformat(), str(subject_id)),
        )
        self._rows(
            "UPDATE vault_references SET salt = NULL, payload = NULL, subject_id = reference,"
            " erased_on = ? WHERE subject_id = ?",
            (erased_on.isoformat(), str(subject_id)),
        )

    def _reference(self, reference: UUID) -> tuple[UUID, Any, str, Any]:
        found = self._rows(
            "SELECT subject_id, salt, commitment, payload, erased_on FROM vault_references"
            " WHERE reference = ?",
            (str(reference),),
        )
        if not found:
            raise UnknownSubject(
                f"reference: the vault holds no reference {reference}", field="reference"
            )
        subject_id, salt, committed, sealed, erased_on = found[0]
        if erased_on is not None:
            raise SubjectErased(
                f"reference: the person behind {reference} was erased on {erased_on}",
                field="reference",
            )
        return UUID(subject_id), salt, committed, sealed
