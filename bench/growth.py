"""The pure part of `python -m bench.plot`: every saved table (bench/results/table-*.json) grouped
into one series per figure and unit, a point per ledger size N, so the plot can show how each cost
grows with N (issue 16: 10k, 100k, 1M). A figure whose name carries N itself ("at 20,000 leaves")
is named with N in its place, so the same figure at two sizes is one series; where a figure was
measured more than once at one N, the latest table wins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Point:
    events: int
    median: float
    low: float
    high: float


# unit → figure name → points in order of N
Series = dict[str, dict[str, list[Point]]]


def general_name(name: str, events: int) -> str:
    """The figure's name with this table's N (as the table spells it, 20,000) replaced by N."""
    return re.sub(rf"(?<![\d,.]){re.escape(f'{events:,}')}(?![\d,])", "N", name)


def series(tables: Iterable[dict[str, Any]]) -> Series:
    latest: dict[tuple[str, str, int], tuple[str, Point]] = {}
    for table in tables:
        events = int(table["arguments"]["events"])
        when = str(table["when"])
        for figure in table["figures"]:
            value = figure["value"]
            key = (figure["unit"], general_name(figure["name"], events), events)
            point = Point(events, value["median"], value["low"], value["high"])
            if key not in latest or latest[key][0] <= when:
                latest[key] = (when, point)
    found: Series = {}
    for (unit, name, _), (_, point) in sorted(latest.items()):
        found.setdefault(unit, {}).setdefault(name, []).append(point)
    return found


def plotted(found: Series) -> Series:
    """The series measured at several N; when no figure has been (a single size so far), every
    figure, each a point."""
    grown = {
        unit: {name: points for name, points in named.items() if len(points) > 1}
        for unit, named in found.items()
    }
    grown = {unit: named for unit, named in grown.items() if named}
    return grown or found


def load_tables(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in sorted(folder.glob("table-*.json"))]
