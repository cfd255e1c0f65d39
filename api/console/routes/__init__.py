"""The console's routers, one per page family: signing in and out, a foundation's desk, the forms,
the spreadsheet imports. Every console route is tagged `pages` (so its errors are pages, in the reader's language) and left
out of the OpenAPI, which describes the JSON API."""

from fastapi import APIRouter

from api.console.routes import desk, forms, imports, sign_in

CONSOLE_ROUTERS: list[APIRouter] = [sign_in.router, desk.router, forms.router, imports.router]
