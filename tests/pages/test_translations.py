"""Every string a page can show exists in both languages: each key a template asks for is in
`i18n.MESSAGES`, each message has a Chinese and an English text with the same placeholders, and each
vocabulary label has both names."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from api.pages.charts import INDICATORS
from api.pages.i18n import LABELS, MESSAGES, translate
from api.pages.render import TEMPLATES

# A literal key: `t("home.title")` or `t("asof.banner", day=...)`; a key the template builds
# (`t("grid." ~ name)`) is checked against the names it is built from, below.
ASKED = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']\s*[,)]""")
PAGES = Path(TEMPLATES).parent


def keys_asked() -> set[str]:
    found: set[str] = set()
    sources = [*Path(TEMPLATES).rglob("*.html"), *PAGES.rglob("*.py")]
    for path in (p for p in sources if p.name != "i18n.py"):  # i18n.py names keys in prose
        found.update(ASKED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_indicator_of_the_district_grid_has_its_heading() -> None:
    assert [name for name in INDICATORS if f"grid.{name}" not in MESSAGES] == []


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_the_pages_ask_for_is_translated() -> None:
    asked = keys_asked()
    assert len(asked) > 100, "the scan found too few keys to be reading the templates"
    missing = sorted(asked - set(MESSAGES))
    assert missing == []


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    zh, en = MESSAGES[key]
    assert zh.strip()
    assert en.strip()
    assert placeholders(zh) == placeholders(en)


def test_every_label_has_a_chinese_and_an_english_name() -> None:
    for vocabulary, names in LABELS.items():
        for code, (zh, en) in names.items():
            assert zh.strip(), (vocabulary, code)
            assert en.strip(), (vocabulary, code)


def test_an_unknown_key_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        translate("zh", "no.such.key")
