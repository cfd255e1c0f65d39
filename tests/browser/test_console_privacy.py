"""The privacy officer's desk in the public site's browser (issue 17): the real app over uvicorn,
Debian's chromium, a phone's 360-pixel-wide screen.

A privacy officer signs in and lands on their desk; finds a person by ID number (after mistyping it)
and by reference; opens the proof of a relief case (with what was paid) and prints the proof of a
donation, without the site's frame; and erases a
person from one tab while a second tab, opened on the same confirmation, then erases nothing more and
says so. axe finds nothing at WCAG 2.1 A/AA on any of these pages in either language, nor on the
proof's print view, no page is wider than the phone, and no address the browser asked for holds the
ID number, the name or the phone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.money import Money
from tests.browser.conftest import (
    PHONE,
    Site,
    accessibility_violations,
    served_ledger,
    walk_checked,
)
from tests.support import donate, open_fund, person, register, relief_case, vault_of

NAME = "测试受助人壬（虚构）"
ID_CARD = "11010519491231002X"  # a valid check character, invented
MISTYPED = "110105194912310021"
PHONE_NUMBER = "13900005555"
ERASED = {"zh": "测试捐赠人癸（虚构）", "en": "测试捐赠人子（虚构）"}


@dataclass(frozen=True)
class Desk:
    site: Site
    subject: UUID  # NAME: a donation and a relief case
    donor_ref: UUID
    erasable: dict[str, UUID]  # one person a language to erase, by reference
    erasable_refs: dict[str, UUID]

    def key(self) -> str:
        _, token = self.site.app.state.keys.create("privacy_officer", None)
        return str(token)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    with served_ledger(tmp_path_factory.mktemp("privacy")) as site:
        ledger = site.app.state.ledger
        vault = vault_of(ledger)
        a = register(ledger, name="陆家嘴社区基金会")
        fund = open_fund(ledger, a, name="社区发展基金")
        relief = open_fund(ledger, a, kind="emergency_relief", name="救急难基金")
        donate(ledger, relief, "3000.00")
        subject = person(ledger, NAME, owner=a, id_card=ID_CARD, phone=PHONE_NUMBER)
        donate(ledger, fund, "66.00", donor_kind="person", donor_subject_id=subject)
        case = relief_case(ledger, relief, subject, emergency=True)
        ledger.disburse_relief(
            case, disbursement_id=uuid4(), amount=Money.yuan("800"), paid_on=date(2024, 3, 1)
        )
        erasable, refs = {}, {}
        for lang, name in ERASED.items():
            erasable[lang] = person(ledger, name, owner=a)
            donate(ledger, fund, "8.00", donor_kind="person", donor_subject_id=erasable[lang])
            (refs[lang],) = vault.references_of(erasable[lang])
        head = ledger.head()
        for view in site.app.state.runner.views:
            assert site.app.state.runner.wait_for(view, head, timeout=60), view
        yield Desk(site, subject, vault.references_of(subject)[0], erasable, refs)


def sign_in(page: Any, desk: Desk, lang: str) -> None:
    page.goto(f"{desk.site.url}/console/sign-in?lang={lang}")
    page.fill("#key", desk.key())
    page.click("form.console button[type=submit]")
    page.wait_for_load_state()


def find(page: Any, by: str, value: str) -> None:
    page.fill(f"#f-{by}", value)
    page.click(f"form:has(#f-{by}) button[type=submit]")
    page.wait_for_load_state()


def open_erasure(page: Any, desk: Desk, lang: str) -> None:
    page.goto(f"{desk.site.url}/console/privacy")
    find(page, "reference", str(desk.erasable_refs[lang]))
    page.click("form[action='/console/privacy/erase/confirm'] button")
    page.wait_for_load_state()


def every_privacy_page(page: Any, desk: Desk, lang: str) -> Iterator[tuple[str, Any]]:
    """Walk every kind of page of the desk, yielding its name and the tab that shows it."""
    sign_in(page, desk, lang)
    assert page.url.endswith("/console/privacy")
    yield "desk", page
    find(page, "id_card", MISTYPED)
    yield "find refused", page
    find(page, "id_card", ID_CARD)
    assert NAME in page.inner_text("main")
    yield "person", page
    page.click("form[action='/console/privacy/proof'] button >> nth=1")  # the relief case's
    page.wait_for_load_state()
    assert "¥800.00" in page.inner_text("article.proof"), "what was paid"
    yield "proof", page
    other = page.context.new_page()
    open_erasure(other, desk, lang)
    open_erasure(page, desk, lang)
    yield "erase confirm", page
    page.click("form[action='/console/privacy/erase'] button")
    page.wait_for_load_state()
    yield "erased", page
    other.click("form[action='/console/privacy/erase'] button")
    other.wait_for_load_state()
    yield "already erased", other
    other.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_finds_nothing_on_any_privacy_page_and_no_address_holds_the_person(
    desk: Desk, browsing: tuple[Any, list[str]], lang: str
) -> None:
    page, asked = browsing
    seen, found = walk_checked(every_privacy_page(page, desk, lang), lang)
    assert seen == [
        "desk",
        "find refused",
        "person",
        "proof",
        "erase confirm",
        "erased",
        "already erased",
    ]
    assert found == {}
    assert vault_of(desk.site.app.state.ledger).erased_on(desk.erasable[lang]) is not None
    assert asked, "the browser asked for nothing?"
    for address in asked:
        for secret in (ID_CARD, ID_CARD.lower(), MISTYPED, NAME, PHONE_NUMBER, ERASED[lang]):
            assert secret not in address, address
        assert str(desk.subject) not in address, address


def test_the_proof_prints_without_the_sites_frame_and_passes_axe(
    desk: Desk, browsing: tuple[Any, list[str]]
) -> None:
    page, _ = browsing
    sign_in(page, desk, "en")
    find(page, "reference", str(desk.donor_ref))
    page.click("form[action='/console/privacy/proof'] button >> nth=0")
    page.wait_for_load_state()
    assert page.is_visible("header.site")
    page.emulate_media(media="print")
    for hidden in ("header.site", "footer.site", "form.sign-out", ".screen-only"):
        assert not page.is_visible(hidden), hidden
    shown = page.inner_text("article.proof")
    assert "Proof of a record in the public ledger" in shown
    assert "A donation of ¥66.00 was received" in shown
    assert NAME in shown
    assert "HMAC-SHA-256" in shown
    assert accessibility_violations(page) == []
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE["width"], wide
    page.goto(f"{desk.site.url}/console/privacy")
    assert page.is_visible("header.site"), "other pages print as they are shown"
