"""A batch applied at once gives every view exactly the rows its events give one at a time.

The views defer their writes within a batch and send them many rows per statement (a fund's figures
summed per fund, movements, grants and relief rows inserted together, the monthly totals summed):
`storage/viewdb.py`. These tests hold the result to the plain rule, on the demo ledger (every kind of
event the generator makes: transfers, reversals, ratifications, consent withdrawn, pairings...):
built one event per transaction, built in one batch and built in batches of any sizes, every table
of every view is the same, on SQLite and PostgreSQL; and the deferral itself keeps the order of what
a statement sees, and commits with its transaction or not at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.generator import fill
from domain.ledger import Ledger
from projections.catalog import all_views
from projections.runner import Runner, view_positions
from projections.view import View
from storage.viewdb import ViewDB

ON_BOTH = pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
DEMO_EVENTS = 600


def everything(views: ViewDB, built: list[View]) -> dict[str, list[tuple[Any, ...]]]:
    tables = {
        table: sorted(views.execute(f"SELECT * FROM {table}"), key=repr)
        for view in built
        for table in view.tables
    }
    positions = view_positions(views)
    tables["view_tracking"] = sorted((view.name, positions[view.name]) for view in built)
    return tables


def built_in_batches(ledger: Ledger, views: ViewDB, sizes: list[int]) -> dict[str, Any]:
    """Every view rebuilt from position 0, in batches of `sizes` (the last size repeated)."""
    built = all_views()
    runner = Runner(ledger, views, built)
    for view in built:
        runner.rebuild(view.name)
    for size in sizes:
        runner.batch_size = size
        runner.run_once()
    while runner.run_once():
        pass
    assert not runner.failed, runner.failed
    assert all(runner.position(view.name) == ledger.head() for view in built)
    return everything(views, built)


@ON_BOTH
def test_every_view_built_in_one_batch_equals_it_built_one_event_at_a_time(
    ledger: Ledger, views: ViewDB
) -> None:
    fill(ledger, events=DEMO_EVENTS, seed=2, progress=None)
    one_at_a_time = built_in_batches(ledger, views, [1] * ledger.head())
    assert one_at_a_time["disclosure_fund_movements"], "the demo moved no money"
    assert one_at_a_time["disclosure_relief_monthly"], "the demo disbursed no relief"
    assert built_in_batches(ledger, views, [ledger.head()]) == one_at_a_time


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sizes=st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=12))
@pytest.mark.parametrize("backend_database", ["sqlite"], indirect=True)
def test_every_view_built_in_batches_of_any_sizes_equals_it_built_one_event_at_a_time(
    ledger: Ledger, views: ViewDB, sizes: list[int]
) -> None:
    if not ledger.head():
        fill(ledger, events=DEMO_EVENTS, seed=2, progress=None)
        views.execute("CREATE TABLE one_at_a_time (payload TEXT NOT NULL)")
        views.execute(
            "INSERT INTO one_at_a_time VALUES (?)",
            (repr(built_in_batches(ledger, views, [1] * ledger.head())),),
        )
    expected = views.execute("SELECT payload FROM one_at_a_time")[0][0]
    assert repr(built_in_batches(ledger, views, sizes)) == expected


# --- the deferral itself ---------------------------------------------------------------------------

TABLE = (
    "CREATE TABLE IF NOT EXISTS deferred_rows (id TEXT PRIMARY KEY, n BIGINT NOT NULL, note TEXT)"
)
INSERT = "INSERT INTO deferred_rows VALUES (?, ?, ?)"


@ON_BOTH
def test_a_statement_naming_a_table_sees_the_writes_deferred_to_it(
    ledger: Ledger, views: ViewDB
) -> None:
    views.execute(TABLE)
    with views.transaction() as db:
        db.defer_insert(INSERT, ("a", 1, None))
        db.defer_update("deferred_rows", "id", "a", add={"n": 2}, assign={"note": "x"})
        db.defer_update("deferred_rows", "id", "a", add={"n": 3}, assign={"note": "y"})
        assert db.execute("SELECT id, n, note FROM deferred_rows") == [("a", 6, "y")]
        # A row inserted after updates to it goes in after them: they were no-ops, as in order.
        db.defer_update("deferred_rows", "id", "b", add={"n": 10})
        db.defer_insert(INSERT, ("b", 1, None), key=("id", "b"))
        # A column set and then added to is written in that order, not merged.
        db.defer_update("deferred_rows", "id", "a", assign={"n": 100})
        db.defer_update("deferred_rows", "id", "a", add={"n": 1})
    assert views.execute("SELECT id, n, note FROM deferred_rows ORDER BY id") == [
        ("a", 101, "y"),
        ("b", 1, None),
    ]


@ON_BOTH
def test_deferred_writes_are_dropped_with_a_transaction_that_fails(
    ledger: Ledger, views: ViewDB
) -> None:
    views.execute(TABLE)
    views.defer_insert(INSERT, ("kept", 1, None))  # outside a transaction: written at once

    def fail_in_a_transaction() -> None:
        with views.transaction() as db:
            db.defer_insert(INSERT, ("lost", 1, None))
            db.defer_update("deferred_rows", "id", "kept", add={"n": 5})
            raise RuntimeError("handler bug")

    with pytest.raises(RuntimeError, match="handler bug"):
        fail_in_a_transaction()
    assert views.execute("SELECT id, n FROM deferred_rows") == [("kept", 1)]
    with views.transaction():
        pass  # nothing left over from the failed one goes out with the next
    assert views.execute("SELECT id, n FROM deferred_rows") == [("kept", 1)]


@ON_BOTH
def test_a_deferred_row_that_breaks_a_constraint_fails_its_transaction(
    ledger: Ledger, views: ViewDB
) -> None:
    views.execute(TABLE)
    views.execute(INSERT, ("a", 1, None))

    def insert_a_again() -> None:
        with views.transaction() as db:
            db.defer_insert(INSERT, ("b", 1, None))
            db.defer_insert(INSERT, ("a", 2, None))  # sent, and refused, only at the commit

    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        insert_a_again()
    assert views.execute("SELECT id FROM deferred_rows") == [("a",)]


def test_only_a_plain_insert_can_be_deferred(ledger: Ledger, views: ViewDB) -> None:
    with pytest.raises(ValueError, match="only INSERT INTO"):
        views.defer_insert("INSERT INTO t SELECT * FROM u", ())
