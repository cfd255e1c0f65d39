"""`GET /health`: is the service up, which backend holds the log, and how far the log has come."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import LedgerDep, SettingsDep

router = APIRouter(tags=["health"])


class HealthPublic(BaseModel):
    status: Literal["ok"] = "ok"
    backend: Literal["memory", "sqlite", "postgresql"] = Field(
        description="Which store holds the event log"
    )
    head: int = Field(description="Position of the last event in the log; 0 when it is empty")


@router.get("/health", response_model=HealthPublic, summary="Liveness, backend and log head")
def health(ledger: LedgerDep, settings: SettingsDep) -> HealthPublic:
    return HealthPublic(backend=settings.database.backend, head=ledger.head())
