"""Peak memory of the console's spreadsheet import of 10,000 donation rows, against its baseline:
reading the same XLSX file with openpyxl alone (read-only mode, every cell's value).

The file is written once (openpyxl's write-only mode) into a temporary folder beside a fresh SQLite
ledger with one foundation and one fund. Then, each under `tracemalloc` (which counts Python's
allocations in every thread, and slows the run several times over), one at a time:
- `openpyxl`: `load_workbook(read_only=True)` and every row's values, nothing kept: the baseline;
- `preview`: `api.console.imports.preview`, what the upload does: every row read, parsed and
  checked; counts, the first 200 rows and the first 500 refusals kept;
- `record`: `api.console.imports.record`, what the background thread does: every row read again,
  checked, and recorded as its own command through the donation form's `run` (10,000 commits).
Prints each peak in MiB and the seconds it took (under tracemalloc). The figures are in
docs/CONSOLE.md ("Spreadsheet import"). Run: `.venv/bin/python -m bench.console_import [ROWS]`.
"""

from __future__ import annotations

import base64
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from openpyxl import Workbook, load_workbook

from api.auth import Principal
from api.console.imports import Import, Tally, preview, record
from api.console.spreadsheets import COLUMNS
from api.settings import Settings
from cli.compose import open_ledger
from domain.ledger import Ledger


def write_xlsx(path: Path, fund_id: UUID, rows: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("捐赠 donations")
    sheet.append([c.header for c in COLUMNS["donations"]])
    for n in range(rows):
        sheet.append([str(fund_id), f"{1 + n % 500}.{n % 100:02d}", date(2024, 3, 1), "anonymous"])
    book.save(path)


def peak(run: Callable[[], Any]) -> tuple[float, float]:
    """Peak MiB allocated while `run` ran, and its seconds."""
    tracemalloc.start()
    began = time.perf_counter()
    try:
        run()
        _, top = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return top / 2**20, time.perf_counter() - began


def read_only(path: Path) -> None:
    with path.open("rb") as raw:
        book = load_workbook(raw, read_only=True, data_only=True)
        for _ in book.worksheets[0].iter_rows(values_only=True):
            pass
        book.close()


def ledger_in(folder: Path) -> tuple[Ledger, UUID, UUID]:
    settings = Settings(
        database_url=f"sqlite:///{folder / 'ledger.sqlite'}",
        var_dir=folder,
        vault_key=base64.b64encode(bytes(range(32))).decode(),
    )
    ledger = open_ledger(settings)
    foundation, fund = uuid4(), uuid4()
    ledger.register_organization(
        foundation,
        name="基准社区基金会",
        uscc=None,
        type="charity",
        tier="registered",
        roles=["community_foundation"],
        district="pudong",
        subdistrict="陆家嘴街道",
        rural=False,
        registered_on=date(2019, 6, 1),
    )
    ledger.open_fund(
        fund, foundation_id=foundation, kind="general", name="基准基金", opened_on=date(2020, 1, 1)
    )
    return ledger, foundation, fund


def main(rows: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        ledger, foundation, fund = ledger_in(folder)
        path = folder / "donations.xlsx"
        write_xlsx(path, fund, rows)
        print(f"{rows:,} rows, {path.stat().st_size / 2**20:.2f} MiB XLSX")
        base, seconds = peak(lambda: read_only(path))
        print(f"openpyxl alone (baseline): peak {base:.2f} MiB, {seconds:.1f} s")
        found: dict[str, Any] = {}

        def previewing() -> None:
            found["preview"] = preview(ledger, "donations", foundation, path, "xlsx", "0" * 64)

        top, seconds = peak(previewing)
        tally: Tally = found["preview"][0]
        print(f"preview: peak {top:.2f} MiB, {seconds:.1f} s ({tally.planned:,} rows to record)")
        made = Import(
            import_id="bench",
            kind="donations",
            foundation_id=foundation,
            who=Principal("bench", "staff", foundation),
            sha256="0" * 64,
            path=path,
            file_format="xlsx",
            size=path.stat().st_size,
            began=time.time(),
            preview=tally,
            shown=[],
        )
        top, seconds = peak(lambda: record(ledger, made, lambda key_id: False))
        print(
            f"record: peak {top:.2f} MiB, {seconds:.1f} s "
            f"({made.result.recorded:,} recorded, {made.result.refused:,} refused)"
        )
        ledger.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
