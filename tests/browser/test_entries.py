"""An entry's page, /verify and the record histories in a real browser, over the demo ledger: the
entry's proof recomputed by `static/proof.js` with Web Crypto from the static tiles alone shows valid
(and its Ed25519 signature too), a proof or leaf changed by one hash or one byte shows not valid, JavaScript off still shows the
entry, its proof and the checkpoint, the histories show the reader's figures and download as listed,
and axe finds nothing at A/AA on any of them."""

from __future__ import annotations

import base64
import csv
import io
import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from api.pages import formatting
from cli.compose import open_views
from projections.disclosure import reader
from projections.disclosure.rows import GrantRow, PairingRow, ReliefCaseRow
from projections.history import steps_of
from storage.viewdb import ViewDB
from tests.browser.conftest import Site, accessibility_violations
from transparency.tiles import entry_bundle, parse_entry_bundle

CHECKED = 10_000  # ms the in-browser check may take


@pytest.fixture(scope="module")
def views(site: Site) -> Iterator[ViewDB]:
    db = open_views(site.settings)
    try:
        yield db
    finally:
        db.close()


def fetch(site: Site, path: str) -> bytes:
    with urllib.request.urlopen(site.url + path) as answer:
        body: bytes = answer.read()
        return body


def an_entry(site: Site) -> int:
    """A donation's entry in the middle of the demo log (its proof has hashes on both sides)."""
    size = int(fetch(site, "/transparency/checkpoint").decode().splitlines()[1])
    return size // 2


def wait_checked(page: Any) -> None:
    page.wait_for_function(
        "() => { const s = document.getElementById('proof-status');"
        " return s && (s.classList.contains('valid') || s.classList.contains('invalid')); }",
        timeout=CHECKED,
    )
    page.wait_for_function(
        "() => document.getElementById('signature-status').textContent.length > 0",
        timeout=CHECKED,
    )


def test_an_entry_shows_valid_once_the_browser_recomputed_its_proof(phone: Any, site: Site) -> None:
    violations: list[str] = []
    phone.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    answer = phone.goto(f"{site.url}/entries/{an_entry(site)}")
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    wait_checked(phone)
    status = phone.locator("#proof-status")
    assert "valid" in (status.get_attribute("class") or "").split()
    assert status.get_attribute("role") == "status"
    assert status.inner_text().startswith("有效")
    signature = phone.locator("#signature-status")
    assert "valid" in (signature.get_attribute("class") or "").split(), signature.inner_text()
    # The data block is read under the strict policy: no violation was reported.
    assert violations == []


def test_a_proof_with_one_hash_changed_shows_not_valid(phone: Any, site: Site) -> None:
    phone.goto(f"{site.url}/entries/{an_entry(site)}?lang=en")
    wait_checked(phone)
    result = phone.evaluate(
        """async () => {
            const block = document.getElementById('proof-data');
            const data = JSON.parse(block.textContent);
            const first = data.path[0];
            data.path[0] = (first[0] === '0' ? '1' : '0') + first.slice(1);
            block.textContent = JSON.stringify(data);
            return await window.mingzhangProof.check();
        }"""
    )
    assert result["proof"] is False
    status = phone.locator("#proof-status")
    assert "invalid" in (status.get_attribute("class") or "").split()
    assert status.inner_text().startswith("Not valid")


def test_the_check_reads_the_static_tiles_alone(phone: Any, site: Site) -> None:
    # What a mirror serves is enough: the dynamic endpoints refused, the entry still checks.
    asked: list[str] = []
    phone.on("request", lambda request: asked.append(request.url))
    phone.route("**/transparency/**", lambda route: route.abort())
    phone.goto(f"{site.url}/entries/{an_entry(site)}")
    wait_checked(phone)
    assert "valid" in (phone.locator("#proof-status").get_attribute("class") or "").split()
    fetched = [url for url in asked if "/tlog/" in url]
    assert any("/tlog/tile/entries/" in url for url in fetched)
    assert any("/tlog/tile/0/" in url for url in fetched)
    assert not [url for url in asked if "/transparency/" in url]


def test_leaf_data_with_one_byte_changed_shows_not_valid(phone: Any, site: Site) -> None:
    index = an_entry(site)

    def tamper(route: Any) -> None:
        answer = route.fetch()
        entries = parse_entry_bundle(answer.body())
        leaf = bytearray(entries[index % 256])
        leaf[-2] ^= 0x01
        entries[index % 256] = bytes(leaf)
        # The body is sent as it is: not with the origin's gzip Content-Encoding or length.
        plain = {
            name: value
            for name, value in answer.headers.items()
            if name.lower() not in ("content-encoding", "content-length")
        }
        route.fulfill(status=answer.status, headers=plain, body=entry_bundle(entries))

    phone.route("**/tlog/tile/entries/**", tamper)
    phone.goto(f"{site.url}/entries/{index}")
    wait_checked(phone)
    assert "invalid" in (phone.locator("#proof-status").get_attribute("class") or "").split()
    assert phone.locator("#proof-status").inner_text().startswith("无效")  # not "could not check"
    # The signature is the checkpoint's: still valid.
    assert "valid" in (phone.locator("#signature-status").get_attribute("class") or "").split()


def test_a_checkpoint_note_changed_fails_its_signature(phone: Any, site: Site) -> None:
    phone.goto(f"{site.url}/entries/{an_entry(site)}")
    wait_checked(phone)
    result = phone.evaluate(
        """async () => {
            const block = document.getElementById('proof-data');
            const data = JSON.parse(block.textContent);
            data.note = data.note.replace('\\n', '-forged\\n');
            block.textContent = JSON.stringify(data);
            return await window.mingzhangProof.check();
        }"""
    )
    assert result["signature"] is False


def test_without_javascript_the_entry_its_proof_and_the_checkpoint_are_shown(
    browser: Any, site: Site
) -> None:
    index = an_entry(site)
    size = int(fetch(site, "/transparency/checkpoint").decode().splitlines()[1])
    proof = json.loads(fetch(site, f"/transparency/proofs/inclusion?index={index}&size={size}"))
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 780})
    try:
        page = context.new_page()
        page.goto(f"{site.url}/entries/{index}")
        assert page.locator("h1").inner_text() == f"日志第 {index} 条记录"
        assert page.locator(".sentence").inner_text()
        assert page.locator("#leaf-hash").inner_text() == proof["leaf_hash"]
        assert page.locator("#proof-path li code").all_inner_texts() == proof["proof"]
        assert page.locator("#checkpoint-note").inner_text().splitlines()[1] == str(size)
        assert "JavaScript" in page.locator("#proof-status").inner_text()
    finally:
        context.close()


def test_the_entry_page_has_no_accessibility_violations(phone: Any, site: Site) -> None:
    phone.goto(f"{site.url}/entries/{an_entry(site)}")
    wait_checked(phone)
    assert accessibility_violations(phone) == []


def test_the_verify_page_shows_the_checkpoint_the_key_and_the_command(
    phone: Any, site: Site
) -> None:
    key = fetch(site, "/transparency/public-key").decode().strip()
    note = fetch(site, "/transparency/checkpoint").decode()
    phone.goto(f"{site.url}/verify?lang=en")
    assert phone.locator("#checkpoint-note").inner_text().strip() == note.strip()
    assert phone.locator("#verifier-key").inner_text().strip() == key
    command = phone.locator("#verify-command").inner_text()
    assert command == f"mingzhang verify --url {site.url} --key '{key}' --views"
    assert accessibility_violations(phone) == []


# --- the record histories -------------------------------------------------------------------------


def busiest(rows: tuple[Any, ...], views: ViewDB, key: str) -> Any:
    return max(rows, key=lambda row: len(steps_of(views, getattr(row, key))))


def a_grant(views: ViewDB) -> GrantRow:
    return busiest(reader.grants(views).items, views, "grant_id")  # type: ignore[no-any-return]


def a_pairing(views: ViewDB) -> PairingRow:
    return busiest(reader.pairings(views).items, views, "pairing_id")  # type: ignore[no-any-return]


def a_case(views: ViewDB) -> ReliefCaseRow:
    return busiest(reader.relief_cases(views).items, views, "case_id")  # type: ignore[no-any-return]


def history_links(page: Any) -> list[int]:
    cells = page.locator("main table.data tbody td a[href^='/entries/']").all_inner_texts()
    return [int(text.lstrip("#")) for text in cells]


def test_a_grant_page_shows_the_readers_figures_and_every_step_oldest_first(
    phone: Any, site: Site, views: ViewDB
) -> None:
    grant = a_grant(views)
    phone.goto(f"{site.url}/grants/{grant.grant_id}")
    summary = phone.locator("main dl.facts").inner_text()
    assert formatting.money(grant.awarded_fen) in summary
    assert formatting.money(grant.paid_fen) in summary
    assert grant.title in phone.locator("h1").inner_text()
    steps = steps_of(views, grant.grant_id)
    assert history_links(phone) == [s.leaf_index for s in steps]
    assert len(steps) > 1
    assert accessibility_violations(phone) == []


def test_a_grant_history_download_reads_back_as_the_rows_on_screen(
    phone: Any, site: Site, views: ViewDB
) -> None:
    grant = a_grant(views)
    phone.goto(f"{site.url}/grants/{grant.grant_id}")
    on_screen = history_links(phone)
    with phone.expect_download() as waiting:
        phone.get_by_role("link", name="下载 CSV").click()
    path = waiting.value.path()
    with open(path, encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(io.StringIO(file.read())))
    assert [int(r["leaf_index"]) for r in rows] == on_screen
    assert all(r["step"] for r in rows)


def test_a_pairing_page_shows_its_parties_and_every_step(
    phone: Any, site: Site, views: ViewDB
) -> None:
    pairing = a_pairing(views)
    phone.goto(f"{site.url}/pairings/{pairing.pairing_id}?lang=en")
    heading = phone.locator("h1").inner_text()
    assert heading.startswith("Pairing:")
    assert (pairing.lead_name or "") in heading
    assert (pairing.partner_name or "") in heading
    assert history_links(phone) == [s.leaf_index for s in steps_of(views, pairing.pairing_id)]
    assert accessibility_violations(phone) == []


def test_a_relief_case_page_shows_only_public_fields_and_every_step(
    phone: Any, site: Site, views: ViewDB
) -> None:
    case = a_case(views)
    answer = phone.goto(f"{site.url}/relief-cases/{case.case_id}")
    html = answer.text()
    assert case.subdistrict in phone.locator("h1").inner_text()
    assert formatting.money(case.paid_fen) in phone.locator("main dl.facts").inner_text()
    assert history_links(phone) == [s.leaf_index for s in steps_of(views, case.case_id)]
    # Neither the case's vault reference nor its commitments, which its opening event carries.
    (opening,) = (
        n
        for n in site_notifications(site, steps_of(views, case.case_id)[0].leaf_index)
        if n is not None
    )
    for name in ("beneficiary_ref", "beneficiary_commitment", "reason_commitment"):
        value = opening.get(name)
        if value:
            assert str(value) not in html, name
    assert accessibility_violations(phone) == []


def site_notifications(site: Site, index: int) -> list[dict[str, Any] | None]:
    """The stored state of entry `index`, read from the public leaf data."""
    from transparency.leaf import parse_leaf_data

    body = json.loads(fetch(site, f"/transparency/entries?start={index}&end={index + 1}"))
    _, _, _, state = parse_leaf_data(base64.b64decode(body["leaves"][0]))
    return [json.loads(state)]


def test_where_the_browser_offers_no_web_crypto_the_page_says_it_cannot_check_not_that_it_is_invalid(
    site: Site, playwright: Any
) -> None:
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    # Plain HTTP to a name that is not localhost is not a secure context: no crypto.subtle there.
    port = site.url.rsplit(":", 1)[1]
    rule = "--host-resolver-rules=MAP ledger.example 127.0.0.1"
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, rule])
    try:
        page = browser.new_page()
        page.goto(f"http://ledger.example:{port}/entries/{an_entry(site)}")
        assert page.evaluate("() => window.isSecureContext") is False
        page.evaluate("() => window.mingzhangProof.done")
        status = page.locator("#proof-status")
        assert status.inner_text().startswith("此处无法核验")
        assert "invalid" not in (status.get_attribute("class") or "")
    finally:
        browser.close()
