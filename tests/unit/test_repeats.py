"""A repeated command's outcome is its first outcome, whatever came after it: the version of the
aggregate it left and the log position of its last event (so the API can answer a repeat exactly as it
answered the first time). Hypothesis mixes the commands whose events could be mistaken for the
repeated one's: a transfer into the same fund, a grant awarded from it, a reversal naming the entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.ledger import Ledger, Outcome
from domain.money import Money
from storage.database import Database
from tests.support import DAY, open_fund, register

Command = Callable[[], Outcome[Any]]
STEPS = st.lists(
    st.sampled_from(["donate", "transfer_in", "award", "pay_grant", "reverse", "close_grant"]),
    min_size=1,
    max_size=12,
)


def fresh_ledger() -> Ledger:
    return Ledger(env=Database("memory").eventsourcing_env())


@settings(max_examples=40, deadline=None)
@given(steps=STEPS)
def test_a_repeat_answers_the_version_and_position_its_command_first_wrote(
    steps: list[str],
) -> None:
    ledger = fresh_ledger()
    foundation = register(ledger)
    recipient = register(ledger, roles=["service_center"])
    fund, other = open_fund(ledger, foundation), open_fund(ledger, foundation)
    ledger.receive_donation(
        other,
        donation_id=uuid4(),
        amount=Money.yuan("1000000"),
        received_on=DAY,
        donor_kind="anonymous",
    )
    done: list[tuple[Command, Outcome[Any]]] = []
    donations: list[Any] = []
    grants: list[Any] = []

    def run(command: Command) -> None:
        done.append((command, command()))

    for step in steps:
        if step == "donate":
            donations.append(uuid4())
            run(
                partial(
                    ledger.receive_donation,
                    fund,
                    donation_id=donations[-1],
                    amount=Money.yuan("100"),
                    received_on=DAY,
                    donor_kind="anonymous",
                )
            )
        elif step == "transfer_in":
            run(
                partial(
                    ledger.transfer,
                    transfer_id=uuid4(),
                    from_fund_id=other,
                    to_fund_id=fund,
                    amount=Money.yuan("10"),
                    transferred_on=DAY,
                    purpose="配捐",
                )
            )
        elif step == "award":
            grants.append(uuid4())
            run(
                partial(
                    ledger.award_grant,
                    grants[-1],
                    fund_id=other,
                    recipient_id=recipient,
                    programme="社区营造",
                    title="楼组",
                    description="d",
                    amount=Money.yuan("50"),
                    awarded_on=DAY,
                    planned_start=DAY,
                    planned_end=date(2024, 12, 31),
                )
            )
        elif step == "pay_grant" and grants:
            run(
                partial(
                    ledger.pay_instalment,
                    grants[-1],
                    payment_id=uuid4(),
                    amount=Money.yuan("1"),
                    paid_on=DAY,
                )
            )
        elif step == "close_grant" and grants:
            run(
                partial(
                    ledger.close_grant,
                    grants.pop(),
                    command_id=uuid4(),
                    outcome="完成",
                    closed_on=DAY,
                )
            )
        elif step == "reverse" and donations:
            run(
                partial(
                    ledger.reverse_donation,
                    fund,
                    reversal_id=uuid4(),
                    donation_id=donations.pop(),
                    reason="录入错误",
                    reversed_on=DAY,
                )
            )
    head = ledger.head()

    for command, first in done:
        again = command()
        assert not again.created
        assert (again.version, again.position) == (first.version, first.position)
    assert ledger.head() == head
