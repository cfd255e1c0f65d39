"""How the cost of awarding one grant grows with the grants a fund has open, on one backend.

Every award reserves its amount on the fund, and the fund keeps each open reservation until it is paid,
released or closed: a fund of a busy programme (or a spreadsheet import of grants) holds thousands. This
prints the median time of 20 awards once the fund already has 100, 1,000 and 4,000 grants open; the
first row is the baseline the others are read against (flat would be 1.0 throughout).
Run: `python -m bench.open_grants [memory|sqlite|postgresql]` (default sqlite).
"""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from datetime import date

from bench.common import bench_backends, open_bench_fund
from domain.ledger import Ledger
from domain.money import Money

SIZES = (100, 1000, 4000)


def recipient(ledger: Ledger) -> uuid.UUID:
    centre = uuid.uuid4()
    ledger.register_organization(
        centre,
        name="bench centre",
        uscc=None,
        type="community_affairs",
        tier="registered",
        roles=["service_center"],
        district="huangpu",
        subdistrict="外滩街道",
        rural=False,
        registered_on=date(2020, 1, 1),
    )
    return centre


def award_once(ledger: Ledger, fund: uuid.UUID, centre: uuid.UUID) -> float:
    start = time.perf_counter()
    ledger.award_grant(
        uuid.uuid4(),
        fund_id=fund,
        recipient_id=centre,
        programme="bench",
        title="bench grant",
        description="bench",
        amount=Money(100),
        awarded_on=date(2024, 1, 1),
        planned_start=date(2024, 1, 1),
        planned_end=date(2024, 12, 31),
    )
    return time.perf_counter() - start


def measure(backend: str = "sqlite") -> dict[int, float]:
    """Median ms of 20 awards at each number of grants already open."""
    with bench_backends() as backends:
        ledger = Ledger(env=backends[backend]())
        try:
            fund = open_bench_fund(ledger)
            centre = recipient(ledger)
            ledger.receive_donation(
                fund,
                donation_id=uuid.uuid4(),
                amount=Money(100 * 10 * SIZES[-1]),
                received_on=date(2024, 1, 1),
                donor_kind="anonymous",
            )
            found: dict[int, float] = {}
            opened = 0
            for size in SIZES:
                while opened < size:
                    award_once(ledger, fund, centre)
                    opened += 1
                found[size] = statistics.median(award_once(ledger, fund, centre) for _ in range(20))
                opened += 20
            return {size: seconds * 1000 for size, seconds in found.items()}
        finally:
            ledger.close()


def main() -> None:
    backend = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    found = measure(backend)
    print(f"{'open grants':>12}{'ms/award':>11}{'× first row':>13}")
    first = found[SIZES[0]]
    for size, ms in found.items():
        print(f"{size:>12}{ms:>11.2f}{ms / first:>13.1f}")


if __name__ == "__main__":
    main()
