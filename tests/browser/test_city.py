"""The city's page, a district's page and a fund's statement in a phone's browser, over the demo
ledger: every figure on screen is the read model's (read here from the same views and formatted
as the pages format), each list's download reads back as Excel reads it, English renders, and axe
finds nothing at WCAG 2.1 A/AA."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from api.pages.formatting import count, money
from api.pages.i18n import label
from cli.compose import open_ledger, open_views
from domain.districts import DISTRICTS
from projections.disclosure import reader
from projections.disclosure.rows import FundRow
from projections.pagination import PageRequest, every_row
from storage.viewdb import ViewDB
from tests.browser.conftest import Site, accessibility_violations


@pytest.fixture(scope="module")
def db(site: Site) -> Iterator[ViewDB]:
    """The site's views, once they have caught up with the whole demo log (the server projects it
    in the background after it starts), so the pages and these reads see the same figures."""
    ledger = open_ledger(site.settings)
    head = ledger.head()
    ledger.close()
    for _ in range(24):
        try:
            with urlopen(f"{site.url}/disclosure/foundations?limit=1&after={head}"):
                break
        except HTTPError as lagging:
            if lagging.code != 503:
                raise
    else:
        pytest.fail(f"the views never reached position {head}")
    views = open_views(site.settings)
    yield views
    views.close()


def downloaded(site: Site, path: str) -> list[dict[str, str]]:
    with urlopen(site.url + path) as answer:
        text = answer.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def busiest_fund(db: ViewDB) -> FundRow:
    funds = list(every_row(lambda page: reader.funds(db, page=page)))
    counts = {
        f.fund_id: reader.fund_statement(db, f.fund_id, f.opened_on, f.opened_on.replace(year=2100))
        for f in funds
    }
    return max(funds, key=lambda f: counts[f.fund_id].movement_count)  # type: ignore[union-attr]


def test_the_city_page_shows_the_read_models_totals_for_this_year_and_all_time(
    phone: Any, site: Site, db: ViewDB
) -> None:
    phone.goto(site.url + "/")
    rows = phone.locator("table.totals tbody tr")
    year = phone.locator("table.totals thead th").nth(1).inner_text()
    today_year = int(year.removesuffix("年"))
    this_year = reader.totals(db, None, today_year)
    all_time = reader.totals(db)

    assert rows.nth(0).locator("td").all_inner_texts() == [
        money(this_year.received_fen),
        money(all_time.received_fen),
    ]
    assert rows.nth(2).locator("td").all_inner_texts() == [
        money(this_year.granted_fen),
        money(all_time.granted_fen),
    ]
    assert rows.nth(3).locator("td").all_inner_texts() == [
        money(this_year.relief_disbursed_fen),
        money(all_time.relief_disbursed_fen),
    ]
    assert all_time.received_fen > 0


def test_the_indicator_grid_draws_sixteen_districts_with_the_same_figures_in_its_table(
    phone: Any, site: Site
) -> None:
    phone.goto(site.url + "/")
    grid = phone.locator("svg.grid")
    assert grid.get_attribute("role") == "img"
    assert grid.locator("title").count() == 1
    assert grid.locator("text.grid-label").all_text_contents() == [
        label("zh", "district", code) for code in DISTRICTS
    ]

    table = downloaded(site, "/?download=indicators.csv")
    assert [r["district"] for r in table] == list(DISTRICTS)
    values = grid.locator("text.grid-value").all_text_contents()
    coverage = values[0::5]
    assert coverage == [
        f"{count(int(r['subdistricts_covered']))}/{count(int(r['subdistricts']))}" for r in table
    ]
    shown = phone.locator("table.data").nth(0).locator("tbody tr")
    assert shown.count() == 16


def test_the_latest_corrections_come_newest_first_with_their_reasons(
    phone: Any, site: Site, db: ViewDB
) -> None:
    latest = reader.corrections(db, page=PageRequest(10), newest_first=True).items
    assert latest, "the demo records corrections"

    phone.goto(site.url + "/")
    section = phone.locator("table.data").nth(1)
    reasons = section.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert reasons == [c.reason for c in latest]


def test_a_chinese_substring_finds_the_foundations_named_so_and_downloads_exactly_them(
    phone: Any, site: Site, db: ViewDB
) -> None:
    expected = list(
        every_row(lambda page: reader.foundations(db, None, page, name_contains="社区"))
    )
    assert len(expected) > 0

    phone.goto(site.url + "/")
    phone.fill("#q", "社区")
    phone.get_by_role("button", name="搜索").click()
    names = (
        phone.locator("#foundations ~ .table-wrap table.data")
        .first.locator("tbody tr td:first-child")
        .all_inner_texts()
    )

    assert names == [f.organization.name for f in expected][: len(names)]
    assert all("社区" in name for name in names)
    rows = downloaded(site, "/?q=%E7%A4%BE%E5%8C%BA&download=foundations.csv")
    assert [r["name"] for r in rows] == [f.organization.name for f in expected]
    assert [r["balance"] for r in rows] == [
        money(f.figures.balance_fen).removeprefix("¥").replace(",", "") for f in expected
    ]


def test_a_district_page_shows_its_totals_grid_row_and_only_its_foundations(
    phone: Any, site: Site, db: ViewDB
) -> None:
    phone.goto(site.url + "/districts/pudong")
    assert "浦东新区" in phone.locator("h1").inner_text()
    all_time = reader.totals(db, "pudong")
    assert phone.locator("table.totals tbody tr").nth(0).locator("td").nth(1).inner_text() == (
        money(all_time.received_fen)
    )
    assert phone.locator("svg.grid text.grid-label").all_text_contents() == ["浦东新区"]

    foundations = downloaded(site, "/districts/pudong?download=foundations.csv")
    assert foundations
    assert {r["district"] for r in foundations} == {"pudong"}
    assert [r["name"] for r in foundations] == [
        f.organization.name for f in every_row(lambda p: reader.foundations(db, "pudong", p))
    ]


def test_the_statement_closes_on_the_funds_balance_and_downloads_every_movement(
    phone: Any, site: Site, db: ViewDB
) -> None:
    fund = busiest_fund(db)

    phone.goto(site.url + f"/funds/{fund.fund_id}/statement")

    assert phone.locator("#closing").inner_text() == money(fund.figures.balance_fen)
    assert phone.locator("#opening").inner_text() == money(0)
    total = int(phone.locator("#count").inner_text().replace(",", ""))
    movements = downloaded(site, f"/funds/{fund.fund_id}/statement?download=movements.csv")
    assert len(movements) == total
    first_page = phone.locator("main table.data tbody tr")
    assert first_page.count() == min(total, 100)
    entry = first_page.first.locator("a[href^='/entries/']")
    assert entry.get_attribute("href") == f"/entries/{movements[0]['leaf_index']}"


def test_the_city_pages_render_in_english(phone: Any, site: Site) -> None:
    phone.goto(site.url + "/districts/xuhui?lang=en")
    assert phone.locator("h1").inner_text() == "Xuhui: community foundations in the open"
    assert phone.locator("svg.grid text.grid-head").first.text_content() == "Coverage"


@pytest.mark.parametrize("path", ["/", "/districts/pudong", "statement"])
def test_the_city_pages_have_no_accessibility_violations_at_a_or_aa(
    phone: Any, site: Site, db: ViewDB, path: str
) -> None:
    if path == "statement":
        path = f"/funds/{busiest_fund(db).fund_id}/statement"
    phone.goto(site.url + path)
    assert accessibility_violations(phone) == []
