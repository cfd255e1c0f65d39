"""Business dates are plausible, on every aggregate: backdated is fine, but never after today in
Shanghai (the ledger's clock, fixed here at 2026-12-01), never before a floor (1949-10-01 for a
registration, 2000-01-01 for everything else), and never before the thing the date happens to began.
Each refusal is `invalid_date` naming the client's field and the rule, and writes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.clock import fixed
from domain.errors import InvalidDate
from domain.ledger import Ledger
from domain.money import Money
from storage.database import Database
from storage.vault import Vault
from tests.support import (
    award,
    donate,
    open_fund,
    person,
    personal_data_in,
    refused,
    register,
    relief_case,
)

TODAY = date(2026, 12, 1)
REGISTERED = date(2019, 6, 1)  # tests.support.register
OPENED = date(2020, 1, 1)  # tests.support.open_fund


@pytest.fixture
def ledger(backend_database: Database, vault: Vault) -> Iterator[Ledger]:
    app = Ledger(env=backend_database.eventsourcing_env(), vault=vault, clock=fixed(TODAY))
    try:
        yield app
        assert personal_data_in(app) == []
    finally:
        app.close()


def refuses(ledger: Ledger, field: str, rule: str, command: Callable[[], Any]) -> None:
    """`command` is refused with `invalid_date` naming `field`, writes nothing, and says `rule`."""
    with refused(ledger, InvalidDate, field):
        command()
    with pytest.raises(InvalidDate, match=re.escape(rule)):
        command()


# --- the clock and the floors, on a donation ---------------------------------------------------


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        (date(9999, 12, 31), "must not be after today (2026-12-01, Asia/Shanghai)"),
        (date(2026, 12, 2), "must not be after today (2026-12-01, Asia/Shanghai)"),
        (date(1, 1, 1), "must not be before 2000-01-01"),
        (date(2019, 12, 31), "must not be before the fund was opened on 2020-01-01"),
    ],
)
def test_a_donation_dated_in_the_future_before_the_floor_or_before_its_fund_is_refused(
    ledger: Ledger, day: date, rule: str
) -> None:
    fund_id = open_fund(ledger)
    refuses(ledger, "received_on", rule, lambda: donate(ledger, fund_id, "10", received_on=day))


def test_a_donation_may_be_backdated_to_the_fund_opening_and_dated_today(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    donate(ledger, fund_id, "10", received_on=OPENED)
    donate(ledger, fund_id, "10", received_on=TODAY)
    assert ledger.get_fund(fund_id).balance == Money.yuan("20")


# --- organisations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        (date(9999, 12, 31), "must not be after today"),
        (date(1949, 9, 30), "must not be before 1949-10-01"),
    ],
)
def test_a_registration_in_the_future_or_before_1949_10_01_is_refused(
    ledger: Ledger, day: date, rule: str
) -> None:
    refuses(ledger, "registered_on", rule, lambda: register(ledger, registered_on=day))


def test_an_organisation_may_have_been_registered_long_ago(ledger: Ledger) -> None:
    register(ledger, registered_on=date(1949, 10, 1))


def test_nothing_happens_to_an_organisation_before_it_was_registered(ledger: Ledger) -> None:
    org = register(ledger, roles=["service_center"])
    rule = "must not be before the organisation was registered on 2019-06-01"
    refuses(
        ledger,
        "evaluated_on",
        rule,
        lambda: ledger.record_evaluation(
            org, evaluation_id=uuid4(), grade="3A", evaluated_on=date(2019, 5, 31), evaluator="局"
        ),
    )
    refuses(
        ledger,
        "deregistered_on",
        "must not be after today",
        lambda: ledger.deregister_organization(
            org, command_id=uuid4(), reason="合并", deregistered_on=date(2027, 1, 1)
        ),
    )
    foundation = register(ledger)
    refuses(
        ledger,
        "opened_on",
        rule,
        lambda: open_fund(ledger, foundation, opened_on=date(2019, 5, 31)),
    )


# --- funds -----------------------------------------------------------------------------------


def test_a_transfer_is_not_dated_before_either_fund_was_opened(ledger: Ledger) -> None:
    source = open_fund(ledger)
    donate(ledger, source, "100")
    later = open_fund(ledger, opened_on=date(2024, 1, 1))
    refuses(
        ledger,
        "transferred_on",
        "must not be before the fund was opened on 2024-01-01",
        lambda: ledger.transfer(
            transfer_id=uuid4(),
            from_fund_id=source,
            to_fund_id=later,
            amount=Money.yuan("10"),
            transferred_on=date(2023, 12, 31),
            purpose="配捐",
        ),
    )


def test_a_reversal_is_not_dated_before_what_it_reverses(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    donation = donate(ledger, fund_id, "100", received_on=date(2024, 3, 1))
    refuses(
        ledger,
        "reversed_on",
        "must not be before the donation was received on 2024-03-01",
        lambda: ledger.reverse_donation(
            fund_id, reversal_id=uuid4(), donation_id=donation, reason="x", reversed_on=OPENED
        ),
    )


def test_a_fund_is_not_closed_in_the_future(ledger: Ledger) -> None:
    fund_id = open_fund(ledger)
    refuses(
        ledger,
        "closed_on",
        "must not be after today",
        lambda: ledger.close_fund(
            fund_id, command_id=uuid4(), closed_on=date(2030, 1, 1), reason="x"
        ),
    )


# --- grants ----------------------------------------------------------------------------------


def granted(ledger: Ledger) -> tuple[UUID, UUID]:
    fund_id = open_fund(ledger)
    donate(ledger, fund_id, "10000")
    recipient = register(ledger, roles=["service_center"])
    return fund_id, recipient


def test_a_grant_is_not_awarded_before_its_fund_was_opened(ledger: Ledger) -> None:
    fund_id, recipient = granted(ledger)
    refuses(
        ledger,
        "awarded_on",
        "must not be before the fund was opened on 2020-01-01",
        lambda: award(ledger, fund_id, recipient, "100", awarded_on=date(2019, 12, 31)),
    )


def test_nothing_is_paid_on_a_grant_before_it_was_awarded_or_after_today(ledger: Ledger) -> None:
    fund_id, recipient = granted(ledger)
    grant_id = award(ledger, fund_id, recipient, "1000", awarded_on=date(2024, 3, 1))

    def pay(day: date) -> Callable[[], object]:
        return lambda: ledger.pay_instalment(
            grant_id, payment_id=uuid4(), amount=Money.yuan("10"), paid_on=day
        )

    rule = "must not be before the grant was awarded on 2024-03-01"
    refuses(ledger, "paid_on", rule, pay(date(2024, 2, 29)))
    refuses(ledger, "paid_on", "must not be after today", pay(date(2026, 12, 2)))
    refuses(
        ledger,
        "closed_on",
        "must not be before the grant was awarded",
        lambda: ledger.close_grant(
            grant_id, command_id=uuid4(), outcome="x", closed_on=date(2024, 1, 1)
        ),
    )


# --- relief cases ----------------------------------------------------------------------------


def test_a_case_is_not_opened_before_its_fund_nor_paid_before_it_was_opened(
    ledger: Ledger,
) -> None:
    fund_id = open_fund(ledger, kind="emergency_relief")
    donate(ledger, fund_id, "10000")
    subject = person(ledger)
    refuses(
        ledger,
        "opened_on",
        "must not be before the fund was opened on 2020-01-01",
        lambda: relief_case(ledger, fund_id, subject, opened_on=date(2019, 1, 1)),
    )
    case_id = relief_case(ledger, fund_id, subject, emergency=True, opened_on=date(2024, 3, 1))
    refuses(
        ledger,
        "paid_on",
        "must not be before the case was opened on 2024-03-01",
        lambda: ledger.disburse_relief(
            case_id, disbursement_id=uuid4(), amount=Money.yuan("10"), paid_on=date(2024, 2, 1)
        ),
    )


# --- pairings, mentoring, designations -------------------------------------------------------


def test_a_pairing_is_not_proposed_before_both_parties_were_registered(ledger: Ledger) -> None:
    lead = register(ledger, roles=["foundation"])
    partner = register(ledger, registered_on=date(2023, 5, 1))

    def propose(day: date) -> UUID:
        pairing_id = uuid4()
        ledger.propose_pairing(
            pairing_id,
            kind="foundation_twinning",
            lead_id=lead,
            partner_id=partner,
            goals=["互助"],
            planned_start=date(2024, 1, 1),
            planned_end=date(2027, 12, 31),
            proposed_on=day,
        )
        return pairing_id

    refuses(
        ledger,
        "proposed_on",
        "must not be before the organisation was registered on 2023-05-01",
        lambda: propose(date(2023, 4, 30)),
    )
    pairing_id = propose(date(2024, 1, 1))
    refuses(
        ledger,
        "confirmed_on",
        "must not be before the pairing was proposed on 2024-01-01",
        lambda: ledger.confirm_pairing(
            pairing_id, command_id=uuid4(), party_id=lead, confirmed_on=date(2023, 12, 31)
        ),
    )


def test_a_mentor_link_starts_after_its_mentee_was_registered_and_sessions_after_it_started(
    ledger: Ledger,
) -> None:
    mentee = register(ledger, roles=[], tier="activity_team", type="culture_sports")
    mentor = register(ledger, roles=["service_center"])

    def start(day: date) -> UUID:
        link_id = uuid4()
        ledger.start_mentor_link(
            link_id,
            mentor_kind="organization",
            mentor_org_id=mentor,
            mentee_id=mentee,
            focus="财务管理",
            started_on=day,
        )
        return link_id

    refuses(
        ledger,
        "started_on",
        "must not be before the organisation was registered on 2019-06-01",
        lambda: start(date(2019, 1, 1)),
    )
    link_id = start(date(2024, 1, 1))
    refuses(
        ledger,
        "held_on",
        "must not be before the mentor link started on 2024-01-01",
        lambda: ledger.record_mentoring_session(
            link_id, session_id=uuid4(), held_on=date(2023, 6, 1), hours="1", topic="记账"
        ),
    )


def test_a_nomination_is_not_in_the_future_and_a_selection_not_before_it(ledger: Ledger) -> None:
    nominee = register(ledger)

    def nominate(day: date) -> UUID:
        designation_id = uuid4()
        ledger.nominate(
            designation_id,
            kind="observation_point",
            year=2024,
            nominee_kind="foundation",
            nominee_org_id=nominee,
            nominating_body="区民政局",
            rationale="成效突出",
            nominated_on=day,
        )
        return designation_id

    refuses(ledger, "nominated_on", "must not be after today", lambda: nominate(date(2027, 3, 1)))
    designation_id = nominate(date(2024, 3, 1))
    refuses(
        ledger,
        "selected_on",
        "must not be before the designation was nominated on 2024-03-01",
        lambda: ledger.select_designation(
            designation_id,
            command_id=uuid4(),
            selected_on=date(2024, 2, 1),
            selecting_body="市民政局",
        ),
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=st.dates())
def test_a_donation_is_accepted_exactly_when_dated_from_the_fund_opening_to_today(
    ledger: Ledger, day: date
) -> None:
    fund_id = FUNDS.setdefault(id(ledger), open_fund(ledger))
    if OPENED <= day <= TODAY:
        donate(ledger, fund_id, "1", received_on=day)
    else:
        with refused(ledger, InvalidDate, "received_on"):
            donate(ledger, fund_id, "1", received_on=day)


FUNDS: dict[int, UUID] = {}  # one fund per ledger across the examples of the property above
