"""What every public page does, over HTTP: security headers on every answer, an ETag that changes
when the ledger does (and a 304 while it has not), the language chosen by `?lang=` and remembered in
an HttpOnly cookie, errors answered as pages (naming the parameter as written), downloads with a BOM,
and an empty ledger that says how to load the demo, in both languages."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from storage.database import Database
from tests.api.conftest import Api, settings_for
from tests.support import donate, open_fund, register

HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def caught_up(api: Api) -> None:
    runner = api.client.app.state.runner  # type: ignore[attr-defined]
    for view in ("disclosure", "indicators", "transparency"):
        assert runner.wait_for(view, api.ledger.head(), timeout=10)


def test_every_answer_carries_the_security_headers(api: Api) -> None:
    for path in ("/", "/health", "/disclosure/foundations", "/nope", "/?bogus=1"):
        answer = api.client.get(path)
        for name, value in HEADERS.items():
            assert answer.headers[name] == value, (path, name)
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, path
        assert "script-src 'self'" in policy, path
        assert "unsafe-inline" not in policy, path


def test_a_page_answers_304_until_the_ledger_moves_on(api: Api) -> None:
    caught_up(api)
    first = api.client.get("/")
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=30"
    again = api.client.get("/", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    donate(api.ledger, open_fund(api.ledger, api.foundation), "10.00")
    caught_up(api)
    moved = api.client.get("/", headers={"If-None-Match": tag})
    assert moved.status_code == 200
    assert moved.headers["etag"] != tag


def test_the_language_is_chinese_first_and_english_is_remembered_in_an_httponly_cookie(
    api: Api,
) -> None:
    caught_up(api)
    assert '<html lang="zh-Hans">' in api.client.get("/").text
    english = api.client.get("/?lang=en")
    assert '<html lang="en">' in english.text
    cookie = english.headers["set-cookie"]
    assert cookie.startswith("lang=en;")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert '<html lang="en">' in api.client.get("/").text
    assert api.client.get("/").headers["etag"] != api.client.get("/?lang=zh").headers["etag"]


def test_a_query_parameter_the_page_does_not_take_is_a_422_page_naming_it(api: Api) -> None:
    answer = api.client.get("/?lang=en&colour=red")
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "colour: not a query parameter of this route" in answer.text
    assert "The request is not valid" in answer.text


def test_a_language_that_is_not_offered_is_refused_naming_lang(api: Api) -> None:
    answer = api.client.get("/?lang=fr")
    assert answer.status_code == 422
    assert "lang" in answer.text


def test_a_mistyped_address_in_a_browser_is_a_404_page_and_json_clients_still_get_json(
    api: Api,
) -> None:
    page = api.client.get("/no/such/page", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "找不到这个页面或记录" in page.text
    plain = api.client.get("/no/such/page")
    assert plain.json() == {"error": {"code": "not_found", "message": "Not Found"}}


def test_an_error_page_counts_today_by_the_ledgers_clock_as_every_other_page_does(
    api: Api,
) -> None:
    api.ledger.clock = lambda: date(2031, 5, 31)

    page = api.client.get("/no/such/page", headers={"Accept": "text/html"})

    assert page.status_code == 404
    assert 'max="2031-05-31"' in page.text


def test_a_list_downloads_as_csv_with_a_bom_and_as_json_naming_the_checkpoint(api: Api) -> None:
    second = register(api.ledger, name="张江社区基金会", district="pudong")
    open_fund(api.ledger, second)
    caught_up(api)
    answer = api.client.get("/?download=foundations.csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert {row["name"] for row in rows} == {"陆家嘴社区基金会", "张江社区基金会"}
    checkpoint = api.client.get("/transparency/checkpoint").text.splitlines()
    assert {row["checkpoint_size"] for row in rows} == {checkpoint[1]}
    assert {row["checkpoint_root"] for row in rows} == {checkpoint[2]}
    assert 'filename="foundations-at-' in answer.headers["content-disposition"]
    body = json.loads(api.client.get("/?download=foundations.json").content)
    assert body["checkpoint"] == {"size": int(checkpoint[1]), "root": checkpoint[2]}
    assert sorted(r["name"] for r in body["rows"]) == sorted(r["name"] for r in rows)


def test_an_empty_ledger_says_so_and_how_to_load_the_demo_in_both_languages(
    backend_database: Database, tmp_path: Path
) -> None:
    with TestClient(create_app(settings_for(backend_database, tmp_path))) as client:
        chinese = client.get("/")
        assert "账本还是空的" in chinese.text
        assert "make demo" in chinese.text
        english = client.get("/?lang=en")
        assert "The ledger is empty" in english.text
        assert "make demo" in english.text


def test_a_day_after_today_is_refused_naming_as_of(api: Api) -> None:
    answer = api.client.get("/?as_of=2999-01-01")
    assert answer.status_code == 422
    assert "as_of" in answer.text


def test_a_day_before_anything_was_recorded_shows_the_empty_ledger_with_the_banner(
    api: Api,
) -> None:
    caught_up(api)
    answer = api.client.get("/?as_of=2001-01-01")
    assert answer.status_code == 200
    assert "账本还是空的" in answer.text
    assert "2001年1月1日" in answer.text
    assert "那时尚无签名检查点" in answer.text
    assert answer.headers["etag"] != api.client.get("/").headers["etag"]


def test_as_of_today_is_the_ledger_now(api: Api) -> None:
    caught_up(api)
    today = api.ledger.today().isoformat()
    assert "陆家嘴社区基金会" in api.client.get(f"/?as_of={today}").text
