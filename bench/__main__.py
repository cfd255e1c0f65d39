"""`python -m bench [FIGURE ...] [--events N] [--runs R] [--large]` (and `make bench`): every bench of
issue 16 in one table. It runs the benches in this folder through their `measure` functions, reduces
each figure to the median of R runs with min and max beside the baseline measured in the same run
(`bench/table.py`), marks a figure that misses the issue's target, prints the table as Markdown and
writes it as JSON under `bench/results/` with the machine it ran on. FIGURE is one or more of
`writes http pages rebuild history proofs verify import memory` (default: all, in that order).
At the end it redraws bench/results/growth.png from every table there (`bench/plot.py`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import (
    bulk_import,
    fund_history,
    http,
    ledger_writes,
    memory,
    pages,
    plot,
    rebuild,
    transparency,
)
from bench.table import Figure, Spread, Target, markdown

RESULTS = Path(__file__).with_name("results")
FIGURES = (
    "writes",
    "http",
    "pages",
    "rebuild",
    "history",
    "proofs",
    "verify",
    "import",
    "memory",
)
BACKEND = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "memory": "memory"}


class Session:
    """What one `python -m bench` run measured so far: later figures read earlier ones (the HTTP
    command against the ledger's command without HTTP and against the bare append)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.figures: list[Figure] = []
        self.writes: list[ledger_writes.WriteRates] = []
        self.started = time.perf_counter()
        self.http_peaks: dict[str, int] = {}  # the HTTP servers' VmHWM (KiB) at N, by backend

    def add(self, *figures: Figure) -> None:
        self.figures.extend(figures)
        elapsed = time.perf_counter() - self.started
        for figure in figures:  # as they come, so a long run shows progress (and what took long)
            print(f"# measured at {elapsed:.0f} s: {figure.name}", file=sys.stderr)

    def note(self, text: str) -> None:
        print(f"# at {time.perf_counter() - self.started:.0f} s: {text}", file=sys.stderr)

    def write_rates(self, backend: str) -> ledger_writes.WriteRates | None:
        return next((w for w in self.writes if w.backend == backend), None)


def writes(session: Session) -> None:
    session.writes = ledger_writes.measure(
        session.args.commits, session.args.runs, ("sqlite", "postgresql")
    )
    for rates in session.writes:
        name = BACKEND[rates.backend]
        bare = Spread.of(rates.bare)
        session.add(
            Figure(
                f"donation through the ledger, {name}",
                "commits/s",
                Spread.of(rates.ledger),
                "bare append, aggregate kept in memory",
                bare,
                Target("ratio_at_least", 0.5),
            ),
            Figure(
                f"bare append reloading before every save, {name} (the old baseline)",
                "commits/s",
                Spread.of(rates.reloading),
                "bare append, aggregate kept in memory",
                bare,
            ),
        )
        for size, values in rates.batched.items():
            session.add(
                Figure(
                    f"bare append in batches of {size} events per transaction, {name}",
                    "events/s",
                    Spread.of(values),
                    "bare append, one event per transaction",
                    bare,
                )
            )


def rps(runs: list[http.LoadRun]) -> Spread:
    return Spread.of([r.rps for r in runs])


def p99(runs: list[http.LoadRun]) -> Spread:
    return Spread.of([r.p99_ms for r in runs])


def concurrent_limit(
    session: Session, backend: str, c: int, floor: Spread
) -> tuple[str, Spread, str]:
    """The issue's limit for C concurrent commands: the lower of the HTTP floor at C and the bare
    append in batches of C on that backend (when `writes` ran in this session); with a note."""
    rates = session.write_rates(backend)
    batched = rates.batched.get(c) if rates is not None else None
    if batched is None:
        return f"the HTTP floor at C={c}", floor, "the batched bare append was not measured"
    spread = Spread.of(batched)
    if spread.median < floor.median:
        return f"the limit: bare {BACKEND[backend]} append in batches of {c}", spread, ""
    return f"the limit: the HTTP floor at C={c}", floor, ""


def http_figures(session: Session) -> None:
    args = session.args
    found = http.measure(args.events, args.runs, args.duration, [1, 8], many_concurrency=[8, 32])
    session.http_peaks = found.peak_kib
    bare = session.write_rates("sqlite")
    for c in found.concurrency:
        floor = rps(found.of(c, http.FLOOR))
        health = rps(found.of(c, http.HEALTH))
        donation = rps(found.of(c, http.DONATION_ROUTE))
        read = found.of(c, http.READ)
        session.add(
            Figure(
                f"HTTP floor: the donation body validated, 201, C={c}",
                "req/s",
                floor,
                "a route that returns a constant",
                rps(found.of(c, http.CONSTANT)),
            ),
            Figure(
                f"GET /health, C={c}",
                "req/s",
                health,
                "a route that returns a constant",
                rps(found.of(c, http.CONSTANT)),
                Target("ratio_at_least", 0.8),
            ),
        )
        note = ""
        if c == 1 and bare is not None and statistics.median(bare.bare) < floor.median:
            limit, limit_name = Spread.of(bare.bare), "the limit: the bare SQLite append"
        elif c == 1:
            limit, limit_name = floor, "the HTTP floor"
        else:
            limit_name, limit, note = concurrent_limit(session, "sqlite", c, floor)
        session.add(
            Figure(
                f"donation over HTTP, SQLite, C={c}",
                "req/s",
                donation,
                limit_name,
                limit,
                Target("ratio_at_least", 0.5 if c == 1 else 0.8),
                note=note,
            )
        )
        if c == 1 and bare is not None:
            session.add(
                Figure(
                    "donation over HTTP, SQLite, C=1, against the ledger without HTTP",
                    "req/s",
                    donation,
                    "donation through the ledger, SQLite",
                    Spread.of(bare.ledger),
                    Target("ratio_at_least", 0.7),
                )
            )
        session.add(
            Figure(
                f"busiest foundation's page (JSON), C={c}",
                "req/s",
                rps(read),
                "GET /health",
                health,
                Target("ratio_at_least", 0.5),
            ),
            Figure(
                f"busiest foundation's page (JSON), C={c}, p99",
                "ms",
                p99(read),
                target=Target("below", 50),
            ),
        )

    for c in found.many_concurrency:
        floor = rps(found.of(c, http.FLOOR))
        if c not in found.concurrency:
            session.add(
                Figure(f"HTTP floor: the donation body validated, 201, C={c}", "req/s", floor)
            )
        for backend in found.backends:
            limit_name, limit, note = concurrent_limit(session, backend, c, floor)
            runs = found.of(c, http.many_route(backend))
            session.add(
                Figure(
                    f"donations over HTTP, {http.MANY_FUNDS} funds, {BACKEND[backend]}, C={c}",
                    "req/s",
                    rps(runs),
                    limit_name,
                    limit,
                    Target("ratio_at_least", 0.8),
                    note=note,
                ),
                Figure(
                    f"donations over HTTP, {http.MANY_FUNDS} funds, {BACKEND[backend]}, C={c}, p99",
                    "ms",
                    p99(runs),
                ),
            )


def pages_figures(session: Session) -> None:
    args = session.args
    found = pages.measure(args.events, args.runs, args.duration, [1, 8])
    for c in found.concurrency:
        health = rps(found.of(c, pages.HEALTH))
        for workload, label in (
            (pages.FOUNDATION, "busiest foundation's page (html)"),
            (pages.CITY, "the city's page (html)"),
        ):
            runs = found.of(c, workload)
            session.add(
                Figure(
                    f"{label}, C={c}",
                    "req/s",
                    rps(runs),
                    "GET /health",
                    health,
                    Target("ratio_at_least", 0.5),
                ),
                Figure(f"{label}, C={c}, p99", "ms", p99(runs), target=Target("below", 50)),
            )
    session.add(
        Figure(
            "the city's page on a past day (?as_of=), first render",
            "ms",
            Spread.of(found.first_ms),
            "the same page again (cached)",
            Spread.of(found.cached_ms),
        )
    )


def rebuild_figures(session: Session) -> None:
    for rates in rebuild.measure(session.args.events, session.args.runs):
        session.add(
            Figure(
                f"rebuild of all views, {BACKEND[rates.backend]}",
                "events/s",
                Spread.of(rates.rebuild),
                "reading and decoding the same notifications",
                Spread.of(rates.read_and_decode),
                Target("ratio_at_least", 0.5),
            )
        )


def history_figures(session: Session) -> None:
    found = fund_history.measure("sqlite", session.args.runs)
    first = fund_history.SIZES[0]
    for size in fund_history.SIZES[1:]:
        session.add(
            Figure(
                f"donation into a fund of {size:,} entries, SQLite",
                "ms",
                Spread.of(found.ms[size]),
                f"the same at {first} entries",
                Spread.of(found.ms[first]),
                # The "load a fund with 10,000 events < 2 ms"; a whole donation (load,
                # check, commit) is a stricter stand-in for the load alone.
                Target("below", 2),
            )
        )


def proofs_figures(session: Session) -> None:
    with tempfile.TemporaryDirectory() as folder:
        found = transparency.measure_proofs(Path(folder), session.args.events, session.args.runs)
    for backend, kinds in found.runs.items():
        baseline = Spread.of([median for median, _ in kinds["baseline: stored_hash"]])
        for kind in ("inclusion_path", "consistency_path"):
            session.add(
                Figure(
                    f"{kind} at {found.leaves:,} leaves, {BACKEND[backend]}",
                    "ms",
                    Spread.of([median for median, _ in kinds[kind]]),
                    "one indexed stored_hash read",
                    baseline,
                    Target("below", 1),
                )
            )


def verify_figures(session: Session) -> None:
    with tempfile.TemporaryDirectory() as folder:
        found = transparency.measure_verify(Path(folder), session.args.events, session.args.runs)
    session.add(
        Figure(
            f"full local verify at {found.events:,} events, SQLite",
            "events/s",
            Spread.of([found.events / s for s in found.verify_s]),
            "reading the same events and hashing their leaves",
            Spread.of([found.events / s for s in found.baseline_s]),
            Target("ratio_at_least", 0.8),
        )
    )


def import_figures(session: Session) -> None:
    session.note("import: starting")
    found = bulk_import.measure(session.args.events, session.args.runs)
    if found is None:
        print("# import: PostgreSQL is not reachable; not measured", file=sys.stderr)
        return
    session.add(
        Figure(
            f"bulk import of an export bundle ({found.events:,} entries), PostgreSQL",
            "events/s",
            Spread.of(found.imported),
            "psycopg COPY of the same rows into a bare table",
            Spread.of(found.copied),
            Target("ratio_at_least", 0.2),
            note=f"rows of {found.row_bytes:,} bytes both ways; the import's verification and"
            " views are not timed",
        )
    )


MIB = 1024  # KiB in a MiB


def memory_figures(session: Session) -> None:
    """The API process's peak (VmHWM after the HTTP workloads) and a rebuild's (VmHWM of a child)
    at N, each against the same at N/10: a ratio near 1 is flat in N."""
    args = session.args
    small, large = memory.sizes(args.events)
    # The N/10 servers run every HTTP workload once, shorter: a peak, not a rate, is read from them.
    short = min(args.duration, 1.0)
    peaks_small = http.measure(small, 1, short, [1, 8], many_concurrency=[8, 32]).peak_kib
    session.note(f"memory: the API servers at {small:,} events done")
    peaks = session.http_peaks
    note = ""
    if not peaks:
        peaks = http.measure(large, 1, short, [1, 8], many_concurrency=[8, 32]).peak_kib
        note = f"`http` was not run: both sizes ran each workload once, {short:g} s"
        session.note(f"memory: the API servers at {large:,} events done")
    for backend, kib in peaks.items():
        if backend in peaks_small:
            session.add(
                Figure(
                    f"peak memory of the API process (VmHWM) at {large:,} events, {BACKEND[backend]}",
                    "MiB",
                    Spread.of([kib / MIB]),
                    f"the same at {small:,} events",
                    Spread.of([peaks_small[backend] / MIB]),
                    Target("below", 300),
                    note=note or f"one server per size; at {small:,} each workload ran once",
                )
            )
    # One rebuild per size: a peak, not a rate (five runs at 100,000 events ranged 78.30–78.49
    # MiB), and a rebuild at N is the slowest thing this figure does.
    rebuilt = memory.measure(args.events, 1)
    session.add(
        Figure(
            f"peak memory of a rebuild of all views at {large:,} events, SQLite",
            "MiB",
            Spread.of([k / MIB for k in rebuilt.kib[large]]),
            f"the same at {small:,} events",
            Spread.of([k / MIB for k in rebuilt.kib[small]]),
            Target("below", 300),
            note="one rebuild per size",
        )
    )


MEASURES: dict[str, Callable[[Session], None]] = {
    "writes": writes,
    "http": http_figures,
    "pages": pages_figures,
    "rebuild": rebuild_figures,
    "history": history_figures,
    "proofs": proofs_figures,
    "verify": verify_figures,
    "import": import_figures,
    "memory": memory_figures,
}


def machine() -> dict[str, Any]:
    memory = ""
    with contextlib.suppress(OSError):
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average": list(os.getloadavg()),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("figures", nargs="*", metavar="FIGURE", help=" ".join(FIGURES))
    parser.add_argument("--events", type=int, default=100_000, help="demo ledger size (N)")
    parser.add_argument("--large", action="store_true", help="N = 1,000,000")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (R, at least 5)")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per HTTP workload")
    parser.add_argument("--commits", type=int, default=500, help="commits per run in `writes`")
    args = parser.parse_args(argv)
    unknown = [f for f in args.figures if f not in FIGURES]
    if unknown:
        parser.error(f"unknown FIGURE {', '.join(unknown)}: choose from {' '.join(FIGURES)}")
    if args.runs < 5:
        print("# fewer than 5 runs: figures are not comparable with the table", file=sys.stderr)
    if args.large:
        args.events = 1_000_000
    chosen = args.figures or list(FIGURES)
    session = Session(args)
    before = machine()
    started = time.perf_counter()
    for name in FIGURES:
        if name in chosen:
            MEASURES[name](session)
    elapsed = time.perf_counter() - started
    after = os.getloadavg()
    print(
        f"# N = {args.events:,} events, {args.runs} runs per figure, {args.duration:g} s per HTTP"
        f" workload, {args.commits} commits per write run; {elapsed:.0f} s in all"
    )
    print(
        f"# {before['machine']} {before['cpus']} cpus, {before['memory']}, Python"
        f" {before['python']}, SQLite {before['sqlite']}; load average before"
        f" {before['load_average'][0]:.2f}, after {after[0]:.2f}"
    )
    print(markdown(session.figures))
    missed = [f.name for f in session.figures if f.meets_target is False]
    print(f"# {len(missed)} of {len(session.figures)} figures miss their target")
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"table-{stamp}-n{args.events}.json"
    out.write_text(
        json.dumps(
            {
                "when": stamp,
                "arguments": vars(args),
                "seconds": elapsed,
                "machine": before,
                "load_average_after": list(after),
                "figures": [f.as_json() for f in session.figures],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    print(f"# written to {out}")
    try:
        plot.main(RESULTS)
    except ImportError:  # matplotlib is imported only to draw
        print("# no growth.png: matplotlib is the bench extra (pip install -e '.[bench]')")


if __name__ == "__main__":
    main()
