"""Local verification of a deployment: the events, the stored tree, the checkpoints and the views.

`verify_local` re-derives every leaf from the stored events and, in the same single pass over them,
every perfect-subtree hash above the leaves (`transparency.tlog.MemoryTree`), from which the root at
every checkpointed size is read in O(log n). It then compares
the stored tree with the recomputed one level by level (read in pages, in index order), checks every
checkpoint's root against the recomputed root, its signature against the verifier key and its
consistency with the previous checkpoint through a proof served from the stored tree, and replays the
log into fresh views to compare them with the live ones; a view that has stopped on an event is a
problem too, named with that event's position. It reports the first position where anything
disagrees, and what disagrees. Cost: O(n) hashing and reading, O(log n) stored reads per checkpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.ledger import Ledger
from projections.runner import build_as_of, stopped_views, view_positions
from projections.transparency import (
    Checkpoint,
    InconsistentLog,
    checkpoints,
    consistency_path,
    first_leaf_from,
    stored_level,
)
from projections.view import View
from storage.viewdb import ViewDB
from transparency.leaf import stored_leaf_hash
from transparency.merkle import HASH_SIZE, verify_consistency
from transparency.signed_note import NoteError, open_note
from transparency.tlog import MemoryTree

SECTION = 5000
PAGE = 50_000  # stored hashes read per query: bounded memory on both backends, few round trips


@dataclass
class Report:
    events: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_local(
    ledger: Ledger,
    views: ViewDB,
    verifier_key: str,
    replayed_views: Sequence[View] = (),
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Report:
    report = Report()
    signed = checkpoints(views)
    tree = MemoryTree()
    _walk_leaves(ledger, tree, progress)
    report.events = tree.size
    _check_stored_tree(views, tree, report)
    _check_checkpoints(views, signed, tree, verifier_key, report)
    for view, position, error in stopped_views(views):
        report.problems.append(f"view {view} stopped at position {position}: {error}")
    if replayed_views:
        _check_views(ledger, views, replayed_views, report)
    return report


def _walk_leaves(ledger: Ledger, tree: MemoryTree, progress: Callable[[int, int], None]) -> None:
    head, position = ledger.head(), 0
    while notifications := ledger.recorder.select_notifications(position + 1, SECTION):
        tree.extend([stored_leaf_hash(n) for n in notifications])
        position = notifications[-1].id
        progress(tree.size, head)


def _check_stored_tree(views: ViewDB, tree: MemoryTree, report: Report) -> None:
    """Every stored hash must be the hash the log's events give at its place in the tree.

    Level by level, leaves first, so the first problem named is the lowest, leftmost one. Stored hashes
    are read in pages in index order (bounded memory on both backends, no dict of 2n hashes); a page of
    consecutive indices is compared as one byte string, and only a page that differs (or has gaps) is
    compared row by row."""
    for level, recomputed in enumerate(tree.levels):
        index = _first_difference(views, level, recomputed)
        if index is not None:
            what = (
                "an event was changed, removed, inserted or moved"
                if level == 0
                else "a stored hash was changed"
            )
            report.problems.append(
                f"position {(index << level) + 1}: {what} (tree level {level}, index {index})"
            )
            return
    beyond = first_leaf_from(views, tree.size)
    if beyond is not None:
        report.problems.append(
            f"position {beyond + 1}: the tree holds events the log no longer has"
            " (events were deleted)"
        )


def _first_difference(views: ViewDB, level: int, recomputed: bytearray) -> int | None:
    """The lowest index of `level` whose stored hash differs from the recomputed one. Stored hashes
    beyond the recomputed level, and missing ones, are not differences here (deleted events are named
    from level 0 afterwards; a missing hash breaks the proofs the checkpoints are checked with)."""
    count, start = len(recomputed) // HASH_SIZE, 0
    while start < count:
        page = stored_level(views, level, start, count, PAGE)
        if not page.indices:
            return None
        first, last = page.indices[0], page.indices[-1]
        contiguous = last - first + 1 == len(page.indices)
        run = recomputed[first * HASH_SIZE : (last + 1) * HASH_SIZE]
        if not (contiguous and b"".join(page.hashes) == run):
            for index, value in zip(page.indices, page.hashes, strict=True):
                if value != recomputed[index * HASH_SIZE : (index + 1) * HASH_SIZE]:
                    return index
        start = last + 1
    return None


def _check_checkpoints(
    views: ViewDB,
    signed: Sequence[Checkpoint],
    tree: MemoryTree,
    verifier_key: str,
    report: Report,
) -> None:
    previous: tuple[int, bytes] | None = None
    for checkpoint in signed:
        size, root, note = checkpoint.size, checkpoint.root, checkpoint.note
        report.checkpoints += 1
        try:
            body = open_note(note, verifier_key)
        except NoteError as error:
            report.problems.append(f"checkpoint at size {size}: {error}")
            return
        lines = body.splitlines()
        if len(lines) != 3 or lines[1] != str(size):
            report.problems.append(
                f"checkpoint at size {size}: its signed text does not name size {size}"
            )
            return
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
    positions = view_positions(views)
    for view in replayed_views:
        position = int(positions.get(view.name, 0))
        fresh = build_as_of(ledger, [view], position=position)
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
