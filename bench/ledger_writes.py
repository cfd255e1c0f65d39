"""Write throughput of the ledger, with a bare eventsourcing application as the baseline.

For each backend (memory, SQLite file, PostgreSQL if reachable) it records N single-event commits:
`ledger` makes N donations through `Ledger.receive_donation` (get → validate → check idempotency →
save, with a snapshot every 100 events); `baseline` makes N saves of a one-field event on a plain
eventsourcing aggregate in the same kind of store. Each figure is the median of R runs, in commits per
second. Run: `make bench` (or `python -m bench.ledger_writes N R`).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
import uuid

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.common import bench_backends, donate_once, open_bench_fund
from domain.events import LedgerSnapshot
from domain.ledger import Ledger


class Counter(Aggregate):
    # The ledger's snapshot class, which holds the snapshots' stored name in this process.
    Snapshot = LedgerSnapshot

    def __init__(self) -> None:
        self.count = 0

    @event("Incremented")
    def increment(self, by: int) -> None:
        self.count += by


class Baseline(Application[uuid.UUID]):
    # The same snapshot interval as funds, so the baseline pays the same bounded replay.
    snapshotting_intervals = {Counter: 100}  # noqa: RUF012 - the library's class attribute


def run_ledger(env: dict[str, str], n: int) -> float:
    ledger = Ledger(env=env)
    fund = open_bench_fund(ledger)
    start = time.perf_counter()
    for _ in range(n):
        donate_once(ledger, fund)
    elapsed = time.perf_counter() - start
    ledger.close()
    return n / elapsed


def run_baseline(env: dict[str, str], n: int) -> float:
    app = Baseline(env=env)
    counter = Counter()
    app.save(counter)
    start = time.perf_counter()
    for _ in range(n):
        counter = app.repository.get(counter.id)
        counter.increment(by=1)
        app.save(counter)
    elapsed = time.perf_counter() - start
    app.close()
    return n / elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(
        f"# {platform.node()} {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}"
    )
    print(f"# {n} single-event commits per run, median of {runs} runs, commits/s")
    print(f"{'backend':<12}{'baseline':>12}{'ledger':>12}{'ratio':>8}")
    with bench_backends() as backends:
        for name, env in backends.items():
            base = statistics.median(run_baseline(env(), n) for _ in range(runs))
            ours = statistics.median(run_ledger(env(), n) for _ in range(runs))
            print(f"{name:<12}{base:>12.0f}{ours:>12.0f}{ours / base:>8.2f}")


if __name__ == "__main__":
    main()
