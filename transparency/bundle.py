"""Log bundles: one file holding a deployment's whole transparency log, to verify offline or import.

A bundle is JSON lines, gzip-compressed when its name ends in `.gz` (readers detect gzip by its magic
bytes): a header, then the signed checkpoint notes, then the leaf data of every entry, each on a line
of its own (byte by byte in docs/TRANSPARENCY.md). Export and import stream it in sections, so a log
of a million events is never in memory at once. What a bundle proves is decided by
`transparency.log_audit`, the same code that verifies a deployment over HTTP; this module reads and
writes files, and moves events between a bundle and an empty event store.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.ledger import Ledger
from projections.transparency import checkpoints, has_stored_tree
from storage.viewdb import ViewDB
from transparency.leaf import leaf_data, parse_leaf_data
from transparency.log_audit import Audit, Checkpoint, audit_log, key_name, open_checkpoint
from transparency.state import check_kept, keep

FORMAT = "mingzhang-log-bundle"
VERSION = 1
SECTION = 1000
GZIP_MAGIC = b"\x1f\x8b"


class BundleError(ValueError):
    """A bundle that does not parse, or a database that cannot take one; says what and where."""


@dataclass(frozen=True)
class Header:
    origin: str
    public_key: str
    size: int
    checkpoints: int


def _open_text(path: Path) -> IO[str]:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == GZIP_MAGIC
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8", newline="\n")
    return path.open(encoding="utf-8", newline="\n")


def _line(number: int, text: str, key: str) -> str:
    """The one string field `key` of a JSON-object line."""
    try:
        value = json.loads(text)
    except ValueError:
        raise BundleError(f"line {number}: not JSON") from None
    if not isinstance(value, dict) or set(value) != {key} or not isinstance(value[key], str):
        raise BundleError(f'line {number}: expected {{"{key}": "…"}}')
    found: str = value[key]
    return found


def _header(number: int, text: str) -> Header:
    try:
        value = json.loads(text)
    except ValueError:
        raise BundleError(f"line {number}: the header is not JSON") from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise BundleError(f'line {number}: not a bundle (no "format": "{FORMAT}" header)')
    if value.get("version") != VERSION:
        raise BundleError(
            f"line {number}: bundle version {value.get('version')!r} is not {VERSION}"
        )
    fields: dict[str, Any] = {
        "origin": str,
        "public_key": str,
        "size": int,
        "checkpoints": int,
    }
    for name, kind in fields.items():
        if not isinstance(value.get(name), kind) or isinstance(value.get(name), bool):
            raise BundleError(
                f"line {number}: the header's {name} is missing or not a {kind.__name__}"
            )
    return Header(value["origin"], value["public_key"], value["size"], value["checkpoints"])


@dataclass
class BundleReader:
    """One pass over a bundle: `header`, then `checkpoints` (all notes: small), then `entries` (leaf
    data, streamed). Each line is checked as it is read; `BundleError` names the line."""

    path: Path
    stream: IO[str] = field(init=False)
    number: int = field(init=False, default=0)

    def __enter__(self) -> BundleReader:
        try:
            self.stream = _open_text(self.path)
        except OSError as error:
            raise BundleError(f"cannot read {self.path}: {error.strerror or error}") from None
        return self

    def __exit__(self, *_: object) -> None:
        self.stream.close()

    def _next(self) -> str | None:
        try:
            text = self.stream.readline()
        except (OSError, EOFError, UnicodeDecodeError) as error:
            raise BundleError(f"line {self.number + 1}: unreadable ({error})") from None
        if not text:
            return None
        self.number += 1
        if not text.endswith("\n"):
            raise BundleError(f"line {self.number}: the file ends inside it")
        return text

    def header(self) -> Header:
        text = self._next()
        if text is None:
            raise BundleError(f"{self.path} is empty")
        return _header(self.number, text)

    def checkpoints(self, header: Header) -> list[str]:
        notes = []
        for _ in range(header.checkpoints):
            text = self._next()
            if text is None:
                raise BundleError(
                    f"the header promises {header.checkpoints} checkpoints; the file ends"
                )
            notes.append(_line(self.number, text, "checkpoint"))
        return notes

    def entries(self) -> Iterator[bytes]:
        while (text := self._next()) is not None:
            encoded = _line(self.number, text, "leaf")
            try:
                yield base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise BundleError(f"line {self.number}: the leaf data is not base64") from None


@dataclass
class BundleCheck:
    """The outcome of checking a bundle: the audit's problems plus the bundle's own, and which key
    the signatures were checked against."""

    key: str
    key_source: str
    audit: Audit = field(default_factory=Audit)
    header: Header | None = None
    problems: list[str] = field(default_factory=list)
    state: Path | None = None  # the file keeping the checkpoint verified before, if one was given
    kept: Checkpoint | None = None  # the checkpoint it kept (None: a first verification)
    kept_now: bool = False  # whether the bundle's last checkpoint was written to it

    @property
    def ok(self) -> bool:
        return not self.problems


def check_bundle(
    path: Path,
    key: str | None = None,
    progress: Callable[[int], None] = lambda done: None,
    state: Path | None = None,
) -> BundleCheck:
    """Verify a bundle offline: against `key` if given, else the bundle's own key (which proves the
    bundle is intact, not who made it). Every entry must also decode into an event an event store
    can hold, since import writes them. With `state`, the bundle's last checkpoint must also follow
    the one kept there (if any), and replaces it when everything holds."""
    check = BundleCheck(key or "", "the given", state=state)
    try:
        with BundleReader(path) as reader:
            header = check.header = reader.header()
            if key is None:
                check.key, check.key_source = header.public_key, "the bundle's own"
            notes = reader.checkpoints(header)
            decoded = _decoded(reader.entries(), check.problems)
            check.audit = audit_log(
                notes, decoded, check.key, origin=header.origin, progress=progress
            )
    except BundleError as error:
        check.problems.append(str(error))
        return check
    check.problems = check.audit.problems + check.problems
    if check.audit.tree.size != header.size:
        check.problems.append(
            f"the header says {header.size} entries but the bundle holds {check.audit.tree.size}"
        )
    last = check.audit.last
    if state is not None and last is not None:
        check.kept, problems = check_kept(state, check.key, last, check.audit.tree)
        check.problems.extend(problems)
        if check.ok:
            check.kept_now = keep(state, last.note, check.problems)
    return check


def _decoded(entries: Iterator[bytes], problems: list[str]) -> Iterator[bytes]:
    """Pass entries through, noting (once) the first whose leaf data is not an event."""
    for index, data in enumerate(entries):
        if not problems:
            try:
                stored_event(data)
            except ValueError as error:
                problems.append(f"entry {index}: {error}")
        yield data


def stored_event(data: bytes) -> StoredEvent:
    originator_id, version, topic, state = parse_leaf_data(data)
    try:
        ident = UUID(originator_id)
    except ValueError:
        raise ValueError(f"originator id {originator_id[:40]!r} is not a UUID") from None
    if str(ident) != originator_id:
        # The ledger writes canonical UUIDs; another spelling would not hash back to this leaf.
        raise ValueError(f"originator id {originator_id[:40]!r} is not a canonical UUID")
    return StoredEvent(originator_id=ident, originator_version=version, topic=topic, state=state)


# --- export --------------------------------------------------------------------------------------


def export_bundle(
    ledger: Ledger,
    views: ViewDB,
    public_key: str,
    path: Path,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> tuple[int, int]:
    """Write every signed checkpoint and the entries up to the last one to `path` (atomically: a
    temporary file renamed into place). Events after the last checkpoint are left out: they are not
    signed yet. Returns (entries, checkpoints)."""
    notes = [checkpoint.note for checkpoint in checkpoints(views)]
    if not notes:
        raise BundleError("no checkpoint has been signed yet: nothing to export")
    last = open_checkpoint(notes[-1], public_key)
    if last.size > ledger.head():
        raise BundleError(
            f"the last checkpoint covers {last.size} events; the log holds {ledger.head()}"
        )
    header = {
        "format": FORMAT,
        "version": VERSION,
        "origin": last.origin,
        "public_key": public_key,
        "size": last.size,
        "checkpoints": len(notes),
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        raw = temporary.open("wb")
        with gzip.GzipFile(fileobj=raw, mode="wb") if path.name.endswith(".gz") else raw as out:
            out.write(_json_line(header))
            for note in notes:
                out.write(_json_line({"checkpoint": note}))
            done = 0
            while done < last.size:
                section = ledger.recorder.select_notifications(
                    done + 1, min(SECTION, last.size - done)
                )
                for n in section:
                    data = leaf_data(
                        str(n.originator_id), n.originator_version, n.topic, bytes(n.state)
                    )
                    out.write(_json_line({"leaf": base64.b64encode(data).decode()}))
                done += len(section)
                progress(done, last.size)
                if not section:
                    raise BundleError(f"the log ends at position {done}, before {last.size}")
        raw.close()
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return last.size, len(notes)


def _json_line(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


# --- import --------------------------------------------------------------------------------------


def log_is_empty(ledger: Ledger, views: ViewDB) -> bool:
    if ledger.head():
        return False
    return not has_stored_tree(views)


def import_entries(
    ledger: Ledger,
    path: Path,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> int:
    """Insert a bundle's entries into the (empty) event store in order, a section per transaction,
    so each entry's position is its leaf index + 1. The bundle must have been checked already."""
    with BundleReader(path) as reader:
        header = reader.header()
        reader.checkpoints(header)
        return insert_entries(ledger, reader.entries(), header.size, progress)


def insert_entries(
    ledger: Ledger,
    entries: Iterable[bytes],
    total: int,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> int:
    """Decode leaf data back to stored events and append them after the log's head, a section per
    transaction, each at position head + its place in `entries` (a bundle's, or entries fetched
    from a deployment's public endpoints). Returns how many were inserted."""
    section: list[StoredEvent] = []
    before = done = ledger.head()
    for data in entries:
        section.append(stored_event(data))
        if len(section) == SECTION:
            done += _insert(ledger, section, done)
            progress(done - before, total)
            section = []
    if section:
        done += _insert(ledger, section, done)
        progress(done - before, total)
    return done - before


def _insert(ledger: Ledger, section: list[StoredEvent], before: int) -> int:
    # PostgreSQL's recorder COPYs a section (storage/ledger_store.py); the others insert it.
    copy = getattr(ledger.recorder, "copy_events", None)
    if copy is not None:
        copy(section)
    else:
        ledger.recorder.insert_events(section)
    head = ledger.head()
    if head != before + len(section):
        # Positions must be leaf index + 1; a gap (a sequence that skipped) breaks the tree.
        raise BundleError(f"after {before + len(section)} entries the log's head is at {head}")
    return len(section)


def describe_key(check: BundleCheck) -> str:
    return f"{check.key_source} key {key_name(check.key)}"
