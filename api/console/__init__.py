"""The staff console (issue 17), under `/console`: the people who keep a foundation's books sign in
with their API key and record what happened through forms, each of which runs the same application
use case as the JSON route of that command, so every action lands in the one public log.

`session.py` (signing in: key → server-side session, cookie, CSRF), `forms.py` (a form is a
declaration: inputs → the use case's plain arguments, one template shows them all), `staff_forms.py`,
`staff_forms_more.py` and `staff_forms_pairing.py` (the staff's forms; `catalog.py` names them all),
`routes/` (one router per page family). The desk's reads are
`projections/desk.py`; the pages are the public site's templates (`api/pages/templates/console/`,
extending the site's frame), strings (`api/pages/i18n.py`) and language switch. docs/CONSOLE.md is
the account of it.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.console import session
from api.console.routes import CONSOLE_ROUTERS, imports


def install(app: FastAPI) -> None:
    session.install(app)
    imports.install(app)
    for router in CONSOLE_ROUTERS:
        app.include_router(router)
