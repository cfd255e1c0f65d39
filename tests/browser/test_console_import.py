"""The console's spreadsheet import in the public site's browser (issue 17's test): a staffer uploads
a 10,000-row XLSX file with 3 bad rows, the preview names the 3 with their row, column and reason,
recording shows the progress page until the other 9,997 are recorded, and importing the same file
again records none; axe finds nothing at WCAG 2.1 A/AA on the upload, preview, progress and result
pages, in Chinese and English, on a 360-pixel phone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from openpyxl import Workbook

from api.console.spreadsheets import COLUMNS
from tests.browser.conftest import (
    Site,
    accessibility_violations,
    screenshot,
    served_ledger,
    walk_checked,
)
from tests.support import open_fund, register

ROWS = 10_000
MIDDLING = 3_000
BAD = {
    1002: ("fund", "unknown_fund"),
    5002: ("amount", "invalid_amount"),
    9002: ("received_on", "invalid_date"),
}
UNKNOWN_FUND = "00000000-0000-4000-8000-00000000dead"


@dataclass(frozen=True)
class Imported:
    site: Site
    foundation: UUID
    fund: UUID
    file: Path  # the 10,000-row file
    middling: dict[str, Path]  # 3,000 rows, one bad, a file of its own for each language

    def key(self) -> str:
        _, token = self.site.app.state.keys.create("staff", self.foundation)
        return str(token)

    def balance(self) -> int:
        fen: int = self.site.app.state.ledger.get_fund(self.fund).balance.fen
        return fen


def write_donations(path: Path, fund: UUID, rows: int, bad: dict[int, tuple[str, str]]) -> None:
    """`rows` donations of 1.00 to 500.99 yuan; the rows `bad` names (spreadsheet numbers: the header
    is row 1) spoilt in their column."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("捐赠 donations")
    sheet.append([c.header for c in COLUMNS["donations"]])
    for number in range(2, rows + 2):
        fund_cell, amount, day = (
            str(fund),
            f"{1 + number % 500}.{number % 100:02d}",
            date(2024, 3, 1),
        )
        spoilt = bad.get(number, ("", ""))[0]
        row: list[Any] = [
            UNKNOWN_FUND if spoilt == "fund" else fund_cell,
            "abc" if spoilt == "amount" else amount,
            "2024-13-01" if spoilt == "received_on" else day,
            "anonymous",
            "",
            "否",
        ]
        sheet.append(row)
    book.save(path)


def fen_of(rows: int, bad: dict[int, tuple[str, str]]) -> int:
    return sum(
        (1 + number % 500) * 100 + number % 100
        for number in range(2, rows + 2)
        if number not in bad
    )


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    folder = tmp_path_factory.mktemp("console-import")
    with served_ledger(folder / "site") as site:
        ledger = site.app.state.ledger
        a = register(ledger, name="陆家嘴社区基金会")
        fund = open_fund(ledger, a, name="社区发展基金")
        head = ledger.head()
        for view in site.app.state.runner.views:
            assert site.app.state.runner.wait_for(view, head, timeout=60), view
        big = folder / "donations-10000.xlsx"
        write_donations(big, fund, ROWS, BAD)
        middling = {}
        for n, lang in enumerate(("zh", "en")):
            # Different rows for each language (different bytes, so new command ids), each long
            # enough that its progress page is met while it records.
            middling[lang] = folder / f"donations-3000-{lang}.xlsx"
            write_donations(middling[lang], fund, MIDDLING + n, {3: ("amount", "invalid_amount")})
        yield Imported(site, a, fund, big, middling)


def sign_in(page: Any, imported: Imported, lang: str = "zh") -> None:
    page.goto(f"{imported.site.url}/console/sign-in?lang={lang}")
    page.fill("#key", imported.key())
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()


def upload(page: Any, imported: Imported, path: Path) -> None:
    page.goto(f"{imported.site.url}/console/foundations/{imported.foundation}/imports/donations")
    page.set_input_files("#f-file", str(path))
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()


def counts(page: Any) -> list[int]:
    return [int(n.replace(",", "")) for n in page.locator("dl.recorded dd").all_inner_texts()]


DONE = "h1:has-text('导入完成'), h1:has-text('Import finished')"


def record_and_wait(page: Any, checked: list[str] | None = None) -> bool:
    """Confirm the preview; watch the progress page move on by itself (its script, never a reload)
    and follow the link it shows at the end to the result. Whether it was seen while recording
    (axe-checked then, when `checked` is given)."""
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()
    recording: bool = page.locator("#import-live").count() == 1
    if recording:
        assert page.locator("progress#import-progress").count() == 1
        assert page.locator('meta[http-equiv="refresh"]').count() == 0
        first = int(page.get_attribute("progress#import-progress", "value") or "0")
        if checked is not None:
            checked.extend(accessibility_violations(page))
        page.wait_for_selector("#import-finished a", timeout=240_000)
        # The same document all along: its bar was moved by the script to the end.
        bar = page.locator("progress#import-progress")
        assert int(bar.get_attribute("value") or "0") > first
        assert bar.get_attribute("value") == bar.get_attribute("max")
        page.click("#import-finished a")
        page.wait_for_load_state()
    page.wait_for_selector(DONE, timeout=60_000)
    return recording


def test_a_10000_row_file_with_3_bad_rows_previews_them_and_records_the_rest_once(
    imported: Imported, phone: Any
) -> None:
    page = phone
    began = time.monotonic()
    sign_in(page, imported)
    before = imported.balance()
    upload(page, imported, imported.file)
    status = page.inner_text("p[role=status]")
    assert "共 10,000 行：9,997 行将被记录，3 行被拒绝" in status, status
    shown = [
        (
            int(row.locator("td").nth(0).inner_text()),
            row.locator("td").nth(1).inner_text(),
            row.locator("td code").last.inner_text(),
        )
        for row in page.locator("section[aria-labelledby=refused-heading] tbody tr").all()
    ]
    assert shown == [(row, column, code) for row, (column, code) in sorted(BAD.items())]
    # A capped preview: the first 200 rows to record, not 9,997.
    assert page.locator("section[aria-labelledby=planned-heading] tbody tr").count() == 200
    reloading: list[str] = []
    assert record_and_wait(page, reloading), "the progress page was not shown while recording"
    assert counts(page) == [9997, 0, 3]
    assert imported.balance() - before == fen_of(ROWS, BAD)
    assert accessibility_violations(page) == []  # the result
    head = imported.site.app.state.ledger.head()
    # The same file again: every row already recorded (the preview says so), nothing new in the log.
    upload(page, imported, imported.file)
    assert "9,997 行此前已从同一文件记录过" in page.inner_text("main")
    linked: list[str] = []
    record_and_wait(page, linked)
    assert counts(page) == [0, 9997, 3]
    assert imported.site.app.state.ledger.head() == head
    assert imported.balance() - before == fen_of(ROWS, BAD)
    took = time.monotonic() - began
    print(f"10,000-row import, twice: {took:.0f} s")
    assert reloading == [], reloading
    assert linked == [], linked


def import_pages(page: Any, imported: Imported, lang: str) -> Iterator[str]:
    sign_in(page, imported, lang)
    page.goto(f"{imported.site.url}/console/foundations/{imported.foundation}/imports/donations")
    yield "upload"
    page.goto(f"{imported.site.url}/console/foundations/{imported.foundation}/imports/grants")
    yield "upload grants"
    page.goto(f"{imported.site.url}/console/foundations/{imported.foundation}/imports/donations")
    page.set_input_files(
        "#f-file",
        files=[{"name": "x.csv", "mimeType": "text/csv", "buffer": b"fund,amount\n"}],
    )
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#file-error").count() == 1
    yield "upload refused"
    upload(page, imported, imported.middling[lang])
    assert "3,000" in page.inner_text("p[role=status]")
    yield "preview"
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#import-live").count() == 1, "the import ended before its progress showed"
    yield "progress"
    page.wait_for_selector("#import-finished a", timeout=240_000)
    yield "progress, finished"
    page.click("#import-finished a")
    page.wait_for_selector(DONE, timeout=60_000)
    yield "result"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_finds_nothing_on_the_import_pages(imported: Imported, phone: Any, lang: str) -> None:
    page = phone

    def shown() -> Iterator[tuple[str, Any]]:
        for name in import_pages(page, imported, lang):
            screenshot(page, f"console_import_{lang}_{name.replace(' ', '_')}")
            yield name, page

    seen, found = walk_checked(shown(), lang)
    assert len(seen) == 7
    assert found == {}
