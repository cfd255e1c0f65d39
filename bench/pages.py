"""Requests per second and p50/p99 latency of the public pages, one uvicorn worker on loopback, with
`GET /health` on the same app as the baseline (issue 15's targets, docs/PERFORMANCE.md "Public pages").

It writes the project's demo dataset (`demo/generator.py`, each event recorded on its story date, so a
past day has a past) of N events into a SQLite ledger under `var/bench/pages-N/`, catches the views up
(checkpoints signed as a service would) and keeps the folder: a second run reuses it. It serves it with
`mingzhang serve --workers 1` and, for each of R runs and each C given, drives with the load generator
of `bench/http.py` (`bench/load.py`, a separate process):
- `GET /health` (the baseline);
- `GET /foundations/{busiest}` as text/html, the demo foundation with the most grants;
- `GET /`, the city's page.
Then the first render of `/?as_of=` a past day (cold: the views rebuilt to that day, a day of its own
per run, 45 days apart) and the same page again (cached), timed one request at a time. The views'
snapshots (`projections/as_of.py`) are removed before the server starts; the server writes them up to
the head on a thread of its own at start, and the bench waits for the last one (and prints how long
that took) before it measures anything. Medians of the R runs; `measure()` returns every run (`PagesRuns`).
Run: `make bench-pages` or `python -m bench.pages [--events 100000] [--runs 5] [--duration 5]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench.http import (
    LoadRun,
    caught_up_busiest,
    free_port,
    load,
    server_settings,
    wait_until_up,
)
from cli.compose import open_ledger
from demo.generator import fill
from projections.as_of import snapshot_spacing

HTML = ["--header", "Accept: text/html"]
PAST_DAY = date(2022, 12, 31)  # mid-way through the demo's story (2021-01-01 to 2024-12-31)


def prepare(folder: Path, events: int) -> tuple[dict[str, str], dict[str, str]]:
    """The server's environment and the busiest foundation, from `folder` if an earlier run left
    them there (`bench.json` is written last: its presence means the ledger is complete)."""
    saved = folder / "bench.json"
    if saved.exists():
        found = json.loads(saved.read_text())
        return found["env"], found["ids"]
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.sqlite*"):  # an interrupted run's
        stale.unlink()
    env, settings = server_settings(folder)
    ledger = open_ledger(settings)
    fill(ledger, events=events, seed=2021)
    busiest = caught_up_busiest(ledger, settings)
    assert busiest is not None, "the demo awards grants"
    ids = {"head": str(ledger.head()), "busiest": busiest}
    ledger.close()
    saved.write_text(json.dumps({"env": env, "ids": ids}))
    return env, ids


def fetch_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as answer:
        answer.read()
    return (time.perf_counter() - started) * 1000


HEALTH = "GET /health (baseline)"
FOUNDATION = "GET /foundations/{busiest} (html)"
CITY = "GET /"


@dataclass
class PagesRuns:
    head: int
    concurrency: list[int]
    duration: float
    snapshots_s: float
    runs: dict[int, dict[str, list[LoadRun]]] = field(default_factory=dict)
    first_ms: list[float] = field(default_factory=list)
    cached_ms: list[float] = field(default_factory=list)

    def of(self, concurrency: int, workload: str) -> list[LoadRun]:
        return self.runs[concurrency][workload]


def measure(
    events: int = 100_000,
    runs: int = 5,
    duration: float = 5.0,
    concurrency: list[int] | None = None,
) -> PagesRuns:
    concurrency = concurrency or [1, 8]
    folder = Path("var") / "bench" / f"pages-{events}"
    env, ids = prepare(folder, events)
    snapshots = Path(env["MINGZHANG_VAR_DIR"]) / "as_of"
    shutil.rmtree(snapshots, ignore_errors=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    mingzhang = Path(sys.executable).with_name("mingzhang")
    log = (folder / "server.log").open("wb")
    launched = time.perf_counter()
    server = subprocess.Popen(
        [str(mingzhang), "serve", "--port", str(port), "--workers", "1"],
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    workloads = {
        HEALTH: ("/health", []),
        FOUNDATION: (f"/foundations/{ids['busiest']}", HTML),
        CITY: ("/", HTML),
    }
    found = PagesRuns(int(ids["head"]), concurrency, duration, 0.0)
    try:
        wait_until_up(url, server)
        head = int(ids["head"])
        # The last snapshot the server writes at start (none in a log shorter than the spacing):
        # named `views-VERSIONS-POSITION-DIGEST.sqlite` (projections/as_of.py `_snapshot`).
        last = head - head % snapshot_spacing(head)
        while last and not any(snapshots.glob(f"views-*-{last}-*.sqlite")):
            if time.perf_counter() - launched > 900:
                raise SystemExit(f"bench.pages: no snapshot at {last} after 15 minutes")
            time.sleep(0.5)
        found.snapshots_s = time.perf_counter() - launched
        for path, extra in workloads.values():  # warm-up: imports, caches, connections
            load(url, path, 1, 1.0, *extra)
        for run in range(runs):
            for c in concurrency:
                for name, (path, extra) in workloads.items():
                    result = load(url, path, c, duration, *extra)
                    found.runs.setdefault(c, {}).setdefault(name, []).append(
                        LoadRun(result["rps"], result["p50_ms"], result["p99_ms"], result["errors"])
                    )
            # A day of its own per run, so each first render rebuilds the views; 45 days apart, so
            # each sits at another distance from the snapshot before it.
            past = f"{url}/?as_of={(PAST_DAY - timedelta(days=45 * run)).isoformat()}"
            found.first_ms.append(fetch_ms(past))
            found.cached_ms.append(statistics.median(fetch_ms(past) for _ in range(5)))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--events", type=int, default=100_000, help="demo ledger size")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per workload per run")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    started = time.perf_counter()
    found = measure(args.events, args.runs, args.duration, args.concurrency)
    print(f"# {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}")
    print(
        f"# SQLite demo ledger of {found.head} events in var/bench/pages-{args.events}; prepared"
        f" and measured in {time.perf_counter() - started:.0f} s"
    )
    print(f"# the views' snapshots up to the head written at start in {found.snapshots_s:.0f} s")
    print(
        "# one uvicorn worker on loopback; load generator: a separate process with C keep-alive"
        f" connections, {args.duration:g} s per workload; median of {args.runs} runs"
    )
    print(f"{'C':>3}  {'workload':<36}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'÷ health':>10}")
    for c in found.concurrency:
        baseline = statistics.median(r.rps for r in found.of(c, HEALTH))
        for name, runs in found.runs[c].items():
            rps = statistics.median(r.rps for r in runs)
            p50 = statistics.median(r.p50_ms for r in runs)
            p99 = statistics.median(r.p99_ms for r in runs)
            print(f"{c:>3}  {name:<36}{rps:>9,.0f}{p50:>9.1f}{p99:>9.1f}{rps / baseline:>10.2f}")
    print(f"  1  GET /?as_of= a past day, first{statistics.median(found.first_ms):>16,.0f} ms")
    print(f"  1  GET /?as_of= a past day, cached{statistics.median(found.cached_ms):>15,.1f} ms")
    print(f"# first renders, run by run: {', '.join(f'{f:,.0f}' for f in found.first_ms)} ms")


if __name__ == "__main__":
    main()
