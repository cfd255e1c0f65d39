"""A fund's statement (对账单), as an auditor reads one: the balance before the period, every movement
in it (date, kind, counterparty in public form, signed amount, log position), the balance after it.

Every event that changes a fund's balance is one movement, so a fund's movements sum to its public
`balance_fen` and those of each kind to the figure they make (`movements_disagreeing_with_figures`),
for donations, transfers, grant and relief payments and the reversal of each, on SQLite and
PostgreSQL; a statement that ends on or after the last movement closes on the balance, and
consecutive statements chain (one's closing is the next one's opening) for any movements and periods
(Hypothesis). The counterparty is never a person's anything: a consenting person is only `person`, a
relief payment only its subdistrict.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.generator import fill
from domain.errors import DomainError, InvalidDate
from domain.ledger import Ledger
from domain.money import Money
from projections.disclosure import DisclosureView, reader
from projections.disclosure.rows import MovementRow
from projections.disclosure.view import MOVEMENT_KINDS
from projections.pagination import PageRequest, every_row
from projections.runner import Runner
from storage.database import Database
from storage.viewdb import ViewDB
from tests.integration.test_disclosure_figures import every_fund
from tests.support import award, donate, open_fund, pay, person, register, relief_case
from tests.unit.test_relief import APPROVERS

ON_BOTH = pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
EVER = (date(2000, 1, 1), date(2099, 12, 31))


def caught_up(ledger: Ledger, views: ViewDB) -> None:
    Runner(ledger, views, [DisclosureView()]).catch_up()


def all_movements(views: ViewDB, fund_id: UUID) -> list[MovementRow]:
    statement = reader.fund_statement(views, fund_id, *EVER)
    assert statement is not None
    return list(statement.movements)


@pytest.fixture
def story(ledger: Ledger) -> dict[str, Any]:
    """A foundation whose funds see every kind of movement: donations (an organisation named, a
    person named, an anonymous one), a transfer, a grant instalment, relief paid before and after
    approval, a payment straight from the fund, and a reversal of each kind that has one."""
    foundation = register(ledger, name="陆家嘴社区基金会")
    company = register(ledger, name="某科技公司", roles=[], district="xuhui")
    centre = register(ledger, name="花木睦邻中心", roles=["service_center"])
    general = open_fund(ledger, foundation, name="社区发展基金")
    relief = open_fund(ledger, foundation, kind="emergency_relief", name="暖心基金")
    march = date(2024, 3, 1)
    donate(
        ledger,
        general,
        "5000",
        donor_kind="organization",
        donor_ref=str(company),
        publish_name=True,
        received_on=march,
    )
    donor = person(ledger, name="测试捐赠人（虚构）")
    donate(
        ledger,
        general,
        "800",
        donor_kind="person",
        donor_subject_id=donor,
        publish_name=True,
        received_on=march,
    )
    mistaken = donate(ledger, general, "300", received_on=march)
    ledger.reverse_donation(
        general,
        reversal_id=uuid4(),
        donation_id=mistaken,
        reason="重复入账",
        reversed_on=date(2024, 4, 2),
    )
    transfer = uuid4()
    ledger.transfer(
        transfer_id=transfer,
        from_fund_id=general,
        to_fund_id=relief,
        amount=Money.yuan("1000"),
        transferred_on=date(2024, 3, 10),
        purpose="暖心专项",
    )
    ledger.reverse_transfer(
        general,
        reversal_id=uuid4(),
        transfer_id=transfer,
        reason="转错基金",
        reversed_on=date(2024, 3, 11),
    )
    ledger.transfer(
        transfer_id=uuid4(),
        from_fund_id=general,
        to_fund_id=relief,
        amount=Money.yuan("2000"),
        transferred_on=date(2024, 3, 12),
        purpose="暖心专项",
    )
    grant = award(ledger, general, centre, "1500")
    instalment = uuid4()
    ledger.pay_instalment(
        grant, payment_id=instalment, amount=Money.yuan("600"), paid_on=date(2024, 3, 15)
    )
    ledger.reverse_instalment(
        grant,
        reversal_id=uuid4(),
        payment_id=instalment,
        reason="退回",
        reversed_on=date(2024, 3, 20),
    )
    ledger.pay_instalment(
        grant, payment_id=uuid4(), amount=Money.yuan("500"), paid_on=date(2024, 3, 21)
    )
    pay(ledger, general, "100", paid_on=date(2024, 3, 22), purpose="审计费")
    fast = relief_case(ledger, relief, person(ledger), emergency=True, subdistrict="花木街道")
    early = uuid4()
    ledger.disburse_relief(
        fast, disbursement_id=early, amount=Money.yuan("400"), paid_on=date(2024, 3, 13)
    )
    ledger.reverse_disbursement(
        fast,
        reversal_id=uuid4(),
        disbursement_id=early,
        reason="误付",
        reversed_on=date(2024, 3, 14),
    )
    approved = relief_case(ledger, relief, person(ledger))
    ledger.approve_relief_case(
        approved,
        command_id=uuid4(),
        amount=Money.yuan("700"),
        approvers=APPROVERS,
        approved_on=date(2024, 3, 16),
    )
    ledger.disburse_relief(
        approved, disbursement_id=uuid4(), amount=Money.yuan("700"), paid_on=date(2024, 3, 17)
    )
    return {
        "foundation": foundation,
        "company": company,
        "centre": centre,
        "general": general,
        "relief": relief,
    }


@ON_BOTH
def test_every_kind_of_movement_and_its_reversal_sums_to_the_funds_public_figures(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    caught_up(ledger, views)
    assert reader.movements_disagreeing_with_figures(views) == ()
    kinds = {
        m.kind for fund in (story["general"], story["relief"]) for m in all_movements(views, fund)
    }
    # Every kind the ledger can write today; a direct payment is never reversed.
    assert kinds == set(MOVEMENT_KINDS) - {"payment_reversed"}
    for fund in every_fund(views):
        statement = reader.fund_statement(views, fund.fund_id, *EVER)
        assert statement is not None
        assert statement.closing_fen == fund.figures.balance_fen
        assert statement.closing_fen == ledger.get_fund(fund.fund_id).balance.fen
        assert statement.opening_fen == 0
        assert statement.movement_count == len(statement.movements)


@ON_BOTH
def test_a_statement_names_counterparties_in_public_form_only(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    caught_up(ledger, views)
    general = all_movements(views, story["general"])
    relief = all_movements(views, story["relief"])
    donations = [(m.counterparty_kind, m.counterparty_id, m.counterparty_name) for m in general][:3]
    assert donations == [
        ("organization", story["company"], "某科技公司"),
        ("person", None, None),  # the vault names a consenting person at render time
        ("anonymous", None, None),
    ]
    (reversed_donation,) = [m for m in general if m.kind == "donation_reversed"]
    assert (reversed_donation.amount_fen, reversed_donation.counterparty_kind) == (
        -30000,
        "anonymous",
    )
    transfer_out = next(m for m in general if m.kind == "transfer_out")
    assert (transfer_out.counterparty_kind, transfer_out.counterparty_id) == (
        "fund",
        story["relief"],
    )
    assert (transfer_out.counterparty_name, transfer_out.counterparty_foundation_name) == (
        "暖心基金",
        "陆家嘴社区基金会",
    )
    grant_payments = [m for m in general if m.kind.startswith("grant_payment")]
    assert [(m.kind, m.amount_fen, m.counterparty_name) for m in grant_payments] == [
        ("grant_payment", -60000, "花木睦邻中心"),
        ("grant_payment_reversed", 60000, "花木睦邻中心"),
        ("grant_payment", -50000, "花木睦邻中心"),
    ]
    direct = next(m for m in general if m.kind == "payment")
    assert (direct.counterparty_kind, direct.counterparty_id, direct.counterparty_name) == (
        None,
        None,
        None,
    )
    paid_relief = [m for m in relief if m.kind.startswith("relief_payment")]
    assert [(m.kind, m.counterparty_kind, m.counterparty_name) for m in paid_relief] == [
        ("relief_payment", "relief", "花木街道"),
        ("relief_payment_reversed", "relief", "花木街道"),
        ("relief_payment", "relief", "陆家嘴街道"),
    ]
    assert all(m.counterparty_id is None for m in paid_relief)


def test_movements_come_by_business_date_then_log_position_each_linking_to_its_leaf(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    caught_up(ledger, views)
    movements = all_movements(views, story["general"])
    assert [(m.on_date, m.position) for m in movements] == sorted(
        (m.on_date, m.position) for m in movements
    )
    # The reversal of a donation of 1 March is dated 2 April: last, though written before others.
    assert movements[-1].kind == "donation_reversed"
    assert movements[-1].on_date == date(2024, 4, 2)
    assert all(m.leaf_index == m.position - 1 for m in movements)


def test_a_statement_for_a_period_opens_on_what_came_before_and_counts_in_and_out_apart(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    caught_up(ledger, views)
    statement = reader.fund_statement(views, story["general"], date(2024, 3, 11), date(2024, 3, 20))
    assert statement is not None
    # Before 11 March: 5000 + 800 + 300 in, 1000 out; on 11 March the 1000 came back.
    assert statement.opening_fen == 510000
    assert [m.kind for m in statement.movements] == [
        "transfer_out_reversed",
        "transfer_out",
        "grant_payment",
        "grant_payment_reversed",
    ]
    assert (statement.in_fen, statement.out_fen) == (160000, 260000)
    assert statement.closing_fen == 410000
    assert statement.closing_fen == statement.opening_fen + sum(
        m.amount_fen for m in statement.movements
    )


def test_a_withdrawn_consent_leaves_the_donor_unnamed_in_the_statement_too(
    ledger: Ledger, views: ViewDB
) -> None:
    company = register(ledger, name="某科技公司", roles=[], district="xuhui")
    fund = open_fund(ledger)
    named = donate(
        ledger, fund, "500", donor_kind="organization", donor_ref=str(company), publish_name=True
    )
    ledger.withdraw_name_consent(
        fund, command_id=uuid4(), donation_id=named, withdrawn_on=date(2024, 4, 1)
    )
    caught_up(ledger, views)
    (movement,) = all_movements(views, fund)
    assert (movement.counterparty_kind, movement.counterparty_id, movement.counterparty_name) == (
        "anonymous",
        None,
        None,
    )


def test_movements_page_through_the_statements_rows_in_the_same_order(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    caught_up(ledger, views)
    period = (date(2024, 3, 1), date(2024, 3, 31))
    statement = reader.fund_statement(views, story["general"], *period)
    assert statement is not None
    small_pages: list[MovementRow] = []
    page = PageRequest(limit=2)
    while True:
        found = reader.fund_movements(views, story["general"], *period, page)
        small_pages.extend(found.items)
        if found.next_cursor is None:
            break
        page = PageRequest(limit=2, cursor=found.next_cursor)
    walked = list(every_row(lambda p: reader.fund_movements(views, story["general"], *period, p)))
    assert small_pages == walked == list(statement.movements)
    assert len(walked) > 2
    summary = reader.fund_statement(views, story["general"], *period, movements=False)
    assert summary is not None
    assert summary.movements == ()
    assert (summary.closing_fen, summary.movement_count) == (statement.closing_fen, len(walked))


def test_an_unknown_fund_has_no_statement_and_a_period_may_not_end_before_it_starts(
    ledger: Ledger, views: ViewDB, story: dict[str, Any]
) -> None:
    caught_up(ledger, views)
    assert reader.fund_statement(views, uuid4(), *EVER) is None
    assert reader.fund_movements(views, uuid4(), *EVER).items == ()
    with pytest.raises(InvalidDate) as refused:
        reader.fund_statement(views, story["general"], date(2024, 3, 2), date(2024, 3, 1))
    assert refused.value.field == "end"
    assert "end" in str(refused.value)
    with pytest.raises(InvalidDate):
        reader.fund_movements(views, story["general"], date(2024, 3, 2), date(2024, 3, 1))


@ON_BOTH
def test_every_demo_funds_movements_sum_to_its_balance(ledger: Ledger, views: ViewDB) -> None:
    fill(ledger, events=1500, seed=1, progress=None)
    caught_up(ledger, views)
    assert reader.movements_disagreeing_with_figures(views) == ()
    funds = list(every_fund(views))
    assert funds
    for fund in funds:
        statement = reader.fund_statement(views, fund.fund_id, *EVER, movements=False)
        assert statement is not None
        assert statement.closing_fen == fund.figures.balance_fen


def test_the_invariant_finds_a_movement_that_disagrees_with_the_figures(
    ledger: Ledger, views: ViewDB
) -> None:
    fund = open_fund(ledger)
    donate(ledger, fund, "500")
    caught_up(ledger, views)
    assert reader.movements_disagreeing_with_figures(views) == ()
    views.execute("UPDATE disclosure_fund_movements SET amount_fen = amount_fen + 1")
    found = reader.movements_disagreeing_with_figures(views)
    assert found == (
        f"fund {fund}: received_fen is 50000, its movements sum to 50001",
        f"fund {fund}: balance_fen is 50000, its movements sum to 50001",
    )


@ON_BOTH
def test_income_by_month_nets_reversed_donations_in_the_month_of_the_reversal(
    ledger: Ledger, views: ViewDB
) -> None:
    foundation = register(ledger)
    general, other = open_fund(ledger, foundation), open_fund(ledger, foundation)
    january = donate(ledger, general, "300", received_on=date(2024, 1, 5))
    donate(ledger, other, "200", received_on=date(2024, 1, 31))
    donate(ledger, general, "1000", received_on=date(2024, 3, 1))
    ledger.reverse_donation(
        general,
        reversal_id=uuid4(),
        donation_id=january,
        reason="重复入账",
        reversed_on=date(2024, 4, 1),
    )
    # Neither a transfer nor a donation to another foundation is its income.
    ledger.transfer(
        transfer_id=uuid4(),
        from_fund_id=general,
        to_fund_id=other,
        amount=Money.yuan("100"),
        transferred_on=date(2024, 3, 2),
        purpose="调剂",
    )
    donate(ledger, open_fund(ledger), "999", received_on=date(2024, 2, 1))
    caught_up(ledger, views)
    months = reader.income_by_month(views, foundation)
    assert [(m.month, m.received_fen, m.donations, m.reversals) for m in months] == [
        ("2024-01", 50000, 2, 0),
        ("2024-03", 100000, 1, 0),
        ("2024-04", -30000, 0, 1),
    ]
    assert reader.income_by_month(views, uuid4()) == ()


# --- statements chain, for any movements and any periods (Hypothesis) --------------------------------

OPENED = date(2020, 1, 1)
LAST = date(2024, 12, 31)
SPAN = (LAST - OPENED).days

operations = st.lists(
    st.tuples(
        st.sampled_from(["donate", "transfer", "pay", "reverse"]),
        st.integers(min_value=1, max_value=200_000),
        st.integers(min_value=0, max_value=SPAN),
        st.booleans(),  # which fund (a transfer: which way)
    ),
    min_size=1,
    max_size=25,
)
cuts = st.lists(st.integers(min_value=0, max_value=SPAN), min_size=1, max_size=5)


def _apply(ledger: Ledger, funds: tuple[UUID, UUID], ops: list[tuple[str, int, int, bool]]) -> None:
    """Run the operations; a refused one (money not there, nothing to reverse) writes nothing."""
    entries: list[tuple[str, UUID, UUID, date]] = []
    for name, fen, offset, which in ops:
        fund, other = funds if which else funds[::-1]
        day = OPENED + timedelta(days=offset)
        try:
            if name == "donate":
                entries.append(
                    (
                        "donation",
                        fund,
                        donate(ledger, fund, "0.01", amount=Money(fen), received_on=day),
                        day,
                    )
                )
            elif name == "transfer":
                transfer = uuid4()
                ledger.transfer(
                    transfer_id=transfer,
                    from_fund_id=fund,
                    to_fund_id=other,
                    amount=Money(fen),
                    transferred_on=day,
                    purpose="调剂",
                )
                entries.append(("transfer", fund, transfer, day))
            elif name == "pay":
                pay(ledger, fund, "0.01", amount=Money(fen), paid_on=day)
            elif entries:
                kind, owner, entry, on = entries.pop(fen % len(entries))
                reversed_on = min(on + timedelta(days=offset % 400), LAST)
                if kind == "donation":
                    ledger.reverse_donation(
                        owner,
                        reversal_id=uuid4(),
                        donation_id=entry,
                        reason="更正",
                        reversed_on=reversed_on,
                    )
                else:
                    ledger.reverse_transfer(
                        owner,
                        reversal_id=uuid4(),
                        transfer_id=entry,
                        reason="更正",
                        reversed_on=reversed_on,
                    )
        except DomainError:
            pass


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations, days=cuts)
def test_consecutive_statements_chain_and_the_last_closes_on_the_balance(
    ops: list[tuple[str, int, int, bool]], days: list[int]
) -> None:
    database = Database("memory")
    ledger = Ledger(env=database.eventsourcing_env(), vault=database.open_vault(bytes(32)))
    views = ViewDB.sqlite(":memory:")
    try:
        foundation = register(ledger)
        funds = (
            open_fund(ledger, foundation, opened_on=OPENED),
            open_fund(ledger, foundation, opened_on=OPENED),
        )
        _apply(ledger, funds, ops)
        caught_up(ledger, views)
        assert reader.movements_disagreeing_with_figures(views) == ()
        # Periods that tile OPENED..LAST: each starts the day after the one before ends.
        ends = sorted({OPENED + timedelta(days=d) for d in days} | {LAST})
        for fund in funds:
            start, opening = OPENED, 0
            for end in ends:
                if end < start:
                    continue
                statement = reader.fund_statement(views, fund, start, end)
                assert statement is not None
                assert statement.opening_fen == opening
                assert statement.closing_fen == opening + sum(
                    m.amount_fen for m in statement.movements
                )
                assert all(start <= m.on_date <= end for m in statement.movements)
                opening, start = statement.closing_fen, end + timedelta(days=1)
            assert opening == ledger.get_fund(fund).balance.fen
    finally:
        views.close()
        ledger.close()
