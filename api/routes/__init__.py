"""One router per resource; `ROUTERS` is what the app mounts, in the order the docs list them."""

from fastapi import APIRouter

from api.routes import (
    designations,
    funds,
    health,
    mentor_links,
    organizations,
    pairings,
    transparency,
)

ROUTERS: list[APIRouter] = [
    organizations.router,
    funds.router,
    pairings.router,
    mentor_links.router,
    designations.router,
    transparency.router,
    health.router,
]
