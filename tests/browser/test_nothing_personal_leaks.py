"""Every page and every download of the demo site, read as the public reads them, holds no value from
its vault: no ID number, phone, address, neighbourhood committee or subject id of any of the fictitious
people the demo entered. A name appears only where its person consented to be named, and only on a page
that says so to caches (kept for seconds, no ETag: `api.pages.render`).

The crawl starts at the home page in both languages and follows every link to this site (a page, a
download, a past day's page, an organisation's page, and where a link redirects, the redirect)
breadth-first, reading at most `PER_KIND` pages of each kind (the log has
an entry page per event; a sample of them is enough, the rest are made by the same code), and every
download it finds.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urljoin, urlsplit
from uuid import UUID

import httpx

from domain.errors import DomainError
from tests.browser.conftest import Site

PER_KIND = 25
LINK = re.compile(r"""href="([^"]+)\"""")
NOT_CRAWLED = ("/docs", "/static/", "/openapi.json", "/transparency/", "/exports/")


def vault_values(site: Site) -> tuple[set[str], set[str]]:
    """(every value but the names, the names) held in the demo's vault, erased people aside."""
    app_vault = site.app.state.ledger.vault
    values: set[str] = set()
    names: set[str] = set()
    for (subject_id,) in app_vault._rows("SELECT subject_id FROM vault_people"):
        values.add(str(subject_id))
        try:
            person = app_vault.read(UUID(str(subject_id)))
        except DomainError:  # erased: nothing left to leak
            continue
        names.add(person.name)
        for value in (person.id_card, person.phone, person.address, person.neighbourhood_committee):
            if value:
                values.add(value)
    return values, names


def kind_of(path: str) -> str:
    parts = [p for p in urlsplit(path).path.split("/") if p]
    query = urlsplit(path).query
    download = "download" if "download=" in query else ""
    as_of = "as_of" if "as_of=" in query else ""
    return "/".join(parts[:1]) + f"[{download}{as_of}]"


def crawl(site: Site) -> dict[str, httpx.Response]:
    seen: dict[str, httpx.Response] = {}
    per_kind: Counter[str] = Counter()
    queue = deque(["/", "/?lang=en"])
    # A redirect is followed (a foundation's /organizations/{id} answers with its foundation page),
    # so the page it leads to is read as the public reads it.
    with httpx.Client(
        base_url=site.url, headers={"Accept": "text/html"}, timeout=30, follow_redirects=True
    ) as client:
        while queue:
            path = queue.popleft()
            if path in seen or per_kind[kind_of(path)] >= PER_KIND:
                continue
            per_kind[kind_of(path)] += 1
            answer = client.get(path)
            seen[path] = answer
            assert answer.status_code == 200, (path, answer.status_code)
            if not answer.headers["content-type"].startswith("text/html"):
                continue
            for href in LINK.findall(answer.text):
                target = urljoin(path, unescape(href))
                split = urlsplit(target)
                if split.netloc or split.path.startswith(NOT_CRAWLED):
                    continue
                queue.append(split.path + (f"?{split.query}" if split.query else ""))
    return seen


def test_no_page_or_download_holds_a_value_from_the_vault(site: Site) -> None:
    secrets, names = vault_values(site)
    assert len(secrets) > 50, "the demo should have entered people"
    pages = crawl(site)
    kinds = Counter(kind_of(path) for path in pages)
    assert any("download" in kind for kind in kinds), kinds
    assert kinds["organizations[]"] > 0, kinds  # the organisations' pages are crawled too
    leaks = []
    for path, answer in pages.items():
        text = answer.content.decode("utf-8-sig")
        leaks += [(path, value) for value in secrets if value in text]
        if "max-age=5" not in answer.headers.get("cache-control", ""):
            leaks += [(path, f"name {name}") for name in names if name in text]
    assert leaks == [], leaks[:10]
