"""An organisation's public page over HTTP (TestClient): its profile, the grants it received and the
pairings it is in, each list paged by its own cursor and downloading every row; a foundation's id
answering with the foundation's page; its errors as pages; the JSON registry still answering JSON
clients on the same path; the rows elsewhere that name it leading to it; and the city's search
finding it by name and district."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from api.pages.routes.foundations import SECTION_ROWS
from domain.money import Money
from tests.api.conftest import ON_BOTH, Api
from tests.support import DAY, award, donate, open_fund, person, register

PAGE = {"Accept": "text/html"}
CENTRE = "花木睦邻中心"


def settled(api: Api) -> None:
    runner = api.client.app.state.runner  # type: ignore[attr-defined]
    for view in ("disclosure", "indicators"):
        assert runner.wait_for(view, api.ledger.head()), f"the {view} view did not catch up"


def get(api: Api, path: str, status: int = 200, **params: Any) -> Any:
    answer = api.client.get(path, params=params, headers=PAGE, follow_redirects=False)
    assert answer.status_code == status, answer.text
    return answer


def section(html: str, name: str) -> str:
    start = html.index(f'<h2 id="{name}">')
    return html[start : html.index("</section>", start)]


def titles(html: str) -> list[str]:
    return re.findall(r'<a href="/grants/[^"]+">([^<]+)</a>', html)


def centre_story(api: Api, grants: int = 1) -> tuple[UUID, UUID, list[UUID]]:
    """A service centre that received `grants` grants from the api's foundation, on successive
    days, and leads a partnership with another centre: (centre, fund, grant ids)."""
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "100000")
    centre = register(
        api.ledger,
        name=CENTRE,
        uscc="91350100M000100Y43",
        type="life_services",
        roles=["service_center"],
        subdistrict="花木街道",
    )
    other = register(api.ledger, name="塘桥睦邻中心", roles=["service_center"])
    ids = [
        award(api.ledger, fund, centre, "10", title=f"项目{n:02d}", awarded_on=DAY + timedelta(n))
        for n in range(grants)
    ]
    api.ledger.propose_pairing(
        uuid4(),
        kind="service_center_partnership",
        mode="strong_weak",
        lead_id=centre,
        partner_id=other,
        goals=["共享场地"],
        planned_start=DAY,
        planned_end=date(2024, 12, 31),
        proposed_on=DAY,
    )
    settled(api)
    return centre, fund, ids


def test_an_organisations_page_shows_its_profile_grants_received_and_pairings(api: Api) -> None:
    centre, _, (grant,) = centre_story(api)
    html = get(api, f"/organizations/{centre}").text
    assert f"<h1>{CENTRE}</h1>" in html
    assert "CN-USC-91350100M000100Y43" in html
    assert 'href="/districts/pudong"' in html
    assert "花木街道" in html
    grants = section(html, "grants")
    assert f'href="/grants/{grant}"' in grants
    assert titles(grants) == ["项目00"]
    assert f'<a href="/foundations/{api.foundation}">陆家嘴社区基金会</a>' in grants  # the funder
    assert re.search(r'href="/entries/\d+"', grants)
    pairings = section(html, "pairings")
    assert "塘桥睦邻中心" in pairings
    assert re.search(r'href="/pairings/[0-9a-f-]+"', pairings)


def test_the_grants_received_page_on_their_own_cursor_and_download_every_row(api: Api) -> None:
    centre, _, _ = centre_story(api, SECTION_ROWS + 2)
    first = get(api, f"/organizations/{centre}").text
    assert len(titles(section(first, "grants"))) == SECTION_ROWS
    cursor = re.search(r'href="[^"]*grants_cursor=([^"&#]+)', first)
    assert cursor is not None
    second = get(api, f"/organizations/{centre}", grants_cursor=cursor.group(1)).text
    assert titles(section(second, "grants")) == ["项目10", "项目11"]
    assert "塘桥睦邻中心" in section(second, "pairings")  # the other list stays on its first page
    answer = get(api, f"/organizations/{centre}", download="grants.csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == [f"项目{n:02d}" for n in range(SECTION_ROWS + 2)]


def test_a_foundations_id_answers_307_to_its_foundation_page_with_the_query(api: Api) -> None:
    settled(api)
    answer = get(api, f"/organizations/{api.foundation}", 307, lang="en")
    assert answer.headers["location"] == f"/foundations/{api.foundation}?lang=en"


def test_an_unknown_organisation_is_a_404_page_and_a_malformed_id_a_422_page(api: Api) -> None:
    settled(api)
    missing = get(api, f"/organizations/{uuid4()}", 404)
    assert missing.headers["content-type"].startswith("text/html")
    assert "unknown_organization" in missing.text
    assert "organization_id" in missing.text
    malformed = get(api, "/organizations/not-a-uuid", 422)
    assert malformed.headers["content-type"].startswith("text/html")
    assert "organization_id" in malformed.text


def test_a_json_client_still_gets_the_registry_record_on_the_same_path(api: Api) -> None:
    centre, _, _ = centre_story(api)
    answer = api.client.get(f"/organizations/{centre}", headers={"Accept": "application/json"})
    assert answer.status_code == 200
    assert answer.json()["name"] == CENTRE
    missing = api.client.get(f"/organizations/{uuid4()}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "unknown_organization"


# The SQL that tells a registered counterparty and a fund holder apart, on both backends.
@ON_BOTH
def test_the_grant_pairing_and_statement_rows_lead_to_the_organisations_page(api: Api) -> None:
    centre, fund, (grant,) = centre_story(api)
    api.ledger.pay_instalment(grant, payment_id=uuid4(), amount=Money.yuan("10"), paid_on=DAY)
    settled(api)
    link = f'href="/organizations/{centre}"'
    foundation = get(api, f"/foundations/{api.foundation}").text
    assert link in section(foundation, "grants")
    assert link in get(api, f"/grants/{grant}").text
    pairing = re.search(r'href="(/pairings/[0-9a-f-]+)"', get(api, f"/organizations/{centre}").text)
    assert pairing is not None
    assert link in get(api, pairing.group(1)).text
    assert link in get(api, f"/funds/{fund}/statement").text


@ON_BOTH
def test_the_city_search_lists_organisations_whose_name_holds_the_text(api: Api) -> None:
    centre, _, _ = centre_story(api)
    register(api.ledger, name="川沙睦邻中心", roles=["service_center"], district="minhang")
    settled(api)
    html = get(api, "/", q="睦邻").text
    listed = html[html.index('<h2 id="organizations">') :]
    assert f'href="/organizations/{centre}"' in listed
    assert "川沙睦邻中心" in listed
    assert "陆家嘴社区基金会" not in listed  # a foundation is in the foundations' list
    pudong = get(api, "/", q="睦邻", district="pudong").text
    listed = pudong[pudong.index('<h2 id="organizations">') :]
    assert CENTRE in listed
    assert "川沙睦邻中心" not in listed
    answer = get(api, "/", q="花木", download="organizations.csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [(r["organization_id"], r["name"]) for r in rows] == [(str(centre), CENTRE)]
    data = get(api, "/", q="花木", download="organizations.json").json()
    assert [r["name"] for r in data["rows"]] == [CENTRE]


def test_a_cursor_the_organisations_list_did_not_give_is_a_422_naming_it(api: Api) -> None:
    settled(api)
    answer = get(api, "/", 422, organizations_cursor="bm9wZQ")
    assert "organizations_cursor" in answer.text


def test_the_page_renders_in_english(api: Api) -> None:
    centre, _, _ = centre_story(api)
    html = get(api, f"/organizations/{centre}", lang="en").text
    assert '<html lang="en">' in html
    assert '<h2 id="grants">Grants received</h2>' in html
    assert '<h2 id="pairings">Pairings it is in</h2>' in html
    assert "Registered on" in html


def test_a_mentor_is_named_only_with_consent_and_the_page_then_expires_in_seconds(
    api: Api,
) -> None:
    centre, _, _ = centre_story(api)
    quiet = person(api.ledger, owner=api.foundation, name="测试导师癸（虚构）")
    api.ledger.start_mentor_link(
        uuid4(),
        mentor_kind="person",
        mentor_subject_id=quiet,
        role_label="退休会计",
        mentee_id=centre,
        focus="账务",
        started_on=DAY,
    )
    settled(api)
    unnamed = get(api, f"/organizations/{centre}")
    assert "退休会计" in section(unnamed.text, "mentor_links")
    assert "测试导师癸（虚构）" not in unnamed.text
    assert "ETag" in unnamed.headers
    named = person(api.ledger, owner=api.foundation, name="测试导师子（虚构）")
    api.ledger.start_mentor_link(
        uuid4(),
        mentor_kind="person",
        mentor_subject_id=named,
        role_label="资深社工",
        publish_name=True,
        mentee_id=centre,
        focus="财务管理",
        started_on=DAY,
    )
    settled(api)
    shown = get(api, f"/organizations/{centre}")
    assert "测试导师子（虚构）" in section(shown.text, "mentor_links")
    assert "ETag" not in shown.headers
    assert "max-age=5" in shown.headers["cache-control"]
    download = get(api, f"/organizations/{centre}", download="mentor_links.csv")
    assert "max-age=5" in download.headers["cache-control"]
