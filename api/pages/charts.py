"""The geometry of the pages' inline SVG charts, computed here so a template only draws what it is
given: pure functions from the read model's values (fen, counts) to rectangles and label positions in
the chart's own coordinates. Scaling a bar to its value is presentation; the values themselves, and
the table the chart stands in front of, are the read model's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str  # what the bar stands for (a month `YYYY-MM`), for the template to format
    value: int  # the read model's value, unchanged
    x: float
    y: float
    width: float
    height: float
    negative: bool  # drawn below the baseline (and in another colour)


@dataclass(frozen=True)
class Tick:
    label: str
    x: float  # the left edge of the bar it names (labels start there, so none leaves the box)


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float  # the y of the value 0
    label_y: float  # the y of the tick labels' baseline, under the plot
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]  # the bars that get a label under the axis (not all fit)


WIDTH = 360  # about a phone's width, so the labels keep their size there
HEIGHT = 180
AXIS = 24  # room under the plot for the tick labels
TOP = 4
GAP = 0.2  # of each bar's slot left empty, so neighbouring bars stay apart
MAX_TICKS = 6


def bar_chart(
    values: Sequence[tuple[str, int]],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    max_ticks: int = MAX_TICKS,
) -> BarChart:
    """One bar per (label, value), side by side in the order given, in a `width` × `height` box.

    The tallest bar (by magnitude) fills the plot; a value below zero (a month whose reversals
    exceed its donations) hangs below the baseline. At most `max_ticks` bars get a label, evenly
    spaced and always the first."""
    labels = [label for label, _ in values]
    return _chart(values, range(len(values)), labels, width, height, max_ticks)


def monthly_bar_chart(
    values: Sequence[tuple[str, int]],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    max_ticks: int = MAX_TICKS,
) -> BarChart:
    """As `bar_chart`, for (`YYYY-MM`, value) in month order, each bar at its month's place on a time
    axis from the first month to the last: a month the read model leaves out (nothing happened)
    is a gap, not a bar squeezed out of sight. The ticks name evenly spaced months."""
    if not values:
        return _chart(values, (), (), width, height, max_ticks)
    first, last = _month_number(values[0][0]), _month_number(values[-1][0])
    months = [f"{n // 12}-{n % 12 + 1:02d}" for n in range(first, last + 1)]
    slots = [_month_number(label) - first for label, _ in values]
    return _chart(values, slots, months, width, height, max_ticks)


def _month_number(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _chart(
    values: Sequence[tuple[str, int]],
    slots: Sequence[int],
    slot_labels: Sequence[str],
    width: int,
    height: int,
    max_ticks: int,
) -> BarChart:
    """Bars for `values` at the `slots` (indices into `slot_labels`, the axis's places)."""
    plot = height - AXIS - TOP
    top = max(max((v for _, v in values), default=0), 0)
    bottom = min(min((v for _, v in values), default=0), 0)
    span = top - bottom
    scale = plot / span if span else 0.0
    baseline = TOP + top * scale
    slot = width / len(slot_labels) if slot_labels else 0.0
    bars = []
    for place, (label, value) in zip(slots, values, strict=True):
        extent = abs(value) * scale
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(place * slot + slot * GAP / 2, 2),
                y=round(baseline - extent if value > 0 else baseline, 2),
                width=round(slot * (1 - GAP), 2),
                height=round(extent, 2),
                negative=value < 0,
            )
        )
    step = max(1, -(-len(slot_labels) // max_ticks))  # ceiling division: at most max_ticks labels
    ticks = tuple(
        Tick(label, round(index * slot + slot * GAP / 2, 2))
        for index, label in enumerate(slot_labels)
        if index % step == 0
    )
    return BarChart(width, height, round(baseline, 2), height - AXIS / 4, tuple(bars), ticks)
