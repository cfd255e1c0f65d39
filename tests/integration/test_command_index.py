"""The command index: one row per applied command, written in the same transaction as its events.

These specify it on every backend: command ids are unique across the whole ledger; a save whose
command row collides writes no event either; and funds no longer carry their history in snapshots.
"""

from __future__ import annotations

from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError

from domain.command_index import CommandRow
from domain.errors import DuplicateCommandError
from domain.foundations.entries import Donation
from domain.ledger import FUND_SNAPSHOT_INTERVAL, Ledger
from domain.money import Money
from tests.support import DAY, donate, open_fund, refused, register


def test_a_command_id_names_one_command_in_the_whole_ledger(ledger: Ledger) -> None:
    foundation = register(ledger)
    first, second = open_fund(ledger, foundation), open_fund(ledger, foundation)
    donation_id = donate(ledger, first, "10")
    with refused(ledger, DuplicateCommandError, "id"):
        donate(ledger, second, "10", donation_id=donation_id)
    with refused(ledger, DuplicateCommandError, "id"):
        open_fund(ledger, foundation, fund_id=donation_id)


def test_a_colliding_command_row_rolls_back_the_events_saved_with_it(ledger: Ledger) -> None:
    foundation = register(ledger)
    first, second = open_fund(ledger, foundation), open_fund(ledger, foundation)
    donation_id = donate(ledger, first, "10")
    head = ledger.head()
    # What a second writer racing with the same id would try: its fund check passed before the row
    # existed, so the database's primary key is the last line of defence.
    fund = ledger.get_fund(second)
    record = Donation(Money(1000), DAY, "anonymous", None, False)
    fund.receive_donation(donation_id, record)
    row = CommandRow(donation_id, second, ledger.mapper.transcoder.encode(record))
    with pytest.raises(IntegrityError):
        ledger.save(fund, commands=[row])
    assert ledger.head() == head
    assert ledger.get_fund(second).balance == Money.zero()
    applied = ledger.applied(donation_id)
    assert applied is not None
    assert applied.aggregate_id == first


def test_a_long_history_does_not_grow_the_fund_snapshot(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    for _ in range(2 * FUND_SNAPSHOT_INTERVAL):
        donate(ledger, fund_id, "1.01")
    assert ledger.snapshots is not None
    first, second = list(ledger.snapshots.recorder.select_events(fund_id))[-2:]
    assert (first.originator_version, second.originator_version) == (
        FUND_SNAPSHOT_INTERVAL,
        2 * FUND_SNAPSHOT_INTERVAL,
    )
    # Only timestamps and the balance's digits may differ in length.
    assert abs(len(second.state) - len(first.state)) <= 8


def test_the_store_finds_an_events_log_position_by_its_aggregate_and_version(
    ledger: Ledger,
) -> None:
    foundation = register(ledger)
    fund = open_fund(ledger, foundation)
    donate(ledger, fund, "10")
    positions = {
        (notification.originator_id, notification.originator_version): notification.id
        for notification in ledger.recorder.select_notifications(1, ledger.head())
    }
    assert len(positions) == ledger.head()
    for (originator_id, version), position in positions.items():
        assert ledger.command_index.position_of(UUID(str(originator_id)), version) == position
    assert ledger.command_index.position_of(fund, 99) is None


def test_the_index_lists_its_rows_in_command_id_order_page_by_page(ledger: Ledger) -> None:
    fund_id = open_fund(ledger, register(ledger))
    for _ in range(5):
        donate(ledger, fund_id, "1")
    everything = ledger.command_index.select_commands(None, 100)
    assert len(everything) == 7  # the registration, the fund and five donations
    assert [row.command_id for row in everything] == sorted(row.command_id for row in everything)
    pages, after = [], None
    while page := ledger.command_index.select_commands(after, 3):
        pages.append(page)
        after = page[-1].command_id
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [row for page in pages for row in page] == everything
    assert everything[0] == ledger.command_index.select_command(everything[0].command_id)


def test_the_index_looks_up_many_rows_by_id_in_one_call(ledger: Ledger) -> None:
    fund_id = open_fund(ledger, register(ledger))
    donations = [donate(ledger, fund_id, "1") for _ in range(3)]
    unknown = UUID(int=7)
    found = ledger.command_index.select_commands_by_id([*donations, unknown])
    assert set(found) == set(donations)
    assert all(found[i] == ledger.command_index.select_command(i) for i in donations)
    assert ledger.command_index.select_commands_by_id([]) == {}
