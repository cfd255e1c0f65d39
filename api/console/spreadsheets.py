"""The console's spreadsheets (issue 17's import): which columns a donations or a grants sheet has,
the templates to fill in (XLSX and CSV), and the rows of an uploaded file read one at a time.

A sheet's first row names its columns, each cell in Chinese and then the field's name
(`金额 amount`); only the last word counts, so `amount` alone, or another order of columns, reads the
same. Every later row is one command, numbered as the spreadsheet numbers it (the header is row 1).
An XLSX file is read with openpyxl in read-only mode, which streams the sheet's XML instead of
building it, so memory stays bounded however long the sheet; a CSV file is UTF-8, with or without the
byte-order mark Excel writes, or else GB18030 (of which GBK is a part: what Excel on a Chinese Windows
writes for plain "CSV"), chosen by reading the whole file once before its first row. A cell becomes text exactly as a form field would be typed: a number
cell in its shortest decimal form (`88.5`, which `Money` parses; never arithmetic on the float), a
date cell as YYYY-MM-DD. What this module cannot read is refused with `InvalidInput` naming the
`file` input, and the upload page shows it beside that input.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook, load_workbook

from domain.errors import InvalidInput

Kind = Literal["donations", "grants"]
KINDS: tuple[Kind, ...] = ("donations", "grants")
Format = Literal["xlsx", "csv"]
FILE_FIELD = "file"
MAX_ROWS = (
    10_000  # the figure; a larger file is split, so one import stays one progress bar
)
XLSX_MAGIC = b"PK\x03\x04"  # a zip archive, as every XLSX file is
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format


@dataclass(frozen=True)
class Column:
    name: str  # the last word of its header cell
    zh: str  # the header's Chinese words
    input: str  # the form input it fills (api/console/staff_forms.py)
    required: bool = True  # whether the header row must have it (a cell may still be empty)

    @property
    def header(self) -> str:
        return f"{self.zh} {self.name}"


COLUMNS: dict[Kind, tuple[Column, ...]] = {
    "donations": (
        Column("fund", "基金编号", "fund_id"),
        Column("amount", "金额（元）", "amount"),
        Column("received_on", "收到日期", "received_on"),
        Column("donor_kind", "捐赠方类型", "donor_kind"),
        Column("donor_organization_id", "捐赠组织编号", "donor_organization_id", required=False),
        Column("publish_name", "公开名称", "publish_name", required=False),
    ),
    "grants": (
        Column("fund", "基金编号", "fund_id"),
        Column("recipient_id", "受资助组织编号", "recipient_id"),
        Column("programme", "项目类别", "programme"),
        Column("title", "项目名称", "title"),
        Column("description", "项目说明", "description"),
        Column("amount", "金额（元）", "amount"),
        Column("awarded_on", "批准日期", "awarded_on"),
        Column("planned_start", "计划开始", "planned_start"),
        Column("planned_end", "计划结束", "planned_end"),
    ),
}
YES = frozenset({"是", "yes", "y", "true", "1"})
NO = frozenset({"否", "no", "n", "false", "0", ""})


def column_of(kind: Kind, input_name: str | None) -> str | None:
    """The column a refusal naming a form input belongs to."""
    for column in COLUMNS[kind]:
        if column.input == input_name:
            return column.name
    return None


def format_of(head: bytes) -> Format:
    """XLSX or CSV, from the file's first bytes (a name's extension is only what someone typed)."""
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(XLS_MAGIC):
        raise InvalidInput(
            "file: this is the old Excel format (.xls); save it as .xlsx or as CSV UTF-8",
            field=FILE_FIELD,
        )
    return "csv"


def cell_text(value: Any) -> str:
    """A cell as the text a form field would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # repr is the shortest decimal that reads back as this float: what was typed, as text.
        return repr(value)
    return str(value).strip()


def _header(kind: Kind, cells: Sequence[str]) -> list[Column | None]:
    by_name = {c.name: c for c in COLUMNS[kind]}
    found: list[Column | None] = []
    unknown = []
    for cell in cells:
        words = cell.split()
        if not words:
            found.append(None)
            continue
        column = by_name.get(words[-1].lower())
        if column is None or column in found:
            unknown.append(cell)
        found.append(column)
    if unknown:
        raise InvalidInput(
            f"file: the first row has columns this import does not know, or twice: {', '.join(unknown)}"
            " (download the template for the columns)",
            field=FILE_FIELD,
        )
    missing = [c.header for c in COLUMNS[kind] if c.required and c not in found]
    if missing:
        raise InvalidInput(
            f"file: the first row lacks the columns {', '.join(missing)}", field=FILE_FIELD
        )
    return found


def _cells(path: Path, file_format: Format) -> Iterator[list[str]]:
    if file_format == "csv":
        yield from _csv_cells(path)
    else:
        yield from _xlsx_cells(path)


def csv_encoding(path: Path) -> str:
    """UTF-8 (a byte-order mark dropped) if the whole file decodes as UTF-8, else GB18030: a file
    in GBK is almost never valid UTF-8, since its two-byte characters break UTF-8's sequences."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as raw:
        try:
            for chunk in iter(lambda: raw.read(1 << 16), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


def _csv_cells(path: Path) -> Iterator[list[str]]:
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=csv_encoding(path), newline="")
        try:
            for record in csv.reader(text):
                yield [cell.strip() for cell in record]
        except UnicodeDecodeError:
            raise InvalidInput(
                "file: this CSV file is neither UTF-8 nor GBK (GB18030); in Excel, save it as "
                "“CSV UTF-8”",
                field=FILE_FIELD,
            ) from None
        except csv.Error as error:
            raise InvalidInput(
                f"file: not a readable CSV file ({error})", field=FILE_FIELD
            ) from None


def _xlsx_cells(path: Path) -> Iterator[list[str]]:
    unreadable = InvalidInput(
        "file: not a readable XLSX file; save it again from Excel as .xlsx", field=FILE_FIELD
    )
    # Given an open file, not a path: openpyxl refuses a path whose name does not end in .xlsx,
    # and an upload is kept under its hash.
    with path.open("rb") as raw:
        try:
            book = load_workbook(raw, read_only=True, data_only=True)
        except Exception:  # what zipfile and the XML parser raise: all mean the same here
            raise unreadable from None
        try:
            sheet = book.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                yield [cell_text(v) for v in values]
        except (KeyError, OSError, zipfile.BadZipFile):
            raise unreadable from None
        finally:
            book.close()


def rows(kind: Kind, path: Path, file_format: Format) -> Iterator[tuple[int, dict[str, str]]]:
    """Each filled row after the header: its spreadsheet number and the form fields it fills. Empty
    rows (Excel keeps some at the end) are passed over; more than MAX_ROWS refuses the file."""
    cells = _cells(path, file_format)
    first = next(cells, None)
    if first is None:
        raise InvalidInput("file: the file is empty", field=FILE_FIELD)
    header = _header(kind, first)
    counted = 0
    for number, line in enumerate(cells, start=2):
        if not any(line):
            continue
        counted += 1
        if counted > MAX_ROWS:
            raise InvalidInput(
                f"file: more than {MAX_ROWS:,} rows; split the file and import each part",
                field=FILE_FIELD,
            )
        fields: dict[str, str] = {}
        for column, value in zip(header, line, strict=False):
            if column is not None:
                fields[column.input] = value
        yield number, fields


def yes_no(value: str) -> bool | None:
    """A 是/否 (yes/no) cell; None when it is neither."""
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    return None


@dataclass(frozen=True)
class Listed:
    """A sheet of ids a template lists beside its columns (the foundation's funds, recipients)."""

    title: str
    header: tuple[str, str]
    rows: Sequence[tuple[str, str]]


def xlsx_template(kind: Kind, listed: Sequence[Listed]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("捐赠 donations" if kind == "donations" else "资助 grants")
    sheet.append([c.header for c in COLUMNS[kind]])
    for more in listed:
        extra = book.create_sheet(more.title)
        extra.append(list(more.header))
        for row in more.rows:
            extra.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_template(kind: Kind) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow([c.header for c in COLUMNS[kind]])
    # The byte-order mark tells Excel the file is UTF-8, so the Chinese headers open as written.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
