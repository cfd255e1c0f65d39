"""`/relief-statistics` over HTTP: the admin publishes an ended year once; anyone reads it, with the
small cells null; nothing of a single case's reason is answered."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.ledger import Ledger
from tests.api.conftest import ON_BOTH, Api, refused
from tests.support import donate, open_fund, person, relief_case


def fives_and_one(ledger: Ledger, foundation: UUID) -> None:
    fund_id = open_fund(ledger, foundation, kind="emergency_relief", name="救急难专项基金")
    donate(ledger, fund_id, "100000")
    for reason in ["GTIR050"] * 5 + ["GTIR100"] * 5 + ["GTIR060"]:
        relief_case(ledger, fund_id, person(ledger), reason_code=reason, opened_on=date(2024, 4, 1))


@ON_BOTH
def test_the_admin_publishes_an_ended_year_and_anyone_reads_it_with_small_cells_null(
    api: Api,
) -> None:
    fives_and_one(api.ledger, api.foundation)
    answer = api.post("/relief-statistics", {"year": 2024}, role="admin")
    assert answer.status_code == 201, answer.text
    assert api.post("/relief-statistics", {"year": 2024}, role="admin").status_code == 200
    public = api.client.get("/relief-statistics/2024")
    assert public.status_code == 200, public.text
    body = public.json()
    cells = {c["reason_code"]: c["cases"] for c in body["cells"] if c["category"] == "emergency"}
    assert cells["GTIR060"] is None  # one case of violence or abuse: never shown
    assert cells["GTIR050"] is None  # and so not one of the fives: the total would tell the one
    assert cells["GTIR100"] == 5
    assert {"district": "pudong", "category": "emergency", "cases": 11} in body["totals"]
    assert body["min_cases"] == 5
    assert {k: v for k, v in answer.json().items() if k != "position"} == body


def test_only_the_admin_publishes_and_a_year_not_ended_or_not_published_is_refused(
    api: Api,
) -> None:
    head = api.ledger.head()
    assert api.post("/relief-statistics", {"year": 2024}, role="staff").status_code == 403
    this_year = api.ledger.today().year
    answer = api.post("/relief-statistics", {"year": this_year}, role="admin")
    refused(api, answer, 422, "invalid_date", "year", head)
    missing = api.client.get("/relief-statistics/2023")
    refused(api, missing, 404, "not_found", "year", head)
