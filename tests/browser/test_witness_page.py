"""/verify with two witnesses in a real browser: the table of what each last cosigned, in both
languages, with no accessibility violation at WCAG 2.1 A or AA, within a 360-pixel-wide phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api.test_witnessed_log import configured, deployment_with, witness_server
from tests.browser.conftest import PHONE, accessibility_violations
from tests.deployments import ORIGIN
from transparency.signed_note import Signer


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_witnesses_table_is_accessible_and_fits_a_phone(
    phone: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    signer = Signer.generate(ORIGIN)
    key = signer.verifier_key()
    with (
        witness_server("w1.test/witness", key, tmp_path / "w1.sqlite") as first,
        witness_server("w2.test/witness", key, tmp_path / "w2.sqlite") as second,
        deployment_with(tmp_path, monkeypatch, signer, configured([first, second])) as log,
    ):
        two = [first, second]
        log.donate(1)
        log.wait_for_cosignatures(3, two)
        phone.goto(f"{log.url}/verify?lang={lang}")
        rows = phone.locator("#witnesses tbody tr")
        assert rows.count() == 2
        assert two[0].key in rows.nth(0).inner_text()
        assert "--quorum 2" in phone.locator("#verify-command").inner_text()
        assert accessibility_violations(phone) == []
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
