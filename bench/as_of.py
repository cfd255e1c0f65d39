"""The cost of a public page `?as_of=` a past day: `AsOfViews.views_at` the first time (position search and
an in-memory rebuild of the disclosure, history and indicators views to that position) and cached,
against the baseline of a `mingzhang rebuild`-style rebuild of the same views to the head (`Runner`,
batches of 5,000, into a SQLite views file) in the same run.

For each N it writes the demo dataset (`demo/generator.py`, which records each event on its story date,
2021-01-01 to 2024-12-31) into memory, copies its stored events into each backend (a SQLite file;
PostgreSQL if reachable), signs checkpoints with the transparency view as a service would (one per 1,000
events), and asks for 2022-12-31, mid-way through the story. Median of R runs; a first build is a new
`AsOfViews` each run.
Run: `python -m bench.as_of [N ...] [--runs R]` (default 5000 20000, 5 runs).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from bench.common import bench_backends
from bench.demo import copy_into
from demo.generator import fill
from domain.ledger import Ledger
from projections.as_of import AsOfViews
from projections.catalog import all_views
from projections.runner import Runner
from projections.transparency import TransparencyView
from storage.database import Database
from storage.viewdb import ViewDB
from transparency.signed_note import Signer

MIDWAY = date(2022, 12, 31)
ORIGIN = "mingzhang.bench/ledger"


def demo_ledger(events: int) -> tuple[Ledger, float]:
    database = Database("memory")
    ledger = Ledger(env=database.eventsourcing_env(), vault=database.open_vault(os.urandom(32)))
    started = time.perf_counter()
    fill(ledger, events=events, seed=2021, progress=None)
    return ledger, time.perf_counter() - started


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def full_rebuild(ledger: Ledger, views: ViewDB) -> None:
    runner = Runner(ledger, views, all_views(), batch_size=5000)
    for name in runner.views:
        runner.rebuild(name)
    runner.catch_up()


def measure(ledger: Ledger, live: ViewDB, views_file: str, runs: int) -> dict[str, float]:
    firsts, position = [], 0
    for _ in range(runs):
        cache = AsOfViews(ledger, all_views(), live)
        firsts.append(timed(partial(cache.views_at, MIDWAY)))
        position = cache.views_at(MIDWAY).position
        cache.close()
    cache = AsOfViews(ledger, all_views(), live)
    cache.views_at(MIDWAY)
    cached = [timed(partial(cache.views_at, MIDWAY)) for _ in range(runs)]
    cache.close()
    rebuilds = []
    for _ in range(runs):
        views = ViewDB.sqlite(views_file)
        rebuilds.append(timed(partial(full_rebuild, ledger, views)))
        views.close()
    return {
        "position": position,
        "first": statistics.median(firsts),
        "cached": statistics.median(cached),
        "rebuild": statistics.median(rebuilds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.as_of")
    parser.add_argument("events", nargs="*", type=int, default=[5000, 20000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"# {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}")
    print(
        f"# views_at({MIDWAY}) first and cached, and a full rebuild to the head; median of {args.runs}"
    )
    print(
        f"{'events':>8} {'backend':<11}{'position':>9}{'first ms':>10}{'cached ms':>11}"
        f"{'rebuild ms':>12}{'first/rebuild':>15}"
    )
    for n in args.events:
        demo, seconds = demo_ledger(n)
        print(f"# {n}: demo of {demo.head()} events written in {seconds:.0f} s", file=sys.stderr)
        with bench_backends() as backends, tempfile.TemporaryDirectory() as folder:
            for name in ("sqlite", "postgresql"):
                if name not in backends:
                    continue
                env = backends[name]()
                ledger = Ledger(env=env)
                copy_into(demo, ledger)
                live = ViewDB.sqlite(str(Path(folder) / f"{name}-live.sqlite"))
                signer = Signer.generate(ORIGIN)
                Runner(ledger, live, [TransparencyView(signer, ORIGIN)], batch_size=1000).catch_up()
                found = measure(ledger, live, str(Path(folder) / f"{name}-views.sqlite"), args.runs)
                print(
                    f"{demo.head():>8} {name:<11}{found['position']:>9.0f}{found['first']:>10.1f}"
                    f"{found['cached']:>11.3f}{found['rebuild']:>12.1f}"
                    f"{found['first'] / found['rebuild']:>15.2f}",
                    flush=True,
                )
                live.close()
                ledger.close()
        demo.close()


if __name__ == "__main__":
    main()
