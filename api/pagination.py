"""Keyset pagination for the public lists: `limit` (1–500, default 50) and an opaque `cursor`, in a
stable order, answered as `{"items": [...], "next_cursor": "..." | null}`.

Each list is ordered by a key that is unique per row (its primary key, or a date and then the primary
key). The cursor is the last row's key as URL-safe base64 of a JSON array; the next page is the rows
whose key is greater. Unlike an offset, a keyset neither repeats nor skips a row when rows are added
while a reader walks the pages (new rows with a smaller key are simply not in this walk). A cursor that
does not decode to a key of the right shape is a 422 naming `cursor`, never a database error.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from api.errors import ApiError
from storage.viewdb import ViewDB

T = TypeVar("T")
MAX_LIMIT = 500

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"rows per page, 1 to {MAX_LIMIT}")]
Cursor = Annotated[
    str | None,
    Query(
        max_length=1000,
        description="the `next_cursor` of the previous page; leave out for the first page",
    ),
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page; null on the last page"
    )


@dataclass(frozen=True)
class Order:
    """A list's sort key: SQL expressions, each with the Python type its values have (int or str),
    so that a cursor's values can be checked before they reach the database."""

    columns: tuple[str, ...]
    kinds: tuple[type, ...]


def encode_cursor(key: Sequence[Any]) -> str:
    text = json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: Order) -> tuple[Any, ...]:
    refusal = ApiError(
        422,
        "invalid_input",
        "cursor: not a cursor this list gave; start again without it",
        "cursor",
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


def page(
    db: ViewDB,
    columns: str,
    source: str,
    where: Sequence[str],
    params: Sequence[object],
    order: Order,
    limit: int,
    cursor: str | None,
    *,
    group_by: str = "",
) -> tuple[list[tuple[Any, ...]], str | None]:
    """One page of `SELECT columns FROM source WHERE where…`: its rows (without the key columns, which
    are selected too for the cursor) and the cursor of the next page, if there is one."""
    conditions, values = list(where), list(params)
    if cursor is not None:
        key = decode_cursor(cursor, order)
        conditions.append(f"({', '.join(order.columns)}) > ({', '.join('?' for _ in key)})")
        values.extend(key)
    width = len(order.columns)
    statement = (
        f"SELECT {columns}, {', '.join(order.columns)} FROM {source}"
        + (f" WHERE {' AND '.join(conditions)}" if conditions else "")
        + (f" GROUP BY {group_by}" if group_by else "")
        + f" ORDER BY {', '.join(order.columns)} LIMIT ?"
    )
    rows = db.execute(statement, (*values, limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1][-width:]) if more else None
    return [row[:-width] for row in rows], next_cursor
