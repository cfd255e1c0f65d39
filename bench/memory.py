"""Peak memory of a rebuild of all views, at N/10 and at N events (issue 16: < 300 MB, flat in N).

For each size it copies the first N/10 (then all N) events of the demo ledger into a fresh SQLite
ledger and runs, in a child process of its own (so nothing this process holds is counted), the
rebuild of every view from scratch (`Runner.catch_up`, batches of 5000, into a new views file); the
child reports its peak resident set: VmHWM from its own /proc/self/status, KiB. Not
`getrusage(RUSAGE_SELF).ru_maxrss`: Linux keeps that high-water mark across fork and exec, so the
child's would start at this process's size (the demo ledger it holds) and read the same at any N.
The API process's peak is read by `bench/http.py` (VmHWM after its workloads). `measure()` returns
every run (`RebuildPeaks`). Run: `python -m bench.memory [N] [R]` (default 100000 events, 5 runs).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.demo import copy_into, shared
from bench.http import peak_kib
from domain.ledger import Ledger
from projections.catalog import all_views
from projections.runner import Runner
from storage.database import Database
from storage.viewdb import ViewDB


def sizes(events: int) -> tuple[int, int]:
    """The two sizes a peak is measured at: a tenth of N (at least 1), and N."""
    return max(events // 10, 1), events


def rebuild_in_this_process(path: Path) -> dict[str, int]:
    """The child's part: rebuild every view of the SQLite ledger at `path` into a new views file."""
    ledger = Ledger(env=Database("sqlite", sqlite_path=str(path)).eventsourcing_env())
    views = ViewDB.sqlite(str(path.with_name(f"{path.stem}.{time.monotonic_ns()}.views.sqlite")))
    try:
        Runner(ledger, views, all_views(), batch_size=5000).catch_up()
        events = ledger.head()
    finally:
        views.close()
        ledger.close()
    return {"events": events, "peak_kib": peak_kib(Path("/proc/self/status").read_text())}


def rebuild_peak_kib(path: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "bench.memory", "--child", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    found: dict[str, int] = json.loads(done.stdout)
    return found["peak_kib"]


@dataclass
class RebuildPeaks:
    """The rebuild's peak resident set (KiB) of each run, by ledger size."""

    kib: dict[int, list[float]] = field(default_factory=dict)


def measure(events: int = 100_000, runs: int = 5) -> RebuildPeaks:
    found = RebuildPeaks()
    folder = Path(tempfile.mkdtemp(prefix="mz-bench-memory-"))
    try:
        demo = shared(events)
        for size in sizes(events):
            path = folder / f"ledger-{size}.sqlite"
            ledger = Ledger(env=Database("sqlite", sqlite_path=str(path)).eventsourcing_env())
            copy_into(demo, ledger, upto=size)
            ledger.close()
            found.kib[size] = [float(rebuild_peak_kib(path)) for _ in range(runs)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return found


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(rebuild_in_this_process(Path(sys.argv[2]))))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    found = measure(n, runs)
    print(f"# peak resident set of a rebuild of all views (SQLite), median of {runs} runs")
    for size, kib in found.kib.items():
        print(f"{size:>10,} events: {statistics.median(kib) / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
