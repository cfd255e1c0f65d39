"""A subdistrict comes from a closed list per district: Shanghai's 215 街道/镇/乡 shipped in
domain/places/ (NBS 2023), or one the admin added since; anything else, an address typed where the
subdistrict belongs above all, is refused with `unknown_subdistrict` naming the field and never
quoting it, for an organisation's registration and a relief case's opening alike."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from demo.places import SUBDISTRICTS as DEMO_SUBDISTRICTS
from domain.districts import DISTRICTS
from domain.errors import InvalidInput, InvalidText, StateConflict, UnknownSubdistrict
from domain.ledger import Ledger
from domain.subdistricts import OFFICIAL, added_subdistrict_id, is_official
from tests.support import donate, open_fund, person, refused, register, relief_case

ADDRESS = "半淞园路街道虚构路12弄3号601室"


def test_the_shipped_list_has_shanghais_215_subdistricts_in_its_16_districts() -> None:
    assert set(OFFICIAL) == set(DISTRICTS)
    assert sum(len(names) for names in OFFICIAL.values()) == 215
    assert all(OFFICIAL[district] for district in DISTRICTS)
    assert is_official("huangpu", "半淞园路街道")
    assert is_official("chongming", "横沙乡")
    assert not is_official("pudong", "半淞园路街道")


def test_every_demo_subdistrict_is_on_the_list_of_its_district() -> None:
    missing = [
        (district, name)
        for district, names in DEMO_SUBDISTRICTS.items()
        for name in names
        if not is_official(district, name)
    ]
    assert missing == []


def test_an_address_given_as_an_organisations_subdistrict_is_refused_unquoted(
    ledger: Ledger,
) -> None:
    with refused(ledger, UnknownSubdistrict, "subdistrict"):
        register(ledger, district="huangpu", subdistrict=ADDRESS)
    with pytest.raises(UnknownSubdistrict) as caught:
        register(ledger, district="huangpu", subdistrict=ADDRESS)
    assert caught.value.code == "unknown_subdistrict"
    assert "虚构路" not in caught.value.message
    assert "黄浦区" in caught.value.message


def test_a_subdistrict_of_another_district_is_refused(ledger: Ledger) -> None:
    with refused(ledger, UnknownSubdistrict, "subdistrict"):
        register(ledger, district="pudong", subdistrict="半淞园路街道")
    register(ledger, district="huangpu", subdistrict="半淞园路街道")


def test_a_relief_case_is_placed_in_a_subdistrict_of_its_foundations_district(
    ledger: Ledger,
) -> None:
    fund_id = open_fund(ledger, register(ledger), kind="emergency_relief", name="暖心基金")
    donate(ledger, fund_id, "10000")
    subject = person(ledger)
    with refused(ledger, UnknownSubdistrict, "subdistrict"):
        relief_case(ledger, fund_id, subject, subdistrict=ADDRESS)
    with refused(ledger, UnknownSubdistrict, "subdistrict"):
        relief_case(
            ledger, fund_id, subject, subdistrict="外滩街道"
        )  # huangpu; the fund's is pudong
    relief_case(ledger, fund_id, subject, subdistrict="花木街道")


def test_a_subdistrict_the_admin_added_is_valid_in_its_district_only(ledger: Ledger) -> None:
    with refused(ledger, UnknownSubdistrict, "subdistrict"):
        register(ledger, district="pudong", subdistrict="新设街道")
    added = ledger.add_subdistrict(
        district="pudong", name="新设街道", reason="区划调整", added_on=date(2024, 1, 2)
    )
    assert added.created
    assert ledger.repository.get(added_subdistrict_id("pudong", "新设街道")).name == "新设街道"
    register(ledger, district="pudong", subdistrict="新设街道")
    with refused(ledger, UnknownSubdistrict, "subdistrict"):
        register(ledger, district="xuhui", subdistrict="新设街道")
    again = ledger.add_subdistrict(
        district="pudong", name="新设街道", reason="区划调整", added_on=date(2024, 1, 2)
    )
    assert not again.created


def test_adding_a_subdistrict_already_on_the_official_list_is_a_conflict(ledger: Ledger) -> None:
    with refused(ledger, StateConflict, "name"):
        ledger.add_subdistrict(
            district="pudong", name="陆家嘴街道", reason="重复", added_on=date(2024, 1, 2)
        )


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("某某路12号", UnknownSubdistrict),
        ("街道", UnknownSubdistrict),
        ("新设 街道", UnknownSubdistrict),
        ("新" * 99 + "街道", InvalidText),
    ],
)
def test_an_added_subdistrict_needs_an_official_looking_name(
    ledger: Ledger, name: str, error: type[InvalidInput]
) -> None:
    with refused(ledger, error, "name"):
        ledger.add_subdistrict(
            district="pudong", name=name, reason="区划调整", added_on=date(2024, 1, 2)
        )


def test_an_organisation_id_is_not_taken_by_a_refused_subdistrict(ledger: Ledger) -> None:
    organization_id = uuid4()
    with refused(ledger, UnknownSubdistrict, "subdistrict"):
        register(ledger, organization_id=organization_id, subdistrict=ADDRESS)
    assert register(ledger, organization_id=organization_id) == organization_id
