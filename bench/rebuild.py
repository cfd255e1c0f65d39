"""Rebuild throughput of the views, and the time of one foundation's page query, at N events.

For each backend (a SQLite file; PostgreSQL if reachable) it copies a demo ledger of N events into the
store, then measures, median of R runs:
- baseline: reading every notification in sections and decoding each event, projecting nothing;
- rebuild: `Runner.catch_up` of every view from scratch (batches of 5000, one transaction each);
- page: the queries one foundation's disclosure page makes (its funds, its grants, its relief by month).
`measure()` returns every run (`RebuildRates`). Run: `python -m bench.rebuild [N] [R]` (default 100000 events, 3 runs).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass

from bench.common import bench_backends
from bench.demo import copy_into, shared
from domain.ledger import Ledger
from projections.catalog import all_views
from projections.runner import Runner
from storage.viewdb import ViewDB

SECTION = 5000


def read_and_decode(ledger: Ledger) -> float:
    start, position, count = time.perf_counter(), 0, 0
    while notifications := ledger.recorder.select_notifications(position + 1, SECTION):
        for notification in notifications:
            ledger.mapper.to_domain_event(notification)
        count += len(notifications)
        position = notifications[-1].id
    return count / (time.perf_counter() - start)


def rebuild(ledger: Ledger, views: ViewDB) -> float:
    runner = Runner(ledger, views, all_views(), batch_size=SECTION)
    for name in runner.views:
        runner.rebuild(name)
    start = time.perf_counter()
    runner.catch_up()
    elapsed = time.perf_counter() - start
    # A view that stops early would make a fast rebuild of nothing.
    assert not runner.failed, runner.failed
    return ledger.head() / elapsed


def page_query(views: ViewDB) -> float:
    foundation = views.execute("SELECT foundation_id FROM disclosure_funds LIMIT 1")[0][0]
    timings = []
    for _ in range(50):
        start = time.perf_counter()
        views.execute("SELECT * FROM disclosure_funds WHERE foundation_id = ?", (foundation,))
        views.execute(
            "SELECT * FROM disclosure_grants WHERE foundation_id = ? ORDER BY awarded_on",
            (foundation,),
        )
        views.execute(
            "SELECT month, subdistrict, reason_category, total_fen, disbursements FROM disclosure_relief_monthly"
            " WHERE foundation_id = ? ORDER BY month",
            (foundation,),
        )
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


@dataclass
class RebuildRates:
    """Events per second of each run on one backend, and one foundation's page queries in ms."""

    backend: str
    events: int
    read_and_decode: list[float]
    rebuild: list[float]
    page_ms: float


def measure(n: int = 100_000, runs: int = 3) -> list[RebuildRates]:
    demo = shared(n)
    found = []
    with bench_backends() as backends:
        for name in ("sqlite", "postgresql"):
            if name not in backends:
                continue
            env = backends[name]()
            ledger = Ledger(env=env)
            copy_into(demo, ledger)
            if name == "sqlite":
                views = ViewDB.sqlite(env["SQLITE_DBNAME"] + ".views")
            else:
                from storage.database import Database

                database = Database.parse(
                    os.environ.get(
                        "MINGZHANG_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
                    )
                )
                views = ViewDB.postgres(database.connect(), schema=env["POSTGRES_SCHEMA"])
            # Alternated run by run, so a baseline and its rebuild share the machine's state.
            baselines, rates = [], []
            for _ in range(runs):
                baselines.append(read_and_decode(ledger))
                rates.append(rebuild(ledger, views))
            found.append(RebuildRates(name, ledger.head(), baselines, rates, page_query(views)))
            views.close()
            ledger.close()
    return found


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    started = time.perf_counter()
    found = measure(n, runs)
    print(f"# {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}")
    print(
        f"# demo ledger of about {n} events, built and measured in {time.perf_counter() - started:.0f} s"
    )
    print(f"# median of {runs} runs; events/s, and ms for one foundation's page queries")
    print(f"{'backend':<12}{'read+decode':>14}{'rebuild':>12}{'ratio':>8}{'page ms':>10}")
    for rates in found:
        baseline = statistics.median(rates.read_and_decode)
        rate = statistics.median(rates.rebuild)
        print(
            f"{rates.backend:<12}{baseline:>14,.0f}{rate:>12,.0f}{rate / baseline:>8.2f}"
            f"{rates.page_ms:>10.2f}"
        )


if __name__ == "__main__":
    main()
