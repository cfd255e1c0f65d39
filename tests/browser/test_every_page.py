"""Every kind of page of the public site, as a person meets it on a phone (issue 15's "quality a person
notices"): each kind with a real example from the demo ledger, in Chinese and English, now and as of a
past day, is read once in a 360-pixel-wide phone's browser and once with JavaScript off, and each
property below is a test of its own over that one reading.

- axe-core finds no violation of WCAG 2.1 levels A and AA;
- every request the page made went to this site, and everything it fetched weighs under 200 KB;
- nothing is wider than the phone's 360 pixels;
- the answer carries the security headers, and the page raised no CSP violation in the console;
- with JavaScript off the page shows the same text (every figure) as with it on, except the line on
  an entry's page that says what the browser's own check of the proof found.

The examples are found as a reader finds them, through the JSON API (`/disclosure/...`): the
foundation with the most granted, its oldest grant (and the grant's recipient) and fund, the oldest
pairing and relief case, an entry. The oldest, so that each exists on the past day too. A last test
travels to the day before the demo's reversed donation was recorded and finds the fund's balance from
before it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.browser.conftest import PHONE, Site, accessibility_violations, screenshot

PAST_DAY = "2023-06-30"  # halfway through the demo's story (2021-01-01 to 2024-12-31)
MAX_BYTES = 200 * 1024
SHANGHAI = ZoneInfo("Asia/Shanghai")
NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"
# What the browser's own check of an entry's proof says: JavaScript writes it, so it differs by design.
CHECKED_BY_SCRIPT = ("#proof-status", "#signature-status")


@dataclass(frozen=True)
class Examples:
    """Real records of the demo ledger, one per page kind that shows a record."""

    foundation: str
    district: str
    grant: str
    grant_entry: int
    recipient: str
    pairing: str
    relief_case: str
    fund: str


@dataclass(frozen=True)
class Kind:
    """A kind of page: how to find its example's path, the status it answers with, and which ledger
    it is read from."""

    name: str
    path: Callable[[Examples], str]
    status: int = 200
    empty: bool = False


KINDS = (
    Kind("home", lambda e: "/"),
    Kind("search", lambda e: f"/?q=社区&district={e.district}"),
    Kind("district", lambda e: f"/districts/{e.district}"),
    Kind("foundation", lambda e: f"/foundations/{e.foundation}"),
    Kind("organization", lambda e: f"/organizations/{e.recipient}"),
    Kind("grant", lambda e: f"/grants/{e.grant}"),
    Kind("pairing", lambda e: f"/pairings/{e.pairing}"),
    Kind("relief_case", lambda e: f"/relief-cases/{e.relief_case}"),
    Kind("statement", lambda e: f"/funds/{e.fund}/statement"),
    Kind("statement_period", lambda e: f"/funds/{e.fund}/statement?from=2022-01-01&to=2022-12-31"),
    Kind("entry", lambda e: f"/entries/{e.grant_entry}"),
    Kind("verify", lambda e: "/verify"),
    Kind("not_found", lambda e: f"/foundations/{NO_SUCH_ID}", status=404),
    Kind("unknown_address", lambda e: "/no-such-page", status=404),
    Kind("invalid", lambda e: "/foundations/not-an-id", status=422),
    Kind("empty_ledger", lambda e: "/", empty=True),
)
LANGUAGES = ("zh", "en")
WHEN = ("now", "as_of")
CASES = [
    pytest.param(kind, lang, when, id=f"{kind.name}-{lang}-{when}")
    for kind in KINDS
    for lang in LANGUAGES
    for when in WHEN
]


def every_item(client: httpx.Client, path: str, **params: str) -> Iterator[dict[str, Any]]:
    cursor: str | None = None
    while True:
        answer = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        answer.raise_for_status()
        body = answer.json()
        yield from body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return


def oldest(client: httpx.Client, path: str, **params: str) -> dict[str, Any]:
    items = list(every_item(client, path, **params))
    assert items, (path, params)
    return min(items, key=lambda item: int(item["leaf_index"]))


@pytest.fixture(scope="module")
def examples(site: Site) -> Examples:
    with httpx.Client(base_url=site.url + "/disclosure", timeout=30) as client:
        foundations = list(every_item(client, "/foundations", limit="100"))
        busiest = max(foundations, key=lambda f: (Decimal(f["figures"]["granted"]), f["name"]))
        grant = oldest(client, "/grants", foundation_id=busiest["organization_id"], limit="100")
        fund = oldest(client, "/funds", foundation_id=busiest["organization_id"])
        return Examples(
            foundation=busiest["organization_id"],
            district=busiest["district"],
            grant=grant["grant_id"],
            grant_entry=grant["leaf_index"],
            recipient=grant["recipient_id"],
            pairing=oldest(client, "/pairings", limit="100")["pairing_id"],
            relief_case=oldest(client, "/relief", limit="100")["case_id"],
            fund=fund["fund_id"],
        )


@dataclass
class Visit:
    """What one reading of one page found."""

    url: str
    status: int
    headers: dict[str, str]
    requested: list[str] = field(default_factory=list)
    weights: dict[str, int] = field(default_factory=dict)
    csp_messages: list[str] = field(default_factory=list)
    scroll_width: int = 0
    as_of_banner: bool = False
    violations: list[str] = field(default_factory=list)
    text: str = ""
    text_without_script: str = ""
    script_lines: list[str] = field(default_factory=list)
    script_lines_without_script: list[str] = field(default_factory=list)


def uncached_page(context: Any) -> Any:
    """A page whose every load fetches everything again: a page's weight is what a reader coming to
    it for the first time downloads, stylesheet and script included, not what the cache spared."""
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    return page


@pytest.fixture(scope="module")
def phone_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        yield uncached_page(context)
    finally:
        context.close()


@pytest.fixture(scope="module")
def phone_page_without_script(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, java_script_enabled=False
    )
    try:
        yield uncached_page(context)
    finally:
        context.close()


def shown_text(page: Any) -> str:
    """The text of the page's main part, without the lines that say what the page's script found."""
    return str(
        page.evaluate(
            """(skipped) => {
                const main = document.querySelector("main").cloneNode(true);
                for (const s of skipped) main.querySelectorAll(s).forEach((e) => e.remove());
                return main.innerText;
            }""",
            list(CHECKED_BY_SCRIPT),
        )
    )


def script_lines(page: Any) -> list[str]:
    return [str(page.locator(s).inner_text()) for s in CHECKED_BY_SCRIPT if page.locator(s).count()]


def read_without_script(page: Any, visit: Visit) -> None:
    page.goto(visit.url)
    # Playwright's evaluation runs even where the page's own scripts do not.
    visit.text_without_script = shown_text(page)
    visit.script_lines_without_script = script_lines(page)


def read(page: Any, url: str) -> Visit:
    requested: list[str] = []
    responses: list[Any] = []
    console: list[str] = []

    def on_request(request: Any) -> None:
        requested.append(request.url)

    def on_response(response: Any) -> None:
        responses.append(response)

    def on_console(message: Any) -> None:
        console.append(message.text)

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("console", on_console)
    try:
        answer = page.goto(url)
        # An entry's page checks its proof in the browser (it fetches the leaf): wait until it has.
        page.evaluate("() => window.mingzhangProof ? window.mingzhangProof.done : null")
        visit = Visit(url, answer.status, dict(answer.headers), requested)
        for response in responses:
            visit.weights[response.url] = len(response.body())
        visit.csp_messages = [m for m in console if "Content Security Policy" in m]
        visit.scroll_width = int(page.evaluate("document.documentElement.scrollWidth"))
        visit.as_of_banner = page.locator(".as-of-banner").count() == 1
        visit.violations = accessibility_violations(page)
        visit.text = shown_text(page)
        visit.script_lines = script_lines(page)
        return visit
    finally:
        page.remove_listener("request", on_request)
        page.remove_listener("response", on_response)
        page.remove_listener("console", on_console)


def url_of(site: Site, path: str, lang: str, when: str) -> str:
    query = f"lang={lang}" + (f"&as_of={PAST_DAY}" if when == "as_of" else "")
    return f"{site.url}{path}{'&' if '?' in path else '?'}{query}"


@pytest.fixture(scope="module")
def visits(
    request: pytest.FixtureRequest,
    examples: Examples,
    phone_page: Any,
    phone_page_without_script: Any,
) -> Callable[[Kind, str, str], Visit]:
    """Each case read once, the first time a test asks for it."""
    seen: dict[tuple[str, str, str], Visit] = {}

    def visit(kind: Kind, lang: str, when: str) -> Visit:
        key = (kind.name, lang, when)
        if key not in seen:
            served: Site = request.getfixturevalue("empty_site" if kind.empty else "site")
            url = url_of(served, kind.path(examples), lang, when)
            found = read(phone_page, url)
            read_without_script(phone_page_without_script, found)
            seen[key] = found
        return seen[key]

    return visit


@contextmanager
def kept_if_failing(page: Any, visit: Visit, name: str) -> Iterator[None]:
    """A failing check keeps a screenshot of the page it was about (a passing one keeps none)."""
    try:
        yield
    except AssertionError:
        page.goto(visit.url)
        screenshot(page, name)
        raise


@pytest.mark.parametrize(("kind", "lang", "when"), CASES)
def test_every_page_answers_for_its_day_and_has_no_accessibility_violation_at_a_or_aa(
    visits: Callable[[Kind, str, str], Visit],
    phone_page: Any,
    request: pytest.FixtureRequest,
    kind: Kind,
    lang: str,
    when: str,
) -> None:
    visit = visits(kind, lang, when)
    with kept_if_failing(phone_page, visit, request.node.name):
        assert visit.status == kind.status, visit.url
        # A past day's page says so (an error page is no day's: it answers the address, not the ledger).
        assert visit.as_of_banner == (when == "as_of" and kind.status == 200), visit.url
        assert visit.violations == [], visit.url


@pytest.mark.parametrize(("kind", "lang", "when"), CASES)
def test_every_page_asks_only_this_site_and_weighs_under_200_kb(
    visits: Callable[[Kind, str, str], Visit], kind: Kind, lang: str, when: str
) -> None:
    visit = visits(kind, lang, when)
    origin = visit.url.split("/", 3)[:3]
    assert visit.requested
    assert [url for url in visit.requested if url.split("/", 3)[:3] != origin] == []
    assert sum(visit.weights.values()) < MAX_BYTES, visit.weights


@pytest.mark.parametrize(("kind", "lang", "when"), CASES)
def test_every_page_fits_a_360_pixel_wide_phone(
    visits: Callable[[Kind, str, str], Visit],
    phone_page: Any,
    request: pytest.FixtureRequest,
    kind: Kind,
    lang: str,
    when: str,
) -> None:
    visit = visits(kind, lang, when)
    with kept_if_failing(phone_page, visit, request.node.name):
        assert visit.scroll_width <= PHONE["width"], visit.url


@pytest.mark.parametrize(("kind", "lang", "when"), CASES)
def test_every_page_sends_the_security_headers_and_breaks_none_of_its_policy(
    visits: Callable[[Kind, str, str], Visit], kind: Kind, lang: str, when: str
) -> None:
    visit = visits(kind, lang, when)
    policy = visit.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert visit.headers["x-content-type-options"] == "nosniff"
    assert visit.headers["referrer-policy"] == "no-referrer"
    assert visit.csp_messages == []


@pytest.mark.parametrize(("kind", "lang", "when"), CASES)
def test_every_page_shows_the_same_figures_with_javascript_off(
    visits: Callable[[Kind, str, str], Visit], kind: Kind, lang: str, when: str
) -> None:
    visit = visits(kind, lang, when)
    assert visit.text.strip()
    assert visit.text_without_script == visit.text
    # The one difference: what the script wrote (on an entry's page) it wrote only with script on.
    assert (visit.script_lines != visit.script_lines_without_script) == (kind.name == "entry")


# --- a past day shows the figures from before a correction -----------------------------------------


def recorded_on(site: Site, position: int) -> date:
    """The Shanghai day the event at `position` was recorded."""
    ledger = site.app.state.ledger
    (notification,) = ledger.recorder.select_notifications(position, 1)
    timestamp = ledger.mapper.to_domain_event(notification).timestamp
    day: date = timestamp.astimezone(SHANGHAI).date()
    return day


def fund_as_of(site: Site, foundation_id: str, fund_id: str, day: date) -> dict[str, str]:
    """The fund's row in the foundation page's funds list as of `day` (its CSV download)."""
    url = f"{site.url}/foundations/{foundation_id}?download=funds.csv&as_of={day.isoformat()}"
    text = httpx.get(url, timeout=30).content.decode("utf-8-sig")
    (row,) = [r for r in csv.DictReader(io.StringIO(text)) if r["fund_id"] == fund_id]
    return row


def test_a_past_day_before_a_reversed_donation_shows_the_funds_balance_from_before_it(
    phone_page: Any, site: Site
) -> None:
    with httpx.Client(base_url=site.url + "/disclosure", timeout=30) as client:
        corrections = list(every_item(client, "/corrections", limit="100"))
    reversals = [c for c in corrections if c["kind"] == "donation_reversed"]
    assert reversals, "the demo reverses a donation"
    reversal = reversals[0]
    fund_id, foundation_id = reversal["aggregate_id"], reversal["organization_id"]
    day = recorded_on(site, reversal["position"])
    before = day - timedelta(days=1)

    phone_page.goto(f"{site.url}/foundations/{foundation_id}?lang=zh&as_of={before.isoformat()}")
    fund_link = phone_page.locator(f"a[href*='/funds/{fund_id}/statement']")
    balance_shown = (
        phone_page.locator("section[aria-labelledby='funds'] tbody tr")
        .filter(has=fund_link)
        .locator("td.money")
        .last.inner_text()
    )
    phone_page.goto(f"{site.url}/funds/{fund_id}/statement?lang=zh&to={before.isoformat()}")
    assert balance_shown == phone_page.locator("#closing").inner_text()

    # The day before, the reversal is not counted yet; as of its own day, it is.
    then = fund_as_of(site, foundation_id, fund_id, before)
    after = fund_as_of(site, foundation_id, fund_id, day)
    assert Decimal(after["reversed_in"]) - Decimal(then["reversed_in"]) == abs(
        Decimal(reversal["amount"])
    )
