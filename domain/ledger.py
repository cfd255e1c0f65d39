"""`Ledger`: the one eventsourcing application, and so the one totally ordered log of every event.

Every aggregate saves into this application, so every event gets one global position (the notification
id), which is also its leaf index in the transparency log. Use cases here are short: get the aggregates,
run one command, save them together. Each returns an `Outcome`: the command's plain result and the log
position it wrote, so readers can wait for their own writes.

Concurrency is optimistic: two writers that change one aggregate at once collide on its version when
saving, and the loser reloads and decides again (so a payment is re-checked against the new balance).
Because commands carry their own ids, a retry that finds its own command already applied returns that
result instead of applying it twice.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder
from eventsourcing.utils import EnvType

from domain.aggregate import LedgerAggregate
from domain.errors import (
    ConcurrentModification,
    DuplicateCommandError,
    NotFound,
    UnknownFund,
    UnknownOrganization,
)
from domain.foundations.entries import (
    Closure,
    Donation,
    FundOpening,
    Payment,
    Release,
    Reservation,
    Reversal,
    Transfer,
)
from domain.foundations.fund import Fund, opening_of
from domain.money import Money
from domain.organizations import (
    Deregistration,
    Evaluation,
    Organization,
    Reclassification,
    Registration,
)
from domain.transcodings import register_all

T = TypeVar("T")
A = TypeVar("A", bound=LedgerAggregate)

FUND_SNAPSHOT_INTERVAL = 100
MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a command did. `created` is False when it was a repeat and nothing new was written; its
    `position` is then the log head, which is at or after the original write."""

    value: T
    position: int
    created: bool


class Ledger(Application[UUID]):
    name = "Ledger"
    env: ClassVar[dict[str, str]] = {
        # Seconds a writer waits for PostgreSQL's table lock before giving up, instead of forever.
        "POSTGRES_LOCK_TIMEOUT": "5",
        "ORIGINATOR_ID_TYPE": "uuid",
    }
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Fund: FUND_SNAPSHOT_INTERVAL}
    # Projections read the log in sections; ten (the library default) would mean a query per ten events.
    log_section_size = 1000

    def construct_env(self, name: str, env: EnvType | None = None) -> Any:
        environment = super().construct_env(name, env)
        # In eventsourcing 9.5.6 the database-function insert path drops the table lock that keeps
        # notification ids gap-free and in commit order, which the transparency log depends on.
        environment["POSTGRES_ENABLE_DB_FUNCTIONS"] = "n"
        return environment

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_all(transcoder)

    # --- reading ---------------------------------------------------------------------------------

    def head(self) -> int:
        """The position of the last event in the log (0 when the log is empty)."""
        return self.recorder.max_notification_id() or 0

    def get_organization(
        self, organization_id: UUID, *, field: str = "organization_id"
    ) -> Organization:
        return self._get(organization_id, Organization, UnknownOrganization, field)

    def get_fund(self, fund_id: UUID, *, field: str = "fund_id") -> Fund:
        return self._get(fund_id, Fund, UnknownFund, field)

    # --- organisations ---------------------------------------------------------------------------

    def register_organization(
        self,
        organization_id: UUID,
        *,
        name: str,
        uscc: str | None,
        type: str,
        tier: str,
        roles: Iterable[str],
        district: str,
        subdistrict: str,
        rural: bool,
        registered_on: date,
    ) -> Outcome[Registration]:
        record = Registration.validated(
            name=name,
            uscc=uscc,
            type=type,
            tier=tier,
            roles=roles,
            district=district,
            subdistrict=subdistrict,
            rural=rural,
            registered_on=registered_on,
        )
        return self._create(
            organization_id,
            Organization,
            record,
            lambda: Organization.register(organization_id, record),
        )

    def reclassify_organization(
        self,
        organization_id: UUID,
        *,
        command_id: UUID,
        type: str,
        tier: str,
        reason: str,
        reclassified_on: date,
    ) -> Outcome[Reclassification]:
        def command() -> tuple[Reclassification, list[Aggregate]]:
            org = self.get_organization(organization_id)
            return org.reclassify(
                command_id=command_id,
                type=type,
                tier=tier,
                reason=reason,
                reclassified_on=reclassified_on,
            ), [org]

        return self._run(command)

    def record_evaluation(
        self,
        organization_id: UUID,
        *,
        evaluation_id: UUID,
        grade: str,
        evaluated_on: date,
        evaluator: str,
    ) -> Outcome[Evaluation]:
        def command() -> tuple[Evaluation, list[Aggregate]]:
            org = self.get_organization(organization_id)
            return org.record_evaluation(
                evaluation_id=evaluation_id,
                grade=grade,
                evaluated_on=evaluated_on,
                evaluator=evaluator,
            ), [org]

        return self._run(command)

    def deregister_organization(
        self, organization_id: UUID, *, command_id: UUID, reason: str, deregistered_on: date
    ) -> Outcome[Deregistration]:
        def command() -> tuple[Deregistration, list[Aggregate]]:
            org = self.get_organization(organization_id)
            return org.deregister(
                command_id=command_id, reason=reason, deregistered_on=deregistered_on
            ), [org]

        return self._run(command)

    # --- funds -----------------------------------------------------------------------------------

    def open_fund(
        self, fund_id: UUID, *, foundation_id: UUID, kind: str, name: str, opened_on: date
    ) -> Outcome[FundOpening]:
        record = opening_of(foundation_id=foundation_id, kind=kind, name=name, opened_on=opened_on)

        def open_it() -> Fund:
            foundation = self.get_organization(foundation_id, field="foundation_id")
            return Fund.open(fund_id, record, foundation)

        return self._create(fund_id, Fund, record, open_it)

    def receive_donation(
        self,
        fund_id: UUID,
        *,
        donation_id: UUID,
        amount: Money,
        received_on: date,
        donor_kind: str,
        donor_ref: str | None = None,
        publish_name: bool = False,
    ) -> Outcome[Donation]:
        def command() -> tuple[Donation, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            donation = fund.receive_donation(
                donation_id=donation_id,
                amount=amount,
                received_on=received_on,
                donor_kind=donor_kind,
                donor_ref=donor_ref,
                publish_name=publish_name,
            )
            if donor_kind == "organization" and donor_ref is not None:
                self.get_organization(UUID(donor_ref), field="donor_ref")
            return donation, [fund]

        return self._run(command)

    def transfer(
        self,
        *,
        transfer_id: UUID,
        from_fund_id: UUID,
        to_fund_id: UUID,
        amount: Money,
        transferred_on: date,
        purpose: str,
        pairing_id: UUID | None = None,
    ) -> Outcome[Transfer]:
        def command() -> tuple[Transfer, list[Aggregate]]:
            source = self.get_fund(from_fund_id, field="fund_id")
            destination = (
                source
                if to_fund_id == from_fund_id
                else self.get_fund(to_fund_id, field="to_fund_id")
            )
            return source.transfer_to(
                destination,
                transfer_id=transfer_id,
                amount=amount,
                transferred_on=transferred_on,
                purpose=purpose,
                pairing_id=pairing_id,
            ), [source, destination]

        return self._run(command)

    def reserve(
        self,
        fund_id: UUID,
        *,
        reservation_id: UUID,
        amount: Money,
        reserved_on: date,
        purpose: str,
    ) -> Outcome[Reservation]:
        def command() -> tuple[Reservation, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            return fund.reserve(
                reservation_id=reservation_id,
                amount=amount,
                reserved_on=reserved_on,
                purpose=purpose,
            ), [fund]

        return self._run(command)

    def release(
        self, fund_id: UUID, *, release_id: UUID, reservation_id: UUID, released_on: date
    ) -> Outcome[Release]:
        def command() -> tuple[Release, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            return fund.release(
                release_id=release_id, reservation_id=reservation_id, released_on=released_on
            ), [fund]

        return self._run(command)

    def pay(
        self,
        fund_id: UUID,
        *,
        payment_id: UUID,
        amount: Money,
        paid_on: date,
        purpose: str,
        reservation_id: UUID | None = None,
    ) -> Outcome[Payment]:
        def command() -> tuple[Payment, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            return fund.pay(
                payment_id=payment_id,
                amount=amount,
                paid_on=paid_on,
                purpose=purpose,
                reservation_id=reservation_id,
            ), [fund]

        return self._run(command)

    def reverse_donation(
        self,
        fund_id: UUID,
        *,
        reversal_id: UUID,
        donation_id: UUID,
        reason: str,
        reversed_on: date,
    ) -> Outcome[Reversal]:
        def command() -> tuple[Reversal, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            return fund.reverse_donation(
                reversal_id=reversal_id,
                donation_id=donation_id,
                reason=reason,
                reversed_on=reversed_on,
            ), [fund]

        return self._run(command)

    def reverse_transfer(
        self,
        fund_id: UUID,
        *,
        reversal_id: UUID,
        transfer_id: UUID,
        reason: str,
        reversed_on: date,
    ) -> Outcome[Reversal]:
        """Undo a transfer; `fund_id` may name either of its two funds."""

        def command() -> tuple[Reversal, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            transfer = fund.entry(transfer_id, Transfer, field="transfer_id")
            source = self.get_fund(transfer.from_fund_id)
            destination = self.get_fund(transfer.to_fund_id)
            return source.reverse_transfer(
                destination,
                reversal_id=reversal_id,
                transfer_id=transfer_id,
                reason=reason,
                reversed_on=reversed_on,
            ), [source, destination]

        return self._run(command)

    def close_fund(
        self, fund_id: UUID, *, command_id: UUID, closed_on: date, reason: str
    ) -> Outcome[Closure]:
        def command() -> tuple[Closure, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            return fund.close(command_id=command_id, closed_on=closed_on, reason=reason), [fund]

        return self._run(command)

    # --- the one way commands are carried out ----------------------------------------------------

    def _run(self, command: Callable[[], tuple[T, Sequence[Aggregate]]]) -> Outcome[T]:
        """Get → command → save, again from the top when another writer changed an aggregate first."""
        for attempt in range(MAX_ATTEMPTS):
            value, touched = command()
            unique = list({a.id: a for a in touched}.values())
            if not any(a.pending_events for a in unique):
                return Outcome(value, self.head(), created=False)
            try:
                recordings = self.save(*unique)
            except IntegrityError:
                # Lost the race on an aggregate version: back off a little, reload, decide again.
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
                continue
            return Outcome(value, recordings[-1].notification.id, created=True)
        raise ConcurrentModification(
            f"the command could not be applied after {MAX_ATTEMPTS} attempts because other writers "
            "kept changing the same records; try again"
        )

    def _create(
        self, aggregate_id: UUID, kind: type[A], record: T, build: Callable[[], A]
    ) -> Outcome[T]:
        def command() -> tuple[T, list[Aggregate]]:
            try:
                existing: Aggregate = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                return record, [build()]
            if not isinstance(existing, kind):
                raise DuplicateCommandError(
                    f"id {aggregate_id} already names a {type(existing).__name__}", field="id"
                )
            earlier = existing.repeat_of(aggregate_id, record)
            if earlier is None:  # every aggregate journals its own creation under its id
                raise DuplicateCommandError(f"id {aggregate_id} is already in use", field="id")
            return earlier, [existing]

        return self._run(command)

    def _get(self, aggregate_id: UUID, kind: type[A], error: type[NotFound], field: str) -> A:
        aggregate: object = None
        with contextlib.suppress(AggregateNotFoundError):
            aggregate = self.repository.get(aggregate_id)
        if not isinstance(aggregate, kind):
            raise error(f"{field}: no {kind.__name__.lower()} {aggregate_id}", field=field)
        return aggregate
