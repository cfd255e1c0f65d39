"""The batched bare append of bench/ledger_writes.py (the limit for C concurrent commands): how a
run's events split into transactions of C, and how many events a run writes."""

from __future__ import annotations

import pytest

from bench.ledger_writes import MIN_TRANSACTIONS, batched_events, batches


def test_events_split_into_full_batches_then_the_rest() -> None:
    assert batches(20, 8) == [8, 8, 4]


def test_events_that_divide_evenly_leave_no_short_batch() -> None:
    assert batches(64, 32) == [32, 32]


def test_every_event_is_in_exactly_one_batch_and_none_is_larger_than_its_size() -> None:
    for events in range(0, 200, 7):
        for size in (1, 8, 32):
            plan = batches(events, size)
            assert sum(plan) == events
            assert all(0 < count <= size for count in plan)


def test_no_events_is_no_transaction() -> None:
    assert batches(0, 8) == []


def test_a_batch_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="batch size"):
        batches(10, 0)


def test_a_batched_run_writes_at_least_its_minimum_of_transactions() -> None:
    assert batched_events(500, 32) == MIN_TRANSACTIONS * 32
    assert len(batches(batched_events(500, 32), 32)) == MIN_TRANSACTIONS


def test_a_batched_run_writes_the_single_event_runs_count_when_that_is_more() -> None:
    assert batched_events(500, 8) == 500
