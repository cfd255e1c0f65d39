"""Templates in, HTML out, with the caching a public page needs.

One Jinja2 environment (autoescaping on, undefined names an error) whose globals are the formatting
functions and the two languages' strings. `render` answers a page with an `ETag` made of what the page
shows: the release (a digest of the templates and assets), the views' position, the signed checkpoint's
size, the language and the day (a relief payment's ratification turns overdue by the day alone). A
matching `If-None-Match` is a 304 with no body. A page that shows a consenting person's name has no
ETag and may be kept for seconds only: the name comes from the vault, which the log's position does not
track, so a withdrawn consent or an erasure must reach every cache by expiry.

`PageCache` (one per app, `app.state.page_cache`) keeps the rendered pages themselves, so a page asked
for again is answered before anything is read: a route calls `cached(request, page)` first. A page is
kept under its ETag's parts with its path and query string (`page_key`); the entry records its template
and whether it names a person. Nothing is ever invalidated: a write moves the views' position, which
is in the key, so the next request misses and renders the new figures (an old entry ages out of the
LRU). A page that names a person is kept NAMED_MAX_AGE at most and never answered after, with the
seconds it has left as its max-age.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.pages import assets, formatting
from api.pages.context import LANGUAGE_COOKIE, PageContext
from api.pages.i18n import HTML_LANG, label, translate

TEMPLATES = Path(__file__).parent / "templates"
PAGE_MAX_AGE = 30  # seconds a cache may keep a page: the views move on as the log grows
NAMED_MAX_AGE = 5  # for a page with a person's name on it (see the module's docstring)
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
CACHE_PAGES = 64  # a home page is ~100 KiB, a foundation's ~60 KiB: 64 fit in the bytes below
CACHE_BYTES = 8 * 1024 * 1024

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(
    money=formatting.money,
    count=formatting.count,
    percent=formatting.percent,
    asset=assets.url,
)


@cache
def release() -> str:
    """A digest of every template and static file: a new release never answers an old ETag."""
    digest = hashlib.sha256()
    for folder in (TEMPLATES, assets.STATIC):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def page_tag(page: PageContext, tag: str = "") -> str:
    size = page.checkpoint.size if page.checkpoint else 0
    shown = page.as_of.isoformat() if page.as_of else "now"
    extra = f"-{hashlib.sha256(tag.encode()).hexdigest()[:12]}" if tag else ""
    return f'W/"{release()}-{page.position}-{size}-{page.lang}-{page.today.isoformat()}-{shown}{extra}"'


@dataclass(frozen=True)
class Kept:
    """A rendered page as `PageCache` keeps it: its body and caching headers (never a cookie: the
    language cookie is set again for each request that asks for it)."""

    body: bytes
    headers: tuple[tuple[str, str], ...]
    template: str
    named: bool  # names a consenting person: kept until `expires` only
    expires: float | None = None


class PageCache:
    """A thread-safe LRU of rendered pages, at most `max_pages` and `max_bytes` of bodies; `clock`
    (seconds, monotonic) decides when a named page expires. `hits` and `misses` count lookups."""

    def __init__(
        self,
        *,
        max_pages: int = CACHE_PAGES,
        max_bytes: int = CACHE_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_pages, self.max_bytes, self.clock = max_pages, max_bytes, clock
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()  # routes are `def`: they run on the threadpool's threads
        self._pages: OrderedDict[tuple[str, ...], Kept] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def bytes(self) -> int:
        return self._bytes

    def get(self, key: tuple[str, ...]) -> tuple[Kept, float | None] | None:
        """The page kept under `key` with the seconds it has left (None: as long as its key), or
        None when there is none or it has expired."""
        with self._lock:
            kept = self._pages.get(key)
            left = None if kept is None or kept.expires is None else kept.expires - self.clock()
            if kept is None or (left is not None and left <= 0):
                if kept is not None:
                    self._drop(key)
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return kept, left

    def put(self, key: tuple[str, ...], kept: Kept) -> None:
        if len(kept.body) > self.max_bytes:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = kept
            self._bytes += len(kept.body)
            while len(self._pages) > self.max_pages or self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def _drop(self, key: tuple[str, ...]) -> None:
        self._bytes -= len(self._pages.pop(key).body)


def page_key(request: Request, page: PageContext) -> tuple[str, ...]:
    return (page_tag(page), request.url.path, request.url.query)


def cached(request: Request, page: PageContext) -> Response | None:
    """The kept page for this request, or a 304 when the client's copy is it (None: render it)."""
    pages: PageCache = request.app.state.page_cache
    key = page_key(request, page)
    found = pages.get(key)
    if found is None:
        # `render` keeps the page under this key: only the pages of routes that look them up.
        request.state.page_key = key
        return None
    kept, left = found
    headers = dict(kept.headers)
    if left is not None:
        headers["Cache-Control"] = f"public, max-age={math.floor(left)}, must-revalidate"
    elif request.headers.get("if-none-match") == headers["ETag"]:
        return remember_language(Response(status_code=304, headers=headers), page, request)
    return remember_language(HTMLResponse(kept.body, headers=headers), page, request)


def html(page: PageContext, template: str, **values: Any) -> str:
    lang = page.lang

    def t(key: str, **fill: object) -> str:
        return translate(lang, key, **fill)

    return environment.get_template(template).render(
        page=page,
        lang=lang,
        html_lang=HTML_LANG[lang],
        t=t,
        label=lambda vocabulary, code: label(lang, vocabulary, code),
        day=lambda value: formatting.day(value, lang),
        month=lambda value: formatting.month(value, lang),
        moment=lambda value: formatting.moment(value, lang),
        **values,
    )


def render(
    request: Request,
    page: PageContext,
    template: str,
    *,
    names_shown: bool = False,
    status: int = 200,
    tag: str = "",
    **values: Any,
) -> Response:
    """The page `template` filled with `values`, with its caching headers (and a 304 when the
    client's copy is still the page). `tag` is what else the page shows that the views' position
    does not track (the witnesses' latest cosignatures on /verify): it goes into the ETag."""
    # Cookie: the language; Accept: a record's page shares its path with the JSON API (records.py).
    headers = {"Vary": "Accept, Cookie"}
    if names_shown:
        headers["Cache-Control"] = f"public, max-age={NAMED_MAX_AGE}, must-revalidate"
    else:
        headers["Cache-Control"] = f"public, max-age={PAGE_MAX_AGE}"
        headers["ETag"] = page_tag(page, tag)
        if status == 200 and request.headers.get("if-none-match") == headers["ETag"]:
            response: Response = Response(status_code=304, headers=headers)
            return remember_language(response, page, request)
    body = html(page, template, **values).encode()
    key: tuple[str, ...] | None = getattr(request.state, "page_key", None)
    if status == 200 and key is not None:
        pages: PageCache = request.app.state.page_cache
        expires = pages.clock() + NAMED_MAX_AGE if names_shown else None
        pages.put(key, Kept(body, tuple(headers.items()), template, names_shown, expires))
    response = HTMLResponse(body, status_code=status, headers=headers)
    return remember_language(response, page, request)


def remember_language(response: Response, page: PageContext, request: Request) -> Response:
    if page.lang_asked:
        response.set_cookie(
            LANGUAGE_COOKIE,
            page.lang,
            max_age=LANGUAGE_COOKIE_AGE,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response
