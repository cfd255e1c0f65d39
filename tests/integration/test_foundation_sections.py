"""The reads behind a foundation's public page, section by section, on every backend: the foundation
with its funds' figures summed, its named donations and the community's feedback on its grants, each a
keyset list that walks every row once and holds only that foundation's rows."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.ledger import Ledger
from projections.catalog import all_views
from projections.disclosure import reader
from projections.disclosure.reader import Filters
from projections.disclosure.rows import NamedDonationRow
from projections.pagination import PageRequest, every_row
from projections.runner import Runner
from storage.viewdb import ViewDB
from tests.support import DAY, award, donate, open_fund, person, register


@pytest.fixture
def story(ledger: Ledger, views: ViewDB) -> dict[str, Any]:
    foundation = register(ledger, name="花木社区基金会")
    other = register(ledger, name="塘桥社区基金会")
    company = register(ledger, name="某科技公司", roles=[], district="xuhui")
    centre = register(ledger, name="花木睦邻中心", roles=["service_center"])
    general = open_fund(ledger, foundation, name="社区发展基金", opened_on=date(2020, 1, 1))
    special = open_fund(ledger, foundation, kind="special", name="助老专项基金")
    elsewhere = open_fund(ledger, other, name="塘桥发展基金")
    named = [
        donate(
            ledger,
            general,
            "5000",
            donor_kind="organization",
            donor_ref=str(company),
            publish_name=True,
            received_on=date(2024, 1, 3),
        ),
        donate(
            ledger,
            special,
            "800",
            donor_kind="person",
            donor_subject_id=person(ledger, name="测试捐赠人（虚构）"),
            publish_name=True,
            received_on=date(2024, 1, 2),
        ),
    ]
    donate(ledger, general, "200")  # anonymous: not a named donation
    donate(
        ledger,
        elsewhere,
        "900",
        donor_kind="organization",
        donor_ref=str(company),
        publish_name=True,
    )
    rated, unrated = award(ledger, general, centre, "3000"), award(ledger, general, centre, "100")
    ledger.record_grant_feedback(
        rated, command_id=uuid4(), rating=4, summary="居民认为项目有用", recorded_on=DAY
    )
    theirs = award(ledger, elsewhere, centre, "100")
    ledger.record_grant_feedback(
        theirs, command_id=uuid4(), rating=2, summary="还需改进", recorded_on=DAY
    )
    Runner(ledger, views, all_views()).catch_up()
    return {
        "foundation": foundation,
        "company": company,
        "general": general,
        "special": special,
        "named": named,
        "rated": rated,
        "unrated": unrated,
    }


def test_a_foundation_is_its_profile_with_its_funds_figures_summed(
    views: ViewDB, story: dict[str, Any]
) -> None:
    found = reader.foundation(views, story["foundation"])
    assert found is not None
    assert found.organization.name == "花木社区基金会"
    assert found.funds == 2
    funds = reader.funds(views, Filters(foundation_id=story["foundation"])).items
    for name in ("received_fen", "granted_fen", "balance_fen"):
        assert getattr(found.figures, name) == sum(getattr(f.figures, name) for f in funds)
    assert found.figures.received_fen == 600000
    page = reader.foundation_page(views, story["foundation"], today=DAY)
    assert page is not None
    assert found.figures == page.figures


def test_an_id_that_holds_no_funds_is_no_foundation(views: ViewDB, story: dict[str, Any]) -> None:
    assert reader.foundation(views, uuid4()) is None
    assert reader.foundation(views, story["company"]) is None


def test_named_donations_are_the_foundations_own_by_date_received(
    views: ViewDB, story: dict[str, Any]
) -> None:
    mine = Filters(foundation_id=story["foundation"])
    rows = reader.named_donations(views, mine).items
    assert [r.donation_id for r in rows] == list(reversed(story["named"]))  # 2 Jan, then 3 Jan
    assert [(r.donor_kind, r.amount_fen) for r in rows] == [
        ("person", 80000),
        ("organization", 500000),
    ]
    assert rows[1].organization_name == "某科技公司"
    one_at_a_time: list[NamedDonationRow] = []
    cursor = None
    while True:
        found = reader.named_donations(views, mine, PageRequest(1, cursor))
        one_at_a_time.extend(found.items)
        if (cursor := found.next_cursor) is None:
            break
    assert (
        one_at_a_time
        == list(rows)
        == list(every_row(lambda p: reader.named_donations(views, mine, p)))
    )


def test_community_feedback_lists_only_the_foundations_rated_grants(
    views: ViewDB, story: dict[str, Any]
) -> None:
    rows = reader.grant_feedback(views, Filters(foundation_id=story["foundation"])).items
    assert [r.grant_id for r in rows] == [story["rated"]]
    (row,) = rows
    assert (row.rating, row.feedback, row.feedback_on) == (4, "居民认为项目有用", DAY)
    assert isinstance(row.grant_id, UUID)
    everyone = reader.grant_feedback(views).items
    assert {r.rating for r in everyone} == {2, 4}
    assert story["unrated"] not in {r.grant_id for r in everyone}
