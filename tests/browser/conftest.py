"""The public site in a real browser: Debian's chromium driven by Playwright for Python, against the
real app served by uvicorn on loopback, over a demo ledger made once per session.

The browser is `/usr/bin/chromium` (apt, `make browser`), never one a tool downloads. Without it these
tests skip and say how to install it; under CI (`MINGZHANG_REQUIRE_BROWSER=1`, set by `.ci/run`) they
fail instead. Screenshots go to `var/test-artifacts/` (or `MINGZHANG_TEST_ARTIFACTS`), kept after the
run for a person to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from api.settings import Settings
from cli.main import main
from tests.deployments import serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
INSTALL = "make browser  (apt-get install chromium fonts-noto-cjk)"
DEMO_EVENTS = 2500
DEMO_SEED = "2021"
PHONE = {"width": 360, "height": 780}
ARTIFACTS = Path(os.environ.get("MINGZHANG_TEST_ARTIFACTS", "var/test-artifacts"))


def require_browser() -> None:
    if CHROMIUM.exists():
        return
    message = f"no browser at {CHROMIUM}; install it with: {INSTALL}"
    if os.environ.get("MINGZHANG_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@dataclass(frozen=True)
class Site:
    """The demo ledger served over HTTP: its base URL and the settings of its database and vault."""

    url: str
    settings: Settings
    folder: Path
    app: Any  # the served FastAPI app: its ledger, vault and views, as the server holds them


def demo_environment(folder: Path) -> dict[str, str]:
    return {
        "MINGZHANG_DATABASE_URL": f"sqlite:///{folder / 'ledger.sqlite'}",
        "MINGZHANG_VAR_DIR": str(folder),
        "MINGZHANG_LOG_ORIGIN": "mingzhang.test/demo",
    }


@contextmanager
def served_ledger(folder: Path, *command: str) -> Iterator[Site]:
    """The ledger in `folder`, after the CLI `command` (if any) has run on it, served over HTTP once
    its views have caught up with its log: the demo site and the empty one are served the same way."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in demo_environment(folder).items():
            patch.setenv(name, value)
        if command:
            assert main(list(command)) == 0
        settings = Settings()
    app = create_app(settings)
    with serving(app) as url:
        # The views follow the log in the server's thread: pages are read once they have caught up.
        head = app.state.ledger.head()
        for view in app.state.runner.views:
            assert app.state.runner.wait_for(view, head, timeout=120), view
        yield Site(url, settings, folder, app)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with served_ledger(
        tmp_path_factory.mktemp("site"), "demo", "--events", str(DEMO_EVENTS), "--seed", DEMO_SEED
    ) as served:
        yield served


@pytest.fixture(scope="session")
def empty_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A ledger with nothing recorded yet, served as the demo is."""
    with served_ledger(tmp_path_factory.mktemp("empty-site")) as served:
        yield served


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """One Playwright for the whole run: a second one cannot start while it runs, so a test that
    needs a browser launched with other flags launches it from this one."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield launched
    finally:
        launched.close()


@pytest.fixture
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a 360-pixel-wide phone's viewport; its screenshot is kept when the test ends."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    try:
        yield page
    finally:
        screenshot(page, request.node.name)
        context.close()


@pytest.fixture
def browsing(browser: Any, request: pytest.FixtureRequest) -> Iterator[tuple[Any, list[str]]]:
    """A phone's page, and every address any page of its context asks for (pages, redirects,
    styles, scripts); its screenshot is kept when the test ends."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    asked: list[str] = []
    context.on("request", lambda r: asked.append(r.url))
    page = context.new_page()
    try:
        yield page, asked
    finally:
        screenshot(page, request.node.name)
        context.close()


def walk_checked(
    pages: Iterable[tuple[str, Any]], lang: str
) -> tuple[list[str], dict[str, list[str]]]:
    """Each (name, page) as it is reached: in the language asked for and no wider than a phone
    (asserted), and what axe finds on it. The names seen, and the findings by name."""
    seen: list[str] = []
    found: dict[str, list[str]] = {}
    for name, page in pages:
        seen.append(name)
        assert page.evaluate("document.documentElement.lang") == (
            "zh-Hans" if lang == "zh" else "en"
        ), name
        violations = accessibility_violations(page)
        if violations:
            found[name] = violations
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], (name, wide)
    return seen, found


@pytest.fixture
def desktop(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        yield page
    finally:
        screenshot(page, request.node.name)
        context.close()


def screenshot(page: Any, name: str) -> None:
    if page.url.startswith("http"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.png"), full_page=True
        )


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def accessibility_violations(page: Any) -> list[str]:
    """What axe-core finds on the page at WCAG 2.1 levels A and AA: one line per violation, naming
    the rule and the first element it concerns (empty when there is none)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    found = results.response.get("violations", [])
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target'] if v['nodes'] else '?'}"
        for v in found
    ]
