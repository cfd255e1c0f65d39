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


@dataclass(frozen=True)
class Tick:
    label: str
    x: float  # the centre of the bar it names


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float  # the y of the value 0
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]  # the bars that get a label under the axis (not all fit)


WIDTH = 640
HEIGHT = 220
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
    """One bar per (label, value), left to right in the order given, in a `width` × `height` box.

    The tallest bar (by magnitude) fills the plot; a value below zero (a month whose reversals
    exceed its donations) hangs below the baseline. At most `max_ticks` bars get a label, evenly
    spaced and always the first."""
    plot = height - AXIS - TOP
    top = max((v for _, v in values), default=0)
    bottom = min((v for _, v in values), default=0)
    top, bottom = max(top, 0), min(bottom, 0)
    span = top - bottom
    scale = plot / span if span else 0.0
    baseline = TOP + top * scale
    slot = width / len(values) if values else 0.0
    bars = []
    for index, (label, value) in enumerate(values):
        extent = abs(value) * scale
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(index * slot + slot * GAP / 2, 2),
                y=round(baseline - extent if value > 0 else baseline, 2),
                width=round(slot * (1 - GAP), 2),
                height=round(extent, 2),
            )
        )
    step = max(1, -(-len(values) // max_ticks))  # ceiling division: at most max_ticks labels
    ticks = tuple(
        Tick(label, round(index * slot + slot / 2, 2))
        for index, (label, _) in enumerate(values)
        if index % step == 0
    )
    return BarChart(width, height, round(baseline, 2), tuple(bars), ticks)
