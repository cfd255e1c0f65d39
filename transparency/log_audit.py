"""Checking a transparency log from the outside: signed checkpoints and leaf data in, problems out.

This is the one place where remote verification (`mingzhang verify --url`, entries fetched over HTTP)
and bundle verification (`mingzhang verify --bundle`, `mingzhang import`) decide whether a log holds:
`audit_log` opens every checkpoint note with the verifier key, parses its C2SP tlog-checkpoint body,
rebuilds the tree from the leaf data (`transparency.tlog.MemoryTree`, about 64 bytes per leaf), and checks each checkpoint's root against the first *size* entries, each checkpoint's
consistency with the one before, and that the last checkpoint covers every entry. `successor_problems`
and `extension_problems` compare a checkpoint with one verified earlier (a rollback, a rewritten
prefix, a consistency proof that does not verify). Standard library and `projections` only: the
callers fetch, read files and print.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from transparency.merkle import (
    HASH_SIZE,
    verify_consistency,
)
from transparency.signed_note import open_note
from transparency.tlog import MemoryTree


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint whose signature verified: its body's fields and the whole signed note."""

    origin: str
    size: int
    root: bytes
    note: str


def parse_checkpoint_body(body: str) -> tuple[str, int, bytes]:
    """C2SP tlog-checkpoint: origin, decimal size, base64 root, optional extension lines, each ending
    in a newline. `ValueError` naming what does not parse."""
    lines = body.split("\n")
    if not body.endswith("\n") or len(lines) < 4:
        msg = "its text is not a checkpoint (origin, size and base64 root, one per line)"
        raise ValueError(msg)
    origin, size_text, root_text = lines[:3]
    if not origin:
        raise ValueError("its origin line is empty")
    # Decimal ASCII without leading zeros: one size has one spelling, as in the Go implementation.
    if not (size_text.isascii() and size_text.isdigit()) or size_text != str(int(size_text)):
        msg = f"its size {size_text[:40]!r} is not a decimal number"
        raise ValueError(msg)
    try:
        root = base64.b64decode(root_text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("its root is not base64") from None
    if len(root) != HASH_SIZE:
        msg = f"its root is {len(root)} bytes, not {HASH_SIZE}"
        raise ValueError(msg)
    return origin, int(size_text), root


def open_checkpoint(note: str, verifier_key: str) -> Checkpoint:
    """The checkpoint in `note` if `verifier_key` signed it; otherwise `ValueError` (a `NoteError`
    for the signature) saying why."""
    origin, size, root = parse_checkpoint_body(open_note(note, verifier_key))
    return Checkpoint(origin, size, root, note)


def claimed_size(note: str) -> int | None:
    """The size a note's unsigned text claims, to name a checkpoint whose signature failed."""
    lines = note.split("\n")
    if len(lines) > 1 and lines[1].isascii() and lines[1].isdigit():
        return int(lines[1])
    return None


def key_name(verifier_key: str) -> str:
    """`<name>+<key id>` of a verifier key, to say which key was used without printing all of it."""
    return "+".join(verifier_key.strip().split("+")[:2])


@dataclass
class Audit:
    """What `audit_log` found: the problems (none means the log holds), the checkpoints whose
    signatures verified (in size order), and the tree rebuilt from the entries."""

    problems: list[str] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    tree: MemoryTree = field(default_factory=MemoryTree)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def last(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None


def audit_log(
    notes: Iterable[str],
    entries: Iterable[bytes],
    verifier_key: str,
    *,
    origin: str | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> Audit:
    """Check signed checkpoint `notes` (in the order given, which must be by growing size) against
    the leaf data of `entries` [0, n): every signature with `verifier_key`, one origin (`origin` if
    given), every root against the first *size* entries, consecutive checkpoints consistent, and the
    last checkpoint covering all n entries. Entries are hashed as they stream by; `progress` is told
    how many so far, every 1000."""
    audit = Audit()
    _open_all(notes, verifier_key, origin, audit)
    tree = audit.tree
    for data in entries:
        tree.append_data(data)
        if tree.size % 1000 == 0:
            progress(tree.size)
    progress(tree.size)
    _check_roots(audit)
    return audit


def _open_all(notes: Iterable[str], verifier_key: str, origin: str | None, audit: Audit) -> None:
    expected_origin = origin
    for number, note in enumerate(notes, start=1):
        size = claimed_size(note)
        where = f"checkpoint at size {size}" if size is not None else f"checkpoint {number}"
        try:
            checkpoint = open_checkpoint(note, verifier_key)
        except ValueError as error:
            audit.problems.append(f"{where}: {error} (key {key_name(verifier_key)})")
            continue
        where = f"checkpoint at size {checkpoint.size}"
        if expected_origin is None:
            expected_origin = checkpoint.origin
        if checkpoint.origin != expected_origin:
            audit.problems.append(
                f"{where}: its origin {checkpoint.origin!r} is not {expected_origin!r}"
            )
            continue
        if audit.checkpoints and checkpoint.size <= audit.checkpoints[-1].size:
            audit.problems.append(
                f"{where}: comes after the checkpoint at size {audit.checkpoints[-1].size};"
                " checkpoints must be in order of growing size"
            )
            continue
        audit.checkpoints.append(checkpoint)


def _check_roots(audit: Audit) -> None:
    tree, previous = audit.tree, None
    for checkpoint in audit.checkpoints:
        where = f"checkpoint at size {checkpoint.size}"
        if checkpoint.size > tree.size:
            audit.problems.append(f"{where}: covers more entries than the {tree.size} given")
            return
        if tree.root(checkpoint.size) != checkpoint.root:
            since = (
                f"; the entries after {previous.size}, the last checkpoint that holds, were"
                " changed, removed, added or moved"
                if previous is not None
                else ""
            )
            audit.problems.append(
                f"{where}: its root is not the root of the first {checkpoint.size} entries{since}"
            )
            # Every later root disagrees for the same reason: name the first place only.
            return
        if previous is not None and not verify_consistency(
            previous.size,
            checkpoint.size,
            previous.root,
            checkpoint.root,
            tree.consistency_proof(previous.size, checkpoint.size),
        ):
            audit.problems.append(
                f"{where}: not consistent with the checkpoint at size {previous.size}"
            )
            return
        previous = checkpoint
    if previous is None:
        if not audit.problems:
            audit.problems.append("no signed checkpoint: the entries are unsigned")
        return
    if previous.size < tree.size:
        audit.problems.append(
            f"entries {previous.size}..{tree.size - 1} are beyond the last signed checkpoint"
            f" (size {previous.size}): unsigned"
        )


def successor_problems(previous: Checkpoint, current: Checkpoint) -> list[str]:
    """Can `current` follow `previous`, verified before? Same origin, and no smaller tree: a log
    that shrinks has rolled back, which an append-only log never does."""
    if current.origin != previous.origin:
        return [
            f"the checkpoint's origin {current.origin!r} is not {previous.origin!r},"
            " the origin verified before"
        ]
    if current.size < previous.size:
        return [
            f"rollback: the latest checkpoint is at size {current.size}, smaller than the one"
            f" verified before at size {previous.size}"
        ]
    return []


def extension_problems(
    previous: Checkpoint, current: Checkpoint, prefix_root: bytes, proof: Sequence[bytes]
) -> list[str]:
    """Is `current` an append-only extension of `previous`? Both the root recomputed from the first
    `previous.size` entries (`prefix_root`) and the log's consistency proof must say so."""
    problem = (
        f"checkpoint at size {current.size} is not consistent with the one verified before"
        f" at size {previous.size}"
    )
    problems = []
    if prefix_root != previous.root:
        problems.append(f"{problem}: the first {previous.size} entries now have another root")
    if not verify_consistency(previous.size, current.size, previous.root, current.root, proof):
        problems.append(f"{problem}: the log's consistency proof does not verify")
    return problems
