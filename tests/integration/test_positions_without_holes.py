"""Log positions have no holes, even when writers in two processes race on one fund.

Each API worker has a ledger of its own, so two of them can decide on the same fund version and one
loses at the insert. On PostgreSQL the loser had drawn notification ids before the unique index
refused it; had those ids come from the column's sequence they would never be used, and the
transparency log, whose leaf i is position i + 1, would stop at the first hole. The test runs two
ledgers on one schema (as two workers would), then projects the log in small batches (as a runner
following a live log does) and expects every position from 1 to the head, and a checkpoint over all.
"""

from __future__ import annotations

import threading

import pytest

from domain.errors import ConcurrentModification
from domain.ledger import Ledger
from projections.runner import Runner
from projections.transparency import TransparencyView, latest_checkpoint
from storage.database import Database
from storage.viewdb import ViewDB
from tests.support import donate, open_fund
from transparency.signed_note import Signer

DONATIONS_EACH = 60


@pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_two_writers_racing_on_one_fund_leave_no_hole_and_the_tree_covers_every_event(
    backend_database: Database, ledger: Ledger, views: ViewDB
) -> None:
    other = Ledger(env=backend_database.eventsourcing_env())
    fund = open_fund(ledger)
    start = threading.Barrier(2)
    lost: list[int] = []

    def donations(writer: Ledger) -> None:
        start.wait()
        for _ in range(DONATIONS_EACH):
            try:
                donate(writer, fund, "1.00")
            except ConcurrentModification:  # kept losing: refused, nothing written
                lost.append(1)

    threads = [threading.Thread(target=donations, args=(w,)) for w in (ledger, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.close()

    positions = [n.id for n in ledger.recorder.select_notifications(1, 10_000)]
    assert positions == list(range(1, ledger.head() + 1))
    assert ledger.get_fund(fund).version == 1 + 2 * DONATIONS_EACH - len(lost)

    signer = Signer.generate("mingzhang.test/holes")
    runner = Runner(ledger, views, [TransparencyView(signer, "mingzhang.test/holes")], batch_size=7)
    runner.catch_up()
    assert runner.failed == {}
    checkpoint = latest_checkpoint(views)
    assert checkpoint is not None
    assert checkpoint.size == ledger.head()
