"""`/metrics` over HTTP: Prometheus text that parses, counts that move by exactly the requests made, labels
that hold route templates and never an id or a person, and the log head and each view's lag."""

from __future__ import annotations

import re
from uuid import uuid4

from tests.api.conftest import Api, new_id

SAMPLE = re.compile(
    r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)"
    r'(?:\{(?P<labels>[a-zA-Z_]\w*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_]\w*="(?:[^"\\]|\\.)*")*)\})?'
    r" (?P<value>-?[0-9.e+-]+|\+Inf|NaN)$"
)
LABEL = re.compile(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"')
UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)
ORGANIZATION = "/organizations/{organization_id}"

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(api: Api) -> Samples:
    """Every sample of one scrape; fails on any line that is neither a comment nor a sample."""
    answer = api.client.get("/metrics")
    assert answer.status_code == 200
    samples: Samples = {}
    for line in answer.text.splitlines():
        if line.startswith("#"):
            assert re.match(r"^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* \S", line), line
            continue
        match = SAMPLE.match(line)
        assert match, f"not a sample: {line!r}"
        labels = frozenset(LABEL.findall(match["labels"] or ""))
        samples[(match["name"], labels)] = float(match["value"])
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_is_public_prometheus_text(api: Api) -> None:
    answer = api.client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert answer.text.endswith("\n")
    assert "# TYPE mingzhang_http_requests_total counter" in answer.text
    assert "# TYPE mingzhang_http_request_duration_seconds histogram" in answer.text


def test_requests_are_counted_by_route_template_and_status_class(api: Api) -> None:
    before = scrape(api)
    for _ in range(3):
        assert api.client.get(f"/organizations/{api.foundation}").status_code == 200
    for _ in range(2):
        assert api.client.get(f"/organizations/{uuid4()}").status_code == 404
    after = scrape(api)
    name = "mingzhang_http_requests_total"
    for status, made in (("2xx", 3), ("4xx", 2)):
        labels = {"method": "GET", "route": ORGANIZATION, "status": status}
        assert value(after, name, **labels) - value(before, name, **labels) == made
    count = "mingzhang_http_request_duration_seconds_count"
    assert (
        value(after, count, method="GET", route=ORGANIZATION)
        - value(before, count, method="GET", route=ORGANIZATION)
        == 5
    )


def test_a_command_is_counted_under_its_post_template(api: Api) -> None:
    body = {
        "fund_id": new_id(),
        "foundation_id": str(api.foundation),
        "kind": "general",
        "name": "社区发展基金",
        "opened_on": "2024-01-02",
    }
    assert api.post("/funds", body).status_code == 201
    refused = api.post("/funds", {**body, "fund_id": new_id(), "colour": "red"})
    assert refused.status_code == 422
    samples = scrape(api)
    for status in ("2xx", "4xx"):
        labels = {"method": "POST", "route": "/funds", "status": status}
        assert value(samples, "mingzhang_http_requests_total", **labels) == 1


def test_the_latency_histogram_is_cumulative_and_ends_at_its_count(api: Api) -> None:
    for _ in range(4):
        api.client.get("/health")
    samples = scrape(api)
    buckets = sorted(
        (float(dict(labels)["le"]), count)
        for (name, labels), count in samples.items()
        if name == "mingzhang_http_request_duration_seconds_bucket"
        and dict(labels)["route"] == "/health"
    )
    counts = [count for _, count in buckets]
    assert counts == sorted(counts)
    assert buckets[-1] == (float("inf"), 4)
    assert (
        value(
            samples, "mingzhang_http_request_duration_seconds_count", method="GET", route="/health"
        )
        == 4
    )
    assert (
        value(samples, "mingzhang_http_request_duration_seconds_sum", method="GET", route="/health")
        > 0
    )


def test_no_label_holds_an_id_a_raw_path_or_a_name(api: Api) -> None:
    person = {"kind": "person", "person": {"name": "测试人员甲（虚构）", "phone": "13800000000"}}
    fund = {
        "fund_id": new_id(),
        "foundation_id": str(api.foundation),
        "kind": "general",
        "name": "社区发展基金",
        "opened_on": "2024-01-02",
    }
    api.post("/funds", fund)
    donation = {
        "donation_id": new_id(),
        "amount": "10.00",
        "currency": "CNY",
        "received_on": "2024-03-01",
        "donor": person,
    }
    assert api.post(f"/funds/{fund['fund_id']}/donations", donation).status_code == 201
    api.client.get(f"/funds/{uuid4()}")
    api.client.get(f"/nowhere/{uuid4()}/测试人员甲")
    api.client.get("/organizations/not-a-uuid")
    text = api.client.get("/metrics").text
    assert not UUID.search(text)
    for secret in ("测试人员甲", "13800000000", "not-a-uuid", "/nowhere"):
        assert secret not in text
    routes = {dict(labels)["route"] for (_, labels) in scrape(api) if dict(labels).get("route")}
    assert "/funds/{fund_id}/donations" in routes
    assert "unmatched" in routes
    assert all(route == "unmatched" or route.startswith("/") for route in routes)


def test_an_unknown_method_is_counted_as_other(api: Api) -> None:
    api.client.request("BREW", "/health")
    samples = scrape(api)
    methods = {dict(labels).get("method") for (_, labels) in samples}
    assert "OTHER" in methods
    assert "BREW" not in methods


def test_the_log_head_and_each_views_position_and_lag_are_there(api: Api) -> None:
    samples = scrape(api)
    head = value(samples, "mingzhang_log_head")
    assert head == api.ledger.head() > 0
    views = {dict(labels)["view"] for (name, labels) in samples if name == "mingzhang_view_lag"}
    # TestClient types .app as a bare ASGI callable; ours is the FastAPI app, which has .state.
    assert views == set(api.client.app.state.runner.views)  # type: ignore[attr-defined]
    for view in views:
        position = value(samples, "mingzhang_view_position", view=view)
        assert value(samples, "mingzhang_view_lag", view=view) == head - position
        assert value(samples, "mingzhang_view_stopped", view=view) == 0
