"""`check_text`, the one gate of every free text: what it refuses, what it stores, and that what it
accepts can be written anywhere (UTF-8, PostgreSQL text) and checked again unchanged."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.checks import BIDI_CONTROLS, check_text
from domain.errors import InvalidText
from domain.privacy import PersonalData


def refusal(value: str, **options: object) -> InvalidText:
    with pytest.raises(InvalidText) as caught:
        check_text(value, field="name", **options)  # type: ignore[arg-type]
    assert caught.value.field == "name"
    assert caught.value.code == "invalid_text"
    assert caught.value.message.startswith("name: ")
    return caught.value


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("社区\ud800基金", "lone surrogate"),
        ("\udfff", "lone surrogate"),
        ("社区\x00基金", "control characters"),
        ("社区\x07基金", "control characters"),
        ("社区\t基金", "control characters"),
        ("社区\x7f基金", "control characters"),
        ("社区\x85基金", "control characters"),
        ("社区\n基金", "control characters"),
        ("社区\u202e金基", "bidirectional"),
        ("社区\u2066基金\u2069", "bidirectional"),
        ("\u200f社区基金", "bidirectional"),
        ("社区\u061c基金", "bidirectional"),
        ("", "visible character"),
        ("   ", "visible character"),
        ("\u3000\u3000", "visible character"),
        ("\u200b\u200c\u200d", "visible character"),
        ("\u2060\ufeff", "visible character"),
        ("\u00a0\u2028\u2029", "visible character"),
        ("\u3164", "visible character"),
    ],
)
def test_a_text_is_refused_naming_the_field_and_the_rule_never_the_text(
    value: str, rule: str
) -> None:
    error = refusal(value)
    assert rule in error.message
    assert value == "" or value not in error.message
    assert "社区" not in error.message


def test_a_multiline_field_takes_line_breaks_and_nothing_else_of_the_controls() -> None:
    assert check_text("第一段\n第二段\r\n第三段", field="summary", multiline=True) == (
        "第一段\n第二段\r\n第三段"
    )
    with pytest.raises(InvalidText, match="other than line breaks"):
        check_text("第一段\x00", field="summary", multiline=True)
    with pytest.raises(InvalidText, match="visible character"):
        check_text("\n\r\n", field="summary", multiline=True)


def test_a_text_is_stored_in_nfc() -> None:
    decomposed = "Cafe\u0301 社区"
    assert check_text(decomposed, field="name") == "Caf\u00e9 社区"


def test_the_length_limit_counts_characters_after_nfc() -> None:
    # Ten "é" written as e + combining accent: 20 code points sent, 10 characters stored.
    assert check_text("e\u0301" * 10, field="name", max_length=10) == "\u00e9" * 10
    error = refusal("\u00e9" * 11, max_length=10)
    assert "at most 10 characters, got 11" in error.message


def test_visible_text_with_joiners_and_inner_spaces_is_kept_as_it_is() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467 家庭"
    assert check_text(family, field="name") == family
    assert check_text("社区　基金", field="name") == "社区　基金"


def test_a_person_for_the_vault_goes_through_the_same_gate() -> None:
    with pytest.raises(InvalidText) as caught:
        PersonalData.validated(name="王\x00芳")
    assert caught.value.field == "name"
    with pytest.raises(InvalidText) as caught:
        PersonalData.validated(name="王芳", address="\u202e路京南")
    assert caught.value.field == "address"
    assert PersonalData.validated(name="Zoe\u0308").name == "Zo\u00eb"


FORBIDDEN = {chr(c) for c in range(0xD800, 0xE000)} | set(BIDI_CONTROLS)
# Any code point, surrogates included, and often the ones the rules are about.
NASTY = "\x00\t\n\r\x7f\u200b\u200d\u2060\ufeff\u3000\u202e\u2066\u200f\ud800\udfffe\u0301"
TEXTS = st.text(
    st.one_of(st.characters(exclude_categories=()), st.sampled_from(NASTY), st.just("社")),
    max_size=40,
)


@given(TEXTS)
def test_an_accepted_text_is_nfc_free_of_forbidden_characters_and_checks_again_unchanged(
    value: str,
) -> None:
    try:
        text = check_text(value, field="name", max_length=40)
    except InvalidText:
        return
    assert unicodedata.is_normalized("NFC", text)
    assert not FORBIDDEN & set(text)
    assert not any(unicodedata.category(c) == "Cc" for c in text)
    assert text.strip() or any(unicodedata.category(c)[0] not in "CZ" for c in text)
    assert check_text(text, field="name", max_length=40) == text
    text.encode("utf-8")  # every store can hold it


@given(TEXTS)
def test_a_multiline_text_accepted_keeps_only_line_breaks_of_the_controls(value: str) -> None:
    try:
        text = check_text(value, field="summary", multiline=True)
    except InvalidText:
        return
    assert {c for c in text if unicodedata.category(c) == "Cc"} <= {"\n", "\r"}
    assert check_text(text, field="summary", multiline=True) == text
