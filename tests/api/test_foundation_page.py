"""A foundation's public page over HTTP (TestClient): what it shows, how each list pages on its own
cursor and downloads every row, and its errors, which are pages naming the parameter as written."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from api.pages.formatting import day, money
from api.pages.routes.foundations import SECTION_ROWS
from tests.api.conftest import Api
from tests.support import DAY, award, donate, open_fund, person, register

CONSENTING = "测试具名捐赠人（虚构）"
QUIET = "测试匿名捐赠人（虚构）"


def settled(api: Api) -> None:
    runner = api.client.app.state.runner  # type: ignore[attr-defined]
    for view in ("disclosure", "indicators"):
        assert runner.wait_for(view, api.ledger.head()), f"the {view} view did not catch up"


def page(api: Api, foundation: UUID, **params: Any) -> str:
    answer = api.client.get(f"/foundations/{foundation}", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    text: str = answer.text
    return text


def section(html: str, name: str) -> str:
    """The HTML of one list's section, from its heading to the next section."""
    start = html.index(f'<h2 id="{name}">')
    return html[start : html.index("</section>", start)]


def body(html: str) -> str:
    return html[html.index("<tbody>") : html.index("</tbody>")]


def titles(html: str) -> list[str]:
    return re.findall(r'<a href="/grants/[^"]+">([^<]+)</a>', html)


def grants_story(api: Api, count: int) -> tuple[UUID, list[str]]:
    """A foundation with `count` grants awarded on successive days, named by their order."""
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "100000")
    centre = register(api.ledger, name="花木睦邻中心", roles=["service_center"])
    names = [f"项目{n:02d}" for n in range(count)]
    for n, name in enumerate(names):
        award(api.ledger, fund, centre, "10", title=name, awarded_on=DAY + timedelta(days=n))
    settled(api)
    return api.foundation, names


def test_the_page_shows_the_profile_its_org_id_and_the_foundations_figures(api: Api) -> None:
    foundation = register(
        api.ledger, name="张江社区基金会", uscc="91350100M000100Y43", subdistrict="张江镇"
    )
    fund = open_fund(api.ledger, foundation, name="张江发展基金")
    donate(api.ledger, fund, "1234.5")
    settled(api)
    html = page(api, foundation)
    assert "<h1>张江社区基金会</h1>" in html
    assert "CN-USC-91350100M000100Y43" in html
    assert 'href="/districts/pudong"' in html
    assert money(123450) in section(html, "figures")
    assert f'href="/funds/{fund}/statement"' in section(html, "funds")


def test_each_list_pages_on_its_own_cursor_and_keeps_the_others(api: Api) -> None:
    foundation, names = grants_story(api, SECTION_ROWS + 3)
    first = page(api, foundation)
    assert titles(section(first, "grants")) == names[:SECTION_ROWS]
    (following,) = re.findall(r'href="([^"]*grants_cursor=[^"#]+)#grants"', first)
    assert following.startswith(f"/foundations/{foundation}?")
    second = api.client.get(following.replace("&amp;", "&")).text
    assert titles(section(second, "grants")) == names[SECTION_ROWS:]
    # The other lists are where they were.
    assert body(section(second, "funds")) == body(section(first, "funds"))


def test_a_download_holds_every_row_the_list_pages_through(api: Api) -> None:
    foundation, names = grants_story(api, SECTION_ROWS + 3)
    answer = api.client.get(f"/foundations/{foundation}", params={"download": "grants.csv"})
    assert answer.status_code == 200
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == names
    assert {r["awarded"] for r in rows} == {"10.00"}
    as_json = api.client.get(f"/foundations/{foundation}", params={"download": "grants.json"})
    assert [r["title"] for r in as_json.json()["rows"]] == names


def test_a_consenting_donor_is_named_and_the_page_and_its_download_expire_in_seconds(
    api: Api,
) -> None:
    fund = open_fund(api.ledger, api.foundation)
    named = person(api.ledger, name=CONSENTING)
    quiet = person(api.ledger, name=QUIET)
    donate(api.ledger, fund, "10", donor_kind="person", donor_subject_id=named, publish_name=True)
    donate(api.ledger, fund, "20", donor_kind="person", donor_subject_id=quiet, publish_name=False)
    settled(api)
    answer = api.client.get(f"/foundations/{api.foundation}")
    assert CONSENTING in section(answer.text, "named_donations")
    assert QUIET not in answer.text
    assert "ETag" not in answer.headers
    assert answer.headers["Cache-Control"] == "public, max-age=5, must-revalidate"
    listed = api.client.get(
        f"/foundations/{api.foundation}", params={"download": "named_donations.csv"}
    )
    assert CONSENTING in listed.content.decode("utf-8-sig")
    assert listed.headers["Cache-Control"] == "public, max-age=5, must-revalidate"


def test_a_page_without_names_answers_304_to_its_own_etag(api: Api) -> None:
    foundation, _ = grants_story(api, 1)
    first = api.client.get(f"/foundations/{foundation}")
    tag = first.headers["ETag"]
    again = api.client.get(f"/foundations/{foundation}", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""


def test_an_unknown_foundation_is_a_404_page_and_a_malformed_id_a_422_page(api: Api) -> None:
    missing = api.client.get(f"/foundations/{uuid4()}")
    assert missing.status_code == 404
    assert "unknown_foundation" in missing.text
    assert missing.headers["content-type"].startswith("text/html")
    company = register(api.ledger, name="某科技公司", roles=[])
    settled(api)
    assert api.client.get(f"/foundations/{company}").status_code == 404  # holds no funds
    malformed = api.client.get("/foundations/not-a-uuid")
    assert malformed.status_code == 422
    assert "foundation_id" in malformed.text


def test_a_cursor_the_list_did_not_give_is_a_422_naming_that_lists_cursor(api: Api) -> None:
    foundation, _ = grants_story(api, 1)
    answer = api.client.get(f"/foundations/{foundation}", params={"relief_cursor": "bm9wZQ"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "relief_cursor:" in answer.text


def test_a_download_the_page_does_not_offer_is_a_422_naming_download(api: Api) -> None:
    foundation, _ = grants_story(api, 1)
    for asked in ("grants.xlsx", "people.csv"):
        answer = api.client.get(f"/foundations/{foundation}", params={"download": asked})
        assert answer.status_code == 422
        assert "download" in answer.text


def test_the_page_renders_in_english(api: Api) -> None:
    foundation, _ = grants_story(api, 1)
    html = page(api, foundation, lang="en")
    assert '<html lang="en">' in html
    assert '<h2 id="grants">Grants</h2>' in html
    assert "Registered on" in html
    assert day(date(2019, 6, 1), "en") in html  # the registration date
