"""The console's routers, one per page family: signing in and out, a foundation's desk, the forms,
the spreadsheet imports, the admin's desk, the privacy officer's desk. Every console route is tagged
`pages` (so its errors are pages, in the reader's language) and left out of the OpenAPI, which
describes the JSON API."""

from fastapi import APIRouter

from api.console.routes import admin, desk, forms, imports, privacy, sign_in

CONSOLE_ROUTERS: list[APIRouter] = [
    sign_in.router,
    desk.router,
    forms.router,
    imports.router,
    admin.router,
    privacy.router,
]
