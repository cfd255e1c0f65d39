"""The bar chart's geometry (`api.pages.charts`): every bar inside the box, side by side in the order
given, its height proportional to its value, the largest filling the plot, a negative value below the
baseline, few enough labels to stay readable, and on a monthly chart a month without a value a gap."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.pages.charts import AXIS, TOP, bar_chart, monthly_bar_chart

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
values = st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=120)


def test_the_largest_value_fills_the_plot_and_the_others_are_in_proportion() -> None:
    chart = bar_chart([("2024-01", 100_00), ("2024-02", 50_00), ("2024-03", 0)])
    plot = chart.height - AXIS - TOP
    assert [b.height for b in chart.bars] == [plot, plot / 2, 0]
    assert chart.bars[0].y == TOP
    assert all(b.y + b.height == chart.baseline for b in chart.bars)


def test_a_negative_month_hangs_below_the_baseline() -> None:
    chart = bar_chart([("2024-01", 300), ("2024-02", -100)])
    up, down = chart.bars
    assert up.y + up.height == chart.baseline == down.y
    assert (up.negative, down.negative) == (False, True)
    assert down.height == pytest.approx(up.height / 3)


def test_no_values_or_only_zeros_draw_no_height() -> None:
    assert bar_chart([]).bars == ()
    assert {b.height for b in bar_chart([("2024-01", 0), ("2024-02", 0)]).bars} == {0}


def test_at_most_six_labels_the_first_always_among_them() -> None:
    chart = bar_chart([(m, 1) for m in MONTHS * 5])
    assert 1 < len(chart.ticks) <= 6
    assert chart.ticks[0].label == MONTHS[0]
    assert len(bar_chart([(m, 1) for m in MONTHS[:3]]).ticks) == 3


@given(values)
def test_bars_stay_in_the_box_in_order_and_never_overlap(amounts: list[int]) -> None:
    chart = bar_chart([(str(i), v) for i, v in enumerate(amounts)])
    assert [b.value for b in chart.bars] == amounts
    for bar, after in zip(chart.bars, chart.bars[1:], strict=False):
        assert bar.x + bar.width < after.x
    for bar in chart.bars:
        assert bar.x >= 0
        assert bar.x + bar.width <= chart.width + 0.01
        assert bar.y >= TOP - 0.01
        assert bar.y + bar.height <= chart.height - AXIS + 0.01
        assert bar.height >= 0
    biggest = max(abs(v) for v in amounts)
    for bar in chart.bars:
        if biggest:
            assert bar.height == pytest.approx(
                abs(bar.value) / biggest * max(b.height for b in chart.bars), abs=0.02
            )


def test_a_month_without_a_value_is_a_gap_on_the_time_axis() -> None:
    chart = monthly_bar_chart([("2023-11", 5), ("2024-02", 5)])  # Dec and Jan left out
    november, february = chart.bars
    slot = chart.width / 4  # Nov, Dec, Jan, Feb
    assert february.x - november.x == pytest.approx(3 * slot)
    assert [t.label for t in monthly_bar_chart([(m, 1) for m in MONTHS], max_ticks=4).ticks] == [
        "2024-01",
        "2024-04",
        "2024-07",
        "2024-10",
    ]
    assert monthly_bar_chart([]).bars == ()


@given(st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=40, unique=True))
def test_monthly_bars_stay_in_the_box_in_month_order(offsets: list[int]) -> None:
    months = [f"{2020 + n // 12}-{n % 12 + 1:02d}" for n in sorted(offsets)]
    chart = monthly_bar_chart([(m, 100) for m in months])
    assert [b.label for b in chart.bars] == months
    for bar, after in zip(chart.bars, chart.bars[1:], strict=False):
        assert bar.x + bar.width < after.x
    assert chart.bars[-1].x + chart.bars[-1].width <= chart.width + 0.01
    assert len(chart.ticks) <= 6
