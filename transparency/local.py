"""Local verification of a deployment: the events, the stored tree, the checkpoints and the views.

`verify_local` re-derives every leaf from the stored events and, in the same single pass over them,
every perfect-subtree hash above the leaves (`transparency.tlog.MemoryTree`), from which the root at
every checkpointed size is read in O(log n). It then compares the stored tree with the recomputed one
level by level (read in pages, in index order: every stored hash, none missing, none extra), opens
every checkpoint's note with the verifier key and takes its origin, size and root from the signed text
alone (the table's `size` and `root` columns are unsigned copies: one that differs from its note is a
finding of its own), checks each signed root against the recomputed root and its consistency with the
previous checkpoint through a proof served from the stored tree, and replays the log into fresh views
to compare them with the live ones; a view that has stopped on an event is a problem too, named with
that event's position. It reports the first position where anything
disagrees, and what disagrees. Cost: O(n) hashing and reading, O(log n) stored reads per checkpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.ledger import Ledger
from projections.runner import (
    PositionBeyondHead,
    build_as_of,
    stop_reasons,
    stopped_views,
    view_positions,
)
from projections.transparency import Checkpoint as StoredCheckpoint
from projections.transparency import (
    InconsistentLog,
    checkpoints,
    consistency_path,
    first_stored_from,
    stored_level,
    stored_levels,
)
from projections.view import View
from storage.viewdb import ViewDB
from transparency.leaf import stored_leaf_hash
from transparency.ledger_audit import audit_ledger
from transparency.log_audit import Checkpoint, open_checkpoint
from transparency.merkle import HASH_SIZE, verify_consistency
from transparency.state import check_kept, keep
from transparency.tlog import MemoryTree

SECTION = 5000
PAGE = 50_000  # stored hashes read per query: bounded memory on both backends, few round trips


@dataclass
class Report:
    """What `verify_local` found. `checkpoints`: how many signed checkpoints were checked against the
    log; `covered`: the size of the last one whose root and consistency held (the events a verified
    signature covers; those after it are not signed yet, or not verified); `kept`: the checkpoint
    `state` kept from an earlier verification (None on a first one), and `kept_now` whether `state`
    was written."""

    events: int = 0
    checkpoints: int = 0
    covered: int = 0
    problems: list[str] = field(default_factory=list)
    state: Path | None = None
    kept: Checkpoint | None = None
    kept_now: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_local(
    ledger: Ledger,
    views: ViewDB,
    verifier_key: str,
    replayed_views: Sequence[View] = (),
    progress: Callable[[int, int], None] = lambda done, total: None,
    state: Path | None = None,
    *,
    origin: str | None = None,
) -> Report:
    """`origin`: the deployment's log origin, which every checkpoint must name (default: the origin
    of the first checkpoint that opens, so at least all name one)."""
    report = Report()
    signed, table_problems = _open_checkpoints(checkpoints(views), verifier_key, origin)
    tree = MemoryTree()
    # One pass over the log: each section's leaves are hashed as the ledger audit reads it (what
    # the ledger loads instead of events, snapshots and the command index, and the fund
    # invariants). Reading the log twice was a fifth of verify's time (docs/PERFORMANCE.md).
    ledger_problems = audit_ledger(
        ledger, also=_leaves_into(tree, ledger.head(), progress), section=SECTION
    )
    report.events = tree.size
    _check_stored_tree(views, tree, signed, report)
    report.problems += table_problems
    _check_checkpoints(views, signed, tree, report)
    report.problems.extend(ledger_problems)
    reasons = stop_reasons(views)
    for view, position, error in stopped_views(views):
        reason = f": {reasons[view]}" if view in reasons else ""
        report.problems.append(f"view {view} stopped at position {position}: {error}{reason}")
    if replayed_views:
        _check_views(ledger, views, replayed_views, report)
    _check_state(signed[-1].note if signed else None, tree, verifier_key, state, report)
    return report


def _check_state(
    note: str | None, tree: MemoryTree, verifier_key: str, state: Path | None, report: Report
) -> None:
    """The latest checkpoint against the one `state` keeps, then kept in its place if all held."""
    try:
        latest = open_checkpoint(note, verifier_key) if note is not None else None
    except ValueError:  # already reported by the checkpoints' check
        return
    if latest is None or state is None:
        return
    report.state = state
    report.kept, problems = check_kept(state, verifier_key, latest, tree)
    report.problems.extend(problems)
    if report.ok:
        report.kept_now = keep(state, latest.note, report.problems)


def _leaves_into(
    tree: MemoryTree, head: int, progress: Callable[[int, int], None]
) -> Callable[[Sequence[Any]], None]:
    """What to do with each section of stored events: hash their leaves into `tree`."""

    def extend(notifications: Sequence[Any]) -> None:
        tree.extend([stored_leaf_hash(n) for n in notifications])
        progress(tree.size, head)

    return extend


def _check_stored_tree(
    views: ViewDB, tree: MemoryTree, signed: Sequence[Checkpoint], report: Report
) -> None:
    """Every stored hash must be the hash the log's events give at its place in the tree, and every
    hash the events give must be stored: none changed, deleted or added, at any level.

    Level by level, leaves first, so the first problem named is the lowest, leftmost one. Stored hashes
    are read in pages in index order (bounded memory on both backends, no dict of 2n hashes); a page of
    consecutive indices is compared as one byte string, and only a page that differs (or has gaps) is
    compared row by row."""
    # The view keeps the hashes of the events it has projected, no more: events recorded since are
    # not in the stored tree yet, and that is lag, not tampering.
    projected = min(tree.size, int(view_positions(views).get("transparency", tree.size)))
    for level in range(max(len(tree.levels), stored_levels(views))):
        count = projected >> level
        recomputed = tree.levels[level][: count * HASH_SIZE] if level < len(tree.levels) else b""
        found = _first_difference(views, level, recomputed)
        if found is not None:
            index, missing = found
            report.problems.append(
                f"position {(index << level) + 1}: the stored tree has no hash at level {level},"
                f" index {index} (a stored hash was deleted)"
                if missing
                else _changed(level, index, tree, signed)
            )
            return
        extra = first_stored_from(views, level, count)
        if extra is not None:
            report.problems.append(
                f"position {extra + 1}: the tree holds events the log no longer has"
                " (events were deleted)"
                if level == 0
                else f"position {(extra << level) + 1}: the stored tree has a hash at level"
                f" {level}, index {extra}, beyond the log's {tree.size} events"
                " (a stored hash was added)"
            )
            return


def _changed(level: int, index: int, tree: MemoryTree, signed: Sequence[Checkpoint]) -> str:
    """Which layer is wrong where a stored hash differs from the recomputed one. For a leaf: if the
    events still give the root signed by the first checkpoint covering it, the event is as signed
    and its stored leaf hash was changed; otherwise the event itself was."""
    position = (index << level) + 1
    if level > 0:
        return f"position {position}: a stored hash was changed (tree level {level}, index {index})"
    covering = next((c for c in signed if index < c.size <= tree.size), None)
    if covering is not None and tree.root(covering.size) == covering.root:
        return (
            f"position {position}: the stored leaf hash was changed; the event still matches the"
            f" signed checkpoint at size {covering.size}"
        )
    return (
        f"position {position}: an event was changed, removed, inserted or moved"
        f" (tree level 0, index {index})"
    )


def _first_difference(
    views: ViewDB, level: int, recomputed: bytes | bytearray
) -> tuple[int, bool] | None:
    """The lowest index of `level` below the recomputed level's length whose stored hash differs from
    the recomputed one or is missing, and whether it is missing; None if every one is there and
    equal. (Stored hashes beyond the recomputed level are looked for apart.)"""
    count, start = len(recomputed) // HASH_SIZE, 0
    while start < count:
        page = stored_level(views, level, start, count, PAGE)
        if not page.indices:
            return start, True
        first, last = page.indices[0], page.indices[-1]
        expected = first == start and last - first + 1 == len(page.indices)
        run = recomputed[first * HASH_SIZE : (last + 1) * HASH_SIZE]
        if not (expected and b"".join(page.hashes) == run):
            for want, (index, value) in enumerate(
                zip(page.indices, page.hashes, strict=True), start
            ):
                if index != want:
                    return want, True
                if value != recomputed[index * HASH_SIZE : (index + 1) * HASH_SIZE]:
                    return index, False
        start = last + 1
    return None


def _open_checkpoints(
    rows: Sequence[StoredCheckpoint], verifier_key: str, origin: str | None
) -> tuple[list[Checkpoint], list[str]]:
    """Every stored note that opens with `verifier_key` and names the origin, as its signed text says
    it (by growing signed size), and what is wrong with the rows: a note that does not open, another
    origin, a `size` or `root` column that is not what the note signed."""
    signed: dict[int, Checkpoint] = {}
    problems: list[str] = []
    expected = origin
    edited_roots: list[int] = []
    for row in rows:
        try:
            checkpoint = open_checkpoint(row.note, verifier_key)
        except ValueError as error:  # NoteError too: the signature, or the key itself
            problems.append(f"checkpoint at size {row.size}: {error}")
            continue
        where = f"checkpoint at size {checkpoint.size}"
        expected = expected or checkpoint.origin
        if checkpoint.origin != expected:
            problems.append(f"{where}: its origin {checkpoint.origin!r} is not {expected!r}")
            continue
        if row.size != checkpoint.size:
            problems.append(
                f"{where}: the stored size column says {row.size}, not the signed size;"
                " the table was edited"
            )
        if row.root != checkpoint.root:
            edited_roots.append(checkpoint.size)
        same = signed.setdefault(checkpoint.size, checkpoint)
        if same.root != checkpoint.root:
            problems.append(f"{where}: two notes signed at this size have different roots (a fork)")
    if edited_roots:
        more = len(edited_roots) - 1
        problems.append(
            f"checkpoint at size {min(edited_roots)}: the stored root column is not the signed root;"
            " the table was edited"
            + (
                f" (and {more} later {'checkpoint' if more == 1 else 'checkpoints'} likewise)"
                if more
                else ""
            )
        )
    return [signed[size] for size in sorted(signed)], problems


def _check_checkpoints(
    views: ViewDB, signed: Sequence[Checkpoint], tree: MemoryTree, report: Report
) -> None:
    """Each signed root against the root of the log's first *size* events, and each checkpoint's
    consistency with the one before; the first that fails is named, and the checks stop there."""
    previous: tuple[int, bytes] | None = None
    for checkpoint in signed:
        size, root = checkpoint.size, checkpoint.root
        report.checkpoints += 1
        if size > tree.size:
            report.problems.append(
                f"checkpoint at size {size}: the log holds only {tree.size} events"
            )
            return
        if tree.root(size) != root:
            report.problems.append(
                f"position {size}: the checkpoint's root is not the root of the log's first {size} events"
            )
            return
        if previous is not None and not _consistent(views, previous, (size, root)):
            report.problems.append(
                f"checkpoint at size {size}: inconsistent with the one at size {previous[0]}"
            )
            return
        previous = (size, root)
        report.covered = size


def _consistent(views: ViewDB, first: tuple[int, bytes], second: tuple[int, bytes]) -> bool:
    """The proof the public endpoint would serve, from the stored tree, checked against the roots
    recomputed from the events: O(log n) stored reads instead of re-hashing the prefix."""
    try:
        proof = consistency_path(views, first[0], second[0])
    except InconsistentLog:  # a stored hash the proof needs is missing
        return False
    return verify_consistency(first[0], second[0], first[1], second[1], proof)


def _check_views(
    ledger: Ledger, views: ViewDB, replayed_views: Sequence[View], report: Report
) -> None:
    """Each table of each view, replayed from the log up to the view's own position, against the
    live table: row by row in primary-key order, a page at a time on both sides (bounded memory),
    naming the first row and field that differ, or the first row only one side has."""
    positions, head = view_positions(views), ledger.head()
    for view in replayed_views:
        position = int(positions.get(view.name, 0))
        try:
            fresh = build_as_of(ledger, [view], position=position)
        except PositionBeyondHead:
            # The view was built from events the log no longer has: a finding in its own right,
            # reported after the log's and the checkpoints' own, never instead of them.
            report.problems.append(
                f"view {view.name} is at position {position} but the log ends at {head}:"
                " events were deleted from the end of the log"
            )
            continue
        try:
            for table in view.tables:
                shape = _table_shape(view, table)
                difference = _first_row_difference(views, fresh, table, shape)
                if difference is not None:
                    report.problems.append(
                        f"view {view.name}: {table} {difference} (as of position {position})"
                    )
        finally:
            fresh.close()


@dataclass(frozen=True)
class _TableShape:
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the primary key's columns, in the key's order
    text: frozenset[str]  # the columns of a text type, sorted byte by byte on both backends


def _table_shape(view: View, table: str) -> _TableShape:
    """The table's columns and primary key, read from the view's own DDL (the same on both backends,
    unlike their catalogs). A table without a primary key is keyed by all its columns."""
    prefix = f"CREATE TABLE IF NOT EXISTS {table} ("
    statement = next(s for s in view.ddl if s.startswith(prefix))
    parts, depth, current = [], 0, ""
    for char in statement[len(prefix) : statement.rindex(")")]:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    columns: list[str] = []
    key: tuple[str, ...] = ()
    text: set[str] = set()
    for part in parts:
        if part.upper().startswith("PRIMARY KEY"):
            inside = part[part.index("(") + 1 : part.rindex(")")]
            key = tuple(name.strip() for name in inside.split(","))
            continue
        name, kind = part.split()[:2]
        columns.append(name)
        if kind.upper() == "TEXT":
            text.add(name)
        if "PRIMARY KEY" in part.upper():
            key = (name,)
    return _TableShape(tuple(columns), key or tuple(columns), frozenset(text))


ROWS_PER_PAGE = 1000


def _rows_in_key_order(db: ViewDB, table: str, shape: _TableShape) -> Iterator[tuple[Any, ...]]:
    """Every row of `table`, in primary-key order, read a keyset page at a time. Text is ordered
    byte by byte on both backends (PostgreSQL's "C" collation is SQLite's default), which is also
    Python's order of str, so the two sides of a comparison walk in the same order."""

    def ordered(column: str) -> str:
        return (
            f'{column} COLLATE "C"'
            if db.dialect == "postgresql" and column in shape.text
            else column
        )

    order = ", ".join(ordered(column) for column in shape.key)
    select = f"SELECT {', '.join(shape.columns)} FROM {table}"
    where_key = f" WHERE ({order}) > ({', '.join('?' for _ in shape.key)})"
    key_at = [shape.columns.index(column) for column in shape.key]
    last: tuple[Any, ...] | None = None
    while True:
        statement = f"{select}{'' if last is None else where_key} ORDER BY {order} LIMIT ?"
        rows = db.execute(statement, (*(last or ()), ROWS_PER_PAGE))
        yield from rows
        if len(rows) < ROWS_PER_PAGE:
            return
        last = tuple(rows[-1][i] for i in key_at)


def _first_row_difference(
    live: ViewDB, fresh: ViewDB, table: str, shape: _TableShape
) -> str | None:
    """What differs first, in key order, between the live table and the one replayed from the log:
    `row fund_id=… field balance_fen is 700 but the log gives 600`, or a row only one side has."""
    key_at = [shape.columns.index(column) for column in shape.key]

    def key_of(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(row[i] for i in key_at)

    live_rows, fresh_rows = (_rows_in_key_order(db, table, shape) for db in (live, fresh))
    have, want = next(live_rows, None), next(fresh_rows, None)
    while have is not None or want is not None:
        if want is None or (have is not None and key_of(have) < key_of(want)):
            assert have is not None
            return f"row {_key_text(shape, key_of(have))} is not one the log gives"
        if have is None or key_of(have) > key_of(want):
            return f"row {_key_text(shape, key_of(want))}, which the log gives, is missing"
        for column, value, expected in zip(shape.columns, have, want, strict=True):
            if value != expected:
                return (
                    f"row {_key_text(shape, key_of(have))} field {column} is {_value_text(value)}"
                    f" but the log gives {_value_text(expected)}"
                )
        have, want = next(live_rows, None), next(fresh_rows, None)
    return None


def _key_text(shape: _TableShape, key: tuple[Any, ...]) -> str:
    return ", ".join(f"{column}={value}" for column, value in zip(shape.key, key, strict=True))


def _value_text(value: Any) -> str:
    """A value as a reader would compare it: numbers bare, text quoted (cut after 60 characters:
    the field is named, and the view holds it in full), NULL as null."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 60 else value[:60] + "…", ensure_ascii=False)
    return str(value)
