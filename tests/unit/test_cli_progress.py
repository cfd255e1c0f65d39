"""The progress line `mingzhang` redraws with `\\r` is ended before any other line is printed, so
an error never reads glued to the end of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import cli.main
from cli.main import main
from transparency.remote import RemoteReport, Unreachable
from transparency.signed_note import Signer


def test_an_error_after_the_progress_line_starts_a_line_of_its_own(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fetch_then_fail(
        url: str, key: str, state: Path | None, progress: Callable[[int, int], None]
    ) -> RemoteReport:
        progress(1000, 2000)
        raise Unreachable(f"{url}/transparency/entries?start=1000&end=2000 answered 500")

    monkeypatch.setattr(cli.main, "verify_remote", fetch_then_fail)
    key = Signer.generate("example.org/log").verifier_key()
    assert main(["verify", "--url", "http://example.org", "--key", key]) == 1
    err = capsys.readouterr().err
    assert err == (
        "\rverify: fetched entries: 1000/2000\n"
        "mingzhang: verify: http://example.org/transparency/entries?start=1000&end=2000"
        " answered 500\n"
    )
