"""The suppression rule of the published relief statistics: no published cell counts fewer than five
cases, and no suppressed cell can be recovered from the published cells and totals."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from domain.foundations.codes import RELIEF_CATEGORY_OF, RELIEF_REASONS
from domain.foundations.relief_statistics import MIN_CASES, Cell, GroupTotal, suppressed_table

DISTRICTS = ("huangpu", "pudong", "xuhui")
# Small counts are where suppression matters; a few large ones make published cells.
COUNT = st.one_of(st.integers(0, 6), st.integers(0, 40))
COUNTS = st.dictionaries(
    st.tuples(st.sampled_from(DISTRICTS), st.sampled_from(sorted(RELIEF_REASONS))),
    COUNT,
    min_size=1,
)


def reader_bounds(
    cells: tuple[Cell, ...], totals: tuple[GroupTotal, ...]
) -> dict[tuple[str, str], tuple[int, int]]:
    """What a reader can tell of each suppressed cell from the published table alone: within a
    (district, category) group, the suppressed cells sum to the total less the published cells, and
    each is a whole number of at least 0; those are the only constraints published."""
    left = {(t.district, t.category): t.cases for t in totals}
    hidden: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cell in cells:
        if cell.cases is None:
            hidden[(cell.district, cell.category)].append(cell.reason_code)
        else:
            left[(cell.district, cell.category)] -= cell.cases
    bounds = {}
    for group, reasons in hidden.items():
        for reason in reasons:
            low = left[group] if len(reasons) == 1 else 0
            bounds[(group[0], reason)] = (low, left[group])
    return bounds


@given(COUNTS)
def test_no_suppressed_cell_can_be_recovered_from_the_published_cells_and_totals(
    counts: dict[tuple[str, str], int],
) -> None:
    cells, totals = suppressed_table(counts)
    for (district, reason), (low, high) in reader_bounds(cells, totals).items():
        true = counts.get((district, reason), 0)
        assert low <= true <= high
        # A reader learns a cell only when every cell left in its group is empty: then nobody's
        # circumstances are told; otherwise at least two values remain possible.
        assert low < high or high == 0, (district, reason)


@given(COUNTS)
def test_every_published_cell_counts_at_least_five_cases_and_the_totals_are_true(
    counts: dict[tuple[str, str], int],
) -> None:
    cells, totals = suppressed_table(counts)
    for cell in cells:
        assert cell.cases is None or cell.cases >= MIN_CASES
        if cell.cases is not None:
            assert cell.cases == counts.get((cell.district, cell.reason_code), 0)
    for total in totals:
        assert total.cases == sum(
            n
            for (d, r), n in counts.items()
            if d == total.district and RELIEF_CATEGORY_OF[r] == total.category
        )
    groups: dict[tuple[str, str], int] = defaultdict(int)
    for cell in cells:
        groups[(cell.district, cell.category)] += cell.cases is None
    assert all(hidden != 1 for hidden in groups.values())


def test_a_lone_small_cell_takes_the_smallest_other_of_its_group_with_it() -> None:
    counts = {("pudong", "GTIR060"): 2, ("pudong", "GTIR100"): 9, ("pudong", "GTIR050"): 7}
    cells, totals = suppressed_table(counts)
    emergency = {c.reason_code: c.cases for c in cells if c.category == "emergency"}
    assert emergency == {"GTIR050": None, "GTIR060": None, "GTIR100": 9}
    assert GroupTotal("pudong", "emergency", 18) in totals
