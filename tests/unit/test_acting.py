"""Who acted, and at which version: `Ledger.acting` stamps the acting key id into every event a
command causes, and refuses a command whose caller expected the record at another version."""

from __future__ import annotations

from uuid import UUID, uuid4

from domain.errors import PreconditionFailed
from domain.events import LedgerEvent
from domain.ledger import Ledger
from domain.money import Money
from tests.support import DAY, donate, funded, open_fund, refused


def test_every_event_a_command_causes_records_the_acting_key(ledger: Ledger) -> None:
    source = funded(ledger, "100")
    destination = open_fund(ledger, ledger.get_fund(source).foundation_id)
    with ledger.acting("key-7f3a"):
        ledger.transfer(
            transfer_id=uuid4(),
            from_fund_id=source,
            to_fund_id=destination,
            amount=Money.yuan("40"),
            transferred_on=DAY,
            purpose="项目配套",
        )
    # One command, two funds, two events: both say who did it, also after decoding from storage.
    assert last_event(ledger, source).actor == "key-7f3a"
    assert last_event(ledger, destination).actor == "key-7f3a"


def test_events_recorded_by_the_operators_own_tools_name_no_actor(ledger: Ledger) -> None:
    fund_id = funded(ledger, "100")
    assert last_event(ledger, fund_id).actor is None


def last_event(ledger: Ledger, aggregate_id: UUID) -> LedgerEvent:
    """The aggregate's last stored event, decoded; every event the ledger records declares `actor`."""
    event = ledger.history(aggregate_id)[-1]
    assert isinstance(event, LedgerEvent)
    return event


def test_a_command_at_the_expected_version_is_applied_and_reports_the_new_version(
    ledger: Ledger,
) -> None:
    fund_id = funded(ledger, "100")
    version = ledger.get_fund(fund_id).version
    with ledger.acting("key-1", expected_version=version):
        outcome = ledger.receive_donation(
            fund_id,
            donation_id=uuid4(),
            amount=Money.yuan("5"),
            received_on=DAY,
            donor_kind="anonymous",
        )
    assert outcome.version == version + 1


def test_a_command_on_a_record_that_moved_on_is_refused_and_writes_nothing(ledger: Ledger) -> None:
    fund_id = funded(ledger, "100")
    stale = ledger.get_fund(fund_id).version
    donate(ledger, fund_id, "1")  # someone else got there first
    head = ledger.head()
    with (
        refused(ledger, PreconditionFailed, "If-Match"),
        ledger.acting("key-1", expected_version=stale),
    ):
        ledger.receive_donation(
            fund_id,
            donation_id=uuid4(),
            amount=Money.yuan("5"),
            received_on=DAY,
            donor_kind="anonymous",
        )
    assert ledger.head() == head
