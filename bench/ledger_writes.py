"""Write throughput of the ledger, against a bare eventsourcing application appending to the store.

For each backend (memory, SQLite file, PostgreSQL if reachable) each run records N single-event
commits three ways, in turn, so the three figures of a run share the machine's state:
- `bare` (the baseline): a plain eventsourcing application appends one event per transaction to a
  one-field aggregate it keeps in memory, no reload between saves and no snapshots: the store's
  single-commit limit;
- `reloading`: the same application, reloading the aggregate before every save (from a snapshot every
  100 events, as funds are): what the ledger's baseline used to be. It pays the same reconstruction
  the ledger did, so its ratio hid that cost; kept, labelled, for comparison;
- `batched` (the limit for C concurrent commands): the bare application appending C events per
  transaction, one to each of C aggregates kept in memory (`save(*aggregates)`), C = 8 and 32; at
  least 50 transactions a run; events/s;
- `ledger`: N donations into one fund through `Ledger.receive_donation` (repeat check → get fund →
  validate → save with the command-index row).
Prints commits per second, median of R runs with min and max, and ledger ÷ bare (the ratio of the
medians, with the min and max of the per-run ratios); `measure()` returns every run (`WriteRates`).
Run: `make bench` (or
`python -m bench.ledger_writes N R`).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

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


class Bare(Application[uuid.UUID]):
    """The store's limit: no snapshots, nothing but the append."""


class Reloading(Application[uuid.UUID]):
    # The same snapshot interval as funds, so it pays the same bounded replay the ledger once did.
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


def run_bare(env: dict[str, str], n: int) -> float:
    app = Bare(env=env)
    counter = Counter()
    app.save(counter)
    start = time.perf_counter()
    for _ in range(n):
        counter.increment(by=1)
        app.save(counter)
    elapsed = time.perf_counter() - start
    app.close()
    return n / elapsed


# A batched run writes at least this many transactions, so its clock is not read over a handful.
MIN_TRANSACTIONS = 50
BATCH_SIZES = (8, 32)  # the HTTP concurrencies the batched append is the limit for


def batched_events(n: int, size: int) -> int:
    """Events in a batched run: `n`, or enough for MIN_TRANSACTIONS batches of `size`."""
    return max(n, MIN_TRANSACTIONS * size)


def batches(events: int, size: int) -> list[int]:
    """The transactions that append `events` in batches of `size`: full ones, then the rest."""
    if events < 0 or size < 1:
        raise ValueError("a batched run needs events ≥ 0 and a batch size ≥ 1")
    full, rest = divmod(events, size)
    return [size] * full + ([rest] if rest else [])


def run_bare_batched(env: dict[str, str], n: int, size: int) -> float:
    """Events/s appending `size` events per transaction, one to each of `size` aggregates kept in
    memory (`save(*aggregates)` is one transaction): what group commit of C concurrent commands on
    C funds could reach at best."""
    app = Bare(env=env)
    counters = [Counter() for _ in range(size)]
    app.save(*counters)
    events = batched_events(n, size)
    plan = batches(events, size)
    start = time.perf_counter()
    for count in plan:
        chosen = counters[:count]
        for counter in chosen:
            counter.increment(by=1)
        app.save(*chosen)
    elapsed = time.perf_counter() - start
    app.close()
    return events / elapsed


def run_reloading(env: dict[str, str], n: int) -> float:
    app = Reloading(env=env)
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


def spread(values: list[float], digits: int = 0) -> str:
    """median [min–max]"""
    return (
        f"{statistics.median(values):.{digits}f} "
        f"[{min(values):.{digits}f}–{max(values):.{digits}f}]"
    )


@dataclass
class WriteRates:
    """Commits per second of each run, by kind, on one backend."""

    backend: str
    commits: int
    bare: list[float]
    reloading: list[float]
    ledger: list[float]
    # events/s of the bare append in batches of C events per transaction, by C
    batched: dict[int, list[float]] = field(default_factory=dict)


KINDS: dict[str, Callable[[dict[str, str], int], float]] = {
    "bare": run_bare,
    "reloading": run_reloading,
    "ledger": run_ledger,
}


def measure(
    n: int = 500,
    runs: int = 5,
    backends: tuple[str, ...] = ("memory", "sqlite", "postgresql"),
    batch_sizes: tuple[int, ...] = BATCH_SIZES,
) -> list[WriteRates]:
    found = []
    with bench_backends() as available:
        for name in backends:
            if name not in available:
                continue
            rates: dict[str, list[float]] = {kind: [] for kind in KINDS}
            batched: dict[int, list[float]] = {size: [] for size in batch_sizes}
            for _ in range(runs):
                for kind, run in KINDS.items():
                    rates[kind].append(run(available[name](), n))
                for size in batch_sizes:
                    batched[size].append(run_bare_batched(available[name](), n, size))
            found.append(
                WriteRates(name, n, rates["bare"], rates["reloading"], rates["ledger"], batched)
            )
    return found


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(
        f"# {platform.node()} {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}"
    )
    print(f"# {n} single-event commits per run, {runs} runs; commits/s, median [min–max]")
    print(
        f"{'backend':<12}{'bare (baseline)':>22}{'reloading':>22}{'ledger':>22}{'ledger ÷ bare':>22}"
    )
    for rates in measure(n, runs):
        ratios = [o / b for o, b in zip(rates.ledger, rates.bare, strict=True)]
        ratio = statistics.median(rates.ledger) / statistics.median(rates.bare)
        print(
            f"{rates.backend:<12}{spread(rates.bare):>22}{spread(rates.reloading):>22}"
            f"{spread(rates.ledger):>22}"
            f"{f'{ratio:.2f} [{min(ratios):.2f}–{max(ratios):.2f}]':>22}"
        )
        for size, values in rates.batched.items():
            print(
                f"{'':<12}bare in batches of {size} events per transaction: {spread(values)} events/s"
            )


if __name__ == "__main__":
    main()
