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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from domain.ledger import Ledger
from projections.runner import PositionBeyondHead, build_as_of, stopped_views, view_positions
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
from transparency.ledger_audit import audit_ledger
from transparency.log_audit import Checkpoint as LogCheckpoint
from transparency.log_audit import open_checkpoint
from transparency.merkle import HASH_SIZE, verify_consistency
from transparency.signed_note import NoteError, open_note
from transparency.state import check_kept, keep
from transparency.tlog import MemoryTree

SECTION = 5000
PAGE = 50_000  # stored hashes read per query: bounded memory on both backends, few round trips


@dataclass
class Report:
    """What local verification found. `covered` is the size of the latest signed checkpoint (the
    events before it are the ones a signature vouches for); `kept` the checkpoint `state` kept from
    an earlier verification (None on a first one), and `kept_now` whether `state` was written."""

    events: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)
    covered: int = 0
    state: Path | None = None
    kept: LogCheckpoint | None = None
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
) -> Report:
    report = Report()
    signed = checkpoints(views)
    tree = MemoryTree()
    _walk_leaves(ledger, tree, progress)
    report.events = tree.size
    _check_stored_tree(views, tree, report)
    _check_checkpoints(views, signed, tree, verifier_key, report)
    # What the ledger loads instead of events (snapshots, the command index), and the fund invariants.
    report.problems.extend(audit_ledger(ledger))
    for view, position, error in stopped_views(views):
        report.problems.append(f"view {view} stopped at position {position}: {error}")
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
    if latest is None:
        return
    report.covered = min(latest.size, tree.size)
    if state is None:
        return
    report.state = state
    report.kept, problems = check_kept(state, verifier_key, latest, tree)
    report.problems.extend(problems)
    if report.ok:
        report.kept_now = keep(state, latest.note, report.problems)


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
        for table in view.tables:
            live = sorted(views.execute(f"SELECT * FROM {table}"), key=repr)
            replayed = sorted(fresh.execute(f"SELECT * FROM {table}"), key=repr)
            if live != replayed:
                report.problems.append(
                    f"view {view.name}: table {table} no longer matches the log (as of position {position})"
                )
        fresh.close()
