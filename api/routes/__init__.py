"""One router per resource; `ROUTERS` is what the app mounts, in the order the docs list them."""

from fastapi import APIRouter

from api.routes import audit, disclosure, funds, health, organizations, personal_data, transparency

ROUTERS: list[APIRouter] = [
    organizations.router,
    funds.router,
    disclosure.router,
    audit.router,
    personal_data.router,
    transparency.router,
    health.router,
]
