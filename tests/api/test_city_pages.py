"""The city's pages over HTTP (TestClient): a fund's statement closes on the fund's balance and
chains into the next period, and the city's, a district's and a statement's bad requests are pages
that name the parameter as written."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from uuid import UUID, uuid4

from api.pages.formatting import money
from domain.money import Money
from projections.disclosure import reader
from storage.viewdb import ViewDB
from tests.api.conftest import Api
from tests.support import donate, open_fund, pay

HTML = {"accept": "text/html"}


def caught_up(api: Api) -> ViewDB:
    runner = api.client.app.state.runner  # type: ignore[attr-defined]
    for view in ("disclosure", "indicators", "transparency"):
        assert runner.wait_for(view, api.ledger.head())
    views: ViewDB = api.client.app.state.views  # type: ignore[attr-defined]
    return views


def shown(html: str, figure: str) -> str:
    found = re.search(rf'id="{figure}">([^<]*)<', html)
    assert found, f"no {figure} on the page"
    return found.group(1)


def a_fund_with_a_history(api: Api) -> UUID:
    fund = open_fund(api.ledger, api.foundation, opened_on=date(2024, 1, 1))
    donate(api.ledger, fund, "1000.00", received_on=date(2024, 1, 10))
    reversed_one = donate(api.ledger, fund, "250.50", received_on=date(2024, 2, 3))
    pay(api.ledger, fund, "300.00", paid_on=date(2024, 3, 15))
    api.ledger.reverse_donation(
        fund,
        reversal_id=uuid4(),
        donation_id=reversed_one,
        reason="捐赠人误转，原路退回",
        reversed_on=date(2024, 4, 1),
    )
    donate(api.ledger, fund, "88.00", received_on=date(2024, 6, 30))
    return fund


def test_a_statement_to_today_closes_on_the_funds_balance_and_the_next_period_opens_on_it(
    api: Api,
) -> None:
    fund = a_fund_with_a_history(api)
    views = caught_up(api)
    balance = reader.fund(views, fund)
    assert balance is not None
    assert balance.figures.balance_fen == Money.yuan("788.00").fen

    whole = api.client.get(f"/funds/{fund}/statement", headers=HTML)
    first = api.client.get(f"/funds/{fund}/statement?from=2024-01-01&to=2024-03-31")
    second = api.client.get(f"/funds/{fund}/statement?from=2024-04-01")

    assert whole.status_code == first.status_code == second.status_code == 200
    assert shown(whole.text, "opening") == money(0)
    assert shown(whole.text, "closing") == money(balance.figures.balance_fen)
    assert shown(first.text, "closing") == money(Money.yuan("950.50").fen)
    assert shown(second.text, "opening") == shown(first.text, "closing")
    assert shown(second.text, "closing") == money(balance.figures.balance_fen)
    assert shown(second.text, "count") == "2"


def test_a_statements_download_holds_every_movement_of_its_period_signed(api: Api) -> None:
    fund = a_fund_with_a_history(api)
    caught_up(api)

    answer = api.client.get(f"/funds/{fund}/statement?to=2024-04-01&download=movements.csv")

    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [(r["on_date"], r["kind"], r["amount"]) for r in rows] == [
        ("2024-01-10", "donation", "1000.00"),
        ("2024-02-03", "donation", "250.50"),
        ("2024-03-15", "payment", "-300.00"),
        ("2024-04-01", "donation_reversed", "-250.50"),
    ]
    assert all(r["leaf_index"].isdigit() for r in rows)


def test_a_period_that_ends_before_it_starts_is_a_422_page_naming_to(api: Api) -> None:
    fund = a_fund_with_a_history(api)
    caught_up(api)

    answer = api.client.get(f"/funds/{fund}/statement?from=2024-05-01&to=2024-04-30")

    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "invalid_date" in answer.text
    assert "to: a period ends on or after its start" in answer.text


def test_a_start_after_today_with_no_end_names_from(api: Api) -> None:
    fund = a_fund_with_a_history(api)
    caught_up(api)

    answer = api.client.get(f"/funds/{fund}/statement?from=2999-01-01")

    assert answer.status_code == 422
    assert "from: a period starts on or before its end" in answer.text


def test_a_date_that_is_not_one_is_a_422_page_naming_the_parameter(api: Api) -> None:
    fund = a_fund_with_a_history(api)

    for name in ("from", "to"):
        answer = api.client.get(f"/funds/{fund}/statement?{name}=2024-02-30")
        assert answer.status_code == 422
        assert "invalid_date" in answer.text
        assert f"{name}: " in answer.text


def test_an_unknown_fund_has_no_statement_404(api: Api) -> None:
    caught_up(api)

    answer = api.client.get(f"/funds/{uuid4()}/statement")

    assert answer.status_code == 404
    assert "unknown_fund" in answer.text


def test_an_unknown_district_is_a_422_page_naming_district(api: Api) -> None:
    answer = api.client.get("/districts/atlantis")

    assert answer.status_code == 422
    assert "unknown_district" in answer.text
    assert "district must be one of Shanghai" in answer.text


def test_a_search_longer_than_any_name_is_a_422_naming_q(api: Api) -> None:
    answer = api.client.get("/?q=" + "基" * 101)

    assert answer.status_code == 422
    assert "q: " in answer.text


def test_the_city_search_keeps_foundations_whose_name_holds_the_text(api: Api) -> None:
    open_fund(api.ledger, api.foundation)
    caught_up(api)

    found = api.client.get("/?q=陆家嘴&download=foundations.csv")
    missed = api.client.get("/?q=外滩&download=foundations.csv")

    names = [r["name"] for r in csv.DictReader(io.StringIO(found.content.decode("utf-8-sig")))]
    assert names == ["陆家嘴社区基金会"]
    assert list(csv.DictReader(io.StringIO(missed.content.decode("utf-8-sig")))) == []


def test_the_city_search_for_all_districts_sends_an_empty_district_and_finds_the_foundation(
    api: Api,
) -> None:
    open_fund(api.ledger, api.foundation)
    caught_up(api)

    answer = api.client.get("/?q=陆家嘴&district=", headers=HTML)

    assert answer.status_code == 200
    assert "陆家嘴社区基金会" in answer.text


def test_the_city_search_in_an_unknown_district_is_a_422_naming_district(api: Api) -> None:
    answer = api.client.get("/?q=陆家嘴&district=atlantis", headers=HTML)

    assert answer.status_code == 422
    assert "unknown_district" in answer.text


def test_a_district_page_answers_304_to_its_own_etag(api: Api) -> None:
    caught_up(api)

    first = api.client.get("/districts/pudong")
    again = api.client.get("/districts/pudong", headers={"If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""
