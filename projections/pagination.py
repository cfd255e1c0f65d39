"""Keyset pagination over a view's tables: a page is asked for as `PageRequest(limit, cursor)` and
answered as `Page(items, next_cursor)`, in a stable order, for the JSON lists and the public pages alike.

Each list is ordered by a key that is unique per row (its primary key, or a date and then the primary
key). The cursor is the last row's key as URL-safe base64 of a JSON array; the next page is the rows
whose key is greater. Unlike an offset, a keyset neither repeats nor skips a row when rows are added
while a reader walks the pages (new rows with a smaller key are simply not in this walk). A cursor that
does not decode to a key of the right shape is an `InvalidCursor` naming `cursor`, never a database
error; a limit outside 1 to `MAX_LIMIT` an `InvalidInput` naming `limit`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from domain.errors import InvalidCursor, InvalidInput
from storage.viewdb import ViewDB

T = TypeVar("T")
MAX_LIMIT = 500
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class PageRequest:
    """Which page: up to `limit` rows after the row `cursor` names (the first page without one)."""

    limit: int = DEFAULT_LIMIT
    cursor: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.limit, bool) or not 1 <= self.limit <= MAX_LIMIT:
            msg = f"limit: rows per page are 1 to {MAX_LIMIT}, got {self.limit!r}"
            raise InvalidInput(msg, field="limit")


FIRST_PAGE = PageRequest()


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, and the cursor of the next page (None on the last)."""

    items: tuple[T, ...]
    next_cursor: str | None


@dataclass(frozen=True)
class Order:
    """A list's sort key: SQL expressions, each with the Python type its values have (int or str),
    so that a cursor's values can be checked before they reach the database; `descending` walks
    the key from its greatest value down (the latest first), the next page holding smaller keys."""

    columns: tuple[str, ...]
    kinds: tuple[type, ...]
    descending: bool = False


def byte_order(db: ViewDB, column: str) -> str:
    """`column` ordered byte by byte, as SQLite orders text. PostgreSQL otherwise follows its
    database's collation (a Chinese one sorts names by pinyin), and a list must come in one order on
    every deployment, so that whoever re-derives it (`mingzhang verify --url --views`, on SQLite)
    walks the same pages."""
    return f'{column} COLLATE "C"' if db.dialect == "postgresql" else column


def encode_cursor(key: Sequence[Any]) -> str:
    text = json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: Order) -> tuple[Any, ...]:
    refusal = InvalidCursor(
        "cursor: not a cursor this list gave; start again without it", field="cursor"
    )
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        raise refusal from None
    if not isinstance(key, list) or len(key) != len(order.kinds):
        raise refusal
    for value, kind in zip(key, order.kinds, strict=True):
        # bool is an int to Python, but no sort key is one; a huge int would overflow BIGINT.
        if type(value) is not kind or (isinstance(value, int) and not -(2**63) <= value < 2**63):
            raise refusal
    return tuple(key)


def keyset(
    db: ViewDB,
    columns: str,
    source: str,
    where: Sequence[str],
    params: Sequence[object],
    order: Order,
    page: PageRequest,
    *,
    group_by: str = "",
) -> tuple[list[tuple[Any, ...]], str | None]:
    """One page of `SELECT columns FROM source WHERE where…`: its rows (without the key columns, which
    are selected too for the cursor) and the cursor of the next page, if there is one. The caller,
    which knows the columns, turns the rows into its typed results."""
    conditions, values = list(where), list(params)
    sorted_by = [
        byte_order(db, column) if kind is str else column
        for column, kind in zip(order.columns, order.kinds, strict=True)
    ]
    keyed = ", ".join(sorted_by)
    ordered = ", ".join(f"{c} DESC" for c in sorted_by) if order.descending else keyed
    if page.cursor is not None:
        key = decode_cursor(page.cursor, order)
        after = "<" if order.descending else ">"
        conditions.append(f"({keyed}) {after} ({', '.join('?' for _ in key)})")
        values.extend(key)
    width = len(order.columns)
    statement = (
        f"SELECT {columns}, {', '.join(order.columns)} FROM {source}"
        + (f" WHERE {' AND '.join(conditions)}" if conditions else "")
        + (f" GROUP BY {group_by}" if group_by else "")
        + f" ORDER BY {ordered} LIMIT ?"
    )
    rows = db.execute(statement, (*values, page.limit + 1))
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    next_cursor = encode_cursor(rows[-1][-width:]) if more else None
    return [row[:-width] for row in rows], next_cursor


def every_row(fetch: Callable[[PageRequest], Page[T]]) -> Iterator[T]:
    """Every row of a list, walked a page of `MAX_LIMIT` at a time (for downloads and audits)."""
    page = PageRequest(MAX_LIMIT)
    while True:
        found = fetch(page)
        yield from found.items
        if found.next_cursor is None:
            return
        page = PageRequest(MAX_LIMIT, found.next_cursor)
