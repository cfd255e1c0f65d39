"""The public site's routers, one per page family; `PAGE_ROUTERS` is what `api.pages.install` mounts.
Every page route is tagged `pages` (so its errors are pages) and left out of the OpenAPI, which
describes the JSON API."""

from fastapi import APIRouter

from api.pages.routes import entries, foundations, home, organizations, records, statement

PAGE_ROUTERS: list[APIRouter] = [
    home.router,
    statement.router,
    entries.router,
    records.router,
    foundations.router,
    organizations.router,
]
