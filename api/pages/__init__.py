"""The public disclosure site: server-rendered pages (Jinja2) over the same read model as the JSON
routes, Chinese first with English, every figure downloadable and checkable against the log.

`install(app)` mounts the static assets (`static/`: the stylesheet and the one script, the in-browser
proof check) and the page routers (`routes/`, one per page family). What every page shares lives
beside it: `context.py` (language, as-of day, the views the page reads), `render.py` (templates,
caching headers), `i18n.py` (every string and label in both languages), `formatting.py` (money, dates),
`errors.py` (an error on a page is a page). Templates format; the figures come from the read model.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.pages import assets
from api.pages.routes import PAGE_ROUTERS


def install(app: FastAPI) -> None:
    assets.install(app)
    for router in PAGE_ROUTERS:
        app.include_router(router)
