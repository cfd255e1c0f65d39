"""How the cost of one donation grows with the fund's history (in-memory store, so only our code counts).

A fund keeps a journal of every command's record (for idempotency and reversals), and snapshots carry
it, so loading a fund decodes the whole journal. This prints the median time of 20 donations after the
fund already holds 100, 1000 and 5000 entries; the first row is the baseline the others are read
against. Run: `python -m bench.fund_history`.
"""

from __future__ import annotations

import statistics
import time

from bench.common import donate_once, open_bench_fund
from domain.ledger import Ledger

SIZES = (100, 1000, 5000)


def main() -> None:
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    fund = open_bench_fund(ledger)

    def donate() -> float:
        start = time.perf_counter()
        donate_once(ledger, fund)
        return time.perf_counter() - start

    print(f"{'entries':>8}{'ms/donation':>14}{'× first row':>13}")
    entries, first = 0, 0.0
    for size in SIZES:
        while entries < size:
            donate()
            entries += 1
        median = statistics.median(donate() for _ in range(20))
        entries += 20
        first = first or median
        print(f"{size:>8}{median * 1000:>14.2f}{median / first:>13.1f}")


if __name__ == "__main__":
    main()
