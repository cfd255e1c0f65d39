"""The transparency log: an RFC 9162 Merkle tree over the events, kept as a projection.

Leaf i is the i-th committed event, in position order; its data is `transparency.leaf.leaf_data` of
the stored event (byte by byte in docs/TRANSPARENCY.md). Hashes are stored in
the tlog layout: (level L, index K) is the root of the perfect subtree of 2^L leaves that starts at leaf
K·2^L — about two stored hashes per leaf — so the root at any size and any proof read O(log n) of them.

After each batch the view signs a C2SP checkpoint (origin, size, root) as a signed note; before it signs,
it opens the last note it signed with its own verifier key and recomputes the root of that note's size
from the stored hashes, and refuses to sign (the view stops, and `/health` says why) if the note does
not open or that root is not the signed one. The table's `size` and `root` columns are unsigned copies
for reading; nothing is decided on them.

The reads beside it serve the public endpoints: the checkpoints signed (`latest_checkpoint`,
`checkpoint_signed_at`, `checkpoint_at_or_before`, `signed_size`), roots and proofs assembled
from the stored hashes, and C2SP tiles cut from them (`stored_tile`: tile level L is stored level 8·L,
one range query) and from the event store (`stored_entry_bundle`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from projections.view import View, ViewRefusal
from storage.viewdb import ViewDB
from transparency import tlog
from transparency.leaf import leaf_data, stored_leaf_hash
from transparency.log_audit import open_checkpoint
from transparency.merkle import HASH_SIZE, node_hash
from transparency.signed_note import Signer, checkpoint_body
from transparency.tiles import Tile, entry_bundle

T = TypeVar("T")


class InconsistentLog(ViewRefusal):
    """The stored tree no longer has the root a previous checkpoint signed, or lacks a hash it needs.
    Its message names sizes, levels and indices only, so `/health` shows it."""


class TransparencyView(View):
    name = "transparency"
    tables = ("tlog_hashes", "tlog_checkpoints")
    ddl = (
        "CREATE TABLE IF NOT EXISTS tlog_hashes (level INTEGER NOT NULL, idx BIGINT NOT NULL,"
        " hash BYTEA NOT NULL, PRIMARY KEY (level, idx))",
        "CREATE TABLE IF NOT EXISTS tlog_checkpoints (size BIGINT PRIMARY KEY, root BYTEA NOT NULL,"
        " note TEXT NOT NULL)",
    )
    wants_notifications = True

    def __init__(self, signer: Signer, origin: str) -> None:
        self.signer = signer
        self.origin = origin

    def create(self, db: ViewDB) -> None:
        for statement in self.ddl:
            db.execute(statement.replace("BYTEA", "BLOB") if db.dialect == "sqlite" else statement)

    def apply(self, db: ViewDB, position: int, event: Any) -> None:
        self.apply_batch(db, [(position, event)])

    def apply_batch(self, db: ViewDB, events: Sequence[tuple[int, Any]]) -> None:
        """`events` are (position, stored notification) pairs, since `wants_notifications`."""
        notifications = [n for _, n in events]
        if not notifications:
            return
        size = notifications[0].id - 1
        # The compact range this batch extends: up to log2(size) stored hashes, read in one query.
        parts = tlog.perfect_subtrees(size)
        found = _stored_hashes(db, parts)
        missing = [part for part in parts if part not in found]
        if missing:
            level, index = missing[0]
            msg = (
                f"the stored tree has no hash at level {level}, index {index}, which the next"
                " checkpoint is built on; nothing more is signed"
            )
            raise InconsistentLog(msg)
        stack = [(level, found[(level, index)]) for level, index in parts]
        rows: list[tuple[int, int, bytes]] = []
        for n, notification in enumerate(notifications, start=size):
            node = stored_leaf_hash(notification)
            rows.append((0, n, node))
            level, index = 0, n
            while stack and stack[-1][0] == level:
                _, left = stack.pop()
                node = node_hash(left, node)
                level, index = level + 1, index >> 1
                rows.append((level, index, node))
            stack.append((level, node))
        db.execute_many("INSERT INTO tlog_hashes VALUES (?, ?, ?)", rows)
        new_size = size + len(notifications)
        root = stack[-1][1]
        for _, left in reversed(stack[:-1]):
            root = node_hash(left, root)
        self._check_previous(db)
        note = self.signer.sign(checkpoint_body(self.origin, new_size, root))
        db.execute("INSERT INTO tlog_checkpoints VALUES (?, ?, ?)", (new_size, root, note))

    def _check_previous(self, db: ViewDB) -> None:
        """Sign only on top of the last checkpoint signed, as its note says: anyone with the database
        can rewrite the events, recompute the stored tree and copy its root into the `root` column,
        but not re-sign the note."""
        last = latest_checkpoint(db)
        if last is None:
            return
        try:
            signed = open_checkpoint(last.note, self.signer.verifier_key())
        except ValueError as error:
            msg = (
                f"the last checkpoint stored (size {last.size}) does not open with this"
                f" deployment's key: {error}; nothing more is signed"
            )
            raise InconsistentLog(msg) from None
        if signed.size != last.size:  # the row that looks last may not be the last one signed
            msg = (
                f"the last checkpoint stored says size {last.size} but was signed at size"
                f" {signed.size}; the checkpoints table was edited; nothing more is signed"
            )
            raise InconsistentLog(msg)
        try:
            stored = root_at(db, signed.size)
        except InconsistentLog:  # a hash under the signed size is missing: not that tree either
            stored = None
        if stored != signed.root:
            msg = (
                "the stored tree is not consistent with the last signed checkpoint"
                f" (size {signed.size}); nothing more is signed"
            )
            raise InconsistentLog(msg)


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint the view signed: the tree's size and root, and the signed note as published."""

    size: int
    root: bytes
    note: str


def _checkpoint(rows: list[tuple[Any, ...]]) -> Checkpoint | None:
    if not rows:
        return None
    size, root, note = rows[0]
    return Checkpoint(int(size), bytes(root), str(note))


def latest_checkpoint(db: ViewDB) -> Checkpoint | None:
    """The last checkpoint signed, or None before the first."""
    return _checkpoint(
        db.execute("SELECT size, root, note FROM tlog_checkpoints ORDER BY size DESC LIMIT 1")
    )


def checkpoint_signed_at(db: ViewDB, size: int) -> Checkpoint | None:
    """The checkpoint signed at exactly this size, or None if none was."""
    return _checkpoint(
        db.execute("SELECT size, root, note FROM tlog_checkpoints WHERE size = ?", (size,))
    )


def checkpoint_at_or_before(db: ViewDB, size: int) -> Checkpoint | None:
    """The last checkpoint signed over at most `size` leaves (the log as it stood at position
    `size`, or before), or None if none was signed that early."""
    return _checkpoint(
        db.execute(
            "SELECT size, root, note FROM tlog_checkpoints WHERE size <= ?"
            " ORDER BY size DESC LIMIT 1",
            (size,),
        )
    )


def signed_size(db: ViewDB) -> int:
    """The size of the largest tree signed; 0 before the first checkpoint."""
    rows = db.execute("SELECT MAX(size) FROM tlog_checkpoints")
    return int(rows[0][0] or 0)


def checkpoints(db: ViewDB) -> list[Checkpoint]:
    """Every checkpoint the view signed, the smallest tree first."""
    rows = db.execute("SELECT size, root, note FROM tlog_checkpoints ORDER BY size")
    return [Checkpoint(int(size), bytes(root), str(note)) for size, root, note in rows]


def has_stored_tree(db: ViewDB) -> bool:
    """Whether the view holds any stored hash (False too before its tables exist)."""
    try:
        rows = db.execute("SELECT COUNT(*) FROM tlog_hashes")
    except Exception:  # no transparency table yet: nothing was ever projected here
        return False
    return bool(rows[0][0])


def first_leaf_from(db: ViewDB, index: int) -> int | None:
    """The lowest stored leaf index at or after `index`, or None."""
    return first_stored_from(db, 0, index)


def first_stored_from(db: ViewDB, level: int, index: int) -> int | None:
    """The lowest index of a stored hash of `level` at or after `index`, or None."""
    rows = db.execute(
        "SELECT MIN(idx) FROM tlog_hashes WHERE level = ? AND idx >= ?", (level, index)
    )
    return None if not rows or rows[0][0] is None else int(rows[0][0])


def stored_levels(db: ViewDB) -> int:
    """How many levels the stored tree has (the highest stored level + 1; 0 when it is empty)."""
    rows = db.execute("SELECT MAX(level) FROM tlog_hashes")
    return 0 if not rows or rows[0][0] is None else int(rows[0][0]) + 1


@dataclass(frozen=True)
class StoredLevel:
    """Stored hashes of one tree level, by index (the two lists run in step)."""

    indices: list[int]
    hashes: list[bytes]


def stored_level(db: ViewDB, level: int, start: int, stop: int, limit: int) -> StoredLevel:
    """At most `limit` stored hashes of `level` with index in [start, stop), in index order."""
    rows = db.execute(
        "SELECT idx, hash FROM tlog_hashes WHERE level = ? AND idx >= ? AND idx < ?"
        " ORDER BY idx LIMIT ?",
        (level, start, stop, limit),
    )
    return StoredLevel([int(i) for i, _ in rows], [bytes(h) for _, h in rows])


def stored_hash(db: ViewDB, level: int, index: int) -> bytes:
    rows = db.execute("SELECT hash FROM tlog_hashes WHERE level = ? AND idx = ?", (level, index))
    if not rows:
        raise InconsistentLog(_missing(level, index))
    return bytes(rows[0][0])


def _missing(level: int, index: int) -> str:
    return f"no stored hash at level {level}, index {index}"


# Roots and proofs are assembled in two passes over the same recursion: the first only notes which
# stored hashes it would read, one query fetches them all, the second assembles from what came back.
# One round trip per proof instead of one per hash (about 40 at a million leaves): what decides the
# cost on PostgreSQL, and most of it on SQLite.
_PLACEHOLDER = bytes(HASH_SIZE)


def _assemble(db: ViewDB, build: Callable[[tlog.Read], T]) -> T:
    wanted: list[tuple[int, int]] = []

    def note(level: int, index: int) -> bytes:
        wanted.append((level, index))
        return _PLACEHOLDER

    build(note)
    found = _stored_hashes(db, wanted)

    def read(level: int, index: int) -> bytes:
        if (level, index) not in found:
            raise InconsistentLog(_missing(level, index))
        return found[(level, index)]

    return build(read)


def _stored_hashes(db: ViewDB, wanted: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    unique = list(dict.fromkeys(wanted))
    if not unique:
        return {}
    # OR of key lookups, not a row-value IN list: SQLite scans the whole table for the latter.
    where = " OR ".join("(level = ? AND idx = ?)" for _ in unique)
    rows = db.execute(
        f"SELECT level, idx, hash FROM tlog_hashes WHERE {where}",
        [value for pair in unique for value in pair],
    )
    return {(int(level), int(index)): bytes(value) for level, index, value in rows}


def range_root(db: ViewDB, start: int, size: int) -> bytes:
    """MTH of the `size` leaves from `start` (O(log n) stored hashes, one query)."""
    return _assemble(db, lambda read: tlog.range_root(read, start, size))


def root_at(db: ViewDB, size: int) -> bytes:
    return range_root(db, 0, size)


def inclusion_path(db: ViewDB, index: int, size: int, start: int = 0) -> list[bytes]:
    """PATH(index, D[size]) from stored hashes."""
    return _assemble(db, lambda read: tlog.inclusion_path(read, index, size, start))


def consistency_path(db: ViewDB, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[second]) from stored hashes."""
    if first in (0, second):
        return []
    return _assemble(db, lambda read: tlog.consistency_path(read, first, second))


def stored_tile(db: ViewDB, tile: Tile) -> bytes:
    """The bytes of hash tile `tile`: its hashes of stored level 8·L, one range query. A hash the
    tile needs and the table lacks is `InconsistentLog` naming it."""
    stop = tile.first + tile.width
    found = stored_level(db, tile.hash_level, tile.first, stop, tile.width)
    if len(found.indices) != tile.width:
        have = set(found.indices)
        raise InconsistentLog(
            _missing(tile.hash_level, next(i for i in range(tile.first, stop) if i not in have))
        )
    return b"".join(found.hashes)


class MissingEntries(Exception):
    """The event store lacks positions a signed checkpoint covers; the message names them."""


def stored_entry_bundle(recorder: Any, tile: Tile) -> bytes:
    """The entry bundle `tile` (leaf data of leaves first..first+width-1) read from the event store's
    notifications; `MissingEntries` if any position is not there (never a shorter bundle: a full one
    is served as immutable), `transparency.tiles.EntryTooLarge` for leaf data above 65,535 bytes."""
    notifications = recorder.select_notifications(tile.first + 1, tile.width)
    positions = [int(n.id) for n in notifications]
    expected = list(range(tile.first + 1, tile.first + 1 + tile.width))
    if positions != expected:
        missing = sorted(set(expected) - set(positions))
        first = missing[0] if missing else expected[0]
        msg = f"the event store has no event at position {first}, which entry bundle {tile.path()} holds"
        raise MissingEntries(msg)
    return entry_bundle(
        leaf_data(str(n.originator_id), n.originator_version, n.topic, bytes(n.state))
        for n in notifications
    )
