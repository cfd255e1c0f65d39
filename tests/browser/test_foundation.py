"""The busiest foundation's page in a phone's browser: the read model's figures on screen, every list
downloadable with the rows it pages through, English, and nothing axe finds at WCAG 2.1 A or AA."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import urllib.request
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from api.pages.formatting import money, month
from api.pages.routes.foundations import SECTION_ROWS, TABLES
from api.pages.tables import yuan
from cli.compose import open_views
from projections.disclosure import reader
from projections.disclosure.reader import Filters, PartyFilters
from projections.disclosure.rows import FoundationRow
from projections.pagination import every_row
from storage.viewdb import ViewDB
from tests.browser.conftest import Site, accessibility_violations


def caught_up(site: Site, timeout: float = 60.0) -> None:
    """Wait until the served app's views have applied the whole demo log (the runner follows the log
    in the background, so the first requests after start-up may see it half built)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(site.url + "/health") as answer:
            health = json.load(answer)
        if all(view["lag"] == 0 for view in health["views"]):
            return
        time.sleep(0.2)
    pytest.fail(f"the views did not catch up with the demo log in {timeout} s")


@pytest.fixture(scope="module")
def views(site: Site) -> Iterator[ViewDB]:
    caught_up(site)
    db = open_views(site.settings)
    yield db
    db.close()


@pytest.fixture(scope="module")
def busiest(views: ViewDB) -> FoundationRow:
    """The foundation with the most grants in the demo (the page with the most to show)."""
    (top,) = views.execute(
        "SELECT foundation_id FROM disclosure_grants GROUP BY foundation_id"
        " ORDER BY COUNT(*) DESC, foundation_id LIMIT 1"
    )
    found = reader.foundation(views, UUID(top[0]))
    assert found is not None
    return found


def path_of(foundation: FoundationRow) -> str:
    return f"/foundations/{foundation.organization.organization_id}"


def download(
    site: Site, foundation: FoundationRow, name: str, query: str = ""
) -> list[dict[str, str]]:
    url = f"{site.url}{path_of(foundation)}?download={name}.csv{query}"
    with urllib.request.urlopen(url) as answer:
        text = answer.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_page_shows_the_read_models_figures_for_the_foundation(
    phone: Any, site: Site, busiest: FoundationRow
) -> None:
    phone.goto(site.url + path_of(busiest))
    assert phone.locator("h1").inner_text() == busiest.organization.name
    figures = phone.locator("#figures + dl").inner_text()
    for fen in (
        busiest.figures.received_fen,
        busiest.figures.granted_fen,
        busiest.figures.paid_fen,
        busiest.figures.balance_fen,
    ):
        assert money(fen) in figures
    if busiest.organization.uscc:
        assert f"CN-USC-{busiest.organization.uscc}" in phone.locator("#profile + dl").inner_text()


def test_every_list_downloads_the_rows_it_shows_and_pages_through(
    phone: Any, site: Site, busiest: FoundationRow
) -> None:
    phone.goto(site.url + path_of(busiest))
    for table in TABLES:
        rows = download(site, busiest, table.name)
        on_screen = phone.locator(f"section[aria-labelledby='{table.name}'] table tbody tr")
        if not rows:
            assert on_screen.count() == 1  # the "none yet" row
            continue
        assert on_screen.count() == min(len(rows), SECTION_ROWS), table.name
        if any(c.entry for c in table.columns):
            links = on_screen.locator("a[href*='/entries/']")
            shown = [links.nth(i).inner_text().lstrip("#") for i in range(links.count())]
            assert shown == [r["leaf_index"] for r in rows[:SECTION_ROWS]], table.name


def test_the_grants_download_is_every_grant_of_the_foundation_in_the_read_models_order(
    site: Site, views: ViewDB, busiest: FoundationRow
) -> None:
    own = Filters(foundation_id=busiest.organization.organization_id)
    grants = list(every_row(lambda p: reader.grants(views, own, p)))
    assert len(grants) > SECTION_ROWS  # the busiest foundation pages its grants
    rows = download(site, busiest, "grants")
    assert [r["grant_id"] for r in rows] == [str(g.grant_id) for g in grants]
    assert [r["awarded"] for r in rows] == [yuan(g.awarded_fen) for g in grants]


def test_no_vault_reference_reaches_the_page_or_a_download(
    site: Site, views: ViewDB, busiest: FoundationRow
) -> None:
    foundation_id = busiest.organization.organization_id
    references = {
        str(d.donor_ref)
        for d in every_row(
            lambda p: reader.named_donations(views, Filters(foundation_id=foundation_id), p)
        )
        if d.donor_kind == "person"
    } | {
        str(m.mentor_ref)
        for m in every_row(
            lambda p: reader.mentor_links(views, PartyFilters(organization_id=foundation_id), p)
        )
        if m.mentor_ref is not None
    }
    with urllib.request.urlopen(site.url + path_of(busiest)) as answer:
        shown = [answer.read().decode()]
    for table in TABLES:
        url = f"{site.url}{path_of(busiest)}?download={table.name}.json"
        with urllib.request.urlopen(url) as answer:
            shown.append(answer.read().decode())
    for text in shown:
        for reference in references:
            assert reference not in text
            assert reference.replace("-", "") not in text


def test_income_by_month_is_a_chart_with_the_read_models_figures_in_a_table_behind_it(
    phone: Any, site: Site, views: ViewDB, busiest: FoundationRow
) -> None:
    months = reader.income_by_month(views, busiest.organization.organization_id)
    assert months
    phone.goto(site.url + path_of(busiest))
    chart = phone.get_by_role("img", name=re.compile("按月捐赠收入柱状图"))
    assert chart.count() == 1
    bars = chart.locator("rect.bar")
    assert bars.count() == len(months)
    assert [bars.nth(i).locator("title").text_content() for i in range(len(months))] == [
        f"{month(m.month, 'zh')}: {money(m.received_fen)}" for m in months
    ]
    rows = phone.locator("section[aria-labelledby='income'] table tbody tr")
    assert [rows.nth(i).locator("td").last.inner_text() for i in range(rows.count())] == [
        money(m.received_fen) for m in months
    ]
    downloaded = download(site, busiest, "income")
    assert [(r["month"], r["received"]) for r in downloaded] == [
        (m.month, yuan(m.received_fen)) for m in months
    ]


def test_as_of_a_past_day_the_page_lists_only_the_grants_recorded_by_then(
    phone: Any, site: Site, views: ViewDB, busiest: FoundationRow
) -> None:
    own = Filters(foundation_id=busiest.organization.organization_id)
    grants = list(every_row(lambda p: reader.grants(views, own, p)))
    day = grants[len(grants) // 2].awarded_on  # halfway through its grants
    phone.goto(f"{site.url}{path_of(busiest)}?as_of={day.isoformat()}")
    assert phone.locator(".as-of-banner").count() == 1
    then = download(site, busiest, "grants", f"&as_of={day.isoformat()}")
    now = {str(g.grant_id) for g in grants}
    assert then
    assert {r["grant_id"] for r in then} < now
    assert all(r["awarded_on"] <= day.isoformat() for r in then)


def test_the_page_reads_in_english(phone: Any, site: Site, busiest: FoundationRow) -> None:
    phone.goto(site.url + path_of(busiest) + "?lang=en")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.locator("#grants").inner_text() == "Grants"
    assert phone.locator("#figures").inner_text() == "Figures (all its funds together)"


def test_the_foundation_page_has_no_accessibility_violations_at_a_or_aa(
    phone: Any, desktop: Any, site: Site, busiest: FoundationRow
) -> None:
    for page in (phone, desktop):
        page.goto(site.url + path_of(busiest))
        assert accessibility_violations(page) == []
