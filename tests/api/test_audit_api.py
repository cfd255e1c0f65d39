"""The auditor's reads over HTTP: the log's events in order, one aggregate's history, an aggregate as
it stood at a version or a moment, the disclosure as it stood at a past position or moment; and that
only an auditor key may read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.ledger import recorded_at
from tests.api.conftest import ON_BOTH, Api, new_id, refused
from tests.support import donate, open_fund, person

ROUTES = [
    "/audit/events",
    "/audit/aggregates/{id}/history",
    "/audit/aggregates/{id}?version=1",
    "/audit/disclosure?position=0",
]


def audit(api: Api, path: str, **params: Any) -> Any:
    answer = api.client.get(path, params=params, headers=api.headers["auditor"])
    assert answer.status_code == 200, answer.text
    return answer.json()


def refused_read(
    api: Api, path: str, status: int, code: str, field: str | None, **params: Any
) -> None:
    head = api.ledger.head()
    answer = api.client.get(path, params=params, headers=api.headers["auditor"])
    refused(api, answer, status, code, field, head)


def fund_with_donations(api: Api) -> str:
    body = {
        "fund_id": new_id(),
        "foundation_id": str(api.foundation),
        "kind": "general",
        "name": "社区发展基金",
        "opened_on": "2024-01-02",
    }
    assert api.post("/funds", body).status_code == 201
    for amount in ("100.00", "50.00"):
        donation = {
            "donation_id": new_id(),
            "amount": amount,
            "currency": "CNY",
            "received_on": "2024-03-01",
            "donor": {"kind": "anonymous"},
        }
        assert api.post(f"/funds/{body['fund_id']}/donations", donation).status_code == 201
    return str(body["fund_id"])


@ON_BOTH
def test_events_come_in_position_order_a_page_at_a_time_with_their_fields_and_actor(
    api: Api,
) -> None:
    fund_id = fund_with_donations(api)
    seen, after = [], 0
    while after is not None:
        page = audit(api, "/audit/events", after=after, limit=2)
        seen.extend(page["items"])
        after = page["next_after"]
    assert [e["position"] for e in seen] == list(range(1, api.ledger.head() + 1))
    assert all(e["leaf_index"] == e["position"] - 1 for e in seen)
    donation = seen[-1]
    assert (donation["originator_id"], donation["originator_version"]) == (fund_id, 3)
    assert donation["topic"] == "mingzhang/Fund.DonationReceived"
    assert donation["fields"]["amount_fen"] == 5000
    assert donation["fields"]["received_on"] == "2024-03-01"
    key_id = api.keys.authenticate(api.staff["Authorization"].removeprefix("Bearer "))
    assert key_id is not None
    assert donation["actor"] == key_id.key_id
    assert datetime.fromisoformat(donation["recorded_at"]).tzinfo is not None


def test_events_after_the_head_are_an_empty_last_page(api: Api) -> None:
    page = audit(api, "/audit/events", after=api.ledger.head() + 10)
    assert page == {"items": [], "next_after": None}


@pytest.mark.parametrize(("name", "value"), [("limit", "0"), ("limit", "1001"), ("after", "-1")])
def test_a_limit_or_after_out_of_range_is_a_422_naming_it(api: Api, name: str, value: str) -> None:
    refused_read(api, "/audit/events", 422, "invalid_input", name, **{name: value})


def test_an_events_person_commitment_is_left_out_but_its_reference_kept(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    subject = person(api.ledger, owner=api.foundation, name="测试审计人甲（虚构）")
    donate(api.ledger, fund, "10", donor_kind="person", donor_subject_id=subject)
    fields = audit(api, "/audit/events", after=api.ledger.head() - 1)["items"][0]["fields"]
    assert "donor_commitment" not in fields
    assert UUID(fields["donor_ref"]) != subject


def test_an_aggregates_history_lists_every_event_with_its_position(api: Api) -> None:
    fund_id = fund_with_donations(api)
    api.client.app.state.runner.wait_for("history", api.ledger.head())  # type: ignore[attr-defined]
    history = audit(api, f"/audit/aggregates/{fund_id}/history")
    assert [e["originator_version"] for e in history["items"]] == [1, 2, 3]
    assert [e["topic"].rsplit(".", 1)[1] for e in history["items"]] == [
        "Opened",
        "DonationReceived",
        "DonationReceived",
    ]
    assert history["items"][-1]["position"] == api.ledger.head()
    refused_read(
        api, f"/audit/aggregates/{uuid4()}/history", 404, "unknown_aggregate", "aggregate_id"
    )


def test_an_aggregate_as_it_stood_at_a_version(api: Api) -> None:
    fund_id = fund_with_donations(api)
    first = audit(api, f"/audit/aggregates/{fund_id}", version=2)
    assert (first["type"], first["version"], first["state"]["balance"]) == ("Fund", 2, "100.00")
    assert first["state"]["opening"]["name"] == "社区发展基金"
    assert audit(api, f"/audit/aggregates/{fund_id}", version=3)["state"]["balance"] == "150.00"
    refused_read(api, f"/audit/aggregates/{fund_id}", 404, "not_yet", "version", version=4)
    refused_read(api, f"/audit/aggregates/{uuid4()}", 404, "not_yet", "version", version=1)


def test_an_aggregate_as_it_stood_at_a_moment(api: Api) -> None:
    fund_id = fund_with_donations(api)
    events = api.ledger.history(UUID(fund_id))
    moment = recorded_at(events[1]).isoformat()
    assert audit(api, f"/audit/aggregates/{fund_id}", as_of=moment)["state"]["balance"] == "100.00"
    before = (recorded_at(events[0]) - timedelta(seconds=1)).isoformat()
    refused_read(api, f"/audit/aggregates/{fund_id}", 404, "not_yet", "as_of", as_of=before)
    in_shanghai = recorded_at(events[2]).astimezone(UTC).replace(tzinfo=None) + timedelta(hours=8)
    assert (
        audit(api, f"/audit/aggregates/{fund_id}", as_of=f"{in_shanghai.isoformat()}+08:00")[
            "version"
        ]
        == 3
    )


def test_an_aggregate_read_needs_exactly_one_of_version_and_as_of_with_an_offset(
    api: Api,
) -> None:
    fund_id = fund_with_donations(api)
    path = f"/audit/aggregates/{fund_id}"
    refused_read(api, path, 422, "invalid_input", "version")
    refused_read(
        api, path, 422, "invalid_input", "version", version=1, as_of="2024-01-01T00:00:00Z"
    )
    refused_read(api, path, 422, "invalid_input", "as_of", as_of="2024-01-01T00:00:00")
    refused_read(api, path, 422, "invalid_input", "as_of", as_of="yesterday")
    refused_read(api, path, 422, "invalid_input", "version", version=0)
    refused_read(api, "/audit/aggregates/not-a-uuid", 422, "invalid_id", "aggregate_id", version=1)


def test_the_disclosure_as_it_stood_at_a_position_or_a_moment(api: Api) -> None:
    fund_id = fund_with_donations(api)
    then = audit(api, "/audit/disclosure", position=api.ledger.head() - 1)
    assert then["position"] == api.ledger.head() - 1
    assert [(f["fund_id"], f["balance"]) for f in then["funds"]] == [(fund_id, "100.00")]
    assert then["foundations"][0]["figures"]["received"] == "100.00"
    now = audit(api, "/audit/disclosure", as_of=datetime.now(UTC).isoformat())
    assert (now["position"], now["funds"][0]["balance"]) == (api.ledger.head(), "150.00")
    assert audit(api, "/audit/disclosure", position=0) == {
        "position": 0,
        "foundations": [],
        "funds": [],
    }


def test_a_disclosure_position_beyond_the_head_or_no_point_in_time_is_a_422(api: Api) -> None:
    fund_with_donations(api)
    refused_read(
        api, "/audit/disclosure", 422, "invalid_input", "position", position=api.ledger.head() + 1
    )
    refused_read(api, "/audit/disclosure", 422, "invalid_input", "position")
    refused_read(
        api, "/audit/disclosure", 422, "invalid_input", "as_of", as_of="2024-06-30T00:00:00"
    )


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("role", ["admin", "staff", "privacy_officer"])
def test_each_other_role_is_refused_with_a_403(api: Api, path: str, role: str) -> None:
    answer = api.client.get(path.format(id=uuid4()), headers=api.headers[role])
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"] == "forbidden"
    assert role in answer.json()["error"]["message"]


@pytest.mark.parametrize("path", ROUTES)
def test_no_key_is_a_401(api: Api, path: str) -> None:
    answer = api.client.get(path.format(id=uuid4()))
    assert answer.status_code == 401
    assert answer.json()["error"]["field"] == "Authorization"


def key_id(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ").split("_")[1]


def test_events_filter_by_the_key_that_caused_them_a_page_at_a_time(api: Api) -> None:
    other = api.bearer("staff", api.foundation)
    mine = fund_with_donations(api)  # three events by the fixture's staff key
    operator = open_fund(api.ledger, api.foundation)  # one event by no key at all
    body: dict[str, Any] = {"donation_id": new_id(), "amount": "5.00", "currency": "CNY"}
    body |= {"received_on": "2024-03-02", "donor": {"kind": "anonymous"}}
    answer = api.client.post(f"/funds/{mine}/donations", json=body, headers=other)
    assert answer.status_code == 201
    staff = key_id(api.staff)
    seen, after = [], 0
    while after is not None:
        page = audit(api, "/audit/events", after=after, limit=2, actor=staff)
        assert len(page["items"]) <= 2
        seen.extend(page["items"])
        after = page["next_after"]
    assert [e["actor"] for e in seen] == [staff] * 3
    assert [e["originator_id"] for e in seen] == [mine] * 3
    theirs = audit(api, "/audit/events", actor=key_id(other))["items"]
    assert [(e["actor"], e["fields"]["donation_id"]) for e in theirs] == [
        (key_id(other), body["donation_id"])
    ]
    assert str(operator) not in {e["originator_id"] for e in seen + theirs}
    assert audit(api, "/audit/events", actor="0" * 32) == {"items": [], "next_after": None}


@pytest.mark.parametrize("actor", ["me", "0" * 31, "G" * 32, "mzk_" + "0" * 32])
def test_an_actor_that_is_not_a_key_id_is_a_422_naming_actor(api: Api, actor: str) -> None:
    refused_read(api, "/audit/events", 422, "invalid_input", "actor", actor=actor)


def test_a_filtered_page_reads_a_bounded_stretch_of_the_log_and_says_where_to_go_on(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ten thousand events per request in production; three here, so the bound shows.
    monkeypatch.setattr("api.routes.audit.MAX_SCANNED", 3)
    fund = open_fund(api.ledger, api.foundation)
    for _ in range(4):
        donate(api.ledger, fund, "1")  # events 2 to 6, none by a key
    fund_with_donations(api)  # events 7 to 9, by the staff key
    first = audit(api, "/audit/events", actor=key_id(api.staff))
    assert first == {"items": [], "next_after": 3}
    pages, after = [first], first["next_after"]
    while after is not None:
        pages.append(audit(api, "/audit/events", actor=key_id(api.staff), after=after))
        after = pages[-1]["next_after"]
    assert [e["position"] for page in pages for e in page["items"]] == [7, 8, 9]
