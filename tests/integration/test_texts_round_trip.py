"""Every text the domain accepts can be stored in the disclosure view on every backend and read back
as the domain stored it (its NFC form). A NUL in a fund name used to be accepted and then stop the
PostgreSQL view for good ("PostgreSQL text fields cannot contain NUL")."""

from __future__ import annotations

import unicodedata
from uuid import uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.checks import check_text
from domain.errors import InvalidText
from domain.ledger import Ledger
from projections.catalog import all_views
from projections.disclosure import reader
from projections.runner import Runner
from storage.viewdb import ViewDB
from tests.support import award, funded, open_fund, register

# Any code point but the surrogates, with the ones the rules are about (and decomposed letters,
# which NFC composes) drawn often.
EDGES = "\x00\t\n\r\u200b\u200d\u2060\ufeff\u3000\u202e\u00a0e\u0301\u1100\u1161社"
CHARACTERS = st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(EDGES))


def _accepted(value: str) -> str | None:
    try:
        return check_text(value, field="name", max_length=200)
    except InvalidText:
        return None


ACCEPTED = st.text(CHARACTERS, min_size=1, max_size=60).filter(lambda v: _accepted(v) is not None)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(organisation=ACCEPTED, fund=ACCEPTED, title=ACCEPTED)
def test_every_accepted_text_round_trips_through_the_disclosure_view(
    ledger: Ledger, views: ViewDB, organisation: str, fund: str, title: str
) -> None:
    foundation = register(ledger, name=organisation)
    fund_id = open_fund(ledger, foundation, name=fund)
    money = funded(ledger, foundation_id=foundation)
    recipient = register(ledger, name="花木睦邻中心", roles=["service_center"])
    award(ledger, money, recipient, "10", title=title)
    runner = Runner(ledger, views, all_views())
    runner.catch_up()
    assert [view for view, error in runner_errors(runner) if error] == []

    page = reader.foundation_page(views, foundation, today=ledger.today())
    assert page is not None
    assert page.organization.name == unicodedata.normalize("NFC", organisation)
    assert {f.fund_id: f.name for f in page.funds}[fund_id] == unicodedata.normalize("NFC", fund)
    assert [g.title for g in page.grants] == [unicodedata.normalize("NFC", title)]


def runner_errors(runner: Runner) -> list[tuple[str, str | None]]:
    return [(status.view, status.error) for status in runner.status()]


def test_a_nul_never_reaches_the_view() -> None:
    assert _accepted("社区\x00基金") is None
    assert _accepted(str(uuid4())) is not None
