"""A C2SP tlog-witness: cosign a log's checkpoint only if it extends the last one this witness cosigned.

`Witness.add_checkpoint` answers the body of `POST <prefix>/add-checkpoint` ("old <size>", up to 63
base64 consistency-proof lines, a blank line, the signed checkpoint) with exactly the status the spec
prescribes: 400 for a body that does not parse or an old size above the checkpoint's, 404 for an origin
it does not witness, 403 when no trusted key signed the checkpoint (or a trusted key's signature fails),
409 with its own size (`text/x.tlog.size`) when the old size is not the size it last cosigned, 422
when the consistency proof does not verify, the same size comes with another root, or an empty tree
with a root other than SHA-256(""), and 200 with one cosignature/v1 line once the new checkpoint is
stored. A signed checkpoint refused with 422 is kept in the state's `inconsistent` table: beside the
one cosigned it is the log's own signed proof of a fork. The check of the old size and the write of
the new checkpoint happen in one `WitnessState`
transaction, so of two concurrent submissions from the same size only one advances (tlog-witness.md
describes the rollback the other order would allow). The state keeps, per origin, the checkpoint
with this witness's own cosignature, and the witness opens it with its own key before deciding on it:
a row edited without the key stops the witness (503) rather than move it. Standard library,
`transparency.merkle`, the note modules and SQLite: no HTTP here (`api/witness_app.py` serves it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from transparency.cosignature import Cosigner, CosignerKey, cosignatures, parse_note
from transparency.log_audit import parse_checkpoint_body
from transparency.merkle import EMPTY_ROOT, HASH_SIZE, verify_consistency
from transparency.signed_note import NoteError, open_note

MAX_PROOF_LINES = 63  # tlog-witness.md: a client MUST NOT send more
MAX_BODY_BYTES = 128 * 1024  # 63 proof lines and a checkpoint with 16 post-quantum signatures fit
SIZE_CONTENT_TYPE = "text/x.tlog.size"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    """What the HTTP layer sends back: a status, a body, its content type."""

    status: int
    body: str
    content_type: str = TEXT_CONTENT_TYPE


class Malformed(ValueError):
    """A request body that is not what add-checkpoint takes (400)."""


@dataclass(frozen=True)
class Submission:
    old_size: int
    proof: tuple[bytes, ...]
    note: str


def _decimal(text: str, what: str) -> int:
    # ASCII decimal without leading zeroes ("0" for zero), as the spec spells a size.
    if not (text.isascii() and text.isdigit()) or text != str(int(text)):
        raise Malformed(f"{what} is not a decimal number without leading zeroes")
    return int(text)


def parse_submission(body: bytes) -> Submission:
    """The old size, proof and checkpoint note of an add-checkpoint body; `Malformed` otherwise."""
    if len(body) > MAX_BODY_BYTES:
        raise Malformed(f"the body is over {MAX_BODY_BYTES} bytes")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("the body is not UTF-8") from None
    head, separator, note = text.partition("\n\n")
    if not separator:
        raise Malformed("the body has no blank line before the checkpoint")
    lines = head.split("\n")
    if not lines[0].startswith("old "):
        raise Malformed("the body's first line is not 'old <size>'")
    old_size = _decimal(lines[0].removeprefix("old "), "the old size")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise Malformed(f"more than {MAX_PROOF_LINES} consistency proof lines")
    proof = []
    for line in lines[1:]:
        try:
            node = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            raise Malformed("a consistency proof line is not base64") from None
        if len(node) != HASH_SIZE:
            raise Malformed(f"a consistency proof line is not a {HASH_SIZE}-byte hash")
        proof.append(node)
    return Submission(old_size, tuple(proof), note)


def origin_of(note: str) -> str:
    """The origin line a note's (not yet verified) text claims."""
    return note.split("\n", 1)[0]


def origin_hash(origin: str) -> str:
    """tlog-witness.md's monitoring path: the lowercase hex SHA-256 of the origin."""
    return hashlib.sha256(origin.encode()).hexdigest()


@dataclass(frozen=True)
class Witnessed:
    """The last checkpoint this witness cosigned for an origin, opened with its own key."""

    size: int
    root: bytes
    note: str  # the log's signature and this witness's cosignature


def judge(
    old_size: int, proof: Sequence[bytes], size: int, root: bytes, last: Witnessed | None
) -> Answer | None:
    """The refusal tlog-witness.md prescribes for a checkpoint of (size, root) submitted as extending
    `old_size` with `proof`, against what was cosigned `last`; None if it may be cosigned."""
    if old_size > size:
        return Answer(400, f"the old size {old_size} is above the checkpoint's size {size}\n")
    current = 0 if last is None else last.size
    if old_size != current:
        return Answer(409, f"{current}\n", SIZE_CONTENT_TYPE)
    if size == 0 and root != EMPTY_ROOT:
        return Answer(422, "a checkpoint of size 0 has the empty tree's root\n")
    if old_size == 0:
        if proof:
            return Answer(422, "from size 0 the consistency proof is empty\n")
        return None
    assert last is not None  # old_size == current > 0
    if size == old_size:
        if root != last.root or proof:
            return Answer(422, f"size {size} was cosigned with another root\n")
        return None
    if not verify_consistency(old_size, size, last.root, root, proof):
        return Answer(422, f"the consistency proof from size {old_size} does not verify\n")
    return None


class StateUnusable(Exception):
    """The witness's stored checkpoint does not open with its own key: it was edited or lost."""


class WitnessState:
    """The witness's SQLite file: per log origin, the last checkpoint cosigned (its size and root,
    and the cosigned note that vouches for them)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS witnessed (origin TEXT PRIMARY KEY,"
                " size INTEGER NOT NULL, root BLOB NOT NULL, note TEXT NOT NULL)"
            )
            db.execute(
                "CREATE TABLE IF NOT EXISTS inconsistent (origin TEXT NOT NULL,"
                " received_at INTEGER NOT NULL, old_size INTEGER NOT NULL, note TEXT NOT NULL)"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE: the write lock is taken before the read, so a second submission reads
        only after the first has committed (or rolled back)."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @staticmethod
    def read(db: sqlite3.Connection, origin: str) -> str | None:
        rows = db.execute("SELECT note FROM witnessed WHERE origin = ?", (origin,)).fetchall()
        return str(rows[0][0]) if rows else None

    @staticmethod
    def write(db: sqlite3.Connection, origin: str, size: int, root: bytes, note: str) -> None:
        db.execute(
            "INSERT INTO witnessed VALUES (?, ?, ?, ?) ON CONFLICT (origin) DO UPDATE SET"
            " size = excluded.size, root = excluded.root, note = excluded.note",
            (origin, size, root, note),
        )

    @staticmethod
    def keep_evidence(
        db: sqlite3.Connection, origin: str, received_at: int, old_size: int, note: str
    ) -> None:
        db.execute(
            "INSERT INTO inconsistent VALUES (?, ?, ?, ?)", (origin, received_at, old_size, note)
        )

    def evidence(self, origin: str) -> list[str]:
        """The signed checkpoints of `origin` refused as inconsistent, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT note FROM inconsistent WHERE origin = ? ORDER BY rowid", (origin,)
            ).fetchall()
        return [str(note) for (note,) in rows]

    def cosigned_note(self, origin: str) -> str | None:
        with self._connect() as db:
            return self.read(db, origin)


class Witness:
    """One witness key, the logs it witnesses (origin → the logs' verifier keys) and its state."""

    def __init__(
        self,
        cosigner: Cosigner,
        logs: Mapping[str, Sequence[str]],
        state: WitnessState,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.cosigner = cosigner
        self.key = CosignerKey.parse(cosigner.verifier_key())
        self.logs = {origin: tuple(keys) for origin, keys in logs.items()}
        self.state = state
        self.clock = clock

    def add_checkpoint(self, body: bytes) -> Answer:
        try:
            submission = parse_submission(body)
        except Malformed as error:
            return Answer(400, f"{error}\n")
        origin = origin_of(submission.note)
        if not origin:
            return Answer(400, "the checkpoint has no origin line\n")
        keys = self.logs.get(origin)
        if keys is None:
            return Answer(404, "this witness does not witness that origin\n")
        try:
            text = _opened(submission.note, keys)
        except NoteError as error:
            return Answer(403, f"{error}\n")
        try:
            signed_origin, size, root = parse_checkpoint_body(text)
        except ValueError as error:
            return Answer(400, f"the checkpoint: {error}\n")
        assert signed_origin == origin
        timestamp = int(self.clock())
        line = self.cosigner.cosign(text, timestamp)
        with self.state.transaction() as db:
            try:
                last = self._last(origin, WitnessState.read(db, origin))
            except StateUnusable as error:
                return Answer(503, f"{error}\n")
            refusal = judge(submission.old_size, submission.proof, size, root, last)
            if refusal is not None and refusal.status == 422:
                # A checkpoint the log signed that does not extend what it signed before: kept, as
                # tlog-witness.md allows, since beside the stored one it proves a fork.
                WitnessState.keep_evidence(
                    db, origin, timestamp, submission.old_size, submission.note
                )
            if refusal is not None:
                return refusal
            kept = _own_lines_removed(submission.note, self.key) + line
            WitnessState.write(db, origin, size, root, kept)
        return Answer(200, line)

    def checkpoint(self, hashed_origin: str) -> Answer:
        """GET <prefix>/<origin hash>/checkpoint: the last checkpoint cosigned for that log."""
        for origin in self.logs:
            if origin_hash(origin) == hashed_origin:
                note = self.state.cosigned_note(origin)
                if note is None:
                    break
                try:
                    self._last(origin, note)
                except StateUnusable as error:
                    return Answer(503, f"{error}\n")
                return Answer(200, note)
        return Answer(404, "this witness has cosigned no checkpoint for that origin\n")

    def _last(self, origin: str, note: str | None) -> Witnessed | None:
        """The stored note, if this witness's own cosignature opens it. Its own key is enough (it
        signed the text only after checking the log's signature), and the log's key is not asked
        again, so a log whose key the operator rotates in --log is still followed from there."""
        if note is None:
            return None
        problem = f"the witness's stored checkpoint for {origin} does not open with its own key"
        try:
            if not cosignatures(note, [self.key]):
                raise StateUnusable(problem)
            signed_origin, size, root = parse_checkpoint_body(parse_note(note).text)
        except (NoteError, ValueError):
            raise StateUnusable(problem) from None
        if signed_origin != origin:
            raise StateUnusable(problem)
        return Witnessed(size, root, note)


def _opened(note: str, keys: Sequence[str]) -> str:
    """The note's text, if one of the log's `keys` signed it (a known key whose signature fails is
    refused even if another key's verifies, as signed-note.md recommends)."""
    opened, problems = None, []
    for key in keys:
        try:
            opened = open_note(note, key)
        except NoteError as error:
            if "does not verify" in str(error):
                raise
            problems.append(str(error))
    if opened is None:
        raise NoteError(problems[0] if problems else "no trusted key for this origin")
    return opened


def _own_lines_removed(note: str, key: CosignerKey) -> str:
    """The submitted note without a cosignature of this witness's own (a log may resend one)."""
    text, _, block = note.rstrip("\n").rpartition("\n\n")
    kept = [line for line in block.split("\n") if not _is_own(line, key)]
    return f"{text}\n\n" + "".join(f"{line}\n" for line in kept)


def _is_own(line: str, key: CosignerKey) -> bool:
    prefix = f"\u2014 {key.name} "
    if not line.startswith(prefix):
        return False
    try:
        blob = base64.b64decode(line[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        return False
    return blob[:4] == key.key_id
