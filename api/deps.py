"""Request dependencies as `Annotated` aliases, so routes say what they need in their signatures.

A dependency that only reads `app.state` is `async def`: FastAPI runs a `def` dependency in the
thread pool, and four such hops per donation held it at 146 req/s against 208 without them
(py-spy, one connection, issue 16). One that touches a database (the key lookup, the views'
read-your-writes wait) stays `def`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings
from domain.ledger import Ledger
from projections.runner import Runner


async def get_ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


LedgerDep = Annotated[Ledger, Depends(get_ledger)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_runner(request: Request) -> Runner:
    runner: Runner = request.app.state.runner
    return runner


RunnerDep = Annotated[Runner, Depends(get_runner)]
