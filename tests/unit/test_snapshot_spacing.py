"""How far apart a past day's view snapshots are kept (`projections.as_of.snapshot_spacing`): 5,000
positions, doubled as the log grows so that never more than 20 are kept, as docs/PERFORMANCE.md says."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from projections.as_of import MAX_SNAPSHOTS, SNAPSHOT_EVERY, snapshot_spacing


def test_the_spacing_is_5000_up_to_100000_events_and_80000_at_a_million() -> None:
    assert snapshot_spacing(4_999) == 5_000
    assert snapshot_spacing(100_000) == 5_000
    assert snapshot_spacing(100_001 + 4_999) == 10_000
    assert snapshot_spacing(1_000_000) == 80_000


@given(st.integers(min_value=0, max_value=10**9))
def test_never_more_than_the_most_snapshots_and_never_closer_than_needed(head: int) -> None:
    every = snapshot_spacing(head)
    assert head // every <= MAX_SNAPSHOTS
    assert every % SNAPSHOT_EVERY == 0
    if every > SNAPSHOT_EVERY:
        assert head // (every // 2) > MAX_SNAPSHOTS
