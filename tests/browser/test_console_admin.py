"""The admin's desk in the public site's browser (issue 17): the real app over uvicorn, Debian's
chromium driven by Playwright, as tests/browser/test_console.py does for the staff.

An admin issues a staff key: its secret is on the answer page once and in no address the browser
asked, and the key then signs in to its foundation's desk; axe finds nothing at WCAG 2.1 A/AA on any
kind of admin page, in either language, none wider than a 360-pixel phone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.console.admin_forms import FORMS
from tests.browser.conftest import PHONE, Site, served_ledger, walk_checked
from tests.support import register


@dataclass(frozen=True)
class Admin:
    site: Site
    foundation: UUID
    centre: UUID

    def key(self, role: str = "admin") -> str:
        owner = self.foundation if role == "staff" else None
        _, token = self.site.app.state.keys.create(role, owner)
        return str(token)

    def caught_up(self) -> None:
        app = self.site.app
        head = app.state.ledger.head()
        for view in app.state.runner.views:
            assert app.state.runner.wait_for(view, head, timeout=60), view


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Admin]:
    with served_ledger(tmp_path_factory.mktemp("console-admin")) as site:
        ledger = site.app.state.ledger
        foundation = register(ledger, name="陆家嘴社区基金会")
        centre = register(ledger, name="花木睦邻中心", roles=["service_center"])
        ledger.nominate(
            uuid4(),
            kind="leader",
            year=ledger.today().year,
            nominee_kind="foundation",
            nominee_org_id=foundation,
            nominating_body="浦东新区民政局",
            rationale="社区治理示范",
            nominated_on=date(2024, 3, 1),
        )
        found = Admin(site, foundation, centre)
        found.caught_up()
        yield found


def sign_in(page: Any, admin: Admin, key: str, lang: str = "zh") -> None:
    page.goto(f"{admin.site.url}/console/sign-in?lang={lang}")
    page.fill("#key", key)
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()


def send(page: Any) -> None:
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()


def test_an_issued_key_is_shown_once_in_no_address_and_signs_in_to_its_desk(
    admin: Admin, browsing: tuple[Any, list[str]], browser: Any
) -> None:
    page, asked = browsing
    sign_in(page, admin, admin.key())
    assert page.url == f"{admin.site.url}/console/admin"
    page.goto(f"{admin.site.url}/console/admin/forms/key")
    page.select_option("#f-role", "staff")
    page.select_option("#f-foundation_id", str(admin.foundation))
    send(page)
    assert "已签发新密钥" in page.inner_text("h1")
    secret = page.inner_text("#new-key").strip()
    assert secret.startswith("mzk_")
    # Back to the form (its address holds its command id) and sent again: the same key, whose
    # secret is not shown a second time.
    page.go_back()
    page.wait_for_load_state()
    page.select_option("#f-role", "staff")
    page.select_option("#f-foundation_id", str(admin.foundation))
    send(page)
    assert "这个密钥已经签发" in page.inner_text("h1")
    assert secret not in page.content()
    for address in [*asked, page.url]:
        assert secret not in address
        assert secret.split("_", 2)[2] not in address
    staffer = browser.new_context(viewport=PHONE)
    try:
        other = staffer.new_page()
        sign_in(other, admin, secret)
        assert other.url == f"{admin.site.url}/console/foundations/{admin.foundation}"
    finally:
        staffer.close()


def every_admin_page(page: Any, admin: Admin, lang: str) -> Iterator[str]:
    """Walk every kind of admin page, yielding its name once the browser shows it."""
    url = admin.site.url
    sign_in(page, admin, admin.key(), lang)
    yield "desk"
    page.goto(f"{url}/console/admin/organizations")
    yield "organisations"
    page.goto(f"{url}/console/admin/organizations?district=pudong")
    yield "organisations of a district"
    for name in FORMS:
        page.goto(f"{url}/console/admin/forms/{name}")
        yield f"form {name}"
    page.goto(f"{url}/console/admin/forms/organization")
    page.fill("#f-name", "测试睦邻中心（虚构）")
    page.select_option("#f-type", "life_services")
    page.select_option("#f-tier", "registered")
    page.check("#f-role_service_center")
    page.select_option("#f-district", "pudong")
    page.fill("#f-subdistrict", "不存在街道")
    page.fill("#f-registered_on", "2020-05-01")
    send(page)
    yield "form refused"
    page.fill("#f-subdistrict", "花木街道")
    send(page)
    yield "recorded"
    page.goto(f"{url}/console/admin/designations")
    yield "designations"
    page.goto(f"{url}/console/admin/forms/key")
    page.select_option("#f-role", "auditor")
    send(page)
    yield "key issued"
    key_id = page.inner_text("dl.recorded code").strip()
    page.go_back()
    page.wait_for_load_state()
    page.select_option("#f-role", "auditor")
    send(page)
    yield "key issued already"
    page.goto(f"{url}/console/admin/keys")
    yield "keys"
    page.goto(f"{url}/console/admin/keys/{key_id}/revoke")
    yield "revocation to confirm"
    send(page)
    yield "revoked"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_finds_nothing_on_any_admin_page(
    admin: Admin, browsing: tuple[Any, list[str]], lang: str
) -> None:
    page, _ = browsing
    seen, found = walk_checked(((name, page) for name in every_admin_page(page, admin, lang)), lang)
    assert len(seen) == 11 + len(FORMS)
    assert found == {}
