"""Where a donation's time goes: cProfile of `Ledger.receive_donation` in a loop on a SQLite file.

Opens a fresh SQLite ledger in a temporary folder with one foundation and fund, makes W warm-up
donations (so the fund has snapshots and the cache, if any, is warm), then profiles N more and prints
the functions by cumulative time and by own time. A profile, not a benchmark: cProfile slows Python
code more than it slows SQLite, so read shares, not rates. Run: `python -m bench.profile_command [N] [W]`
(1,000 and 200 by default).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

from bench.common import donate_once, open_bench_fund
from domain.ledger import Ledger
from storage.database import Database


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    warm = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as tmp:
        env = Database("sqlite", sqlite_path=str(Path(tmp) / "ledger.sqlite")).eventsourcing_env()
        ledger = Ledger(env=env)
        fund = open_bench_fund(ledger)
        for _ in range(warm):
            donate_once(ledger, fund)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(n):
            donate_once(ledger, fund)
        profile.disable()
        ledger.close()
    print(f"# {n} donations after {warm} warm-up donations, one fund, SQLite file")
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
