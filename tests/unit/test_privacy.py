"""Personal data: the ID-number check, the canonical encoding and salted commitments."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidText
from domain.privacy import (
    PersonalData,
    commitment,
    id_card_check_character,
    new_salt,
    validate_id_card,
    verify_commitment,
)

PUBLISHED_ID = "11010519491231002X"  # the standard's own example


def test_the_published_example_id_number_is_valid() -> None:
    assert validate_id_card(PUBLISHED_ID) == PUBLISHED_ID
    assert validate_id_card(PUBLISHED_ID.lower()) == PUBLISHED_ID


@pytest.mark.parametrize(
    ("number", "rule"),
    [
        ("1101051949123100", "exactly 18"),
        ("1101051949123100AX", "17 digits"),
        ("110105194912310021", "check character is wrong"),
    ],
)
def test_a_malformed_id_number_is_refused_naming_the_rule(number: str, rule: str) -> None:
    with pytest.raises(InvalidText, match=rule) as caught:
        validate_id_card(number)
    assert caught.value.field == "id_card"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_exactly_one_check_character_completes_any_seventeen_digits(
    first17: str, last: str
) -> None:
    if last == id_card_check_character(first17):
        assert validate_id_card(first17 + last) == first17 + last
    else:
        with pytest.raises(InvalidText, match="check character"):
            validate_id_card(first17 + last)


def test_personal_data_needs_a_name() -> None:
    with pytest.raises(InvalidText, match="name: must contain a visible character"):
        PersonalData.validated(name=" ")


def test_the_canonical_encoding_is_sorted_compact_utf8() -> None:
    data = PersonalData.validated(name="王芳", phone="13800000000")
    assert (
        data.canonical()
        == (
            '{"address":null,"id_card":null,"name":"王芳",'
            '"neighbourhood_committee":null,"phone":"13800000000"}'
        ).encode()
    )


def test_a_commitment_verifies_only_with_its_salt_and_the_same_data() -> None:
    data = PersonalData.validated(name="王芳", id_card=PUBLISHED_ID)
    salt = new_salt()
    committed = commitment(salt, data)
    assert verify_commitment(salt, data, committed)
    assert not verify_commitment(new_salt(), data, committed)
    assert not verify_commitment(salt, PersonalData.validated(name="王芬"), committed)


def test_two_uses_of_one_person_get_unlinkable_commitments() -> None:
    data = PersonalData.validated(name="王芳")
    assert commitment(new_salt(), data) != commitment(new_salt(), data)
