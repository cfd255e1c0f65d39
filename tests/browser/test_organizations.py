"""Organisations on the demo site, in a phone's browser: the city's search finds a grant recipient by
its name and leads to its page, which shows its profile and the grants it received as the read model
has them, fits the phone, and has nothing axe finds at WCAG 2.1 A/AA; a grant row's recipient on a
foundation's page leads there too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.pages.routes.foundations import SECTION_ROWS
from cli.compose import open_views
from domain.organizations import FUND_HOLDER_ROLES
from projections.disclosure import reader
from projections.disclosure.reader import Filters
from projections.disclosure.rows import GrantRow, OrganizationRow
from projections.pagination import PageRequest, every_row
from storage.viewdb import ViewDB
from tests.browser.conftest import PHONE, Site, accessibility_violations


@pytest.fixture(scope="module")
def db(site: Site) -> Iterator[ViewDB]:
    # `site` has waited for every view to reach the demo's head, so these reads see the pages' figures.
    views = open_views(site.settings)
    yield views
    views.close()


def holds_funds(organization: OrganizationRow) -> bool:
    return any(role in FUND_HOLDER_ROLES for role in organization.roles)


def recipient_grant(db: ViewDB) -> tuple[GrantRow, OrganizationRow]:
    """A grant on the first page of its foundation's grants whose recipient holds no funds."""
    for foundation in every_row(lambda page: reader.foundations(db, page=page)):
        own = Filters(foundation_id=foundation.organization.organization_id)
        for grant in reader.grants(db, own, PageRequest(SECTION_ROWS)).items:
            recipient = reader.organization(db, grant.recipient_id)
            if recipient is not None and not holds_funds(recipient):
                return grant, recipient
    pytest.fail("the demo should award grants to organisations that hold no funds")


def test_the_city_search_finds_a_demo_organisation_and_its_page_opens_on_the_phone(
    phone: Any, site: Site, db: ViewDB
) -> None:
    _, organization = recipient_grant(db)
    phone.goto(site.url + "/")
    phone.fill("#q", organization.name)
    phone.locator("form[role=search] button[type=submit]").click()
    listed = phone.locator("#organizations ~ .table-wrap table.data").first
    link = listed.get_by_role("link", name=organization.name, exact=True)
    assert link.count() == 1
    link.click()
    phone.wait_for_url(f"**/organizations/{organization.organization_id}")
    assert phone.locator("h1").inner_text() == organization.name
    received = reader.grants(
        db, page=PageRequest(SECTION_ROWS), recipient_id=organization.organization_id
    )
    shown = phone.locator("#grants ~ .table-wrap table.data tbody tr")
    assert shown.count() == len(received.items)
    for grant in received.items:
        assert (
            phone.locator(f'#grants ~ .table-wrap a[href="/grants/{grant.grant_id}"]').count() == 1
        )
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"
    assert accessibility_violations(phone) == []


def test_a_grant_rows_recipient_on_a_foundations_page_leads_to_its_page(
    phone: Any, site: Site, db: ViewDB
) -> None:
    grant, organization = recipient_grant(db)
    phone.goto(f"{site.url}/foundations/{grant.foundation_id}")
    row = phone.locator("#grants ~ .table-wrap tbody tr").filter(
        has=phone.locator(f'a[href="/grants/{grant.grant_id}"]')
    )
    row.get_by_role("link", name=organization.name, exact=True).click()
    phone.wait_for_url(f"**/organizations/{organization.organization_id}")
    assert phone.locator("h1").inner_text() == organization.name
