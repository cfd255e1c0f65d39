"""Today's code still writes the stored format, byte for byte, not only reads it.

`tests/stored_format` proves that the committed log decodes and replays. This proves the other half:
the story that made `ledger-v1.jsonl`, run again by today's code, stores the same rows with the same
keys, in the same order, with the same encodings. Only what differs on every run is set aside: the
recording times, and the vault's random references and commitments (ids and hashes are compared by
where they first appear and recur, so the shape of every row still counts).
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.stored_format.generate import main as write_fixture

FIXTURE = Path(__file__).parents[1] / "stored_format" / "ledger-v1.jsonl"
MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00")
HEX_ID = re.compile(
    r"[0-9a-f]{64}|[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}"
)


def comparable(text: str) -> list[str]:
    """The rows with times blanked and each distinct id or hash named by its first appearance."""
    names: dict[str, str] = {}

    def name(match: re.Match[str]) -> str:
        return names.setdefault(match.group(0).replace("-", ""), f"<{len(names)}>")

    return [HEX_ID.sub(name, MOMENT.sub("<time>", line)) for line in text.splitlines()]


def test_the_fixture_story_written_again_stores_the_same_rows(tmp_path: Path) -> None:
    written = tmp_path / "ledger.jsonl"
    write_fixture(str(written))
    again, then = comparable(written.read_text("utf-8")), comparable(FIXTURE.read_text("utf-8"))
    assert len(again) == len(then) == 936
    differing = [(old, new) for old, new in zip(then, again, strict=True) if old != new]
    assert differing == []
