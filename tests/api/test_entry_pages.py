"""The entry, verify and record-history pages over HTTP (TestClient): what they print is what the
transparency endpoints and the disclosure reader answer, an unknown index or id is a 404 page naming
it, a bad one a 422 page, and a page's ETag answers a 304."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from uuid import UUID, uuid4

from api.pages import formatting
from tests.api.conftest import Api
from tests.api.test_grants_api import awarded, instalment

PAGE = {"Accept": "text/html"}


def settled(api: Api) -> None:
    runner = api.client.app.state.runner  # type: ignore[attr-defined]
    for view in ("disclosure", "indicators", "history", "transparency"):
        assert runner.wait_for(view, api.ledger.head()), f"the {view} view did not catch up"


def paid_grant(api: Api) -> tuple[str, str]:
    """A grant with one instalment paid: (grant id, payment id)."""
    grant_id, _ = awarded(api)
    body = instalment(amount="1500.00")
    answer = api.post(f"/grants/{grant_id}/payments", body)
    assert answer.status_code == 201, answer.text
    settled(api)
    return grant_id, str(body["payment_id"])


def leaf_of_topic(api: Api, topic: str) -> int:
    for notification in api.ledger.recorder.select_notifications(1, api.ledger.head()):
        if notification.topic == topic:
            return int(notification.id) - 1
    raise AssertionError(f"no {topic} in the log")


def page(api: Api, path: str, status: int = 200, **headers: str) -> Any:
    answer = api.client.get(path, headers={**PAGE, **headers})
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    return answer


def test_an_entry_page_says_what_the_event_says_and_prints_its_proof_against_the_checkpoint(
    api: Api,
) -> None:
    paid_grant(api)
    index = leaf_of_topic(api, "mingzhang/Grant.InstalmentPaid")
    size = api.ledger.head()
    proof = api.client.get(f"/transparency/proofs/inclusion?index={index}&size={size}").json()
    html = page(api, f"/entries/{index}").text
    assert formatting.money(150000) in html
    assert "mingzhang/Grant.InstalmentPaid" in html
    assert f'<code id="leaf-hash">{proof["leaf_hash"]}</code>' in html
    assert re.findall(r"<li><code>([0-9a-f]{64})</code></li>", html) == proof["proof"]
    note = api.client.get("/transparency/checkpoint").text
    assert note.splitlines()[1] == str(size)
    assert note.split("\n")[0] in html
    assert note.split("\n")[2] in html


def test_an_index_beyond_the_log_is_a_404_page_naming_the_index(api: Api) -> None:
    settled(api)
    answer = page(api, f"/entries/{api.ledger.head()}", 404)
    assert "unknown_entry" in answer.text
    assert "index" in answer.text


def test_an_index_that_is_not_a_number_or_negative_is_a_422_page(api: Api) -> None:
    assert "index" in page(api, "/entries/-1", 422).text
    assert "index" in page(api, "/entries/first", 422).text


def test_an_unknown_grant_pairing_or_relief_case_is_a_404_page(api: Api) -> None:
    settled(api)
    for path, code in (
        ("/grants", "unknown_grant"),
        ("/pairings", "unknown_pairing"),
        ("/relief-cases", "unknown_relief_case"),
    ):
        assert code in page(api, f"{path}/{uuid4()}", 404).text
        assert "invalid" in page(api, f"{path}/not-an-id", 422).text


def test_a_record_of_another_kind_is_not_a_grant(api: Api) -> None:
    grant_id, _ = paid_grant(api)
    assert "unknown_pairing" in page(api, f"/pairings/{grant_id}", 404).text
    assert "unknown_relief_case" in page(api, f"/relief-cases/{grant_id}", 404).text


def test_an_entry_page_answers_its_etag_with_a_304(api: Api) -> None:
    settled(api)
    first = page(api, "/entries/0")
    tag = first.headers["ETag"]
    again = api.client.get("/entries/0", headers={**PAGE, "If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""


def test_a_grant_page_lists_its_own_steps_oldest_first_each_linked_to_its_entry(api: Api) -> None:
    grant_id, _ = paid_grant(api)
    grant = UUID(grant_id)
    html = page(api, f"/grants/{grant_id}").text
    own = [
        int(n.id) - 1
        for n in api.ledger.recorder.select_notifications(1, api.ledger.head())
        if n.originator_id == grant
    ]
    assert len(own) == 2
    linked = [
        int(i) for i in re.findall(r'href="/entries/(\d+)" aria-label="[^"]*">#\d+</a></td>', html)
    ]
    assert linked == own, "one row per event of the grant, oldest first"
    assert formatting.money(400000) in html
    assert formatting.money(150000) in html


def test_a_grant_history_downloads_as_the_rows_on_screen(api: Api) -> None:
    grant_id, _ = paid_grant(api)
    answer = api.client.get(f"/grants/{grant_id}?download=history.csv&lang=en", headers=PAGE)
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [r["topic"] for r in rows] == [
        "mingzhang/Grant.Awarded",
        "mingzhang/Grant.InstalmentPaid",
    ]
    assert rows[1]["step"] == "An instalment of ¥1,500.00 was paid (1 Apr 2024)."
    assert [int(r["leaf_index"]) + 1 for r in rows] == [int(r["position"]) for r in rows]
    assert rows[0]["checkpoint_size"] == str(api.ledger.head())


def test_the_json_api_on_the_same_paths_still_answers_whoever_does_not_ask_for_html(
    api: Api,
) -> None:
    grant_id, _ = paid_grant(api)
    assert api.client.get(f"/grants/{grant_id}").status_code == 401
    answer = api.client.get(f"/grants/{grant_id}", headers=api.headers["auditor"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["grant_id"] == grant_id
    assert page(api, f"/grants/{grant_id}").text.startswith("<!doctype html>")


def test_a_bad_download_name_is_a_422_page(api: Api) -> None:
    grant_id, _ = paid_grant(api)
    assert "download" in page(api, f"/grants/{grant_id}?download=history.xlsx", 422).text


def test_the_verify_page_fills_in_the_command_with_this_sites_url_and_key(api: Api) -> None:
    settled(api)
    key = api.client.get("/transparency/public-key").text.strip()
    html = page(api, "/verify").text
    assert f"mingzhang verify --url http://testserver --key &#39;{key}&#39; --views" in html
    assert api.client.get("/transparency/checkpoint").text.split("\n")[2] in html
