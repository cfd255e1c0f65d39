"""Requests per second of a full C2SP tile from the origin against `GET /health` in the same run (issue
18's target: a full tile at ≥ 0.8× the rate of /health), one uvicorn worker on loopback.

It prepares a SQLite ledger of N demo events as `bench/http.py` does (views caught up before the
server starts), starts `mingzhang serve`, and for each of R runs drives, with the load generator
(`bench/load.py`, its own process, C keep-alive threads, D seconds each), `/health` and then a full
level-0 hash tile and a full entry bundle from the middle of the log, at each concurrency given. It
prints, per workload and concurrency, the median rps of the R runs (min, max) and the median of its
per-run ratios to /health at the same concurrency (the order of the workloads alternates by run). What it measures is the origin itself cutting a tile per request (a range
query and 8 KiB out): a cache or mirror in front serves the same bytes without reaching it.
Run: `python -m bench.tiles [--events 20000] [--runs 3] [--duration 5] [--concurrency 1 8]`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench.http import free_port, load, prepare, serve, wait_until_up
from transparency.tiles import WIDTH, Tile

HEALTH = "GET /health (baseline)"


def workloads(head: int) -> dict[str, str]:
    """/health and two full tiles of the middle of a log of `head` entries."""
    middle = max(0, (head // 2) // WIDTH - 1)
    if head < 2 * WIDTH:
        raise SystemExit("bench.tiles: the ledger needs at least 512 events for a full tile")
    return {
        HEALTH: "/health",
        "GET /tlog/tile/0/<N> (full)": f"/tlog/{Tile(0, middle).path()}",
        "GET /tlog/tile/entries/<N> (full)": f"/tlog/{Tile(None, middle).path()}",
    }


def measure(
    events: int, runs: int, duration: float, concurrency: list[int]
) -> dict[str, dict[str, list[float]]]:
    """rps of every run, by concurrency (as text, for JSON) and workload."""
    folder = Path(tempfile.mkdtemp(prefix="mz-bench-tiles-"))
    log = (folder / "server.log").open("wb")
    server = None
    try:
        env, ids = prepare(folder / "sqlite", events)
        url = f"http://127.0.0.1:{free_port()}"
        mingzhang = Path(sys.executable).with_name("mingzhang")
        port = url.rsplit(":", 1)[1]
        server = serve([str(mingzhang), "serve", "--port", port, "--workers", "1"], env, log)
        wait_until_up(url, server)
        paths = workloads(int(ids["head"]))
        for path in paths.values():  # warm-up: imports, caches, connections
            load(url, path, 1, 1.0)
        found: dict[str, dict[str, list[float]]] = {}
        for run in range(runs):
            for c in concurrency:
                # Alternate the order, so a machine slowing down over a run does not favour one.
                order = list(paths.items())
                for name, path in order if run % 2 == 0 else reversed(order):
                    result = load(url, path, c, duration)
                    if result["errors"]:
                        raise SystemExit(f"bench.tiles: {path} answered errors")
                    found.setdefault(str(c), {}).setdefault(name, []).append(result["rps"])
        return found
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tiles")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    found = measure(args.events, args.runs, args.duration, args.concurrency)
    print(
        f"| workload ({args.events:,} events, {args.runs} runs) | C | rps median (min–max)"
        " | ÷ /health in the same run, median (min–max) |"
    )
    print("|---|---|---|---|")
    for c, by_name in found.items():
        health = by_name[HEALTH]
        for name, rps in by_name.items():
            # Each run's ratio to /health in that same run, then their median: the machine's
            # swings between runs cancel out.
            ratios = sorted(r / h for r, h in zip(rps, health, strict=True))
            print(
                f"| {name} | {c} | {statistics.median(rps):,.0f} ({min(rps):,.0f}–{max(rps):,.0f})"
                f" | {statistics.median(ratios):.2f} ({ratios[0]:.2f}–{ratios[-1]:.2f}) |"
            )
    print(json.dumps({"args": vars(args), "rps": found}), file=sys.stderr)


if __name__ == "__main__":
    main()
