"""The home page in a phone's browser: Chinese first, English by the switch (and remembered), every
foundation's figures on screen without JavaScript, no request to another server."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Site, accessibility_violations


def test_the_home_page_is_chinese_first_and_lists_the_foundations(phone: Any, site: Site) -> None:
    phone.goto(site.url + "/")
    assert phone.locator("html").get_attribute("lang") == "zh-Hans"
    assert phone.locator("h1").inner_text() == "上海社区基金会公开账本"
    rows = phone.locator("main table.data").last.locator("tbody tr")  # the foundations, last
    assert rows.count() > 10
    assert "社区基金会" in rows.first.inner_text()


def test_english_is_one_click_away_and_is_remembered(phone: Any, site: Site) -> None:
    phone.goto(site.url + "/")
    phone.get_by_role("link", name="Switch to English").click()
    assert phone.locator("h1").inner_text() == "Shanghai's community foundations, in the open"
    phone.goto(site.url + "/")
    assert phone.locator("html").get_attribute("lang") == "en"


def test_a_page_asks_nothing_of_any_other_server(phone: Any, site: Site) -> None:
    asked: list[str] = []
    phone.on("request", lambda request: asked.append(request.url))
    phone.goto(site.url + "/")
    assert asked
    assert all(url.startswith(site.url) for url in asked), asked


def test_the_home_page_has_no_accessibility_violations_at_a_or_aa(phone: Any, site: Site) -> None:
    phone.goto(site.url + "/")
    assert accessibility_violations(phone) == []
