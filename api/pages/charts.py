"""The geometry of the pages' inline SVG charts, as pure functions of the read model's rows: where each
bar, label and row goes, in the SVG's own units. The templates draw what these answer (and format the
figures beside them); the same figures are always in a table behind the chart.

`district_grid` lays out the plan's indicators for the districts as a grid: one row per district, one
column per indicator, each cell a bar against the indicator's target (a share against all of them; the
rural organisations against twice the 2020 count; pairings, which have no target, by kind against the
district with the most).

`bar_chart` and `monthly_bar_chart` draw one bar per value (a foundation's income by month), scaled so
the largest fills the plot, a negative value below the baseline, and on the monthly chart each month at
its place on a time axis, so a month the read model leaves out is a gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from projections.indicators import DistrictIndicators, Share

GRID_WIDTH = 360  # a phone's width: on one the grid is drawn at its own size
GRID_LABEL_WIDTH = 90
GRID_HEAD = 30
GRID_ROW = 26
GRID_BAR = 7
GRID_GAP = 6  # between a cell's bar and the next column
INDICATORS = ("coverage", "relief_fund", "pairings", "rural", "centres")


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str  # the class that colours it (site.css)


@dataclass(frozen=True)
class GridCell:
    """One indicator of one district: its figure (`numerator` of `denominator`, or a count alone
    when `denominator` is None), where its text goes, and its bar: the track is the target, the
    fills what is reached (one fill per pairing kind)."""

    indicator: str
    numerator: int
    denominator: int | None
    text_x: float
    text_y: float
    track: Rect
    fills: tuple[Rect, ...]


@dataclass(frozen=True)
class GridRow:
    district: str
    label_x: float
    label_y: float
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class GridHead:
    indicator: str
    x: float
    y: float


@dataclass(frozen=True)
class Grid:
    width: int
    height: int
    heads: tuple[GridHead, ...]
    rows: tuple[GridRow, ...]


def _fraction(numerator: int, denominator: int) -> float:
    return 0.0 if denominator <= 0 else min(1.0, max(0.0, numerator / denominator))


def _share_fill(share: Share, x: float, y: float, width: float) -> tuple[Rect, ...]:
    fraction = _fraction(share.count, share.total)
    css = "fill-met" if share.total and share.count >= share.total else "fill"
    return (Rect(x, y, round(width * fraction, 2), GRID_BAR, css),) if fraction else ()


def _pairing_fills(
    kinds: Sequence[tuple[str, int]], most: int, x: float, y: float, width: float
) -> tuple[Rect, ...]:
    fills = []
    for index, (_, n) in enumerate(kinds):
        part = round(width * _fraction(n, most), 2)
        if part:
            fills.append(Rect(round(x, 2), y, part, GRID_BAR, f"fill-kind{index}"))
            x += part
    return tuple(fills)


def district_grid(districts: Sequence[DistrictIndicators]) -> Grid:
    """The grid of `districts` (one row each, in the order given)."""
    column = (GRID_WIDTH - GRID_LABEL_WIDTH) / len(INDICATORS)
    bar_width = column - GRID_GAP
    most_pairings = max((d.pairings_established for d in districts), default=0)
    heads = tuple(
        GridHead(name, round(GRID_LABEL_WIDTH + i * column, 2), GRID_HEAD - 10)
        for i, name in enumerate(INDICATORS)
    )
    rows = []
    for r, d in enumerate(districts):
        top = GRID_HEAD + r * GRID_ROW
        bar_y = top + 14
        cells = []
        for i, name in enumerate(INDICATORS):
            x = round(GRID_LABEL_WIDTH + i * column, 2)
            track = Rect(x, bar_y, round(bar_width, 2), GRID_BAR, "track")
            numerator: int
            denominator: int | None
            if name == "pairings":
                numerator, denominator = d.pairings_established, None
                fills = _pairing_fills(d.pairings, most_pairings, x, bar_y, bar_width)
            elif name == "rural":
                rural = d.rural_registered
                numerator, denominator = rural.now, rural.target
                fills = _share_fill(rural.progress, x, bar_y, bar_width)
            else:
                share = {
                    "coverage": d.subdistricts_with_community_foundation,
                    "relief_fund": d.community_foundations_with_relief_fund,
                    "centres": d.service_centres_graded_3a_or_above,
                }[name]
                numerator, denominator = share.count, share.total
                fills = _share_fill(share, x, bar_y, bar_width)
            cells.append(GridCell(name, numerator, denominator, x, top + 11, track, fills))
        rows.append(GridRow(d.district, 0, top + 17, tuple(cells)))
    height = GRID_HEAD + len(districts) * GRID_ROW + 4
    return Grid(GRID_WIDTH, height, heads, tuple(rows))


# --- bar charts (a foundation's income by month) ---------------------------------------------------


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
