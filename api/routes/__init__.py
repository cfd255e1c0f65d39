"""One router per resource; `ROUTERS` is what the app mounts, in the order the docs list them."""

from fastapi import APIRouter

from api.routes import (
    audit,
    designations,
    disclosure,
    exports,
    funds,
    grants,
    health,
    keys,
    mentor_links,
    metrics,
    organizations,
    pairings,
    personal_data,
    relief_cases,
    relief_statistics,
    subdistricts,
    tlog,
    transparency,
)

ROUTERS: list[APIRouter] = [
    # First: a path is matched against the routes in order, and monitors probe /health most often
    # (it was matched behind every page and API route, a tenth of its time: py-spy, issue 16).
    health.router,
    organizations.router,
    subdistricts.router,
    funds.router,
    grants.router,
    relief_cases.router,
    relief_statistics.router,
    pairings.router,
    mentor_links.router,
    designations.router,
    disclosure.router,
    exports.router,
    audit.router,
    personal_data.router,
    transparency.router,
    tlog.router,
    keys.router,
    metrics.router,
]
