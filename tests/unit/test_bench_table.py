"""The benchmark table's pure parts (bench/table.py): how runs reduce, how a figure reads against its
baseline, and when a target is marked missed."""

from __future__ import annotations

import pytest

from bench.table import MISSED, Figure, Spread, Target, markdown, rows


def test_a_spread_is_the_median_of_the_runs_with_their_min_and_max() -> None:
    spread = Spread.of([5.0, 1.0, 4.0, 2.0, 3.0])
    assert (spread.median, spread.low, spread.high, spread.runs) == (3.0, 1.0, 5.0, 5)


def test_a_spread_of_an_even_number_of_runs_takes_the_middle_two() -> None:
    assert Spread.of([1.0, 2.0, 4.0, 10.0]).median == 3.0


def test_a_spread_of_no_runs_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one run"):
        Spread.of([])


def test_the_ratio_is_the_figure_median_over_the_baseline_median() -> None:
    figure = Figure("f", "/s", Spread.of([30, 40, 50]), "b", Spread.of([90, 100, 110]))
    assert figure.ratio == pytest.approx(0.4)


def test_a_figure_without_a_baseline_has_no_ratio_and_no_verdict_on_a_ratio_target() -> None:
    figure = Figure("f", "/s", Spread.of([1.0]), target=Target("ratio_at_least", 0.5))
    assert figure.ratio is None
    assert figure.meets_target is None


def test_a_ratio_target_is_met_at_its_bound_and_missed_below_it() -> None:
    baseline = Spread.of([100.0])
    at = Figure("at", "/s", Spread.of([50.0]), "b", baseline, Target("ratio_at_least", 0.5))
    under = Figure("under", "/s", Spread.of([49.0]), "b", baseline, Target("ratio_at_least", 0.5))
    assert at.meets_target is True
    assert under.meets_target is False


def test_a_below_target_reads_the_figure_itself_not_its_ratio() -> None:
    fast = Figure("p99", "ms", Spread.of([40.0]), "b", Spread.of([1.0]), Target("below", 50))
    slow = Figure("p99", "ms", Spread.of([50.0]), "b", Spread.of([500.0]), Target("below", 50))
    assert fast.meets_target is True
    assert slow.meets_target is False


def test_the_table_marks_a_missed_target_and_only_that_one() -> None:
    baseline = Spread.of([100.0])
    figures = [
        Figure("good", "/s", Spread.of([90.0]), "b", baseline, Target("ratio_at_least", 0.8)),
        Figure("bad", "/s", Spread.of([10.0]), "b", baseline, Target("ratio_at_least", 0.8)),
        Figure("untargeted", "/s", Spread.of([10.0]), "b", baseline),
    ]
    marks = {row[0]: row[-1] for row in rows(figures)}
    assert marks == {"good": "✓", "bad": MISSED, "untargeted": ""}
    assert "| bad | 10.00 [10.00–10.00] /s | b: 100 [100–100] | 0.10× | ≥ 0.8× |" in markdown(
        figures
    )


def test_a_figure_as_json_carries_its_ratio_and_verdict() -> None:
    figure = Figure("f", "ms", Spread.of([3.0, 1.0, 2.0]), target=Target("below", 2))
    found = figure.as_json()
    assert found["value"] == {"median": 2.0, "low": 1.0, "high": 3.0, "runs": 3}
    assert found["meets_target"] is False
    assert found["target_text"] == "< 2 ms"


def test_a_ratio_just_under_its_bound_is_not_shown_rounded_up_to_it() -> None:
    figure = Figure(
        "f", "/s", Spread.of([49.6]), "b", Spread.of([100.0]), Target("ratio_at_least", 0.5)
    )
    assert rows([figure])[0][3:] == ["0.496×", "≥ 0.5×", MISSED]
