"""`GET /health`: is the service up, which backend holds the log, how far the log has come, and whether
every view is following it (a view that has stopped makes the answer a 503 `degraded`)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from api.deps import LedgerDep, RunnerDep, SettingsDep

router = APIRouter(tags=["health"])


class ViewPublic(BaseModel):
    view: str
    position: int = Field(description="Last log position the view has applied")
    lag: int = Field(description="Events the view is behind the log's head")
    error: str | None = Field(
        None,
        description="The class of the error the view stopped on, if it did (never its text, "
        "which can quote the event)",
    )
    stopped_at: int | None = Field(
        None, description="The position of the event the view stopped on; null while it runs"
    )
    reason: str | None = Field(
        None,
        description="Why the view stopped, in plain words, when it stopped on purpose; null "
        "otherwise. The transparency view says e.g. `the stored tree is not consistent with the "
        "last signed checkpoint (size N); nothing more is signed`: it signs no checkpoint until "
        "the operator has looked. Sizes, levels and indices only, never event text",
    )


class HealthPublic(BaseModel):
    status: Literal["ok", "degraded"] = Field(
        "ok", description="`degraded` (and the status 503) when any view has stopped"
    )
    backend: Literal["memory", "sqlite", "postgresql"] = Field(
        description="Which store holds the event log"
    )
    head: int = Field(description="Position of the last event in the log; 0 when it is empty")
    views: list[ViewPublic] = Field(description="Each view's position and lag")


@router.get(
    "/health",
    response_model=HealthPublic,
    responses={503: {"model": HealthPublic, "description": "A view has stopped (degraded)"}},
    summary="Liveness, backend, log head and views; 503 when a view has stopped",
)
def health(
    ledger: LedgerDep, settings: SettingsDep, runner: RunnerDep, response: Response
) -> HealthPublic:
    head = ledger.head()
    views = [
        ViewPublic(
            view=s.view,
            position=s.position,
            lag=s.lag,
            error=s.error,
            stopped_at=s.stopped_at,
            reason=s.reason,
        )
        for s in runner.status(head)
    ]
    degraded = any(v.error is not None for v in views)
    if degraded:
        # A public page built from a stopped view is silently stale: monitors must see it.
        response.status_code = 503
    return HealthPublic(
        status="degraded" if degraded else "ok",
        backend=settings.database.backend,
        head=head,
        views=views,
    )
