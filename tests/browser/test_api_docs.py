"""`/docs` under its own Content-Security-Policy: Swagger UI's one inline script is allowed by its
hash and nothing else inline, and the page still renders the API's operations."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Site


def test_the_api_docs_render_under_their_content_security_policy(desktop: Any, site: Site) -> None:
    refused: list[str] = []
    desktop.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    answer = desktop.goto(site.url + "/docs")
    assert "sha256-" in answer.headers["content-security-policy"]
    desktop.locator(".opblock").first.wait_for(timeout=15000)
    assert desktop.locator(".opblock").count() > 20
    assert refused == []
