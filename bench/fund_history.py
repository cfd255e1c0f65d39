"""How the cost of one donation grows with the fund's history, on one backend.

Records of past commands live in the command index, not in the fund, so a fund's snapshot (and so a
load) should not grow with its history. This prints the median time of 20 donations after the fund
already holds 100, 1000, 5000 and 20000 entries; the first row is the baseline the others are read
against. `measure()` returns R groups of 20 per size (`HistoryCosts`).
Run: `python -m bench.fund_history [memory|sqlite|postgresql]` (default sqlite).
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass

from bench.common import bench_backends, donate_once, open_bench_fund
from domain.ledger import Ledger

SIZES = (100, 1000, 5000, 20000)


@dataclass
class HistoryCosts:
    """For each fund size (entries already in the fund), the median ms of each group of 20 donations."""

    backend: str
    ms: dict[int, list[float]]


def measure(backend: str = "sqlite", groups: int = 1) -> HistoryCosts:
    with bench_backends() as backends:
        ledger = Ledger(env=backends[backend]())
        try:
            return HistoryCosts(backend, costs(ledger, groups))
        finally:
            ledger.close()


def costs(ledger: Ledger, groups: int) -> dict[int, list[float]]:
    fund = open_bench_fund(ledger)

    def donate() -> float:
        start = time.perf_counter()
        donate_once(ledger, fund)
        return time.perf_counter() - start

    found: dict[int, list[float]] = {}
    entries = 0
    for size in SIZES:
        while entries < size:
            donate()
            entries += 1
        for _ in range(groups):
            found.setdefault(size, []).append(statistics.median(donate() for _ in range(20)) * 1000)
            entries += 20
    return found


def main() -> None:
    backend = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    found = measure(backend)
    print(f"{'entries':>8}{'ms/donation':>14}{'× first row':>13}")
    first = 0.0
    for size, groups in found.ms.items():
        median = statistics.median(groups)
        first = first or median
        print(f"{size:>8}{median:>14.2f}{median / first:>13.1f}")


if __name__ == "__main__":
    main()
