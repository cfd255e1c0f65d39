"""`/docs` without the internet: Swagger UI's script, stylesheet and icon are served by this app from
the `fastapi-offline` wheel (pinned in pyproject.toml), never from a CDN, so the docs work on an
intranet or air-gapped office machine. Its Content-Security-Policy allows its one inline script by hash. The app is created with `docs_url=None, redoc_url=None`, and
`install` adds the page and the assets in their place."""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
# fastapi-offline ships Swagger UI 5 (which renders the OpenAPI 3.1 FastAPI emits; the
# `swagger-ui-bundle` wheel stops at Swagger UI 4, which refuses 3.1). Only its static folder is used.
ASSETS = Path(str(files("fastapi_offline") / "static"))


def install(app: FastAPI) -> None:
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="docs-assets")

    @app.get(DOCS_PATH, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
            # Swagger UI's default validator badge is an image from validator.swagger.io that sends
            # it the spec's URL: off, so the page makes no request outside this server.
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers["Content-Security-Policy"] = docs_policy(bytes(page.body))
        return page


def docs_policy(page: bytes) -> str:
    """The page's own policy: its inline script allowed by its hash (Swagger UI starts from one);
    still no inline style and nothing from elsewhere."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in re.findall(rb"<script>(.*?)</script>", page, flags=re.S)
    )
    return (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self';"
        " img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
