"""Request metrics for `/metrics`, in Prometheus' text exposition format (version 0.0.4), kept by a small
thread-safe registry of our own instead of `prometheus_client`: three families are all we need, and
owning the rendering lets the module guarantee what the labels may hold.

Labels are bounded and never carry personal data or ids: the HTTP method (unknown ones are `OTHER`),
the route *template* (`/funds/{fund_id}`, never the raw path; `unmatched` for a path no route knows,
so a scanner cannot grow the registry) and the status class (`2xx`…`5xx`). Each process keeps its own
figures: with several uvicorn workers, each answer comes from whichever worker took the scrape.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from fastapi import FastAPI
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Seconds; fine at the low end, where a healthy read lives, and up to the lock timeout's range.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"


@dataclass
class Histogram:
    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    total: int = 0
    sum: float = 0.0

    def observe(self, seconds: float) -> None:
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                self.counts[i] += 1
                break
        self.total += 1
        self.sum += seconds


class Registry:
    """Request counts by (method, route, status class) and latency by (method, route)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, str], int] = {}
        self._latency: dict[tuple[str, str], Histogram] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route)
        with self._lock:
            status_class = f"{status // 100}xx"
            self._requests[(*key, status_class)] = self._requests.get((*key, status_class), 0) + 1
            self._latency.setdefault(key, Histogram()).observe(seconds)

    def render(self) -> list[str]:
        with self._lock:
            requests = sorted(self._requests.items())
            latency = sorted(
                (key, Histogram(list(h.counts), h.total, h.sum)) for key, h in self._latency.items()
            )
        lines = [
            "# HELP mingzhang_http_requests_total HTTP requests answered, by route template and status class.",
            "# TYPE mingzhang_http_requests_total counter",
        ]
        for (method, route, status), count in requests:
            labels = label_set(method=method, route=route, status=status)
            lines.append(f"mingzhang_http_requests_total{labels} {count}")
        lines += [
            "# HELP mingzhang_http_request_duration_seconds Time from request to the last byte of the answer.",
            "# TYPE mingzhang_http_request_duration_seconds histogram",
        ]
        for (method, route), histogram in latency:
            cumulative = 0
            for bound, count in zip(BUCKETS, histogram.counts, strict=True):
                cumulative += count
                labels = label_set(method=method, route=route, le=f"{bound:g}")
                lines.append(f"mingzhang_http_request_duration_seconds_bucket{labels} {cumulative}")
            labels = label_set(method=method, route=route, le="+Inf")
            lines.append(
                f"mingzhang_http_request_duration_seconds_bucket{labels} {histogram.total}"
            )
            labels = label_set(method=method, route=route)
            lines.append(f"mingzhang_http_request_duration_seconds_sum{labels} {histogram.sum!r}")
            lines.append(f"mingzhang_http_request_duration_seconds_count{labels} {histogram.total}")
        return lines


def escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def label_set(**labels: str) -> str:
    return "{" + ",".join(f'{name}="{escape(value)}"' for name, value in labels.items()) + "}"


def gauge(name: str, help_text: str, samples: Iterable[tuple[dict[str, str], int]]) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    for labels, value in samples:
        lines.append(f"{name}{label_set(**labels) if labels else ''} {value}")
    return lines


def route_template(scope: Scope) -> str:
    """The template of the route that answered (set in the scope by Starlette's router), never the
    path the client sent."""
    route = scope.get("route")
    if isinstance(route, Mount):
        return f"{route.path}/{{path}}"
    template = getattr(route, "path_format", None)
    return template if isinstance(template, str) else UNMATCHED


class RecordRequests:
    """Pure ASGI middleware: times each HTTP request to its last byte and counts its status class."""

    def __init__(self, app: ASGIApp, registry: Registry) -> None:
        self.app, self.registry = app, registry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            self.registry.observe(
                method, route_template(scope), status, time.perf_counter() - started
            )


def install(app: FastAPI) -> Registry:
    """Record every request; added last, so it is outside the body limit and sees its 413s too."""
    registry = Registry()
    app.state.metrics = registry
    app.add_middleware(RecordRequests, registry=registry)
    return registry
