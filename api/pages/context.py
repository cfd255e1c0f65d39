"""What every page knows about how it is being shown: the reader's language, the day it is shown as of
(if any), the views it reads (the live ones, or those rebuilt for that day) and the signed checkpoint
its figures can be checked against. A route asks for it as `PageDep`.

`?as_of=YYYY-MM-DD` (any page) reads the views rebuilt to the end of that day in Shanghai
(`projections.as_of.AsOfViews`, cached by position) with the checkpoint signed at that moment; a day
after today is refused naming `as_of`, and today itself is the live views (the day has not ended).

The language is `?lang=` when given (then remembered in a cookie by `render`), else the cookie, else
Chinese. A query parameter a page does not declare is refused like on every route
(`api.parameters`), as a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import Depends, Query, Request

from api.pages.i18n import DEFAULT_LANGUAGE, LANGUAGES
from domain.ledger import Ledger
from projections.as_of import AsOfViews
from projections.runner import Runner
from projections.transparency import Checkpoint, latest_checkpoint
from storage.viewdb import ViewDB

LANGUAGE_COOKIE = "lang"
Language = Literal["zh", "en"]


def public_position(runner: Runner) -> int:
    """The log position every public read is at: the lesser of the two views a page draws on, so
    what a page or its cache key says holds in both."""
    return min(runner.position("disclosure"), runner.position("indicators"))


@dataclass(frozen=True)
class PageContext:
    lang: str
    lang_asked: bool  # given in the query: remember it in the cookie
    as_of: date | None
    db: ViewDB
    position: int  # the log position the views shown have reached
    checkpoint: Checkpoint | None  # the latest signed checkpoint at or before `position`
    today: date
    path: str
    query: tuple[tuple[str, str], ...]

    def link(self, **changes: str | None) -> str:
        """This page's URL with some query parameters changed (None removes one)."""
        params = dict(self.query)
        for name, value in changes.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = value
        return self.path + ("?" + urlencode(params) if params else "")

    @property
    def other_lang(self) -> str:
        return "en" if self.lang == "zh" else "zh"

    def keep(self, path: str) -> str:
        """A link to another page that keeps the day shown (the language is in the cookie)."""
        if self.as_of is None:
            return path
        joiner = "&" if "?" in path else "?"
        return f"{path}{joiner}as_of={self.as_of.isoformat()}"


def page_context(
    request: Request,
    lang: Annotated[
        Language | None, Query(description="zh (the default) or en; remembered in a cookie")
    ] = None,
    as_of: Annotated[
        date | None,
        Query(description="show the page as it stood at the end of this day (Asia/Shanghai)"),
    ] = None,
) -> Iterator[PageContext]:
    chosen = lang or request.cookies.get(LANGUAGE_COOKIE)
    if chosen not in LANGUAGES:
        chosen = DEFAULT_LANGUAGE
    ledger: Ledger = request.app.state.ledger
    today = ledger.today()
    query = tuple((k, v) for k, v in request.query_params.multi_items() if k != "lang")

    def shown(
        db: ViewDB, day: date | None, position: int, checkpoint: Checkpoint | None
    ) -> PageContext:
        return PageContext(
            lang=chosen,
            lang_asked=lang is not None,
            as_of=day,
            db=db,
            position=position,
            checkpoint=checkpoint,
            today=today,
            path=request.url.path,
            query=query,
        )

    # Today has not ended: "as of today" is the ledger now, the live views.
    if as_of is not None and as_of != today:
        past: AsOfViews = request.app.state.as_of
        # The database stays open until the answer is sent (a download streams from it).
        with past.reading(as_of) as found:
            yield shown(found.db, as_of, found.position, found.checkpoint)
        return
    runner: Runner = request.app.state.runner
    views: ViewDB = request.app.state.views
    position = public_position(runner)
    yield shown(views, None, position, latest_checkpoint(views))


PageDep = Annotated[PageContext, Depends(page_context)]
