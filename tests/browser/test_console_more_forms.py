"""The console's remaining staff forms in the public site's browser (issue 17; the forms of
api/console/staff_forms_more.py and staff_forms_pairing.py), on the ledger of
tests/browser/test_console.py: axe finds nothing at WCAG 2.1 A/AA on any of them, in either
language, none wider than a 360-pixel phone; and a staffer
opens a relief case with its beneficiary, approves it, pays it and reverses the payment, all through
the forms, while the beneficiary's name is in no address the browser asked, in no page after the
form that took it (refused or recorded), and not on the public case page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote
from uuid import UUID

import pytest

from api.console import catalog, staff_forms
from tests.browser import test_console as first_forms
from tests.browser.conftest import walk_checked
from tests.browser.test_console import Console, nothing_secret_in, send, sign_in

BENEFICIARY = "测试受助人戊（虚构）"
BENEFICIARY_PHONE = "13900139000"
# The first forms' module's ledger, as a fixture of this module too (the phone page is conftest's).
console = first_forms.console
NEW_FORMS = [name for name in catalog.FORMS if name not in staff_forms.FORMS]


def every_new_form(page: Any, console: Console, lang: str) -> Iterator[str]:
    """Walk every new form, then a refused relief case (its beneficiary group with an error)."""
    page.goto(f"{console.site.url}/console/sign-in?lang={lang}")
    page.fill("#key", console.key())
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()
    forms = f"{console.site.url}/console/foundations/{console.foundation}/forms"
    for name in NEW_FORMS:
        page.goto(f"{forms}/{name}")
        yield f"form {name}"
    page.goto(f"{forms}/relief-case")
    page.select_option("#f-fund_id", index=1)
    page.select_option("#f-reason_code", "GTIR100")
    page.select_option("#f-purpose_code", "GTIP170")
    page.fill("#f-subdistrict", "不存在街道")
    page.fill("#f-requested_amount", "100.00")
    page.fill("#f-opened_on", "2024-07-01")
    page.fill("#f-beneficiary_name", "测试受助人己（虚构）")
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()
    yield "relief case refused"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_finds_nothing_on_the_new_forms(
    console: Console, browsing: tuple[Any, list[str]], lang: str
) -> None:
    page, _ = browsing
    seen, found = walk_checked(((name, page) for name in every_new_form(page, console, lang)), lang)
    assert len(seen) == len(NEW_FORMS) + 1
    assert found == {}


def test_a_staffer_opens_approves_pays_and_reverses_a_relief_case_and_its_beneficiary_stays_private(
    console: Console, browsing: tuple[Any, list[str]]
) -> None:
    page, asked = browsing
    sign_in(page, console, console.key())
    forms = f"{console.site.url}/console/foundations/{console.foundation}/forms"
    after: list[str] = []  # every page shown after the form that took the beneficiary

    def sent() -> str:
        heading = send(page)
        after.append(page.content())
        return heading

    page.goto(f"{forms}/relief-case")
    case = page.url.rsplit("/", 1)[1]  # the command id is the case's id
    page.select_option("#f-fund_id", index=1)  # the foundation's one emergency-relief fund
    page.select_option("#f-reason_code", "GTIR010")
    page.select_option("#f-purpose_code", "GTIP070")
    page.fill("#f-subdistrict", "陆家嘴街道")
    page.fill("#f-requested_amount", "600.00")
    page.fill("#f-opened_on", "2024-07-01")
    page.fill("#f-beneficiary_name", BENEFICIARY)
    page.fill("#f-beneficiary_phone", BENEFICIARY_PHONE)
    # First refused (an amount that is no amount): the form again, the person asked for again
    # rather than written back into the page.
    page.fill("#f-requested_amount", "六百")
    assert send(page) == "开立救急难个案"
    assert BENEFICIARY not in page.content()
    assert page.input_value("#f-beneficiary_name") == ""
    assert page.get_attribute("#f-requested_amount", "aria-invalid") == "true"
    page.fill("#f-requested_amount", "600.00")
    page.select_option("#f-reason_code", "GTIR010")  # the detailed reason is the vault's too
    page.fill("#f-beneficiary_name", BENEFICIARY)
    page.fill("#f-beneficiary_phone", BENEFICIARY_PHONE)
    assert sent() == "已记录"
    assert "已存入个人信息库" in page.inner_text("main")

    page.goto(f"{forms}/relief-approval")
    after.append(page.content())
    page.select_option("#f-case_id", case)
    page.fill("#f-amount", "600.00")
    page.fill("#f-approvers", "6f0e3c1a-1d2b-4c3d-8e4f-5a6b7c8d9e0f")
    page.fill("#f-approved_on", "2024-07-02")
    assert sent() == "已记录"

    page.goto(f"{forms}/relief-disbursement")
    payment = page.url.rsplit("/", 1)[1]
    page.select_option("#f-case_id", case)
    page.fill("#f-amount", "600.00")
    page.fill("#f-paid_on", "2024-07-03")
    assert sent() == "已记录"

    page.goto(f"{forms}/relief-reversal")
    after.append(page.content())
    page.select_option("#f-case_id", case)
    page.select_option("#f-disbursement_id", payment)
    page.fill("#f-reason", "重复发放，款项退回")
    page.fill("#f-reversed_on", "2024-07-04")
    assert sent() == "已记录"

    ledger = console.site.app.state.ledger
    recorded = ledger.get_relief_case(UUID(case))
    assert recorded.disbursed.fen == 0
    assert recorded.approved is not None

    console.caught_up()
    page.goto(f"{console.site.url}/relief-cases/{case}")
    shown = page.inner_text("main")
    assert "发放救助款 ¥600.00" in shown
    assert "更正说明：一笔 ¥600.00 的救助款撤销" in shown
    after.append(page.content())
    for html in after:
        assert BENEFICIARY not in html
        assert BENEFICIARY_PHONE not in html
    nothing_secret_in(asked, page, BENEFICIARY, quote(BENEFICIARY), BENEFICIARY_PHONE)
