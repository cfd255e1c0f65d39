"""The FastAPI application: settings in, one ledger per process, routers and the public pages mounted."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from api import access_log, console, docs, errors, metrics, openapi, pages, security_headers
from api.body_limit import BodyLimit
from api.console.routes.imports import DRAIN_FACTOR, UPLOAD_PATH
from api.pages import errors as page_errors
from api.pages.render import PageCache
from api.parameters import refuse_unknown_query_parameters
from api.read_only import refuse_writes
from api.routes import ROUTERS
from api.settings import Settings
from cli.compose import open_ledger, open_views, service_views
from projections import cosignatures
from projections.as_of import AsOfViews
from projections.disclosure import DisclosureView
from projections.indicators import IndicatorsView
from projections.runner import Runner

DESCRIPTION = """
Mingzhang (明账) is an event-sourced ledger for Shanghai's community foundations: every donation,
grant, relief disbursement and pairing is an immutable event in one ordered log.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    with settings.database.schema_lock():  # workers start at once; their tables are created once
        ledger = open_ledger(settings)
        views = open_views(settings)
        # A read-only replica (a hot standby) reads the views the primary's projector writes.
        runner = Runner(ledger, views, service_views(settings), read_only=settings.read_only)
        keys = settings.database.open_keys(create=not settings.read_only)
        if not settings.read_only:
            cosignatures.create_table(views)
    # Witnesses cosign the signed checkpoints from threads of their own: never in a command's path.
    submitter = cosignatures.Submitter(
        views, settings.witness_list, settings.witness_interval_seconds
    )
    # `?as_of=` pages read the public views rebuilt to a past day (the history view is not needed:
    # an event's position never changes, so the live one answers it for any day).
    # Snapshots of them every few thousand positions, so a day's first render replays little.
    as_of = AsOfViews(
        ledger, [DisclosureView(), IndicatorsView()], views, snapshots=settings.var_dir / "as_of"
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The views follow the log in a background thread of this process, unless a separate
        # `mingzhang project` process does it (MINGZHANG_PROJECT_IN_PROCESS=false).
        if settings.project_in_process and not settings.read_only:
            runner.start()
        # Written before anyone asks for a past day, so a first render replays 5,000 events at most.
        threading.Thread(target=as_of.keep_snapshots, name="as-of-snapshots", daemon=True).start()
        if not settings.read_only:
            submitter.start()
        yield
        submitter.stop()
        runner.stop()
        as_of.close()
        views.close()
        keys.db.close()
        ledger.close()

    app = FastAPI(
        title="Mingzhang 明账",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,  # api/docs.py serves /docs from local assets instead
        dependencies=[
            Depends(refuse_unknown_query_parameters),
            *([Depends(refuse_writes)] if settings.read_only else []),
        ],
    )
    app.state.settings = settings
    app.state.ledger = ledger
    app.state.runner = runner
    app.state.views = views
    app.state.as_of = as_of
    app.state.keys = keys
    app.state.page_cache = PageCache()  # rendered pages (api/pages/render.py)
    errors.install(app, pages=page_errors)
    openapi.install(app)
    # The console's spreadsheet upload refuses a file over its own limit itself, beside the file
    # input; only a body far past that (DRAIN_FACTOR times) is cut off here.
    upload_limit = DRAIN_FACTOR * settings.console_import_max_bytes
    app.add_middleware(
        BodyLimit, limit=settings.max_body_bytes, wider=[(UPLOAD_PATH, upload_limit)]
    )
    metrics.install(app)
    access_log.install(app)
    docs.install(app)
    security_headers.install(app)
    app.include_router(ROUTERS[0])  # /health, before the pages: see api/routes/__init__.py
    pages.install(app)
    console.install(app)
    for router in ROUTERS[1:]:
        app.include_router(router)
    return app
