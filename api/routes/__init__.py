"""One router per resource; `ROUTERS` is what the app mounts, in the order the docs list them."""

from fastapi import APIRouter

from api.routes import funds, grants, health, keys, organizations, relief_cases, transparency

ROUTERS: list[APIRouter] = [
    organizations.router,
    funds.router,
    grants.router,
    relief_cases.router,
    transparency.router,
    keys.router,
    health.router,
]
