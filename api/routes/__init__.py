"""One router per resource; `ROUTERS` is what the app mounts, in the order the docs list them."""

from fastapi import APIRouter

from api.routes import funds, health, metrics, organizations, transparency

ROUTERS: list[APIRouter] = [
    organizations.router,
    funds.router,
    transparency.router,
    health.router,
    metrics.router,
]
