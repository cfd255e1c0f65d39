"""`GET /health`: is the service up, which backend holds the log, and how far the log has come."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import LedgerDep, RunnerDep, SettingsDep

router = APIRouter(tags=["health"])


class ViewPublic(BaseModel):
    view: str
    position: int = Field(description="Last log position the view has applied")
    lag: int = Field(description="Events the view is behind the log's head")
    error: str | None = Field(None, description="Why the view stopped, if it did")


class HealthPublic(BaseModel):
    status: Literal["ok"] = "ok"
    backend: Literal["memory", "sqlite", "postgresql"] = Field(
        description="Which store holds the event log"
    )
    head: int = Field(description="Position of the last event in the log; 0 when it is empty")
    views: list[ViewPublic] = Field(description="Each view's position and lag")


@router.get("/health", response_model=HealthPublic, summary="Liveness, backend and log head")
def health(ledger: LedgerDep, settings: SettingsDep, runner: RunnerDep) -> HealthPublic:
    views = [
        ViewPublic(view=s.view, position=s.position, lag=s.lag, error=s.error)
        for s in runner.status()
    ]
    return HealthPublic(backend=settings.database.backend, head=ledger.head(), views=views)
