"""Views and aggregates as they stood at a past position or recording time (for auditors)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from domain.ledger import Ledger
from domain.money import Money
from projections.disclosure import DisclosureView
from projections.history import HistoryView
from projections.runner import PositionBeyondHead, build_as_of
from projections.view import View
from storage.database import Database
from storage.viewdb import ViewDB
from tests.support import donate, open_fund, pay, register


def tables(db: ViewDB, views: Sequence[View]) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: sorted(db.execute(f"SELECT * FROM {table}"), key=repr)
        for view in views
        for table in view.tables
    }


def truncated(ledger: Ledger, position: int) -> Ledger:
    """A fresh ledger holding only the first `position` events of `ledger`."""
    copy = Ledger(env=Database("memory").eventsourcing_env())
    stored = [
        StoredEvent(n.originator_id, n.originator_version, n.topic, n.state)
        for n in ledger.recorder.select_notifications(1, position)
    ]
    copy.recorder.insert_events(stored)
    return copy


def test_the_disclosure_as_of_a_position_equals_one_built_from_the_log_cut_there(
    ledger: Ledger,
) -> None:
    fund_id = open_fund(ledger, register(ledger))
    donate(ledger, fund_id, "100")
    cut = ledger.head()
    donate(ledger, fund_id, "50")
    pay(ledger, fund_id, "30")
    views = [DisclosureView(), HistoryView()]
    as_of = build_as_of(ledger, views, position=cut)
    from_cut = build_as_of(truncated(ledger, cut), views, position=cut)
    assert tables(as_of, views) == tables(from_cut, views)
    assert as_of.execute("SELECT balance_fen FROM disclosure_funds") == [(10000,)]


def test_views_as_of_a_time_before_the_first_event_are_empty(ledger: Ledger) -> None:
    open_fund(ledger, register(ledger))
    long_ago = datetime(2000, 1, 1, tzinfo=UTC)
    db = build_as_of(ledger, [DisclosureView()], moment=long_ago)
    assert db.execute("SELECT * FROM disclosure_funds") == []


def test_views_as_of_now_hold_everything(ledger: Ledger) -> None:
    fund_id = open_fund(ledger, register(ledger))
    donate(ledger, fund_id, "100")
    db = build_as_of(ledger, [HistoryView()], moment=datetime.now(UTC) + timedelta(seconds=1))
    assert len(db.execute("SELECT * FROM history_events")) == ledger.head()


def test_a_position_beyond_the_head_is_refused(ledger: Ledger) -> None:
    register(ledger)
    with pytest.raises(PositionBeyondHead, match="as_of"):
        build_as_of(ledger, [HistoryView()], position=ledger.head() + 1)


def test_an_aggregate_is_read_as_of_a_version_or_a_time(ledger: Ledger) -> None:
    fund_id = open_fund(ledger, register(ledger))
    donate(ledger, fund_id, "100")
    between = datetime.now(UTC)
    donate(ledger, fund_id, "50")
    assert ledger.as_of(fund_id, version=2).balance == Money.yuan("100")  # type: ignore[union-attr]
    assert ledger.as_of(fund_id, moment=between).balance == Money.yuan("100")  # type: ignore[union-attr]
    assert ledger.as_of(fund_id, moment=datetime(2000, 1, 1, tzinfo=UTC)) is None
    assert ledger.as_of(uuid4()) is None
