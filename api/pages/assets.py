"""The site's own static files (stylesheet, script, icon), served by the app so a page makes no
request to any other server. Their URLs carry a digest of their content, so they can be cached for a
year and a new release is fetched at once."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC = Path(__file__).parent / "static"
PREFIX = "/static"


@cache
def digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def url(name: str) -> str:
    """The URL of a static file, with its content's digest (see `CachedStatic`)."""
    return f"{PREFIX}/{name}?v={digest(name)}"


class CachedStatic(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def install(app: FastAPI) -> None:
    app.mount(PREFIX, CachedStatic(directory=STATIC), name="static")
