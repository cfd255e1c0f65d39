"""The home page in a phone's browser: Chinese first, English by the switch (and remembered), every
foundation's figures on screen without JavaScript, no request to another server."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Site, accessibility_violations


def test_the_home_page_is_chinese_first_and_lists_the_foundations(phone: Any, site: Site) -> None:
    phone.goto(site.url + "/")
    assert phone.locator("html").get_attribute("lang") == "zh-Hans"
    assert phone.locator("h1").inner_text() == "上海社区基金会公开账本"
    # The foundations' table is the first after their heading (the organisations' follows).
    rows = phone.locator("#foundations ~ .table-wrap table.data").first.locator("tbody tr")
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


def test_a_past_days_banner_links_to_the_checkpoint_signed_at_that_moment(
    phone: Any, site: Site
) -> None:
    phone.goto(site.url + "/?as_of=2023-06-30")
    banner = phone.locator(".as-of-banner")
    assert "2023年6月30日" in banner.inner_text()
    link = banner.get_by_role("link", name="那时的签名检查点")
    answer = phone.request.get(site.url + link.get_attribute("href"))
    assert answer.status == 200
    origin, size, _root = answer.text().splitlines()[:3]
    assert origin == "mingzhang.test/demo"
    assert f"size={size}" in link.get_attribute("href")
    head = int(phone.request.get(site.url + "/transparency/checkpoint").text().splitlines()[1])
    assert 0 < int(size) < head
