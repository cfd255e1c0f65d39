"""The USCC (统一社会信用代码): 18 characters of the GB 32100-2015 alphabet, the last a mod-31 check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidUSCC
from domain.ids import USCC_ALPHABET, uscc_check_character, validate_uscc

PUBLISHED = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code: str) -> None:
    assert validate_uscc(code) == code


def test_a_code_of_the_wrong_length_is_refused_by_the_length_rule() -> None:
    with pytest.raises(InvalidUSCC, match="exactly 18 characters") as caught:
        validate_uscc("9135010")
    assert caught.value.field == "uscc"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V", "a"])
def test_letters_outside_the_alphabet_are_refused_by_the_alphabet_rule(letter: str) -> None:
    code = "91350100M000100Y4" + letter
    with pytest.raises(InvalidUSCC, match="may only use"):
        validate_uscc(code)


def test_a_wrong_check_character_is_refused_naming_the_expected_one() -> None:
    with pytest.raises(InvalidUSCC, match=r"check character is wrong.*expected '3', got '4'"):
        validate_uscc("91350100M000100Y44")


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17), st.sampled_from(USCC_ALPHABET))
def test_exactly_one_check_character_completes_any_seventeen(first17: str, last: str) -> None:
    code = first17 + last
    if last == uscc_check_character(first17):
        assert validate_uscc(code) == code
    else:
        with pytest.raises(InvalidUSCC, match="check character"):
            validate_uscc(code)
