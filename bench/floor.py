"""The HTTP floor for `bench/http.py` (issue 16): a bare FastAPI app whose one command route validates
the same body as `POST /funds/{fund}/donations` (the project's own `ReceiveDonation`, not a copy) and
answers 201 without touching a store, and a route that returns a constant (the baseline `/health` is
read against). Served by uvicorn with one worker exactly as the ledger is, it is the web stack's own
limit on this machine: every HTTP figure is read against it.
Run: `python -m uvicorn bench.floor:create_app --factory --workers 1 --port 8001`.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import FastAPI

from api.schemas.funds import ReceiveDonation


def create_app() -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    # `def`, not `async def`, as the ledger's routes are: the same thread-pool hop per request.
    @app.post("/funds/{fund_id}/donations", status_code=201)
    def receive_donation(fund_id: UUID, body: ReceiveDonation) -> dict[str, str]:
        return {"fund_id": str(fund_id), "donation_id": str(body.donation_id)}

    @app.get("/constant")
    def constant() -> dict[str, str]:
        return {"status": "ok"}

    return app
