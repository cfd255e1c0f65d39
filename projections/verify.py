"""Local verification of a deployment: the events, the stored tree, the checkpoints and the views.

`verify_local` re-derives every leaf from the stored events and compares it with the stored tree,
recomputes every stored hash above the leaves, checks every checkpoint's root against the recomputed
tree, its signature against the verifier key and its consistency with the previous checkpoint, and
replays the log into fresh views to compare them with the live ones. It reports the first position
where anything disagrees, and what disagrees.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from domain.ledger import Ledger
from projections.merkle import consistency_proof, node_hash, root_hash, verify_consistency
from projections.runner import build_as_of
from projections.signed_note import NoteError, open_note
from projections.transparency import stored_leaf_hash
from projections.view import View
from storage.viewdb import ViewDB

SECTION = 5000


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
    leaves = _leaves(ledger, progress)
    report.events = len(leaves)
    _check_stored_tree(views, leaves, report)
    _check_checkpoints(views, leaves, verifier_key, report)
    if replayed_views:
        _check_views(ledger, views, replayed_views, report)
    return report


def _leaves(ledger: Ledger, progress: Callable[[int, int], None]) -> list[bytes]:
    head, position = ledger.head(), 0
    leaves: list[bytes] = []
    while notifications := ledger.recorder.select_notifications(position + 1, SECTION):
        leaves.extend(stored_leaf_hash(n) for n in notifications)
        position = notifications[-1].id
        progress(len(leaves), head)
    return leaves


def _check_stored_tree(views: ViewDB, leaves: list[bytes], report: Report) -> None:
    """Every stored hash must be the hash the log's events give at its place in the tree."""
    stored = {
        (int(level), int(index)): bytes(value)
        for level, index, value in views.execute("SELECT level, idx, hash FROM tlog_hashes")
    }
    tree, level = leaves, 0
    while tree:
        for index, expected in enumerate(tree):
            found = stored.get((level, index))
            if found is not None and found != expected:
                what = (
                    "an event was changed, removed, inserted or moved"
                    if level == 0
                    else "a stored hash was changed"
                )
                report.problems.append(
                    f"position {(index << level) + 1}: {what} (tree level {level}, index {index})"
                )
                return
        tree = [node_hash(tree[2 * i], tree[2 * i + 1]) for i in range(len(tree) // 2)]
        level += 1
    beyond = sorted(index for level, index in stored if level == 0 and index >= len(leaves))
    if beyond:
        report.problems.append(
            f"position {beyond[0] + 1}: the tree holds events the log no longer has (events were deleted)"
        )


def _check_checkpoints(
    views: ViewDB, leaves: list[bytes], verifier_key: str, report: Report
) -> None:
    previous: tuple[int, bytes] | None = None
    for size, root, note in views.execute(
        "SELECT size, root, note FROM tlog_checkpoints ORDER BY size"
    ):
        size, root = int(size), bytes(root)
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
        if size > len(leaves):
            report.problems.append(
                f"checkpoint at size {size}: the log holds only {len(leaves)} events"
            )
            return
        recomputed = root_hash(leaves[:size])
        if recomputed != root:
            report.problems.append(
                f"position {size}: the checkpoint's root is not the root of the log's first {size} events"
            )
            return
        if previous is not None and not verify_consistency(
            previous[0], size, previous[1], root, _proof(leaves, previous[0], size)
        ):
            report.problems.append(
                f"checkpoint at size {size}: inconsistent with the one at size {previous[0]}"
            )
            return
        previous = (size, root)


def _proof(leaves: list[bytes], first: int, second: int) -> list[bytes]:
    return consistency_proof(first, leaves[:second])


def _check_views(
    ledger: Ledger, views: ViewDB, replayed_views: Sequence[View], report: Report
) -> None:
    positions = dict(views.execute("SELECT view, position FROM view_tracking"))
    for view in replayed_views:
        position = int(positions.get(view.name, 0))
        fresh = build_as_of(ledger, [view], position=position)
        for table in view.tables:
            live = sorted(views.execute(f"SELECT * FROM {table}"), key=repr)
            replayed = sorted(fresh.execute(f"SELECT * FROM {table}"), key=repr)
            if live != replayed:
                report.problems.append(
                    f"view {view.name}: table {table} no longer matches the log (as of position {position})"
                )
        fresh.close()
