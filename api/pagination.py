"""The HTTP face of keyset pagination (`projections.pagination`): the `limit` (1–500, default 50) and
`cursor` query parameters, and the page as JSON, `{"items": [...], "next_cursor": "..." | null}`.

A cursor the list did not give is refused by the reader as `InvalidCursor`, which the one error
mapping answers as a 422 naming `cursor`.
"""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from projections.pagination import MAX_LIMIT

T = TypeVar("T")

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
