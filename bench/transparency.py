"""Costs of the transparency log: keeping the tree, serving proofs, and verifying the whole log locally.

Three tables, every figure beside a baseline measured in the same run, medians of R runs:
- write: the tree's cost per event (the runner keeping `TransparencyView` on a SQLite views file, over
  the events just written) beside the cost per event of the event's own commit (the same donations
  written through `Ledger` into a SQLite store);
- proofs: inclusion, consistency and root-at-size from the stored tree of N synthetic leaves on SQLite
  (and PostgreSQL when reachable), median and p99 per request, beside one indexed `stored_hash` read;
- verify: `verify_local` of a SQLite ledger of N stored events (a demo ledger built through the
  application, then copied with fresh originator ids until N; the tree kept by the runner in batches of
  5,000) beside reading the same events and hashing their leaves alone; and, separately, the replay
  of the disclosure view that `verify_local` also does when asked.
`measure_proofs()` and `measure_verify()` return every run (`ProofCosts`, `VerifyCosts`) for
`python -m bench`. Run: `python -m bench.transparency [N] [R] [write,proofs,verify]` (default 1,000,000 events, 3
runs, all three tables).
"""

from __future__ import annotations

import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg
from eventsourcing.persistence import StoredEvent
from psycopg import sql

from bench.common import donate_once, open_bench_fund
from bench.demo import build
from domain.ledger import Ledger
from projections.disclosure import DisclosureView
from projections.runner import Runner
from projections.transparency import (
    TransparencyView,
    consistency_path,
    inclusion_path,
    root_at,
    stored_hash,
)
from storage.database import Database
from storage.viewdb import ViewDB
from transparency.leaf import stored_leaf_hash
from transparency.local import Report, _check_views, verify_local
from transparency.signed_note import Signer

ORIGIN = "bench.mingzhang/ledger"
SECTION = 5000
COMMITS = 1000  # single-event commits per run in the write table
REQUESTS = 1000  # random proof requests per kind
DEMO = 10_000  # events built through the application before copying (15-40 s on the dev VM)


def per_event_us(seconds: float, events: int) -> float:
    return seconds / events * 1e6


# --- write: the tree beside the commit -------------------------------------------------------------


class TimedView(TransparencyView):
    """The view itself, timed apart from the runner's read and transaction around it."""

    spent = 0.0

    def apply_batch(self, db: ViewDB, events: Any) -> None:
        start = time.perf_counter()
        super().apply_batch(db, events)
        self.spent += time.perf_counter() - start


def write_costs(tmp: Path) -> tuple[float, ...]:
    """µs per event: the commit through the ledger; then for runner batches of 500 and of 1, the
    runner's whole cost and the part of it spent in `apply_batch` (hashing, writing, signing)."""
    path = str(tmp / f"{uuid.uuid4().hex}.sqlite")
    ledger = Ledger(env=Database("sqlite", sqlite_path=path).eventsourcing_env())
    fund = open_bench_fund(ledger)
    start = time.perf_counter()
    for _ in range(COMMITS):
        donate_once(ledger, fund)
    commit = per_event_us(time.perf_counter() - start, COMMITS)
    signer = Signer.generate(ORIGIN)
    costs = [commit]
    for batch in (500, 1):
        views = ViewDB.sqlite(f"{path}.{batch}.views")
        view = TimedView(signer, ORIGIN)
        runner = Runner(ledger, views, [view], batch_size=batch)
        start = time.perf_counter()
        runner.catch_up()
        costs.append(per_event_us(time.perf_counter() - start, ledger.head()))
        costs.append(per_event_us(view.spent, ledger.head()))
        views.close()
    ledger.close()
    return tuple(costs)


# --- proofs from the stored tree -------------------------------------------------------------------


def synthetic_tree(views: ViewDB, leaves: int, batch: int = 50_000) -> float:
    """Apply the view to synthetic notifications in large batches; returns the seconds it took."""
    view, state = TransparencyView(Signer.generate(ORIGIN), ORIGIN), b'{"amount": "100"}' * 8
    topic = "mingzhang/Fund.DonationReceived"
    with views.transaction() as db:
        view.create(db)
    start = time.perf_counter()
    for first in range(1, leaves + 1, batch):
        notes = [
            SimpleNamespace(
                id=p, originator_id=uuid.uuid4(), originator_version=1, topic=topic, state=state
            )
            for p in range(first, min(first + batch, leaves + 1))
        ]
        with views.transaction() as db:
            view.apply_batch(db, [(n.id, n) for n in notes])
    return time.perf_counter() - start


def timed_ms(call: Callable[[], Any], requests: int) -> tuple[float, float]:
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.99 * (len(timings) - 1))]


def proof_costs(views: ViewDB, size: int, seed: int) -> dict[str, tuple[float, float]]:
    rng = random.Random(seed)
    return {
        "baseline: stored_hash": timed_ms(
            lambda: stored_hash(views, 0, rng.randrange(size)), REQUESTS
        ),
        "inclusion_path": timed_ms(
            lambda: inclusion_path(views, rng.randrange(size), size), REQUESTS
        ),
        "consistency_path": timed_ms(
            lambda: consistency_path(views, rng.randrange(1, size), size), REQUESTS
        ),
        "root_at": timed_ms(lambda: root_at(views, rng.randrange(1, size + 1)), REQUESTS),
    }


def median_costs(runs: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    return {
        kind: (
            statistics.median(run[kind][0] for run in runs),
            statistics.median(run[kind][1] for run in runs),
        )
        for kind in runs[0]
    }


def postgres_views() -> tuple[ViewDB, Callable[[], None]] | None:
    url = os.environ.get("MINGZHANG_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    database = Database.parse(url)
    try:
        connection = database.connect()
    except psycopg.Error:
        return None
    schema = f"mz_bench_{uuid.uuid4().hex[:10]}"
    connection.autocommit = True
    connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    views = ViewDB.postgres(connection, schema=schema)

    def drop() -> None:
        connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        connection.close()

    return views, drop


# --- verify: the whole log locally ---------------------------------------------------------------


UUID_IN_STATE = re.compile(rb'"uuid_hex","_data_":"([0-9a-f]{32})"')


def copy_with_fresh_ids(source: Ledger, target: Ledger, events: int) -> None:
    """The source's stored events, then copies of them until `events`, each copy with fresh ids: its
    originator ids and every id inside the events' state (a fund's foundation, a donation's id), mapped
    the same way within the copy, so each copy is a ledger of its own and views replay over them all."""
    stored = [
        (n.originator_id, n.originator_version, n.topic, bytes(n.state))
        for n in source.recorder.select_notifications(1, source.head())
    ]
    written = 0
    while written < events:
        fresh: dict[bytes, bytes] = {}

        def rename(
            hex_id: bytes, fresh: dict[bytes, bytes] = fresh, first: bool = not written
        ) -> bytes:
            return hex_id if first else fresh.setdefault(hex_id, uuid.uuid4().hex.encode())

        def rewrite(state: bytes, rename: Callable[[bytes], bytes] = rename) -> bytes:
            return UUID_IN_STATE.sub(
                lambda m: b'"uuid_hex","_data_":"' + rename(m.group(1)) + b'"', state
            )

        section = stored[: events - written]
        for start in range(0, len(section), 20_000):
            target.recorder.insert_events(
                [
                    StoredEvent(
                        uuid.UUID(rename(ident.hex.encode()).decode()),
                        version,
                        topic,
                        rewrite(state),
                    )
                    for ident, version, topic, state in section[start : start + 20_000]
                ]
            )
        written += len(section)


def read_and_hash(ledger: Ledger) -> float:
    start, position = time.perf_counter(), 0
    while notifications := ledger.recorder.select_notifications(position + 1, SECTION):
        for notification in notifications:
            stored_leaf_hash(notification)
        position = notifications[-1].id
    return time.perf_counter() - start


def timed(call: Callable[[], Any]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def write_table(tmp: Path, runs: int) -> None:
    costs = [write_costs(tmp) for _ in range(runs)]
    labels = (
        "baseline: the commit (Ledger)",
        "tree, runner batches of 500",
        "  of which apply_batch",
        "tree, runner batches of 1 (live)",
        "  of which apply_batch",
    )
    figures = [statistics.median(c[i] for c in costs) for i in range(len(labels))]
    print(f"\n## write, SQLite, {COMMITS} donations per run, µs per event")
    print(f"{'':<40}{'µs/event':>10}{'÷ commit':>10}")
    for label, figure in zip(labels, figures, strict=True):
        print(f"{label:<40}{figure:>10.0f}{figure / figures[0]:>10.2f}")


@dataclass
class ProofCosts:
    """Per backend and request kind, each run's (median, p99) in ms over `REQUESTS` random requests."""

    leaves: int
    runs: dict[str, dict[str, list[tuple[float, float]]]]
    built_s: dict[str, float]


def measure_proofs(tmp: Path, events: int, runs: int) -> ProofCosts:
    backends: list[tuple[str, ViewDB, Callable[[], None]]] = []
    sqlite_views = ViewDB.sqlite(str(tmp / f"proofs-{uuid.uuid4().hex}.views"))
    backends.append(("sqlite", sqlite_views, sqlite_views.close))
    found = postgres_views()
    if found:
        backends.append(("postgresql", *found))
    costs = ProofCosts(events, {}, {})
    for name, views, close in backends:
        costs.built_s[name] = synthetic_tree(views, events)
        for seed in range(runs):
            for kind, cost in proof_costs(views, events, seed).items():
                costs.runs.setdefault(name, {}).setdefault(kind, []).append(cost)
        close()
    return costs


def proofs_table(tmp: Path, events: int, runs: int) -> None:
    print(f"\n## proofs at {events:,} leaves, {REQUESTS} random requests per run, ms")
    print(f"{'backend':<12}{'request':<24}{'median':>10}{'p99':>10}")
    costs = measure_proofs(tmp, events, runs)
    for name, kinds in costs.runs.items():
        for kind, (median, p99) in median_costs(
            [{k: v[i] for k, v in kinds.items()} for i in range(runs)]
        ).items():
            print(f"{name:<12}{kind:<24}{median:>10.3f}{p99:>10.3f}")
        print(
            f"{name:<12}(tree of {events:,} synthetic leaves built in {costs.built_s[name]:.0f} s)"
        )


@dataclass
class VerifyCosts:
    """Seconds of each run: the baseline (reading the events and hashing their leaves) and
    `verify_local`; then one replay of the disclosure view and the runner keeping it live."""

    events: int
    checkpoints: int
    demo_events: int
    prepared_s: float
    kept_s: float
    baseline_s: list[float]
    verify_s: list[float]
    replay_s: float
    live_s: float


def measure_verify(tmp: Path, events: int, runs: int) -> VerifyCosts:
    started = time.perf_counter()
    demo = build(min(DEMO, events))
    path = str(tmp / f"verify-{uuid.uuid4().hex}.sqlite")
    ledger = Ledger(env=Database("sqlite", sqlite_path=path).eventsourcing_env())
    copy_with_fresh_ids(demo, ledger, events)
    prepared = time.perf_counter() - started
    signer = Signer.generate(ORIGIN)
    views = ViewDB.sqlite(f"{path}.views")
    transparency = Runner(ledger, views, [TransparencyView(signer, ORIGIN)], batch_size=SECTION)
    kept = timed(transparency.catch_up)
    baselines: list[float] = []
    verifying: list[float] = []
    reports: list[Report] = []
    for _ in range(runs):  # alternated, so a baseline and its verify share the machine's state
        baselines.append(read_and_hash(ledger))
        verifying.append(
            timed(lambda: reports.append(verify_local(ledger, views, signer.verifier_key())))
        )
    assert all(r.ok for r in reports), reports[0].problems
    disclosure = Runner(ledger, views, [DisclosureView()], batch_size=SECTION)
    live = timed(disclosure.catch_up)
    assert not disclosure.failed, disclosure.failed
    replay_report = Report()
    replaying = timed(lambda: _check_views(ledger, views, [DisclosureView()], replay_report))
    assert replay_report.ok, replay_report.problems
    found = VerifyCosts(
        ledger.head(),
        reports[0].checkpoints,
        demo.head(),
        prepared,
        kept,
        baselines,
        verifying,
        replaying,
        live,
    )
    views.close()
    ledger.close()
    return found


def verify_table(tmp: Path, events: int, runs: int) -> None:
    costs = measure_verify(tmp, events, runs)
    baseline = statistics.median(costs.baseline_s)
    verifying = statistics.median(costs.verify_s)
    print(
        f"\n## verify, SQLite, {costs.events:,} events, {costs.checkpoints} checkpoints, seconds"
        f" (ledger prepared in {costs.prepared_s:.0f} s from a demo of {costs.demo_events:,}"
        f" events; tree kept by the runner in {costs.kept_s:.0f} s)"
    )
    print(f"{'':<48}{'s':>8}{'÷ baseline':>12}")
    print(f"{'baseline: read the events + hash their leaves':<48}{baseline:>8.1f}{1:>12.2f}")
    print(
        f"{'verify_local (tree, checkpoints, ledger audit)':<48}{verifying:>8.1f}"
        f"{verifying / baseline:>12.2f}"
    )
    print(
        f"{'replay of the disclosure view (one run)':<48}{costs.replay_s:>8.1f}"
        f"{costs.replay_s / baseline:>12.2f}"
    )
    print(f"{'  (live disclosure view kept by the runner)':<48}{costs.live_s:>8.1f}")


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    parts = sys.argv[3].split(",") if len(sys.argv) > 3 else ["write", "proofs", "verify"]
    print(f"# {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}")
    print(f"# load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"# median of {runs} runs")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)

        if "write" in parts:
            write_table(tmp, runs)
        if "proofs" in parts:
            proofs_table(tmp, events, runs)
        if "verify" in parts:
            verify_table(tmp, events, runs)
    print(f"# load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
