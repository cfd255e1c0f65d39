"""`GET /metrics`: Prometheus text for scrapers. Public, like `/health`: it holds request counts and
latencies by route template, the log's head, each view's position and lag and how many vault records
failed to decrypt, and nothing that names a
person, an organisation or an id (see api/metrics.py for what labels may hold)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from api.deps import LedgerDep, RunnerDep
from api.metrics import Registry, gauge
from storage.vault import Vault

router = APIRouter(tags=["health"])
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format 0.0.4"}},
    summary="Request counts and latencies, log head, views' positions and lag (Prometheus text)",
)
def metrics(request: Request, ledger: LedgerDep, runner: RunnerDep) -> PlainTextResponse:
    registry: Registry = request.app.state.metrics
    views = runner.status()
    lines = registry.render()
    lines += gauge(
        "mingzhang_log_head",
        "Position of the last event in the log; 0 when it is empty.",
        [({}, ledger.head())],
    )
    lines += gauge(
        "mingzhang_view_position",
        "Last log position the view has applied.",
        [({"view": s.view}, s.position) for s in views],
    )
    lines += gauge(
        "mingzhang_view_lag",
        "Events the view is behind the log's head.",
        [({"view": s.view}, s.lag) for s in views],
    )
    lines += gauge(
        "mingzhang_view_stopped",
        "1 when the view has stopped on an error (see /health), else 0.",
        [({"view": s.view}, int(s.error is not None)) for s in views],
    )
    damaged = ledger.vault.damaged if isinstance(ledger.vault, Vault) else 0
    lines += [
        "# HELP mingzhang_vault_undecryptable_total Vault records that failed to decrypt (a name "
        "left out of a public answer, a refused proof): restore them from a backup.",
        "# TYPE mingzhang_vault_undecryptable_total counter",
        f"mingzhang_vault_undecryptable_total {damaged}",
    ]
    return PlainTextResponse("\n".join(lines) + "\n", media_type=CONTENT_TYPE)
