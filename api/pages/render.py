"""Templates in, HTML out, with the caching a public page needs.

One Jinja2 environment (autoescaping on, undefined names an error) whose globals are the formatting
functions and the two languages' strings. `render` answers a page with an `ETag` made of what the page
shows: the release (a digest of the templates and assets), the views' position, the signed checkpoint's
size, the language and the day (a relief payment's ratification turns overdue by the day alone). A
matching `If-None-Match` is a 304 with no body. A page that shows a consenting person's name has no
ETag and may be kept for seconds only: the name comes from the vault, which the log's position does not
track, so a withdrawn consent or an erasure must reach every cache by expiry.
"""

from __future__ import annotations

import hashlib
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


def page_tag(page: PageContext) -> str:
    size = page.checkpoint.size if page.checkpoint else 0
    shown = page.as_of.isoformat() if page.as_of else "now"
    return f'W/"{release()}-{page.position}-{size}-{page.lang}-{page.today.isoformat()}-{shown}"'


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
    **values: Any,
) -> Response:
    """The page `template` filled with `values`, with its caching headers (and a 304 when the
    client's copy is still the page)."""
    # Cookie: the language; Accept: a record's page shares its path with the JSON API (records.py).
    headers = {"Vary": "Accept, Cookie"}
    if names_shown:
        headers["Cache-Control"] = f"public, max-age={NAMED_MAX_AGE}, must-revalidate"
    else:
        headers["Cache-Control"] = f"public, max-age={PAGE_MAX_AGE}"
        headers["ETag"] = page_tag(page)
        if status == 200 and request.headers.get("if-none-match") == headers["ETag"]:
            response: Response = Response(status_code=304, headers=headers)
            return remember_language(response, page, request)
    response = HTMLResponse(html(page, template, **values), status_code=status, headers=headers)
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
