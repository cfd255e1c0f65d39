"""The district grid's geometry (api.pages.charts.district_grid): each bar measures its figure
against its target, inside its track, and the rows come in the order given."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from api.pages.charts import INDICATORS, GridCell, GridRow, district_grid
from projections.indicators import DistrictIndicators, Rural, Share


def district(
    name: str = "pudong",
    coverage: tuple[int, int] = (1, 4),
    pairings: tuple[int, int, int] = (0, 0, 0),
    rural: tuple[int, int] = (0, 0),  # baseline 2020, now
    centres: tuple[int, int] = (0, 0),
) -> DistrictIndicators:
    kinds = ("foundation_twinning", "service_center_partnership", "urban_rural")
    baseline, now = rural
    return DistrictIndicators(
        district=name,
        subdistricts_with_community_foundation=Share(*coverage),
        community_foundations_with_relief_fund=Share(1, 1),
        pairings=tuple(zip(kinds, pairings, strict=True)),
        pairings_established=sum(pairings),
        rural_registered=Rural(baseline, now, now, 2 * baseline, now >= 2 * baseline or None),
        service_centres_graded_3a_or_above=Share(*centres),
    )


def cell(grid_row: GridRow, indicator: str) -> GridCell:
    return next(c for c in grid_row.cells if c.indicator == indicator)


def test_a_share_fills_its_track_in_proportion_and_a_met_target_shows_as_met() -> None:
    grid = district_grid([district(coverage=(1, 4)), district("xuhui", coverage=(3, 3))])

    quarter = cell(grid.rows[0], "coverage")
    whole = cell(grid.rows[1], "relief_fund")
    assert (quarter.numerator, quarter.denominator) == (1, 4)
    (fill,) = quarter.fills
    assert fill.width == round(quarter.track.width / 4, 2)
    assert fill.css == "fill"
    (met,) = whole.fills
    assert met.width == whole.track.width
    assert met.css == "fill-met"


def test_nothing_to_reach_draws_no_bar() -> None:
    grid = district_grid([district(rural=(0, 3), centres=(0, 0))])

    assert cell(grid.rows[0], "rural").fills == ()
    assert cell(grid.rows[0], "centres").fills == ()


def test_rural_organisations_beyond_the_doubling_target_fill_the_track_and_no_more() -> None:
    grid = district_grid([district("chongming", rural=(2, 9))])

    rural = cell(grid.rows[0], "rural")
    assert (rural.numerator, rural.denominator) == (9, 4)
    (fill,) = rural.fills
    assert fill.width == rural.track.width


def test_pairings_stack_by_kind_against_the_district_with_the_most() -> None:
    grid = district_grid(
        [district("pudong", pairings=(2, 1, 1)), district("xuhui", pairings=(2, 0, 0))]
    )

    busiest = cell(grid.rows[0], "pairings")
    other = cell(grid.rows[1], "pairings")
    track = busiest.track.width
    assert [f.css for f in busiest.fills] == ["fill-kind0", "fill-kind1", "fill-kind2"]
    assert sum(f.width for f in busiest.fills) == track
    assert [f.width for f in other.fills] == [round(track / 2, 2)]
    assert busiest.numerator == 4
    assert busiest.denominator is None


@given(
    st.lists(
        st.tuples(
            st.integers(0, 50),
            st.integers(0, 50),
            st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(0, 9)),
            st.integers(0, 30),
            st.integers(0, 90),
        ),
        min_size=1,
        max_size=16,
    )
)
def test_every_bar_stays_inside_its_track_and_every_row_inside_the_grid(
    figures: list[tuple[int, int, tuple[int, int, int], int, int]],
) -> None:
    districts = [
        district(f"d{i}", coverage=(min(a, b), b), pairings=p, rural=(base, now))
        for i, (a, b, p, base, now) in enumerate(figures)
    ]
    grid = district_grid(districts)

    assert [r.district for r in grid.rows] == [d.district for d in districts]
    for row in grid.rows:
        assert [c.indicator for c in row.cells] == list(INDICATORS)
        for c in row.cells:
            right = c.track.x + c.track.width
            assert c.track.x + c.track.width <= grid.width
            assert c.track.y + c.track.height <= grid.height
            for fill in c.fills:
                assert c.track.x <= fill.x
                assert fill.x + fill.width <= right + 0.05
