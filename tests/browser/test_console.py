"""The staff console in the public site's browser (issue 17's tests, for its first slice): the real app
over uvicorn, Debian's chromium driven by Playwright, a small ledger of two foundations written through
the ledger's use cases.

A staffer signs in with their key and records a donation from a named, consenting donor through the
form, and the public foundation page names them; a double click, or the back button and a second
send, records the donation once; a form sent without its CSRF token is refused with a page that says
so; foundation A's staff can neither open nor send foundation B's desk and forms; revoking a key ends
its session at the next request; axe finds nothing at WCAG 2.1 A/AA on any console page, in either
language; and neither the key nor the donor's personal data is ever in an address the browser asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from api.console.staff_forms import FORMS
from domain.money import Money
from tests.browser.conftest import Site, accessibility_violations, served_ledger, walk_checked
from tests.support import award, donate, open_fund, person, register

DONOR = "测试捐赠人乙（虚构）"
DONOR_ID_CARD = "11010519491231002X"  # a valid check digit, invented
DONOR_PHONE = "13800138000"


@dataclass(frozen=True)
class Console:
    site: Site
    foundation: UUID  # A: its staff sign in
    fund: UUID
    other: UUID  # B
    other_fund: UUID
    centre: UUID  # a service centre, to receive grants
    unpaid_case: UUID  # an emergency case nothing has been paid on yet

    def key(self, role: str = "staff", foundation: UUID | None = None) -> str:
        owner = (foundation or self.foundation) if role == "staff" else None
        _, token = self.site.app.state.keys.create(role, owner)
        return str(token)

    def caught_up(self) -> None:
        app = self.site.app
        head = app.state.ledger.head()
        for view in app.state.runner.views:
            assert app.state.runner.wait_for(view, head, timeout=60), view


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    with served_ledger(tmp_path_factory.mktemp("console")) as site:
        ledger = site.app.state.ledger
        a = register(ledger, name="陆家嘴社区基金会")
        fund = open_fund(ledger, a, name="社区发展基金")
        donate(ledger, fund, "5000.00")
        centre = register(ledger, name="花木睦邻中心", roles=["service_center"])
        award(ledger, fund, centre, "1200.00")
        relief = open_fund(ledger, a, kind="emergency_relief", name="救急难基金")
        donate(ledger, relief, "3000.00")
        subject = person(ledger, "测试受助人丙（虚构）", owner=a)
        case = UUID("3f1d6c7a-0000-4000-8000-000000000001")
        ledger.open_relief_case(
            case,
            fund_id=relief,
            reason_code="GTIR100",
            purpose_code="GTIP170",
            subdistrict="陆家嘴街道",
            beneficiary_subject_id=subject,
            requested_amount=Money.yuan("800"),
            emergency=True,
            opened_on=date(2024, 3, 1),
        )
        ledger.disburse_relief(
            case,
            disbursement_id=UUID("3f1d6c7a-0000-4000-8000-000000000002"),
            amount=Money.yuan("800"),
            paid_on=date(2024, 3, 1),
        )
        unpaid = UUID("3f1d6c7a-0000-4000-8000-000000000003")
        ledger.open_relief_case(
            unpaid,
            fund_id=relief,
            reason_code="GTIR100",
            purpose_code="GTIP170",
            subdistrict="陆家嘴街道",
            beneficiary_subject_id=subject,
            requested_amount=Money.yuan("500"),
            emergency=True,
            opened_on=date(2024, 6, 1),
        )
        b = register(ledger, name="外滩社区基金会", district="huangpu")
        other_fund = open_fund(ledger, b, name="外滩公益基金")
        found = Console(site, a, fund, b, other_fund, centre, unpaid)
        found.caught_up()
        yield found


def sign_in(page: Any, console: Console, key: str) -> None:
    page.goto(console.site.url + "/console/sign-in")
    page.fill("#key", key)
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()


def fill_donation(page: Any, console: Console, *, amount: str = "66.00") -> None:
    page.goto(f"{console.site.url}/console/foundations/{console.foundation}/forms/donation")
    page.select_option("#f-fund_id", str(console.fund))
    page.fill("#f-amount", amount)
    page.fill("#f-received_on", "2024-04-01")
    page.select_option("#f-donor_kind", "person")
    page.fill("#f-donor_name", DONOR)
    page.fill("#f-donor_id_card", DONOR_ID_CARD)
    page.fill("#f-donor_phone", DONOR_PHONE)
    page.check("#f-publish_name")


def balance(console: Console, fund: UUID | None = None) -> int:
    fen: int = console.site.app.state.ledger.get_fund(fund or console.fund).balance.fen
    return fen


def nothing_secret_in(asked: list[str], page: Any, *secrets: str) -> None:
    for address in [*asked, page.url]:
        for secret in secrets:
            assert secret not in address, address


def test_a_staffer_records_a_named_donation_and_the_public_page_names_the_donor(
    console: Console, browsing: tuple[Any, list[str]]
) -> None:
    page, asked = browsing
    key = console.key()
    sign_in(page, console, key)
    assert page.url == f"{console.site.url}/console/foundations/{console.foundation}"
    assert "陆家嘴社区基金会" in page.inner_text("h1")
    before = balance(console)
    fill_donation(page, console)
    page.click("form.console button[type=submit]")
    assert "已记录" in page.inner_text("h1")
    head = console.site.app.state.ledger.head()
    assert f"位置 {head}" in page.inner_text("main")
    assert DONOR not in page.content()  # the success page says "kept in the vault", not who
    assert balance(console) == before + 6600
    public = page.get_by_role("link", name="公开页面", exact=True)
    assert public.get_attribute("href") == f"/funds/{console.fund}/statement"
    console.caught_up()
    page.goto(f"{console.site.url}/foundations/{console.foundation}")
    assert DONOR in page.inner_text("main")
    nothing_secret_in(asked, page, key, key.split("_", 2)[2], DONOR, DONOR_ID_CARD, DONOR_PHONE)


def test_a_double_click_records_once(console: Console, browsing: tuple[Any, list[str]]) -> None:
    page, asked = browsing
    sign_in(page, console, console.key())
    before = balance(console)
    fill_donation(page, console, amount="7.00")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.dblclick("form.console button[type=submit]")
    page.wait_for_url("**/forms/donation")
    page.wait_for_load_state()
    assert len(posts) >= 1
    assert "已记录" in page.inner_text("h1")  # the first answer, or the repeat's: both say so
    assert balance(console) == before + 700
    nothing_secret_in(asked, page, DONOR, DONOR_ID_CARD, DONOR_PHONE)


def test_the_back_button_returns_to_the_same_command(
    console: Console, browsing: tuple[Any, list[str]]
) -> None:
    page, _ = browsing
    sign_in(page, console, console.key())
    before = balance(console)
    fill_donation(page, console, amount="9.00")
    form_address = page.url
    page.click("form.console button[type=submit]")
    assert "已记录" in page.inner_text("h1")
    page.go_back()
    assert page.url == form_address  # the command id is in the form's address
    fill_donation_again = page.input_value("#f-amount") == ""
    if fill_donation_again:  # the form came back from the server: the same id, typed again
        page.select_option("#f-fund_id", str(console.fund))
        page.fill("#f-amount", "9.00")
        page.fill("#f-received_on", "2024-04-01")
        page.select_option("#f-donor_kind", "person")
        page.fill("#f-donor_name", DONOR)
        page.fill("#f-donor_id_card", DONOR_ID_CARD)
        page.fill("#f-donor_phone", DONOR_PHONE)
        page.check("#f-publish_name")
    page.click("form.console button[type=submit]")
    assert "此前已记录" in page.inner_text("h1")
    assert balance(console) == before + 900


def test_a_form_sent_without_its_csrf_token_is_refused(
    console: Console, browsing: tuple[Any, list[str]]
) -> None:
    page, _ = browsing
    sign_in(page, console, console.key())
    before = balance(console)
    fill_donation(page, console, amount="5.00")
    page.evaluate("document.querySelector('form.console input[name=csrf_token]').remove()")
    with page.expect_navigation() as navigation:
        page.click("form.console button[type=submit]")
    assert navigation.value.status == 403
    assert "csrf_refused" in page.inner_text("main")
    assert accessibility_violations(page) == []
    assert balance(console) == before


def test_staff_of_foundation_a_can_neither_open_nor_send_foundation_bs_forms(
    console: Console, browsing: tuple[Any, list[str]]
) -> None:
    page, _ = browsing
    sign_in(page, console, console.key())
    theirs = f"{console.site.url}/console/foundations/{console.other}"
    assert page.goto(theirs).status == 403
    assert "wrong_foundation" in page.inner_text("main")
    assert page.goto(theirs + "/forms/donation").status == 403
    # Our own form, its token and command id, sent to their address or naming their fund.
    fill_donation(page, console, amount="3.00")
    page.evaluate(
        f"document.querySelector('form.console').action = '/console/foundations/{console.other}"
        "/forms/donation'"
    )
    with page.expect_navigation() as navigation:
        page.click("form.console button[type=submit]")
    assert navigation.value.status == 403
    fill_donation(page, console, amount="3.00")
    page.evaluate(
        "const o = document.createElement('option');"
        f"o.value = '{console.other_fund}'; o.text = 'theirs';"
        "document.querySelector('#f-fund_id').append(o);"
    )
    page.select_option("#f-fund_id", str(console.other_fund))
    with page.expect_navigation() as navigation:
        page.click("form.console button[type=submit]")
    assert navigation.value.status == 403
    assert balance(console, console.other_fund) == 0


def test_revoking_the_key_ends_its_session_at_the_next_request(
    console: Console, browsing: tuple[Any, list[str]]
) -> None:
    page, _ = browsing
    key = console.key()
    sign_in(page, console, key)
    desk = page.url
    console.site.app.state.keys.revoke(key.split("_")[1])
    page.goto(desk)
    assert page.url == f"{console.site.url}/console/sign-in?reason=ended"
    assert "会话已结束" in page.inner_text("main")


def send(page: Any) -> str:
    """Send the form on screen; the answer's heading."""
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()
    text: str = page.inner_text("h1")
    return text


def test_a_staffer_awards_pays_and_closes_a_grant_and_pays_relief_on_the_fast_path_and_ratifies_it(
    console: Console, browsing: tuple[Any, list[str]]
) -> None:
    page, _ = browsing
    sign_in(page, console, console.key())
    forms = f"{console.site.url}/console/foundations/{console.foundation}/forms"
    page.goto(f"{forms}/grant")
    grant = page.url.rsplit("/", 1)[1]  # the command id is the grant's id
    page.select_option("#f-fund_id", str(console.fund))
    page.select_option("#f-recipient_id", str(console.centre))
    page.fill("#f-programme", "社区营造")
    page.fill("#f-title", "睦邻议事厅")
    page.fill("#f-description", "支持居民议事会定期开展活动")
    page.fill("#f-amount", "600.00")
    for name in ("awarded_on", "planned_start"):
        page.fill(f"#f-{name}", "2024-07-01")
    page.fill("#f-planned_end", "2025-06-30")
    assert send(page) == "已记录"
    page.goto(f"{forms}/instalment")
    page.select_option("#f-grant_id", grant)
    page.fill("#f-amount", "250.00")
    page.fill("#f-paid_on", "2024-08-01")
    assert send(page) == "已记录"
    page.goto(f"{forms}/grant-closing")
    page.select_option("#f-grant_id", grant)
    page.fill("#f-outcome", "议事厅每月开放，居民提案十二项")
    page.fill("#f-closed_on", "2024-12-31")
    assert send(page) == "已记录"
    console.caught_up()
    page.goto(f"{console.site.url}/console/foundations/{console.foundation}")
    assert f"/grants/{grant}" in page.inner_html("#tasks-heading + table")  # its report is due
    page.goto(f"{forms}/grant-report")
    page.select_option("#f-grant_id", grant)
    page.fill("#f-summary", "共举办议事会十二次")
    page.fill("#f-received_on", "2025-01-15")
    assert send(page) == "已记录"

    page.goto(f"{forms}/relief-disbursement")
    page.select_option("#f-case_id", str(console.unpaid_case))
    page.fill("#f-amount", "500.00")
    page.fill("#f-paid_on", "2024-06-02")
    assert send(page) == "已记录"
    console.caught_up()
    page.goto(f"{console.site.url}/console/foundations/{console.foundation}")
    tasks = page.inner_text("#tasks-heading + table")
    assert "待追认" in tasks
    page.goto(f"{forms}/ratification")
    page.select_option("#f-case_id", str(console.unpaid_case))
    page.fill("#f-approvers", "6f0e3c1a-1d2b-4c3d-8e4f-5a6b7c8d9e0f")
    page.fill("#f-ratified_on", "2024-06-05")
    assert send(page) == "已记录"

    console.caught_up()
    page.goto(f"{console.site.url}/grants/{grant}")
    shown = page.inner_text("main")
    assert "睦邻议事厅" in shown
    assert "支付资助款 ¥250.00" in shown
    assert "资助结项，未付的 ¥350.00 退回基金" in shown
    assert "收到受资助方报告" in shown
    page.goto(f"{console.site.url}/relief-cases/{console.unpaid_case}")
    shown = page.inner_text("main")
    assert "发放救助款 ¥500.00" in shown
    assert "先行发放的救助款获追认" in shown


def every_console_page(page: Any, console: Console, lang: str) -> Iterator[str]:
    """Walk every kind of console page, yielding its name once the browser shows it."""
    page.goto(f"{console.site.url}/console/sign-in?lang={lang}")
    yield "sign-in"
    page.fill("#key", "mzk_wrong_wrong")
    page.click("form.console button[type=submit]")
    yield "sign-in refused"
    page.fill("#key", console.key())
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()
    yield "desk"
    for name in FORMS:
        page.goto(f"{console.site.url}/console/foundations/{console.foundation}/forms/{name}")
        yield f"form {name}"
    page.goto(f"{console.site.url}/console/foundations/{console.foundation}/forms/donation")
    page.select_option("#f-fund_id", str(console.fund))
    page.fill("#f-amount", "1.005")
    page.fill("#f-received_on", (date.today() + timedelta(days=2)).isoformat())
    page.select_option("#f-donor_kind", "anonymous")
    page.click("form.console button[type=submit]")
    yield "form refused"
    page.fill("#f-amount", "1.00")
    page.fill("#f-received_on", "2024-05-01")
    page.click("form.console button[type=submit]")
    yield "recorded"
    # The same form's address again (its command id): sent again, it is a repeat.
    page.goto(f"{console.site.url}/console/foundations/{console.foundation}/forms/donation")
    again = page.url
    page.select_option("#f-fund_id", str(console.fund))
    page.fill("#f-amount", "1.00")
    page.fill("#f-received_on", "2024-05-01")
    page.select_option("#f-donor_kind", "anonymous")
    page.click("form.console button[type=submit]")
    page.goto(again)
    page.select_option("#f-fund_id", str(console.fund))
    page.fill("#f-amount", "1.00")
    page.fill("#f-received_on", "2024-05-01")
    page.select_option("#f-donor_kind", "anonymous")
    page.click("form.console button[type=submit]")
    yield "repeated"
    page.goto(f"{console.site.url}/console/foundations/{console.other}")
    yield "forbidden"
    page.goto(f"{console.site.url}/console")
    page.click("form.sign-out button[type=submit]")
    yield "signed out"
    page.fill("#key", console.key("auditor"))
    page.click("form.console button[type=submit]")
    yield "another role"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_finds_nothing_on_any_console_page(
    console: Console, browsing: tuple[Any, list[str]], lang: str
) -> None:
    page, _ = browsing
    seen, found = walk_checked(
        ((name, page) for name in every_console_page(page, console, lang)), lang
    )
    assert len(seen) == 9 + len(FORMS)
    assert found == {}
