"""Concurrent writers on one PostgreSQL log: what several API processes can commit together, and what
the table lock that orders the log costs them (docs/SCALING.md, "Why writes to one log are serialised").

W writer processes (each with an application of its own, as each uvicorn worker has), started
together, commit single-event transactions for D seconds into one fresh schema of the PostgreSQL
server the tests use; three workloads, in turn, so the figures of a run share the machine's state:
- `bare` (the baseline): a plain eventsourcing application per process appending to an aggregate of
  its own that it keeps in memory: the store's limit, table lock included;
- `ledger, own funds`: donations through `Ledger.receive_donation`, each process into a fund of its
  own (many foundations recording at once);
- `ledger, one fund`: every process donating into the same fund (a fundraising day's one campaign):
  lost races are reloaded and decided again, and a command that keeps losing is refused
  (`ConcurrentModification`, a 503 over HTTP).
Prints total commits per second (median, min, max of R runs), the `ledger ÷ bare` ratio, the refused
commands, and the positions a run left unused: on PostgreSQL a lost race has already drawn its
notification id from the sequence before the insert fails, and that id is never committed.
Run: `python -m bench.writers [--writers 1 2 4] [--runs 5] [--duration 3]`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import time
import uuid
from dataclasses import dataclass, field
from multiprocessing.synchronize import Barrier

from psycopg import sql

from bench.common import donate_once, open_bench_fund
from bench.ledger_writes import Bare, Counter
from domain.errors import ConcurrentModification
from domain.ledger import Ledger
from storage.database import Database

BARE, OWN, ONE = "bare", "ledger, own funds", "ledger, one fund"


def _writer(
    workload: str,
    env: dict[str, str],
    fund: str | None,
    barrier: Barrier,
    duration: float,
    results: multiprocessing.Queue[tuple[int, int]],
) -> None:
    commits = refused = 0
    if workload == BARE:
        app = Bare(env=env)
        counter = Counter()
        app.save(counter)
        barrier.wait()
        deadline = time.perf_counter() + duration
        while time.perf_counter() < deadline:
            counter.increment(by=1)
            app.save(counter)
            commits += 1
        app.close()
    else:
        ledger = Ledger(env=env)
        target = uuid.UUID(fund) if fund else open_bench_fund(ledger)
        barrier.wait()
        deadline = time.perf_counter() + duration
        while time.perf_counter() < deadline:
            try:
                donate_once(ledger, target)
                commits += 1
            except ConcurrentModification:
                refused += 1
        ledger.close()
    results.put((commits, refused))


@dataclass
class Run:
    rate: float
    refused: int
    unused_positions: int


@dataclass
class WriterRuns:
    duration: float
    runs: dict[tuple[str, int], list[Run]] = field(default_factory=dict)


def one(database: Database, workload: str, writers: int, duration: float) -> Run:
    schema = f"mz_writers_{uuid.uuid4().hex[:10]}"
    with database.connect() as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    env = {**database.eventsourcing_env(), "POSTGRES_SCHEMA": schema}
    try:
        # The tables are made here, and the writers told not to (CREATE_TABLE=n): the library's
        # CREATE TABLE IF NOT EXISTS and CREATE OR REPLACE FUNCTION, run by processes starting
        # together, fail on PostgreSQL ("tuple concurrently updated", or the catalogue's unique
        # index), as uvicorn workers starting together on a new database can.
        fund = None
        if workload == BARE:
            Bare(env=env).close()
        else:
            ledger = Ledger(env=env)
            fund = str(open_bench_fund(ledger)) if workload == ONE else None
            ledger.close()
        context = multiprocessing.get_context("spawn")
        barrier = context.Barrier(writers + 1)
        results: multiprocessing.Queue[tuple[int, int]] = context.Queue()
        processes = [
            context.Process(
                target=_writer,
                args=(workload, {**env, "CREATE_TABLE": "n"}, fund, barrier, duration, results),
            )
            for _ in range(writers)
        ]
        for process in processes:
            process.start()
        barrier.wait()  # every writer has its application open: start together
        started = time.perf_counter()
        counts = [results.get(timeout=duration + 60) for _ in processes]
        elapsed = max(time.perf_counter() - started, duration)
        for process in processes:
            process.join(timeout=30)
        table = "bare_events" if workload == BARE else "ledger_events"  # the applications' names
        with database.connect() as conn:
            row = conn.execute(
                sql.SQL("SELECT COUNT(*), COALESCE(MAX(notification_id), 0) FROM {}.{}").format(
                    sql.Identifier(schema), sql.Identifier(table)
                )
            ).fetchone()
        stored, highest = (int(row[0]), int(row[1])) if row else (0, 0)
        commits = sum(c for c, _ in counts)
        return Run(commits / elapsed, sum(r for _, r in counts), highest - stored)
    finally:
        with database.connect() as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def measure(writers: list[int], runs: int, duration: float) -> WriterRuns:
    url = os.environ.get("MINGZHANG_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    database = Database.parse(url)
    found = WriterRuns(duration)
    for _ in range(runs):
        for w in writers:
            for workload in (BARE, OWN, ONE):
                found.runs.setdefault((workload, w), []).append(
                    one(database, workload, w, duration)
                )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.writers")
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per workload")
    args = parser.parse_args()
    found = measure(args.writers, args.runs, args.duration)
    print(
        f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL (loopback), {args.runs} runs of {args.duration:g} s, single-event commits"
    )
    print(
        f"{'workload':20} {'writers':>7} {'commits/s':>10} {'min':>8} {'max':>8} "
        f"{'÷ bare':>7} {'refused':>8} {'unused ids':>10}"
    )
    for (workload, w), values in found.runs.items():
        rates = [v.rate for v in values]
        bare = statistics.median(v.rate for v in found.runs[(BARE, w)])
        print(
            f"{workload:20} {w:7} {statistics.median(rates):10.0f} {min(rates):8.0f} "
            f"{max(rates):8.0f} {statistics.median(rates) / bare:7.2f} "
            f"{statistics.median(v.refused for v in values):8.0f} "
            f"{statistics.median(v.unused_positions for v in values):10.0f}"
        )


if __name__ == "__main__":
    main()
