"""The pure part of `python -m bench`: a figure's runs reduced to median, min and max, its ratio to
the baseline measured in the same run, and whether it meets the issue's target (issue 16). The
benches measure; this module only reduces, compares and formats, so it can be tested without a clock.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class Spread:
    """Runs of one measurement: their median, min and max."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("a spread needs at least one run")
        return cls(statistics.median(values), min(values), max(values), len(values))


@dataclass(frozen=True)
class Target:
    """`ratio_at_least`: the figure ÷ its baseline must be at least `bound`; `below`: the figure's
    median itself must be under `bound` (in the figure's unit)."""

    kind: Literal["ratio_at_least", "below"]
    bound: float

    def text(self, unit: str) -> str:
        return f"≥ {self.bound:g}×" if self.kind == "ratio_at_least" else f"< {self.bound:g} {unit}"


@dataclass(frozen=True)
class Figure:
    name: str
    unit: str
    value: Spread
    baseline_name: str | None = None
    baseline: Spread | None = None
    target: Target | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """The ratio of the medians; for a time (lower is better) it is still figure ÷ baseline."""
        if self.baseline is None or self.baseline.median == 0:
            return None
        return self.value.median / self.baseline.median

    @property
    def meets_target(self) -> bool | None:
        """None when there is no target, or a ratio target without a baseline to read it against."""
        if self.target is None:
            return None
        if self.target.kind == "below":
            return self.value.median < self.target.bound
        ratio = self.ratio
        return None if ratio is None else ratio >= self.target.bound

    def as_json(self) -> dict[str, Any]:
        found = asdict(self)
        found["ratio"] = self.ratio
        found["meets_target"] = self.meets_target
        found["target_text"] = self.target.text(self.unit) if self.target else None
        return found


MISSED = "✗ missed"


def number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def ratio_text(ratio: float, target: Target | None) -> str:
    """Two decimals, or three where two would round a miss up to its bound (0.496 is not 0.50)."""
    shown = f"{ratio:.2f}"
    if target and target.kind == "ratio_at_least" and float(shown) == target.bound:
        shown = f"{ratio:.3f}"
    return f"{shown}×"


def spread_text(spread: Spread) -> str:
    return f"{number(spread.median)} [{number(spread.low)}–{number(spread.high)}]"


def rows(figures: Sequence[Figure]) -> list[list[str]]:
    """The table's cells, one row per figure: figure, median [min–max] unit, baseline, ratio,
    target, and `MISSED` where the target is missed."""
    found = []
    for figure in figures:
        baseline = (
            f"{figure.baseline_name}: {spread_text(figure.baseline)}"
            if figure.baseline is not None and figure.baseline_name
            else (figure.baseline_name or "—")
        )
        ratio = figure.ratio
        met = figure.meets_target
        found.append(
            [
                figure.name,
                f"{spread_text(figure.value)} {figure.unit}",
                baseline,
                "—" if ratio is None else ratio_text(ratio, figure.target),
                figure.target.text(figure.unit) if figure.target else "—",
                MISSED if met is False else ("✓" if met else ""),
            ]
        )
    return found


HEADER = ["figure", "median [min–max]", "baseline, same run", "ratio", "target", ""]


def markdown(figures: Sequence[Figure]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(figures)]
    return "\n".join(lines)
