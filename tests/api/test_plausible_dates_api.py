"""Plausible dates over HTTP, with the served process's day fixed by `MINGZHANG_TODAY` (the `today`
setting): a date after it, before the floor, or before its fund was opened is a 422 `invalid_date`
naming the body's field, and nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from storage.database import Database
from tests.api.conftest import ON_BOTH, Api, refused, settings_for
from tests.api.test_funds_api import donation, open_fund
from tests.api.test_organizations_api import registration
from tests.support import register

TODAY = date(2024, 6, 30)  # earlier than the real day, so only the setting can make these refusals


@pytest.fixture
def api(backend_database: Database, tmp_path: Path) -> Iterator[Api]:
    app = create_app(settings_for(backend_database, tmp_path, today=TODAY))
    with TestClient(app) as client:
        foundation = register(app.state.ledger, name="陆家嘴社区基金会")
        found = Api(client, app.state.ledger, app.state.keys, foundation)
        found.headers = {
            "admin": found.bearer("admin"),
            "staff": found.bearer("staff", foundation),
        }
        yield found


@ON_BOTH
@pytest.mark.parametrize(
    ("received_on", "rule"),
    [
        ("2024-07-01", "received_on must not be after today (2024-06-30, Asia/Shanghai)"),
        ("9999-12-31", "received_on must not be after today (2024-06-30, Asia/Shanghai)"),
        ("0001-01-01", "received_on must not be before 2000-01-01"),
        ("2024-01-01", "received_on must not be before the fund was opened on 2024-01-02"),
    ],
)
def test_an_implausible_donation_date_is_a_422_naming_received_on_and_writes_nothing(
    api: Api, received_on: str, rule: str
) -> None:
    fund_id = open_fund(api)
    head = api.ledger.head()
    answer = api.post(f"/funds/{fund_id}/donations", donation(received_on=received_on))
    refused(api, answer, 422, "invalid_date", "received_on", head)
    assert rule in answer.json()["error"]["message"]


@ON_BOTH
def test_a_donation_dated_today_in_shanghai_is_accepted(api: Api) -> None:
    fund_id = open_fund(api)
    answer = api.post(f"/funds/{fund_id}/donations", donation(received_on="2024-06-30"))
    assert answer.status_code == 201, answer.text


@ON_BOTH
def test_an_organisation_registered_in_the_future_is_a_422_naming_registered_on(api: Api) -> None:
    head = api.ledger.head()
    answer = api.post("/organizations", registration(registered_on="9999-12-31"), role="admin")
    refused(api, answer, 422, "invalid_date", "registered_on", head)
