"""Personal data typed into a public free text is refused: a valid resident ID number, a mainland
mobile number or an e-mail address, however it is spaced or written (full-width digits too), with
`personal_data_in_public_text` naming the field and never quoting the text. A person's own fields,
which go to the vault, keep taking them."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.checks import check_public_text, check_text, id_card_check_character
from domain.errors import InvalidText, PersonalDataInPublicText
from domain.privacy import PersonalData, validate_id_card

ID_NUMBER = "11010519491231002X"


def refused(text: str) -> PersonalDataInPublicText:
    with pytest.raises(PersonalDataInPublicText) as caught:
        check_text(text, field="reason")
    error = caught.value
    assert (error.code, error.field) == ("personal_data_in_public_text", "reason")
    assert "person fields" in error.message
    return error


@pytest.mark.parametrize(
    "text",
    [
        f"申请人身份证{ID_NUMBER}，不符合条件",
        f"身份证 {ID_NUMBER.lower()}",
        "身份证110105 19491231 002X",
        "身份证１１０１０５１９４９１２３１００２Ｘ",  # full-width, as Chinese IMEs type it
        "联系电话13912345678",
        "联系电话 139 1234 5678",
        "联系电话139-1234-5678",
        "联系电话+86 13912345678",
        "联系电话+8613912345678",
        "联系电话１３９１２３４５６７８",
        "请发邮件至 wang.fang@example.com",
        "请发邮件至 wang＠example.cn",
    ],
)
def test_a_public_text_holding_an_id_number_a_mobile_or_an_email_is_refused(text: str) -> None:
    error = refused(text)
    for part in ("13912345678", "1234", "example", "002X", "19491231"):
        assert part not in error.message


@pytest.mark.parametrize(
    "text",
    [
        "2024年3月发放救助金3000.00元",
        "金额12345678901234567元",  # 17 digits: no ID number
        "110105194912310021号文件",  # the check character is wrong: not an ID number
        "110105194913310024",  # no 13th month: not an ID number
        "统一社会信用代码91110000600037341L",
        "编号12912345678",  # 12x is no mobile prefix
        "编号139123456789",  # 12 digits: no mobile number
        "社区@居委会",
    ],
)
def test_a_public_text_with_numbers_that_are_not_personal_data_is_accepted(text: str) -> None:
    assert check_text(text, field="reason") == text


def test_a_persons_own_fields_keep_taking_what_a_public_text_may_not() -> None:
    data = PersonalData.validated(
        name="王芳 wang@example.com",
        id_card=ID_NUMBER,
        phone="139 1234 5678",
        address="浦东新区某路1号 13912345678",
        neighbourhood_committee="某居委会",
    )
    assert data.phone == "139 1234 5678"


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.integers(100000, 999999))
    born = draw(st.dates(date(1900, 1, 1), date(2026, 12, 1)))
    serial = draw(st.integers(0, 999))
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + id_card_check_character(first17)


TEXT = st.text(
    st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs")), max_size=30
)


def not_ending_in_a_digit(text: str) -> bool:
    return unicodedata.normalize("NFKC", text)[-1:] not in set("0123456789")


@given(id_numbers(), TEXT.filter(not_ending_in_a_digit), st.text("社区救助 ，。", max_size=5))
def test_any_valid_id_number_embedded_in_a_text_is_refused(
    number: str, before: str, after: str
) -> None:
    with pytest.raises(PersonalDataInPublicText):
        check_public_text(before + number + after, field="reason")


def no_digit_nor_at(text: str) -> bool:
    return not any(c.isdigit() or c == "@" for c in unicodedata.normalize("NFKC", text))


@given(TEXT.filter(no_digit_nor_at))
def test_a_text_without_digits_or_at_sign_is_never_refused_as_personal_data(text: str) -> None:
    assert check_public_text(text, field="reason") == text


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_a_wrong_id_number_is_refused_with_one_message_that_tells_nothing_of_the_number(
    first17: str, last: str
) -> None:
    if last == id_card_check_character(first17):
        return
    with pytest.raises(InvalidText) as caught:
        validate_id_card(first17 + last)
    # The same words for every wrong number: neither the given nor the expected check character
    # (with the first 17 digits, the expected one is the whole valid number).
    assert caught.value.message == "id_card check character is wrong (ISO 7064 MOD 11-2)"
