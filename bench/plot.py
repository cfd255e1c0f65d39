"""`python -m bench.plot` (also run at the end of `python -m bench`): how each cost grows with the
ledger's size, as a PNG. It reads every table under bench/results/ (`bench/growth.py` groups them)
and draws, one panel per unit, each figure measured at several N as its median against N with its
min–max as error bars, both axes logarithmic; with a single N so far, every figure as a point. It
writes bench/results/growth.png. Needs matplotlib, the bench-only extra (`pip install -e '.[bench]'`,
which `make bench` installs).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.growth import Series, load_tables, plotted, series

RESULTS = Path(__file__).with_name("results")


def draw(found: Series, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")  # a file, never a window
    import matplotlib.pyplot as plt

    units = sorted(found)
    fig, axes = plt.subplots(
        len(units), 1, figsize=(12, 3.6 * len(units)), squeeze=False, layout="constrained"
    )
    for ax, unit in zip(axes[:, 0], units, strict=True):
        for name, points in found[unit].items():
            xs = [p.events for p in points]
            ys = [p.median for p in points]
            errors = [[p.median - p.low for p in points], [p.high - p.median for p in points]]
            ax.errorbar(xs, ys, yerr=errors, marker="o", markersize=4, capsize=2, label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("N (events in the ledger)")
        ax.set_ylabel(unit)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.suptitle("make bench: median [min–max] of each figure against N")
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return out


def main(folder: Path = RESULTS) -> int:
    tables = load_tables(folder)
    if not tables:
        print(
            f"bench.plot: no table-*.json in {folder}: run `python -m bench` first", file=sys.stderr
        )
        return 1
    out = draw(plotted(series(tables)), folder / "growth.png")
    sizes = sorted({int(t["arguments"]["events"]) for t in tables})
    print(f"# {len(tables)} tables at N = {', '.join(f'{n:,}' for n in sizes)}; plotted to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
