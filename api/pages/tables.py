"""The lists the pages show, and their downloads: a `Table` names its columns once, and the same
columns make the table on screen, the CSV and the JSON, so a download holds exactly what the page lists.

A download is every row the list's filters select, read page by page from the reader (`projections.pagination.every_row`) and streamed (it
never holds the whole list), and names the signed checkpoint it was made at: each CSV row ends with the
checkpoint's size and root (so a row keeps it when copied out), and the JSON has it beside the rows.
The CSV is UTF-8 with a byte-order mark, so Excel opens Chinese as Chinese; money is yuan with two
decimals and no symbol, dates are ISO 8601, so a spreadsheet reads them as numbers and dates.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar
from uuid import UUID

from fastapi.responses import StreamingResponse

from api.pages.render import NAMED_MAX_AGE, PAGE_MAX_AGE
from projections.pagination import Page, PageRequest, every_row
from projections.transparency import Checkpoint

R = TypeVar("R")
Plain = str | int | bool | None
FORMATS = ("csv", "json")


def yuan(fen: int) -> str:
    """Fen as a decimal yuan amount a spreadsheet reads as a number: 123450 → 1234.50."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def plain(value: object) -> Plain:
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, date | UUID):
        return str(value) if isinstance(value, UUID) else value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Column(Generic[R]):
    name: str  # the download's header: stable, English, snake_case
    heading: str  # the i18n key of the table's header on screen
    value: Callable[[R], object]  # the row's plain value (fen as int, a date, an id)
    money: bool = False  # an amount in fen: yuan in the download, ¥ on screen
    percent: bool = False  # a share in per cent (a float, or None): 25.0% on screen
    vocabulary: str | None = None  # a code, shown on screen by its name (`i18n.LABELS`)
    entry: bool = False  # a leaf index, shown as a link to the entry's page
    link: Callable[[R], str | None] | None = None  # where the cell on screen links to (if anywhere)
    screen: bool = True  # shown on screen (else only in the download)


@dataclass(frozen=True)
class Cell:
    """One cell as the template shows it: the plain value and how to format it."""

    value: object
    kind: str  # money | percent | date | moment | entry | label | text
    vocabulary: str | None
    href: str | None


@dataclass(frozen=True)
class Table(Generic[R]):
    name: str  # the download's file name, e.g. "foundations"
    columns: tuple[Column[R], ...]

    @property
    def shown(self) -> tuple[Column[R], ...]:
        return tuple(c for c in self.columns if c.screen)

    def cells(self, row: R) -> list[Cell]:
        return [_cell(c, row) for c in self.shown]

    def values(self, row: R) -> list[Plain]:
        values: list[Plain] = []
        for column in self.columns:
            value = column.value(row)
            values.append(yuan(value) if column.money and isinstance(value, int) else plain(value))
        return values

    def csv(self, rows: Iterable[R], checkpoint: Checkpoint | None) -> Iterator[bytes]:
        size, root = _named(checkpoint)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([*(c.name for c in self.columns), "checkpoint_size", "checkpoint_root"])
        yield b"\xef\xbb\xbf" + buffer.getvalue().encode()
        for row in rows:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([*self.values(row), size, root])
            yield buffer.getvalue().encode()

    def json(self, rows: Iterable[R], checkpoint: Checkpoint | None) -> Iterator[bytes]:
        size, root = _named(checkpoint)
        head = {"table": self.name, "checkpoint": {"size": size, "root": root}}
        yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "rows": ['
        names = [c.name for c in self.columns]
        for index, row in enumerate(rows):
            item = json.dumps(dict(zip(names, self.values(row), strict=True)), ensure_ascii=False)
            yield (b"\n" if index == 0 else b",\n") + item.encode()
        yield b"\n]}\n"


def _cell(column: Column[R], row: R) -> Cell:
    value = column.value(row)
    href = column.link(row) if column.link is not None else None
    if column.money:
        kind = "money"
    elif column.percent:
        kind = "percent"
    elif column.entry:
        kind, href = "entry", f"/entries/{value}"
    elif column.vocabulary is not None:
        kind = "label"
    elif isinstance(value, datetime):  # a recording time (a datetime is also a date)
        kind = "moment"
    elif isinstance(value, date):
        kind = "date"
    else:
        kind = "text"
    return Cell(value, kind, column.vocabulary, href)


def _named(checkpoint: Checkpoint | None) -> tuple[int, str]:
    if checkpoint is None:
        return 0, ""
    return checkpoint.size, base64.b64encode(checkpoint.root).decode()


def download(
    table: Table[R],
    format: str,
    fetch: Callable[[PageRequest], Page[R]],
    checkpoint: Checkpoint | None,
    *,
    names_shown: bool = False,
) -> StreamingResponse:
    """Every row `fetch` pages through, as CSV or JSON. A list that may hold a consenting person's
    name (`names_shown`) may be kept for seconds only, as a page with one is (`render`)."""
    rows = every_row(fetch)
    size = checkpoint.size if checkpoint else 0
    filename = f"{table.name}-at-{size}.{format}"
    if format == "csv":
        body, media = table.csv(rows, checkpoint), "text/csv; charset=utf-8"
    else:
        body, media = table.json(rows, checkpoint), "application/json"
    return StreamingResponse(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": (
                f"public, max-age={NAMED_MAX_AGE}, must-revalidate"
                if names_shown
                else f"public, max-age={PAGE_MAX_AGE}"
            ),
        },
    )
