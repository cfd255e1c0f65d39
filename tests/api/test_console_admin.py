"""The admin's desk over HTTP (issue 17; the browser tests are tests/browser/test_console_admin.py):
an admin key signs in to `/console/admin`, registers, reclassifies and grades organisations and
nominates and selects designations through forms whose command id makes a repeat record nothing new,
sees the year's selections against the maximum before selecting and a selection beyond it refused
beside its input; issues a key whose secret is shown once (never in an address) and which signs in,
and revokes it, which ends its session. Any other key is refused the desk."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.console.routes.admin import ORGANIZATIONS_PER_PAGE
from domain.ledger import Ledger
from storage.database import Database
from tests.api.conftest import ON_BOTH, Api, settings_for
from tests.api.test_console import COMMAND, TOKEN, caught_up, signed_in, staff_key
from tests.support import register

SECRET = re.compile(r"mzk_[0-9a-f]{32}_[A-Za-z0-9_-]+")
MAXIMUM = 2  # selections of each kind a year, for these tests


@pytest.fixture
def api(backend_database: Database, tmp_path: Path) -> Iterator[Api]:
    """The app with a yearly maximum of designations small enough to reach."""
    app = create_app(settings_for(backend_database, tmp_path, designations_max_per_year=MAXIMUM))
    with TestClient(app) as client:
        ledger: Ledger = app.state.ledger
        foundation = register(ledger, name="陆家嘴社区基金会")
        found = Api(client, ledger, app.state.keys, foundation)
        found.headers = {"admin": found.bearer("admin")}
        yield found


def admin_signed_in(api: Api, client: TestClient | None = None) -> TestClient:
    _, token = api.keys.create("admin")
    signed_in(client or api.client, token)
    return client or api.client


def opened(client: TestClient, name: str, query: str = "") -> tuple[str, str, str]:
    """An admin form as a browser opens it: its CSRF token, command id and page."""
    page = client.get(f"/console/admin/forms/{name}{query}")
    assert page.status_code == 200, page.text
    token, command = TOKEN.search(page.text), COMMAND.search(page.text)
    assert token is not None
    assert command is not None
    return token.group(1), command.group(1), page.text


def sent(client: TestClient, form: str, query: str = "", /, **values: str) -> tuple[Any, str]:
    """The admin form opened and sent with `values`: the answer, and the form's command id."""
    token, command, _ = opened(client, form, query)
    fields = {"csrf_token": token, "command_id": command, **values}
    return client.post(f"/console/admin/forms/{form}", data=fields), command


ORGANIZATION = {
    "name": "花木睦邻中心",
    "type": "life_services",
    "tier": "registered",
    "role_service_center": "1",
    "district": "pudong",
    "subdistrict": "花木街道",
    "registered_on": "2020-05-01",
}


def test_an_admin_signs_in_and_lands_on_the_admins_desk(api: Api) -> None:
    admin_signed_in(api)
    desk = api.client.get("/console")
    assert desk.url.path == "/console/admin"
    assert desk.status_code == 200
    assert desk.headers["cache-control"] == "no-store"
    for place in (
        "/console/admin/organizations",
        "/console/admin/keys",
        "/console/admin/designations",
    ):
        assert f'href="{place}"' in desk.text


def test_registering_an_organisation_records_once_however_often_it_is_sent(api: Api) -> None:
    admin_signed_in(api)
    token, command, _ = opened(api.client, "organization")
    fields = {"csrf_token": token, "command_id": command, **ORGANIZATION}
    first = api.client.post("/console/admin/forms/organization", data=fields)
    assert first.status_code == 201, first.text
    head = api.ledger.head()
    again = api.client.post("/console/admin/forms/organization", data=fields)
    assert again.status_code == 200
    assert api.ledger.head() == head
    centre = api.ledger.get_organization(UUID(command))
    assert centre.registration.name == "花木睦邻中心"
    assert centre.registration.roles == ("service_center",)
    assert f'href="/organizations/{command}"' in first.text


def test_a_refused_registration_is_shown_beside_its_input_with_the_input_kept(api: Api) -> None:
    admin_signed_in(api)
    head = api.ledger.head()
    answer, _ = sent(api.client, "organization", **{**ORGANIZATION, "subdistrict": "不存在街道"})
    assert answer.status_code == 422
    assert 'id="subdistrict-error"' in answer.text
    assert "unknown_subdistrict" in answer.text
    assert 'value="花木睦邻中心"' in answer.text
    assert api.ledger.head() == head


def test_the_list_pages_the_registry_by_district_and_links_each_organisations_forms(
    api: Api,
) -> None:
    centre = register(api.ledger, name="花木睦邻中心", roles=["service_center"])
    register(api.ledger, name="徐汇社区基金会", district="xuhui")
    caught_up(api)
    admin_signed_in(api)
    pudong = api.client.get("/console/admin/organizations?district=pudong").text
    assert "花木睦邻中心" in pudong
    assert "徐汇社区基金会" not in pudong
    assert f"/console/admin/forms/evaluation?organization_id={centre}" in pudong
    assert f"/console/admin/forms/reclassification?organization_id={api.foundation}" in pudong
    # A foundation is not a service centre: nothing offers to grade it.
    assert f"/console/admin/forms/evaluation?organization_id={api.foundation}" not in pudong
    assert "徐汇社区基金会" in api.client.get("/console/admin/organizations").text


def test_reclassifying_from_the_list_records_the_new_type_and_tier(api: Api) -> None:
    admin_signed_in(api)
    query = f"?organization_id={api.foundation}"
    _, _, page = opened(api.client, "reclassification", query)
    assert f'value="{api.foundation}"' in page  # the list's link filled the organisation in
    answer, _ = sent(
        api.client,
        "reclassification",
        query,
        organization_id=str(api.foundation),
        type="community_affairs",
        tier="registered",
        reason="业务范围调整",
        reclassified_on="2024-03-01",
    )
    assert answer.status_code == 201, answer.text
    assert api.ledger.get_organization(api.foundation).type == "community_affairs"


def test_grading_a_service_centre_records_its_grade_and_a_foundation_is_refused(
    api: Api,
) -> None:
    centre = register(api.ledger, name="花木睦邻中心", roles=["service_center"])
    admin_signed_in(api)
    grade = {"grade": "4A", "evaluated_on": "2024-03-01", "evaluator": "浦东新区民政局"}
    answer, _ = sent(api.client, "evaluation", organization_id=str(centre), **grade)
    assert answer.status_code == 201, answer.text
    assert api.ledger.get_organization(centre).grade == "4A"
    head = api.ledger.head()
    refused, _ = sent(api.client, "evaluation", organization_id=str(api.foundation), **grade)
    assert refused.status_code == 409, refused.text
    assert "role_mismatch" in refused.text
    assert 'id="organization_id-error"' in refused.text
    assert api.ledger.head() == head


def issued(api: Api, **values: str) -> tuple[Any, str, dict[str, str]]:
    token, command, _ = opened(api.client, "key")
    fields = {"csrf_token": token, "command_id": command, **values}
    return api.client.post("/console/admin/forms/key", data=fields), command, fields


@ON_BOTH  # the key's id taken once (`ON CONFLICT DO NOTHING`) on either backend's table
def test_an_issued_staff_key_is_shown_once_and_signs_in_to_its_foundations_desk(
    api: Api,
) -> None:
    caught_up(api)
    admin_signed_in(api)
    answer, command, fields = issued(api, role="staff", foundation_id=str(api.foundation))
    assert answer.status_code == 201, answer.text
    assert answer.headers["cache-control"] == "no-store"
    found = SECRET.findall(answer.text)
    assert len(found) == 1
    secret = found[0]
    assert secret.split("_")[1] == UUID(command).hex  # the form's command id is the key's id
    assert all(secret not in str(r.url) for r in [answer, *answer.history])
    # Sent again (a double click, a reload): the same key, not another, and no secret again.
    again = api.client.post("/console/admin/forms/key", data=fields)
    assert again.status_code == 200
    assert SECRET.search(again.text) is None
    assert [k.key_id for k in api.keys.list()].count(UUID(command).hex) == 1
    listed = api.client.get("/console/admin/keys").text
    assert UUID(command).hex in listed
    assert secret not in listed
    staffer = TestClient(api.client.app)
    signed_in(staffer, secret)
    assert staffer.get("/console").url.path == f"/console/foundations/{api.foundation}"


def test_a_staff_key_without_its_foundation_is_refused_beside_the_foundation(api: Api) -> None:
    admin_signed_in(api)
    answer, _, _ = issued(api, role="staff")
    assert answer.status_code == 422
    assert 'id="foundation_id-error"' in answer.text
    assert SECRET.search(answer.text) is None


def test_revoking_a_key_after_confirming_ends_its_session(api: Api) -> None:
    admin_signed_in(api)
    staffer = TestClient(api.client.app)
    token = staff_key(api)
    key_id = token.split("_")[1]
    signed_in(staffer, token)
    assert staffer.get("/console", follow_redirects=False).status_code == 303
    confirm = api.client.get(f"/console/admin/keys/{key_id}/revoke")
    assert confirm.status_code == 200
    assert api.keys.get(key_id).revoked_at is None  # type: ignore[union-attr]  # a GET revokes nothing
    csrf = TOKEN.search(confirm.text)
    assert csrf is not None
    done = api.client.post(
        f"/console/admin/keys/{key_id}/revoke", data={"csrf_token": csrf.group(1)}
    )
    assert done.status_code == 200
    assert api.keys.get(key_id).revoked_at is not None  # type: ignore[union-attr]
    ended = staffer.get(f"/console/foundations/{api.foundation}", follow_redirects=False)
    assert ended.headers["location"] == "/console/sign-in?reason=ended"


def test_revoking_without_the_csrf_token_is_refused(api: Api) -> None:
    admin_signed_in(api)
    key_id = staff_key(api).split("_")[1]
    answer = api.client.post(f"/console/admin/keys/{key_id}/revoke", data={})
    assert answer.status_code == 403
    assert api.keys.get(key_id).revoked_at is None  # type: ignore[union-attr]


def nominated(api: Api, year: int) -> UUID:
    designation = uuid4()
    api.ledger.nominate(
        designation,
        kind="leader",
        year=year,
        nominee_kind="foundation",
        nominee_org_id=api.foundation,
        nominating_body="浦东新区民政局",
        rationale="社区治理示范",
        nominated_on=date(2024, 3, 1),
    )
    return designation


def test_nominating_and_selecting_shows_the_yearly_maximum_and_refuses_beyond_it(
    api: Api,
) -> None:
    admin_signed_in(api)
    year = api.ledger.today().year
    nomination = {
        "kind": "leader",
        "year": str(year),
        "nominee_kind": "foundation",
        "nominee_org_id": str(api.foundation),
        "nominating_body": "浦东新区民政局",
        "rationale": "社区治理示范",
        "nominated_on": "2024-03-01",
    }
    answer, first = sent(api.client, "nomination", **nomination)
    assert answer.status_code == 201, answer.text
    assert api.ledger.get_designation(UUID(first)).status == "nominated"
    second, third = nominated(api, year), nominated(api, year)
    caught_up(api)
    selection = {"selected_on": "2024-04-01", "selecting_body": "上海市民政局"}
    _, _, page = opened(api.client, "selection")
    assert f"0 of {MAXIMUM} selected" in page or f"已选定 0 个，上限 {MAXIMUM} 个" in page
    for designation in (first, second):
        done, _ = sent(api.client, "selection", designation_id=str(designation), **selection)
        assert done.status_code == 201, done.text
    caught_up(api)
    _, _, page = opened(api.client, "selection")
    assert f"已选定 {MAXIMUM} 个，上限 {MAXIMUM} 个" in page
    head = api.ledger.head()
    beyond, _ = sent(api.client, "selection", designation_id=str(third), **selection)
    assert beyond.status_code == 409
    assert 'id="designation_id-error"' in beyond.text
    assert "yearly_maximum_reached" in beyond.text
    assert api.ledger.head() == head
    assert api.ledger.designations_selected(year)["leader"] == MAXIMUM


def test_a_selection_sent_twice_is_recorded_once(api: Api) -> None:
    admin_signed_in(api)
    designation = nominated(api, api.ledger.today().year)
    caught_up(api)
    token, command, _ = opened(api.client, "selection", f"?designation_id={designation}")
    fields = {
        "csrf_token": token,
        "command_id": command,
        "designation_id": str(designation),
        "selected_on": "2024-04-01",
        "selecting_body": "上海市民政局",
    }
    assert api.client.post("/console/admin/forms/selection", data=fields).status_code == 201
    head = api.ledger.head()
    assert api.client.post("/console/admin/forms/selection", data=fields).status_code == 200
    assert api.ledger.head() == head


def test_a_person_nominee_goes_to_the_vault_and_is_not_shown_again(api: Api) -> None:
    admin_signed_in(api)
    answer, command = sent(
        api.client,
        "nomination",
        kind="leader",
        year=str(api.ledger.today().year),
        nominee_kind="person",
        nominee_name="王芳",
        nominating_body="浦东新区民政局",
        rationale="社区治理示范",
        nominated_on="2024-03-01",
    )
    assert answer.status_code == 201, answer.text
    assert "王芳" not in answer.text
    assert api.ledger.get_designation(UUID(command)).status == "nominated"


def test_a_staff_key_at_the_admins_desk_is_forbidden(api: Api) -> None:
    signed_in(api.client, staff_key(api))
    for path in ("/console/admin", "/console/admin/keys", "/console/admin/forms/key"):
        answer = api.client.get(path, follow_redirects=False)
        assert answer.status_code == 403, path
        assert "forbidden" in answer.text
    form = api.client.get(f"/console/foundations/{api.foundation}/forms/donation")
    csrf = TOKEN.search(form.text)
    assert csrf is not None
    before = len(api.keys.list())
    posted = api.client.post(
        "/console/admin/forms/key",
        data={"csrf_token": csrf.group(1), "command_id": str(uuid4()), "role": "admin"},
    )
    assert posted.status_code == 403
    assert len(api.keys.list()) == before


def test_the_filter_for_every_district_is_the_whole_registry(api: Api) -> None:
    register(api.ledger, name="徐汇社区基金会", district="xuhui")
    caught_up(api)
    admin_signed_in(api)
    every = api.client.get("/console/admin/organizations?district=")
    assert every.status_code == 200, every.text
    assert "徐汇社区基金会" in every.text
    assert "陆家嘴社区基金会" in every.text


def test_the_registry_is_listed_a_page_at_a_time(api: Api) -> None:
    for number in range(ORGANIZATIONS_PER_PAGE):
        register(api.ledger, name=f"测试组织{number:02d}", roles=["service_center"])
    caught_up(api)
    admin_signed_in(api)
    first = api.client.get("/console/admin/organizations?district=pudong").text
    link = re.search(r'href="(/console/admin/organizations\?[^"]*cursor=[^"]+)"', first)
    assert link is not None
    rest = api.client.get(link.group(1).replace("&amp;", "&"))
    assert rest.status_code == 200, rest.text
    names = set(re.findall(r"测试组织\d\d|陆家嘴社区基金会", first + rest.text))
    assert len(names) == ORGANIZATIONS_PER_PAGE + 1  # every one, on one page or the next


def test_revoking_a_key_that_does_not_exist_is_a_404_page(api: Api) -> None:
    admin_signed_in(api)
    answer = api.client.get("/console/admin/keys/nokey/revoke")
    assert answer.status_code == 404
    assert "unknown_key" in answer.text


def test_an_admin_key_bound_to_a_foundation_is_refused_beside_the_foundation(api: Api) -> None:
    admin_signed_in(api)
    before = len(api.keys.list())
    answer, _, _ = issued(api, role="admin", foundation_id=str(api.foundation))
    assert answer.status_code == 422
    assert 'id="foundation_id-error"' in answer.text
    assert len(api.keys.list()) == before


def test_the_registry_is_searched_by_name_within_a_district(api: Api) -> None:
    register(api.ledger, name="花木睦邻中心", roles=["service_center"])
    register(api.ledger, name="花木社区基金会", district="xuhui")
    caught_up(api)
    admin_signed_in(api)
    found = api.client.get("/console/admin/organizations?district=pudong&q=花木").text
    assert "花木睦邻中心" in found
    assert "花木社区基金会" not in found  # another district's
    assert "陆家嘴社区基金会" not in found  # another name
    assert 'value="花木"' in found  # the search is kept in its box


def test_an_observation_point_nominated_as_a_person_is_refused_beside_the_nominee_kind(
    api: Api,
) -> None:
    admin_signed_in(api)
    head = api.ledger.head()
    answer, _ = sent(
        api.client,
        "nomination",
        kind="observation_point",
        year="2024",
        nominee_kind="person",
        nominee_name="王芳",
        nominating_body="浦东新区民政局",
        rationale="社区治理示范",
        nominated_on="2024-03-01",
    )
    assert answer.status_code == 422, answer.text
    assert 'id="nominee_kind-error"' in answer.text
    assert api.ledger.head() == head


def test_the_key_form_sent_again_with_other_values_is_a_duplicate_command(api: Api) -> None:
    admin_signed_in(api)
    first, _, fields = issued(api, role="auditor")
    assert first.status_code == 201
    before = len(api.keys.list())
    other = api.client.post("/console/admin/forms/key", data={**fields, "role": "privacy_officer"})
    assert other.status_code == 409
    assert "duplicate_command" in other.text
    assert SECRET.search(other.text) is None
    assert len(api.keys.list()) == before
