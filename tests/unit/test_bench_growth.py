"""How `python -m bench.plot` groups the saved tables (bench/growth.py): one series per figure and
unit, a point per N, the latest run winning at a given N."""

from __future__ import annotations

from typing import Any

from bench.growth import Point, general_name, plotted, series


def figure(name: str, unit: str, median: float, low: float = 0, high: float = 0) -> dict[str, Any]:
    return {
        "name": name,
        "unit": unit,
        "value": {"median": median, "low": low or median, "high": high or median, "runs": 5},
    }


def table(events: int, when: str, *figures: dict[str, Any]) -> dict[str, Any]:
    return {"when": when, "arguments": {"events": events}, "figures": list(figures)}


def test_the_same_figure_at_several_sizes_is_one_series_in_order_of_n() -> None:
    found = series(
        [
            table(100_000, "20261203T100000Z", figure("rebuild, SQLite", "events/s", 30_000)),
            table(10_000, "20261203T090000Z", figure("rebuild, SQLite", "events/s", 40_000, 1, 2)),
        ]
    )
    assert found == {
        "events/s": {
            "rebuild, SQLite": [
                Point(10_000, 40_000, 1, 2),
                Point(100_000, 30_000, 30_000, 30_000),
            ]
        }
    }


def test_figures_are_grouped_by_their_unit() -> None:
    found = series(
        [table(10_000, "t", figure("a", "req/s", 1), figure("b", "ms", 2), figure("c", "req/s", 3))]
    )
    assert {unit: sorted(named) for unit, named in found.items()} == {
        "req/s": ["a", "c"],
        "ms": ["b"],
    }


def test_the_latest_table_wins_at_one_size() -> None:
    found = series(
        [
            table(10_000, "20261203T120000Z", figure("a", "ms", 5)),
            table(10_000, "20261202T120000Z", figure("a", "ms", 9)),
        ]
    )
    assert found["ms"]["a"] == [Point(10_000, 5, 5, 5)]


def test_a_name_that_carries_n_is_one_figure_across_sizes() -> None:
    found = series(
        [
            table(
                20_000, "t1", figure("full local verify at 20,000 events, SQLite", "events/s", 1)
            ),
            table(
                1_000_000,
                "t2",
                figure("full local verify at 1,000,000 events, SQLite", "events/s", 2),
            ),
        ]
    )
    assert list(found["events/s"]) == ["full local verify at N events, SQLite"]
    assert [p.events for p in found["events/s"]["full local verify at N events, SQLite"]] == [
        20_000,
        1_000_000,
    ]


def test_only_n_itself_is_replaced_not_a_number_that_contains_it() -> None:
    assert general_name("a fund of 10,000 entries", 10_000) == "a fund of N entries"
    assert general_name("a fund of 110,000 entries", 10_000) == "a fund of 110,000 entries"
    assert general_name("at 10,000,000 leaves", 10_000) == "at 10,000,000 leaves"


def test_the_plot_keeps_the_figures_measured_at_several_sizes() -> None:
    found = series(
        [
            table(10_000, "t1", figure("grown", "ms", 1), figure("once", "ms", 1)),
            table(100_000, "t2", figure("grown", "ms", 2), figure("once only here", "req/s", 1)),
        ]
    )
    assert plotted(found) == {"ms": {"grown": [Point(10_000, 1, 1, 1), Point(100_000, 2, 2, 2)]}}


def test_with_a_single_size_the_plot_keeps_every_figure_as_a_point() -> None:
    found = series([table(10_000, "t", figure("a", "ms", 1), figure("b", "req/s", 2))])
    assert plotted(found) == found
