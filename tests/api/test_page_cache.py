"""The rendered-page cache (`api.pages.render.PageCache`): a page asked for again is answered from it
(its hit counter says so, not a clock), a new event is a new page with the new figure, a page naming a
person expires after NAMED_MAX_AGE on an injected clock, the cache is bounded by pages and by bytes,
each language, day shown and query is a page of its own, and a 304 still answers a matching ETag."""

from __future__ import annotations

from datetime import timedelta

from api.pages.formatting import money
from api.pages.render import NAMED_MAX_AGE, Kept, PageCache
from tests.api.conftest import Api
from tests.support import donate, open_fund, person

CONSENTING = "测试具名捐赠人（虚构）"


class Clock:
    """Seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def caught_up(api: Api) -> None:
    runner = api.client.app.state.runner  # type: ignore[attr-defined]
    for view in ("disclosure", "indicators", "transparency"):
        assert runner.wait_for(view, api.ledger.head(), timeout=10)


def fresh_cache(api: Api, clock: Clock | None = None) -> PageCache:
    pages = PageCache(clock=clock or Clock())
    api.client.app.state.page_cache = pages  # type: ignore[attr-defined]
    return pages


def kept(size: int) -> Kept:
    return Kept(b"x" * size, (), "home.html", named=False)


def test_a_page_asked_for_again_is_answered_from_the_cache(api: Api) -> None:
    donate(api.ledger, open_fund(api.ledger, api.foundation), "12.34")
    caught_up(api)
    pages = fresh_cache(api)
    first = api.client.get(f"/foundations/{api.foundation}")
    assert (pages.hits, pages.misses) == (0, 1)
    again = api.client.get(f"/foundations/{api.foundation}")
    assert (pages.hits, pages.misses) == (1, 1)
    assert again.status_code == 200
    assert again.text == first.text
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert again.headers["content-type"].startswith("text/html")


def test_a_new_event_gives_a_new_page_with_the_new_figure(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "100")
    caught_up(api)
    pages = fresh_cache(api)
    before = api.client.get("/").text
    assert money(10000) in before
    donate(api.ledger, fund, "23")
    caught_up(api)
    after = api.client.get("/").text
    assert pages.hits == 0
    assert money(12300) in after
    assert money(12300) not in before


def test_a_page_naming_a_person_expires_after_its_max_age(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    named = person(api.ledger, name=CONSENTING)
    donate(api.ledger, fund, "10", donor_kind="person", donor_subject_id=named, publish_name=True)
    caught_up(api)
    clock = Clock()
    pages = fresh_cache(api, clock)
    path = f"/foundations/{api.foundation}"
    assert CONSENTING in api.client.get(path).text
    clock.now += NAMED_MAX_AGE - 1.5
    again = api.client.get(path)
    assert pages.hits == 1
    assert CONSENTING in again.text
    # What it has left, never the full five seconds again: a cache downstream keeps it no longer.
    assert again.headers["Cache-Control"] == "public, max-age=1, must-revalidate"
    assert "ETag" not in again.headers
    clock.now += 1.5
    api.client.get(path)
    assert (pages.hits, pages.misses) == (1, 2)


def test_the_cache_keeps_at_most_its_pages_and_its_bytes_dropping_the_least_recent() -> None:
    pages = PageCache(max_pages=3, max_bytes=1000)
    for name in ("a", "b", "c"):
        pages.put((name,), kept(100))
    assert pages.get(("a",)) is not None  # now the most recent
    pages.put(("d",), kept(100))
    assert len(pages) == 3
    assert pages.get(("b",)) is None
    assert pages.get(("a",)) is not None
    pages.put(("e",), kept(850))  # 1,150 bytes: the two least recent (c, then d) go
    assert pages.bytes == 950
    assert [n for n in "acde" if pages.get((n,)) is not None] == ["a", "e"]
    pages.put(("huge",), kept(1001))
    assert pages.get(("huge",)) is None
    assert pages.bytes <= 1000


def test_each_language_day_shown_and_query_is_a_page_of_its_own(api: Api) -> None:
    donate(api.ledger, open_fund(api.ledger, api.foundation), "5")
    caught_up(api)
    pages = fresh_cache(api)
    yesterday = (api.ledger.today() - timedelta(days=1)).isoformat()
    paths = ["/", "/?lang=en", f"/?as_of={yesterday}", "/?q=陆家嘴"]

    def shown(path: str) -> str:
        answer = api.client.get(path)
        api.client.cookies.clear()  # ?lang=en is remembered: each path is asked for on its own
        text: str = answer.text
        return text

    bodies = [shown(path) for path in paths]
    assert len(set(bodies)) == len(paths)
    assert len(pages) == len(paths)
    assert pages.hits == 0
    assert [shown(path) for path in paths] == bodies
    assert pages.hits == len(paths)


def test_a_cached_page_still_answers_304_to_its_own_etag(api: Api) -> None:
    donate(api.ledger, open_fund(api.ledger, api.foundation), "5")
    caught_up(api)
    pages = fresh_cache(api)
    tag = api.client.get("/").headers["ETag"]
    again = api.client.get("/", headers={"If-None-Match": tag})
    assert pages.hits == 1
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == tag
    other = api.client.get("/", headers={"If-None-Match": 'W/"another"'})
    assert other.status_code == 200
