"""The personal-data vault: the only place a person's name, ID number, phone or address is stored.

A *subject* is a person, under a random id, owned by the foundation (or the admin) that stored them:
only the owner may use the subject in a command, and to any other key it does not exist. Keys form a
chain: the master key (configuration) wraps the *epoch key*, which is kept outside the database (a
file beside the vault, 0600, or memory); the epoch key wraps each subject's data key and seals the link
from each use to its subject; the data key encrypts the person's data and, for each use (a relief
case, a donation, a mentor link), the salt and the copy of the data committed to. Rows are found by
HMACs of the reference and of the use's id under a secret derived from the master key, so the file
alone links nothing. Events carry only the reference and the commitment HMAC-SHA-256(salt, data). A
relief case's detailed reason codes, with the salt of the commitment its event carries, are sealed
under the beneficiary's data key beside the use (`vault_circumstances`).

Erasure deletes the subject's wrapped key and data and every use's link, salt and copy, then rotates
the epoch: the live subjects' keys are re-wrapped under a new epoch key and the old one is destroyed.
A copy of the database taken before the erasure (a dead row, the WAL, a backup) then holds the erased
person only under a key that no longer exists. What is left of an erased use is its reference and
commitment (both public in the log), with nothing that ties it to the person's other uses.

One implementation over SQLite (a file beside the event store, or memory; `secure_delete` on) and
PostgreSQL (tables beside the events); the vault's own tables are mutable, unlike the log. On
PostgreSQL a connection the server dropped (a restart) is replaced before the next statement outside
a transaction, as in `storage.viewdb`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg import sql

from domain.circumstances import canonical_codes, reason_commitment
from domain.errors import DamagedRecord, DuplicateCommandError, SubjectErased, UnknownSubject
from domain.privacy import (
    Minted,
    NewPerson,
    PersonalData,
    commitment,
    new_salt,
    validate_id_card,
)
from storage.outage import is_outage

NONCE_BYTES = 12
KEY_BYTES = 32
log = logging.getLogger("mingzhang.vault")

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS vault_people ("
    " subject_id TEXT PRIMARY KEY, owner TEXT, epoch INTEGER, wrapped_key {blob}, payload {blob},"
    " uses {blob}, id_index TEXT, entered_for TEXT, erased_on TEXT)",
    "CREATE INDEX IF NOT EXISTS vault_people_id_index ON vault_people (id_index)",
    # A relief case's detailed reason codes with the salt of the commitment its public event carries,
    # sealed under the beneficiary's data key (so they die with it), found by the use's lookup.
    "CREATE TABLE IF NOT EXISTS vault_circumstances ("
    " use_lookup TEXT PRIMARY KEY, use_id TEXT NOT NULL, payload {blob} NOT NULL,"
    " commitment TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS vault_uses ("
    " lookup TEXT PRIMARY KEY, use_lookup TEXT NOT NULL UNIQUE, minted {blob} NOT NULL,"
    " epoch INTEGER, link {blob}, secret {blob}, erased INTEGER NOT NULL DEFAULT 0)",
)


@dataclass(frozen=True)
class Proof:
    """What lets a person (or an auditor they choose) check a commitment in the public log."""

    reference: UUID
    salt_hex: str
    canonical_data: str
    commitment: str


@dataclass(frozen=True)
class UseCheck:
    """What the vault says of one use the log names: it opens the event's commitment (neither
    field set), it is of an erased person whose kept commitment is the event's (`erased`), or what
    is wrong (`problem`, a clause naming no one)."""

    erased: bool = False
    problem: str | None = None


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _open(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)


def _derive(key: bytes, purpose: str) -> bytes:
    return hmac.new(key, b"mingzhang-vault:" + purpose.encode(), hashlib.sha256).digest()


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def unknown_subject(subject_id: UUID) -> UnknownSubject:
    """The one answer for a subject a caller may not know of, held or not (no oracle)."""
    return UnknownSubject(
        f"subject_id: the vault holds no subject {subject_id}", field="subject_id"
    )


class EpochKeys:
    """The epoch keys, wrapped by the master key, kept outside the database: in a file (0600,
    replaced atomically) or in memory. Normally one; two only while a rotation is under way."""

    def __init__(self, master: bytes, path: Path | None) -> None:
        self._master, self._path = master, path
        self._keys: dict[int, bytes] = {}
        self._seen: tuple[int, int] | None = None
        self._load()
        if not self._keys:
            self._keys = {1: os.urandom(KEY_BYTES)}
            self._save()

    def _load(self) -> None:
        if self._path is None or not self._path.exists():
            return
        stat = self._path.stat()
        if self._seen == (stat.st_mtime_ns, stat.st_size):
            return
        stored = json.loads(self._path.read_text())
        self._keys = {
            int(n): _open(self._master, base64.b64decode(w), f"epoch:{n}".encode())
            for n, w in stored.items()
        }
        self._seen = (stat.st_mtime_ns, stat.st_size)

    def _save(self) -> None:
        if self._path is None:
            return
        wrapped = {
            str(n): base64.b64encode(_seal(self._master, k, f"epoch:{n}".encode())).decode()
            for n, k in self._keys.items()
        }
        self._path.parent.mkdir(parents=True, exist_ok=True)
        staging = self._path.with_name(self._path.name + ".new")
        with suppress(FileNotFoundError):
            staging.unlink()
        fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(json.dumps(wrapped))
            out.flush()
            os.fsync(out.fileno())
        os.replace(staging, self._path)
        stat = self._path.stat()
        self._seen = (stat.st_mtime_ns, stat.st_size)

    def current(self) -> tuple[int, bytes]:
        self._load()
        newest = max(self._keys)
        return newest, self._keys[newest]

    def get(self, epoch: int) -> bytes | None:
        self._load()
        return self._keys.get(epoch)

    def held(self) -> list[bytes]:
        self._load()
        return list(self._keys.values())

    def begin(self) -> tuple[int, bytes]:
        """A new epoch key, saved beside the current one before anything is wrapped under it."""
        self._load()
        epoch = max(self._keys) + 1
        self._keys[epoch] = os.urandom(KEY_BYTES)
        self._save()
        return epoch, self._keys[epoch]

    def finish(self, epoch: int) -> None:
        """Destroy every epoch key but `epoch`'s: what they wrapped can no longer be opened."""
        self._keys = {epoch: self._keys[epoch]}
        self._save()


class Vault:
    def __init__(
        self,
        connection: Any,
        *,
        master_key: bytes,
        placeholder: str,
        epoch_file: Path | None = None,
        reopen: Callable[[], Any] | None = None,
    ) -> None:
        if len(master_key) != KEY_BYTES:
            msg = f"the vault master key must be {KEY_BYTES} bytes, got {len(master_key)}"
            raise ValueError(msg)
        self._conn = connection
        self._reopen = reopen
        self._depth = 0  # transactions open: a connection is never replaced inside one
        self._lookups = _derive(master_key, "lookups")
        self._minted_key = _derive(master_key, "minted")
        self.epochs = EpochKeys(master_key, epoch_file)
        self._placeholder = placeholder
        self._lock = threading.RLock()
        self.damaged = 0  # records that failed to decrypt, for /metrics

    @classmethod
    def sqlite(
        cls, path: str, *, master_key: bytes, epoch_file: Path | None = None, create: bool = True
    ) -> Vault:
        if path != ":memory:" and not os.path.exists(path):
            # Created 0600 before SQLite opens it: it holds personal data (its journal follows suit).
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        if path != ":memory:":
            os.chmod(path, 0o600)
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA secure_delete = ON")  # deleted content is overwritten, not left free
        vault = cls(conn, master_key=master_key, placeholder="?", epoch_file=epoch_file)
        for statement in SCHEMA if create else ():
            conn.execute(statement.format(blob="BLOB"))
        return vault

    @classmethod
    def postgres(
        cls,
        connection: psycopg.Connection[Any],
        *,
        schema: str,
        master_key: bytes,
        epoch_file: Path | None = None,
        create: bool = True,
        reopen: Callable[[], psycopg.Connection[Any]] | None = None,
    ) -> Vault:
        def prepared(connection: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
            if schema:
                connection.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
            return connection

        vault = cls(
            prepared(connection),
            master_key=master_key,
            placeholder="%s",
            epoch_file=epoch_file,
            reopen=None if reopen is None else (lambda: prepared(reopen())),
        )
        for statement in SCHEMA if create else ():  # not on a hot standby, which refuses DDL
            connection.execute(statement.format(blob="BYTEA"))
        return vault

    def close(self) -> None:
        self._conn.close()

    def _live(self) -> Any:
        """The connection, a new one if the server dropped the last (never inside a transaction)."""
        if self._reopen is not None and self._depth == 0 and self._conn.broken:
            self._conn = self._reopen()
        return self._conn

    def _rows(self, statement: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        statement = statement.replace("?", self._placeholder)
        with self._lock:
            try:
                cursor = self._live().execute(statement, tuple(params))
            except Exception as error:
                # As in storage.viewdb: a query outside a transaction is asked once more on a new
                # connection when the idle one was dropped by a restart; a write is not.
                query = statement.lstrip()[:6].upper() == "SELECT"
                if not (query and self._depth == 0 and self._reopen and is_outage(error)):
                    raise
                cursor = self._live().execute(statement, tuple(params))
            rows = cursor.fetchall() if cursor.description else []
        return [tuple(r) for r in rows]

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # SQLite takes its write lock at once, so another process cannot slip in between a read
        # and the write it decides (PostgreSQL locks the rows it reads `FOR UPDATE`).
        with self._lock:
            connection = self._live()
            connection.execute("BEGIN" if self._placeholder == "%s" else "BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                if not getattr(connection, "broken", False):  # a dropped one has nothing to undo
                    connection.execute("ROLLBACK")
                raise
            finally:
                self._depth -= 1
            connection.execute("COMMIT")

    def _opened(self, key: bytes, sealed: Any, aad: bytes, what: str) -> bytes:
        try:
            return _open(key, bytes(sealed), aad)
        except InvalidTag:
            self.damaged += 1
            log.error("a vault record failed to decrypt (%s); restore it from a backup", what)
            raise DamagedRecord(
                f"{what}: the vault's record cannot be decrypted; restore it from a backup",
                field=what,
            ) from None

    # --- subjects --------------------------------------------------------------------------------

    def _subject(self, subject_id: UUID) -> tuple[bytes, tuple[Any, ...]]:
        """The subject's data key and row (owner, payload, uses); raises if unknown or erased."""
        found = self._rows(
            "SELECT epoch, wrapped_key, erased_on, owner, payload, uses FROM vault_people"
            " WHERE subject_id = ?",
            (str(subject_id),),
        )
        if not found:
            raise unknown_subject(subject_id)
        epoch, wrapped, erased_on, *rest = found[0]
        if erased_on is not None:
            raise SubjectErased(
                f"subject_id: subject {subject_id} was erased on {erased_on}; nothing of it can be read",
                field="subject_id",
            )
        epoch_key = self.epochs.get(epoch)
        if epoch_key is None:
            raise DamagedRecord(
                "subject_id: the vault's record cannot be decrypted; restore it from a backup",
                field="subject_id",
            )
        key = self._opened(epoch_key, wrapped, f"key:{subject_id}".encode(), "subject_id")
        return key, tuple(rest)

    def _id_index(self, epoch_key: bytes, id_card: str | None) -> str | None:
        return None if id_card is None else _mac(_derive(epoch_key, "id-index"), id_card)

    def put(
        self,
        subject_id: UUID,
        data: PersonalData,
        *,
        owner: str | None = None,
        entered_for: UUID | None = None,
    ) -> None:
        """Store or correct a subject's data (references keep the data they committed to). `owner`
        (a foundation id, or "admin") is who may use the subject; it is set when the subject is
        stored, and a correction keeps it."""
        aad = str(subject_id).encode()
        with self._lock:
            try:
                key, _ = self._subject(subject_id)
            except UnknownSubject:
                key = AESGCM.generate_key(bit_length=256)
                epoch, epoch_key = self.epochs.current()
                self._rows(
                    "INSERT INTO vault_people VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    (
                        str(subject_id),
                        owner,
                        epoch,
                        _seal(epoch_key, key, f"key:{subject_id}".encode()),
                        _seal(key, data.canonical(), aad),
                        _seal(key, b"[]", b"uses:" + aad),
                        self._id_index(epoch_key, data.id_card),
                        None if entered_for is None else self._entry(entered_for),
                    ),
                )
                return
            epoch, epoch_key = self._epoch_of(subject_id)
            self._rows(
                "UPDATE vault_people SET payload = ?, id_index = ? WHERE subject_id = ?",
                (
                    _seal(key, data.canonical(), aad),
                    self._id_index(epoch_key, data.id_card),
                    str(subject_id),
                ),
            )

    def _epoch_of(self, subject_id: UUID) -> tuple[int, bytes]:
        (epoch,) = self._rows(
            "SELECT epoch FROM vault_people WHERE subject_id = ?", (str(subject_id),)
        )[0]
        key = self.epochs.get(epoch)
        assert key is not None  # _subject opened it a moment ago
        return epoch, key

    def read(self, subject_id: UUID) -> PersonalData:
        key, (_, payload, _) = self._subject(subject_id)
        return PersonalData.from_canonical(
            self._opened(key, payload, str(subject_id).encode(), "subject_id")
        )

    def check_usable(self, subject_id: UUID, owner: str) -> None:
        """Refuse, exactly as for a subject the vault never held, one that `owner` did not store."""
        found = self._rows(
            "SELECT owner FROM vault_people WHERE subject_id = ?", (str(subject_id),)
        )
        if not found or found[0][0] != owner:
            raise unknown_subject(subject_id)

    def find_by_id_card(self, id_card: str) -> list[UUID]:
        """Subjects whose ID number is this one, by the blind index (nothing is decrypted)."""
        number = validate_id_card(id_card.strip())
        indexes = [self._id_index(k, number) for k in self.epochs.held()]
        found: set[str] = set()
        for index in indexes:
            found.update(
                r[0]
                for r in self._rows(
                    "SELECT subject_id FROM vault_people WHERE id_index = ?", (index,)
                )
            )
        return sorted(UUID(s) for s in found)

    # --- uses ------------------------------------------------------------------------------------

    def _use(self, use_id: UUID) -> tuple[Minted, UUID | None] | None:
        """The reference minted for a use, and its subject (None once erased)."""
        found = self._rows(
            "SELECT lookup, minted, epoch, link FROM vault_uses WHERE use_lookup = ?",
            (_mac(self._lookups, f"use:{use_id}"),),
        )
        if not found:
            return None
        lookup, minted, epoch, link = found[0]
        stored = json.loads(self._opened(self._minted_key, minted, lookup.encode(), "id"))
        subject = None
        if link is not None:
            epoch_key = self.epochs.get(epoch)
            if epoch_key is not None:
                subject = UUID(self._opened(epoch_key, link, lookup.encode(), "id").decode())
        return Minted(UUID(stored["reference"]), stored["commitment"]), subject

    def subject_of_use(self, use_id: UUID) -> UUID | None:
        """The subject a recorded use was minted for (None if none was, or the person is erased):
        lets a retried command find the subject it stored the first time."""
        found = self._use(use_id)
        return None if found is None else found[1]

    def mint_reference(self, subject_id: UUID, use_id: UUID) -> Minted:
        with self._lock:
            existing = self._use(use_id)
            if existing is not None:
                minted, owner = existing
                if owner is None:
                    return minted  # the person was erased since: the use still answers as before
                if owner != subject_id:
                    raise DuplicateCommandError(
                        f"id {use_id} already has a reference for another person", field="id"
                    )
                return minted
            data = self.read(subject_id)
            key, _ = self._subject(subject_id)
            epoch, epoch_key = self._epoch_of(subject_id)
            salt, reference = new_salt(), uuid4()
            committed = commitment(salt, data)
            lookup = _mac(self._lookups, f"ref:{reference}")
            secret = json.dumps({"salt": salt.hex(), "data": data.canonical().decode()})
            with self._transaction():
                listed = self._uses_for_update(subject_id, key)
                self._rows(
                    "INSERT INTO vault_uses VALUES (?, ?, ?, ?, ?, ?, 0)",
                    (
                        lookup,
                        _mac(self._lookups, f"use:{use_id}"),
                        _seal(
                            self._minted_key,
                            json.dumps(
                                {"reference": str(reference), "commitment": committed}
                            ).encode(),
                            lookup.encode(),
                        ),
                        epoch,
                        _seal(epoch_key, str(subject_id).encode(), lookup.encode()),
                        _seal(key, secret.encode(), lookup.encode()),
                    ),
                )
                self._set_uses(subject_id, key, [*listed, str(reference)])
            return Minted(reference, committed)

    def _uses_for_update(self, subject_id: UUID, key: bytes) -> list[str]:
        """The subject's list of uses, read inside a transaction that will write it back."""
        lock = " FOR UPDATE" if self._placeholder == "%s" else ""
        (uses,) = self._rows(
            "SELECT uses FROM vault_people WHERE subject_id = ?" + lock, (str(subject_id),)
        )[0]
        found: list[str] = json.loads(
            self._opened(key, uses, b"uses:" + str(subject_id).encode(), "subject_id")
        )
        return found

    def _entry(self, use_id: UUID) -> str:
        return _mac(self._lookups, f"entry:{use_id}")

    def mint_for_person(self, person: NewPerson, use_id: UUID) -> Minted:
        """Enter a person given in a command under a new random subject owned by `person.owner`,
        and mint the use's reference. A repeat of the use stores no one again (which would revive
        a person erased since): it gets the same reference, if it gives the data it committed to."""
        with self._lock:
            existing = self._use(use_id)
            if existing is None:
                subject = uuid4()
                self.put(subject, person.data, owner=person.owner, entered_for=use_id)
                return self.mint_reference(subject, use_id)
            minted, subject_id = existing
            if subject_id is not None:
                lookup, _, secret = self._reference(minted.reference)
                key, _ = self._subject(subject_id)
                opened = json.loads(self._opened(key, secret, lookup.encode(), "id"))
                if opened["data"] != person.data.canonical().decode():
                    raise DuplicateCommandError(
                        f"id {use_id} was already used with other personal data; choose a new id",
                        field="id",
                    )
            return minted

    def _set_uses(self, subject_id: UUID, key: bytes, uses: list[str]) -> None:
        self._rows(
            "UPDATE vault_people SET uses = ? WHERE subject_id = ?",
            (
                _seal(key, json.dumps(uses).encode(), b"uses:" + str(subject_id).encode()),
                str(subject_id),
            ),
        )

    def discard_use(self, use_id: UUID) -> None:
        """Remove the reference minted for a use that was never recorded (its command was refused):
        no event names it, so nothing of the person should stay behind for it; nor the person,
        if the command entered them."""
        with self._lock:
            found = self._use(use_id)
            if found is None:
                self._discard_entered_for(use_id)
                return
            minted, subject_id = found
            key = None if subject_id is None else self._subject(subject_id)[0]
            with self._transaction():
                use_lookup = _mac(self._lookups, f"use:{use_id}")
                self._rows("DELETE FROM vault_circumstances WHERE use_lookup = ?", (use_lookup,))
                self._rows("DELETE FROM vault_uses WHERE use_lookup = ?", (use_lookup,))
                if subject_id is not None and key is not None:
                    listed = self._uses_for_update(subject_id, key)
                    kept = [r for r in listed if r != str(minted.reference)]
                    self._set_uses(subject_id, key, kept)
            self._discard_entered_for(use_id)

    # --- a relief case's detailed reasons --------------------------------------------------------

    def commit_circumstances(self, use_id: UUID, codes: tuple[str, ...]) -> str:
        """Seal a case's detailed reason codes, and the salt of their commitment, under the key of
        the person its reference (minted first) is for; return the commitment. The same codes again
        give the same commitment; other codes for the same use are another command. The salt is
        sealed too: with so few codes, a salt in clear would open the public commitment."""
        key = self._key_of_use(use_id)
        lookup, aad = _mac(self._lookups, f"use:{use_id}"), f"circumstances:{use_id}".encode()
        existing = self._rows(
            "SELECT payload, commitment FROM vault_circumstances WHERE use_lookup = ?", (lookup,)
        )
        if existing:
            sealed, committed = existing[0]
            opened = json.loads(self._opened(key, sealed, aad, "case_id"))
            if tuple(opened["codes"]) != tuple(json.loads(canonical_codes(codes))):
                raise DuplicateCommandError(
                    f"id {use_id} was already used with another reason_code; choose a new id",
                    field="id",
                )
            return str(committed)
        salt = new_salt()
        committed = reason_commitment(salt, codes)
        payload = json.dumps({"salt": salt.hex(), "codes": json.loads(canonical_codes(codes))})
        self._rows(
            "INSERT INTO vault_circumstances VALUES (?, ?, ?, ?)",
            (lookup, str(use_id), _seal(key, payload.encode(), aad), committed),
        )
        return committed

    def circumstances(self) -> list[tuple[UUID, tuple[str, ...]]]:
        """Every use's detailed reason codes that can still be read, by use id."""
        found = []
        for (use_id,) in self._rows("SELECT use_id FROM vault_circumstances ORDER BY use_id"):
            try:
                _, codes, _ = self.prove_circumstances(UUID(use_id))
            except (UnknownSubject, SubjectErased, DamagedRecord):
                continue
            found.append((UUID(use_id), codes))
        return found

    def prove_circumstances(self, use_id: UUID) -> tuple[str, tuple[str, ...], str]:
        """The salt (hex), the codes and the commitment of a case's reasons: what lets an auditor
        check the public event's `reason_commitment`."""
        key = self._key_of_use(use_id)
        found = self._rows(
            "SELECT payload, commitment FROM vault_circumstances WHERE use_lookup = ?",
            (_mac(self._lookups, f"use:{use_id}"),),
        )
        if not found:
            raise UnknownSubject(f"use {use_id} has no reasons in the vault", field="case_id")
        sealed, committed = found[0]
        opened = json.loads(
            self._opened(key, sealed, f"circumstances:{use_id}".encode(), "case_id")
        )
        return opened["salt"], tuple(opened["codes"]), str(committed)

    def _key_of_use(self, use_id: UUID) -> bytes:
        """The data key of the person a use's reference was minted for."""
        found = self._use(use_id)
        if found is None or found[1] is None:
            raise UnknownSubject(f"use {use_id} has no reference in the vault", field="case_id")
        return self._subject(found[1])[0]

    def _discard_entered_for(self, use_id: UUID) -> None:
        """Remove the person a refused command entered, unless a use of theirs was recorded."""
        for (subject,) in self._rows(
            "SELECT subject_id FROM vault_people WHERE entered_for = ? AND erased_on IS NULL",
            (self._entry(use_id),),
        ):
            self.discard_subject(UUID(subject))

    def discard_subject(self, subject_id: UUID) -> None:
        """Remove a subject no reference uses: one stored for a command that was then refused."""
        with self._lock:
            if not self._references_of(subject_id):
                self._rows("DELETE FROM vault_people WHERE subject_id = ?", (str(subject_id),))

    def _references_of(self, subject_id: UUID) -> list[str]:
        key, (_, _, uses) = self._subject(subject_id)
        found: list[str] = json.loads(
            self._opened(key, uses, b"uses:" + str(subject_id).encode(), "subject_id")
        )
        return found

    def references_of(self, subject_id: UUID) -> list[UUID]:
        """The references minted for a subject's uses, oldest first (for the privacy officer, who
        shows the person which records of the log are theirs); raises as `read` does."""
        return [UUID(r) for r in self._references_of(subject_id)]

    def _reference(self, reference: UUID) -> tuple[str, UUID, Any]:
        """A live reference's lookup, subject and sealed secret."""
        lookup = _mac(self._lookups, f"ref:{reference}")
        found = self._rows(
            "SELECT epoch, link, secret, erased FROM vault_uses WHERE lookup = ?", (lookup,)
        )
        if not found:
            raise UnknownSubject(
                f"reference: the vault holds no reference {reference}", field="reference"
            )
        epoch, link, secret, erased = found[0]
        if erased:
            raise SubjectErased(
                f"reference: the person behind {reference} was erased", field="reference"
            )
        epoch_key = self.epochs.get(epoch)
        if epoch_key is None:
            raise DamagedRecord(
                "reference: the vault's record cannot be decrypted; restore it from a backup",
                field="reference",
            )
        subject = UUID(self._opened(epoch_key, link, lookup.encode(), "reference").decode())
        return lookup, subject, secret

    def subject_of_reference(self, reference: UUID) -> UUID:
        """The subject behind a public reference (for the privacy officer)."""
        return self._reference(reference)[1]

    def prove(self, reference: UUID) -> Proof:
        lookup, subject_id, secret = self._reference(reference)
        try:
            key, _ = self._subject(subject_id)
        except DamagedRecord:
            raise DamagedRecord(
                "reference: the vault's record cannot be decrypted; restore it from a backup",
                field="reference",
            ) from None
        opened = json.loads(self._opened(key, secret, lookup.encode(), "reference"))
        data = PersonalData.from_canonical(opened["data"].encode())
        return Proof(
            reference,
            opened["salt"],
            opened["data"],
            commitment(bytes.fromhex(opened["salt"]), data),
        )

    def read_reference(self, reference: UUID) -> PersonalData:
        """The current data of the person behind a reference, corrections included (the public page
        names donors and mentors who consented this way, at render time); raises as `read` does
        once the person is erased.

        The link alone does not decide whose name is shown: the use's committed copy must open under
        the data key of the person the link names (only that person's key sealed it), and that
        person's list of uses must hold the reference. A use re-pointed at another person fails
        both, and is refused as a damaged record (the page leaves the name out) instead of showing
        the other person's name."""
        lookup, subject_id, secret = self._reference(reference)
        key, (_, payload, uses) = self._subject(subject_id)
        self._opened(key, secret, lookup.encode(), "reference")
        listed = json.loads(
            self._opened(key, uses, b"uses:" + str(subject_id).encode(), "reference")
        )
        if str(reference) not in listed:
            self.damaged += 1
            log.error("a vault use's person does not list it (reference); restore it from a backup")
            raise DamagedRecord(
                "reference: the vault's record cannot be decrypted; restore it from a backup",
                field="reference",
            )
        return PersonalData.from_canonical(
            self._opened(key, payload, str(subject_id).encode(), "subject_id")
        )

    def erased_on(self, subject_id: UUID) -> date | None:
        """When the subject was erased, or None if their data is still held (UnknownSubject if the
        vault never held them): lets an erasure be repeated and answered the same way."""
        found = self._rows(
            "SELECT erased_on FROM vault_people WHERE subject_id = ?", (str(subject_id),)
        )
        if not found:
            raise unknown_subject(subject_id)
        return None if found[0][0] is None else date.fromisoformat(found[0][0])

    def linked_references(self, reference: UUID) -> list[UUID]:
        """Other references of the same person (privileged: for duplicate-aid checks)."""
        subject_id = self._reference(reference)[1]
        return sorted(UUID(r) for r in self._references_of(subject_id) if r != str(reference))

    def erase(self, subject_id: UUID, erased_on: date) -> None:
        """Delete the subject's key and data and every use's link, salt and copy, then rotate the
        epoch so that no copy of the database taken before holds anything a remaining key opens.
        Each erased use keeps only its reference and commitment, which the public log holds anyway."""
        with self._lock:
            references = self._references_of(subject_id)
            with self._transaction():
                for reference in references:
                    # The codes are few: with its salt, a reason commitment could be opened by
                    # trying them all (the rows are sealed under the key this erasure destroys).
                    self._rows(
                        "DELETE FROM vault_circumstances WHERE use_lookup IN"
                        " (SELECT use_lookup FROM vault_uses WHERE lookup = ?)",
                        (_mac(self._lookups, f"ref:{reference}"),),
                    )
                    self._rows(
                        "UPDATE vault_uses SET epoch = NULL, link = NULL, secret = NULL, erased = 1"
                        " WHERE lookup = ?",
                        (_mac(self._lookups, f"ref:{reference}"),),
                    )
                self._rows(
                    "UPDATE vault_people SET epoch = NULL, wrapped_key = NULL,"
                    " payload = NULL, uses = NULL, id_index = NULL, entered_for = NULL,"
                    " erased_on = ?"
                    " WHERE subject_id = ?",
                    (erased_on.isoformat(), str(subject_id)),
                )
            self.rotate()

    def rotate(self) -> int:
        """Re-wrap every live subject's key and use links under a new epoch key, then destroy the
        old ones (the operator's `mingzhang vault rotate`, and the end of every erasure). Returns
        the new epoch. A crash part-way leaves both keys in the epoch file, and the next rotation
        finishes the job."""
        with self._lock:
            epoch, new_key = self.epochs.begin()
            with self._transaction():
                for subject, old, wrapped, payload in self._rows(
                    "SELECT subject_id, epoch, wrapped_key, payload FROM vault_people"
                    " WHERE wrapped_key IS NOT NULL AND epoch <> ?",
                    (epoch,),
                ):
                    old_key = self.epochs.get(old)
                    if old_key is None:
                        continue  # wrapped under a key already lost: nothing can open it
                    key = self._opened(old_key, wrapped, f"key:{subject}".encode(), "subject_id")
                    data = PersonalData.from_canonical(
                        self._opened(key, payload, subject.encode(), "subject_id")
                    )
                    self._rows(
                        "UPDATE vault_people SET epoch = ?, wrapped_key = ?, id_index = ?"
                        " WHERE subject_id = ?",
                        (
                            epoch,
                            _seal(new_key, key, f"key:{subject}".encode()),
                            self._id_index(new_key, data.id_card),
                            subject,
                        ),
                    )
                for lookup, old, link in self._rows(
                    "SELECT lookup, epoch, link FROM vault_uses"
                    " WHERE link IS NOT NULL AND epoch <> ?",
                    (epoch,),
                ):
                    old_key = self.epochs.get(old)
                    if old_key is None:
                        continue
                    subject_bytes = self._opened(old_key, link, lookup.encode(), "reference")
                    self._rows(
                        "UPDATE vault_uses SET epoch = ?, link = ? WHERE lookup = ?",
                        (epoch, _seal(new_key, subject_bytes, lookup.encode()), lookup),
                    )
            self.epochs.finish(epoch)
            return epoch

    # --- checking the vault against the log (`mingzhang verify --vault`) -------------------------

    def _try_open(self, key: bytes | None, sealed: Any, aad: bytes) -> bytes | None:
        """Like `_opened`, but for the audit: a record that does not open is a finding to report,
        not a damaged page to log and count."""
        if key is None or sealed is None:
            return None
        try:
            return _open(key, bytes(sealed), aad)
        except InvalidTag:
            return None

    def _data_key(self, subject_id: UUID) -> tuple[bytes, list[str]] | None:
        """A live subject's data key and list of uses, or None if it cannot be read (unknown,
        erased, or a record that does not decrypt)."""
        found = self._rows(
            "SELECT epoch, wrapped_key, uses FROM vault_people"
            " WHERE subject_id = ? AND erased_on IS NULL",
            (str(subject_id),),
        )
        if not found:
            return None
        epoch, wrapped, uses = found[0]
        key = self._try_open(
            self.epochs.get(epoch) if epoch is not None else None,
            wrapped,
            f"key:{subject_id}".encode(),
        )
        listed = self._try_open(key, uses, b"uses:" + str(subject_id).encode())
        if key is None or listed is None:
            return None
        return key, list(json.loads(listed))

    def listed_uses(self) -> dict[str, list[UUID]]:
        """Every live subject's list of uses, inverted: reference -> the subjects that list it."""
        listing: dict[str, list[UUID]] = {}
        for (subject,) in self._rows(
            "SELECT subject_id FROM vault_people WHERE erased_on IS NULL ORDER BY subject_id"
        ):
            opened = self._data_key(UUID(subject))
            for reference in [] if opened is None else opened[1]:
                listing.setdefault(reference, []).append(UUID(subject))
        return listing

    def check_use(self, reference: UUID, claimed: str, listing: dict[str, list[UUID]]) -> UseCheck:
        """Does the vault's use of `reference` still open the commitment `claimed` by its event?
        Opens the committed copy under the data key of the person the use's link names (only the
        key of the person it was minted for sealed it) and recomputes the commitment; checks that
        this person, and no other, lists the use (`listing`, from `listed_uses`). An erased use
        keeps only its reference and commitment: that commitment must be the event's."""
        lookup = _mac(self._lookups, f"ref:{reference}")
        found = self._rows(
            "SELECT minted, epoch, link, secret, erased FROM vault_uses WHERE lookup = ?", (lookup,)
        )
        if not found:
            return UseCheck(problem="the vault holds no use for it; the vault was changed")
        minted, epoch, link, secret, erased = found[0]
        opened = self._try_open(self._minted_key, minted, lookup.encode())
        if opened is None:
            return UseCheck(
                problem="the vault's record of it cannot be decrypted; the vault was changed or damaged"
            )
        kept = json.loads(opened)["commitment"]
        if erased:
            if kept != claimed:
                return UseCheck(
                    problem="its person was erased, and the commitment the vault kept is not"
                    " the event's; the vault was changed"
                )
            return UseCheck(erased=True)
        if kept != claimed:
            return UseCheck(
                problem="the commitment the vault keeps for it is not the event's;"
                " the vault was changed"
            )
        epoch_key = None if epoch is None else self.epochs.get(epoch)
        subject_bytes = self._try_open(epoch_key, link, lookup.encode())
        if subject_bytes is None:
            return UseCheck(
                problem="its link to a person cannot be decrypted; the vault was changed or damaged"
            )
        subject = UUID(subject_bytes.decode())
        person = self._data_key(subject)
        if person is None:
            return UseCheck(
                problem="its link names a person the vault cannot read (unknown or erased);"
                " the use was re-pointed"
            )
        key, _ = person
        copy = self._try_open(key, secret, lookup.encode())
        if copy is None:
            return UseCheck(
                problem="its committed data is not sealed for the person its link names;"
                " the use was re-pointed"
            )
        committed = json.loads(copy)
        data = PersonalData.from_canonical(committed["data"].encode())
        if not hmac.compare_digest(commitment(bytes.fromhex(committed["salt"]), data), claimed):
            return UseCheck(
                problem="the vault's data for it does not open the event's commitment;"
                " the vault was changed"
            )
        if listing.get(str(reference), []) != [subject]:
            return UseCheck(
                problem="it is not listed among the uses of the person its link names, or is"
                " listed by another; the use was re-pointed"
            )
        return UseCheck()

    def check_circumstances(self, case_id: UUID, claimed: str) -> UseCheck:
        """Does the vault's record of a relief case's reasons still open the `reason_commitment`
        of the case's opening? Erased with the beneficiary (then `erased`)."""
        use_lookup = _mac(self._lookups, f"use:{case_id}")
        found = self._rows(
            "SELECT payload, commitment FROM vault_circumstances WHERE use_lookup = ?",
            (use_lookup,),
        )
        use = self._rows("SELECT erased FROM vault_uses WHERE use_lookup = ?", (use_lookup,))
        if not found:
            if use and use[0][0]:
                return UseCheck(erased=True)
            return UseCheck(problem="the vault holds no reasons for it; the vault was changed")
        sealed, kept = found[0]
        if kept != claimed:
            return UseCheck(
                problem="the reason commitment the vault keeps for it is not the event's;"
                " the vault was changed"
            )
        try:
            key = self._key_of_use(case_id)
        except (UnknownSubject, SubjectErased, DamagedRecord):
            return UseCheck(problem="the person its reference names cannot be read")
        opened = self._try_open(key, sealed, f"circumstances:{case_id}".encode())
        if opened is None:
            return UseCheck(
                problem="its reasons are not sealed for the person its reference names;"
                " the vault was changed"
            )
        reasons = json.loads(opened)
        if not hmac.compare_digest(
            reason_commitment(bytes.fromhex(reasons["salt"]), reasons["codes"]), claimed
        ):
            return UseCheck(
                problem="the vault's reasons for it do not open the event's reason_commitment;"
                " the vault was changed"
            )
        return UseCheck()

    def uses_named_by_none(self, named: set[UUID]) -> list[str]:
        """The references of the vault's uses that are not in `named` (those the log names), and
        the case ids of reasons no checked case named, as clauses for the report."""
        found = []
        for lookup, minted in self._rows("SELECT lookup, minted FROM vault_uses ORDER BY lookup"):
            opened = self._try_open(self._minted_key, minted, lookup.encode())
            if opened is None:
                found.append("a vault use whose record cannot be decrypted is named by no event")
                continue
            reference = UUID(json.loads(opened)["reference"])
            if reference not in named:
                found.append(f"reference {reference}: the vault holds a use that no event names")
        return found

    def reasons_named_by_none(self, cases: set[UUID]) -> list[str]:
        """The case ids of the vault's reasons that no case opening in the log carries."""
        return [
            f"case {use_id}: the vault holds reasons for a case whose opening carries none"
            for (use_id,) in self._rows("SELECT use_id FROM vault_circumstances ORDER BY use_id")
            if UUID(use_id) not in cases
        ]
