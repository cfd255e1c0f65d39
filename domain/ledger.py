"""`Ledger`: the one eventsourcing application, and so the one totally ordered log of every event.

Every aggregate saves into this application, so every event gets one global position (the notification
id), which is also its leaf index in the transparency log. Use cases here are short: validate the
command into a record, get the aggregates, run one command, save them together with the command's row
in the command index. Each returns an `Outcome`: the command's plain result and the log position it
wrote, so readers can wait for their own writes.

Idempotency lives here, once for every command: a command whose id is already in the index is a repeat
when its record equals the stored one (nothing is written, the stored result is returned) and a
`DuplicateCommandError` otherwise. Concurrency is optimistic: two writers that change one aggregate, or
use one command id, at once collide when saving, and the loser reloads and decides again (so a payment
is re-checked against the new balance, and a command applied meanwhile is recognised as a repeat).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Concatenate, Generic, ParamSpec, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, JSONTranscoder
from eventsourcing.utils import EnvType

from domain.checks import check_date
from domain.command_index import CommandIndex, CommandRow
from domain.errors import (
    ConcurrentModification,
    DuplicateCommandError,
    NotFound,
    PreconditionFailed,
    RoleMismatch,
    UnknownDesignation,
    UnknownEntry,
    UnknownFund,
    UnknownGrant,
    UnknownMentorLink,
    UnknownOrganization,
    UnknownPairing,
    UnknownReliefCase,
    WrongFundKind,
)
from domain.events import LedgerEvent
from domain.foundations.entries import (
    Closure,
    ConsentWithdrawal,
    Donation,
    FundOpening,
    Payment,
    Release,
    Reservation,
    ReservationAdjustment,
    Reversal,
    Transfer,
)
from domain.foundations.fund import Fund
from domain.foundations.grant import Amendment, Award, Ending, Feedback, Grant, Instalment, Report
from domain.foundations.relief import (
    Approval,
    CaseOpening,
    Disbursement,
    Ratification,
    Rejection,
    ReliefCase,
)
from domain.money import Money
from domain.organizations import (
    FUND_HOLDER_ROLES,
    Deregistration,
    Evaluation,
    Organization,
    Reclassification,
    Registration,
)
from domain.pairing.designation import (
    DEFAULT_MAX_PER_YEAR,
    DESIGNATION_KINDS,
    Designation,
    DesignationYear,
    Nomination,
    Revocation,
    Selection,
    year_id,
)
from domain.pairing.mentoring import LinkEnd, LinkStart, MentorLink, Session
from domain.pairing.pairing import Activity, Confirmation, Pairing, PairingSlot, Proposal, slot_id
from domain.pairing.pairing import Ending as PairingEnding
from domain.pairing.pairing import Evaluation as PairingEvaluation
from domain.privacy import Minted, PersonalDataVault
from domain.transcodings import register_all

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
E = TypeVar("E")

FUND_SNAPSHOT_INTERVAL = 100
MAX_ATTEMPTS = 12
# Commands addressed to the same aggregate take turns within a process (a lock per stripe of ids), so
# threads of one server do not spend their optimistic retries on each other; other processes still
# meet through the version check.
LOCK_STRIPES = 64


def recorded_at(event: object) -> datetime:
    """When an event was recorded (the library's `timestamp`, which every stored event has)."""
    moment: datetime = cast(Any, event).timestamp
    return moment


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a command did. `created` is False when it was a repeat and nothing new was written; its
    `position` is then the log head, which is at or after the original write. `version` is the
    addressed aggregate's version after a write (None for a repeat)."""

    value: T
    position: int
    created: bool
    version: int | None = None


@dataclass(frozen=True)
class Acting:
    """Who is acting (an API key id; None for the operator's own tools) and, optionally, the version
    the caller expects the addressed aggregate to be at (HTTP If-Match)."""

    actor: str | None = None
    expected_version: int | None = None


P = ParamSpec("P")
R = TypeVar("R")


def forgets_references_of_refused_commands(
    use_argument: str,
) -> Callable[[Callable[Concatenate[Ledger, P], R]], Callable[Concatenate[Ledger, P], R]]:
    """For a use case that mints a vault reference before the ledger decides: if the command ends
    refused (or fails) and was never recorded, the reference minted for it is removed again, so the
    vault keeps no copy of a person's data for a use that never happened."""

    def wrap(method: Callable[Concatenate[Ledger, P], R]) -> Callable[Concatenate[Ledger, P], R]:
        signature = inspect.signature(method)

        def run(self: Ledger, /, *args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return method(self, *args, **kwargs)
            except Exception:
                use_id = signature.bind(self, *args, **kwargs).arguments[use_argument]
                if self.vault is not None and self.applied(use_id) is None:
                    self.vault.discard_use(use_id)
                raise

        functools.update_wrapper(run, method)
        return run

    return wrap


# Set per request by `Ledger.acting`; a context variable, so concurrent requests in threads don't mix.
_acting: contextvars.ContextVar[Acting] = contextvars.ContextVar(
    "acting",
    default=Acting(),  # noqa: B039 - frozen, so sharing it is safe
)


@dataclass(frozen=True)
class Applied:
    """A command found in the index: the aggregate it was addressed to and the record it produced."""

    aggregate_id: UUID
    record: object


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

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        vault: PersonalDataVault | None = None,
        ratification_days: int = 7,
        designations_max_per_year: int = DEFAULT_MAX_PER_YEAR,
    ) -> None:
        self.vault = vault
        self._stripes = [threading.Lock() for _ in range(LOCK_STRIPES)]
        self._fund_owners: dict[UUID, UUID] = {}
        self.ratification_days = ratification_days
        self.designations_max_per_year = designations_max_per_year
        super().__init__(env)

    def construct_env(self, name: str, env: EnvType | None = None) -> Any:
        environment = super().construct_env(name, env)
        # In eventsourcing 9.5.6 the database-function insert path drops the table lock that keeps
        # notification ids gap-free and in commit order, which the transparency log depends on.
        environment["POSTGRES_ENABLE_DB_FUNCTIONS"] = "n"
        return environment

    def construct_recorder(self) -> ApplicationRecorder:
        recorder = super().construct_recorder()
        if not isinstance(recorder, CommandIndex):
            msg = (
                f"the Ledger needs a recorder that keeps the command index, got {type(recorder)}; "
                "build its environment with storage.database.Database.eventsourcing_env()"
            )
            raise TypeError(msg)
        self.command_index: CommandIndex = recorder
        return recorder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_all(transcoder)

    @contextlib.contextmanager
    def acting(self, actor: str | None, *, expected_version: int | None = None) -> Iterator[None]:
        """Commands inside record `actor` in every event they cause (as the event's `actor`), and
        are refused with PreconditionFailed if the addressed aggregate is not at `expected_version`."""
        token = _acting.set(Acting(actor, expected_version))
        try:
            yield
        finally:
            _acting.reset(token)

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

    def fund_foundation(self, fund_id: UUID, *, field: str = "fund_id") -> UUID:
        """The foundation a fund belongs to. It never changes once the fund is opened, so it is
        remembered: authorisation asks it on every write, and need not load the fund each time."""
        owner = self._fund_owners.get(fund_id)
        if owner is None:
            owner = self._fund_owners[fund_id] = self.get_fund(fund_id, field=field).foundation_id
        return owner

    def as_of(
        self, aggregate_id: UUID, *, version: int | None = None, moment: datetime | None = None
    ) -> Aggregate | None:
        """An aggregate as it stood at a version, or at a recording time (None if it did not exist yet)."""
        if moment is not None:
            versions = [
                e.originator_version
                for e in self.events.get(aggregate_id)
                if recorded_at(e) <= moment
            ]
            if not versions:
                return None
            version = versions[-1]
        try:
            found: Aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            return None
        return found

    def history(self, aggregate_id: UUID) -> list[DomainEventProtocol[UUID]]:
        """Every stored event of one aggregate, oldest first."""
        return list(self.events.get(aggregate_id))

    def applied(self, command_id: UUID) -> Applied | None:
        """The command with this id, if the ledger has applied it."""
        row = self.command_index.select_command(command_id)
        if row is None:
            return None
        return Applied(row.aggregate_id, self.mapper.transcoder.decode(row.record))

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
        return self._run(
            organization_id,
            organization_id,
            record,
            lambda: (record, [Organization.register(organization_id, record)]),
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
        record = Reclassification.validated(
            type=type, tier=tier, reason=reason, reclassified_on=reclassified_on
        )

        def act() -> tuple[Reclassification, list[Aggregate]]:
            org = self.get_organization(organization_id)
            return org.reclassify(command_id, record), [org]

        return self._run(command_id, organization_id, record, act)

    def record_evaluation(
        self,
        organization_id: UUID,
        *,
        evaluation_id: UUID,
        grade: str,
        evaluated_on: date,
        evaluator: str,
    ) -> Outcome[Evaluation]:
        record = Evaluation.validated(grade=grade, evaluated_on=evaluated_on, evaluator=evaluator)

        def act() -> tuple[Evaluation, list[Aggregate]]:
            org = self.get_organization(organization_id)
            return org.record_evaluation(evaluation_id, record), [org]

        return self._run(evaluation_id, organization_id, record, act)

    def deregister_organization(
        self, organization_id: UUID, *, command_id: UUID, reason: str, deregistered_on: date
    ) -> Outcome[Deregistration]:
        record = Deregistration.validated(reason=reason, deregistered_on=deregistered_on)

        def act() -> tuple[Deregistration, list[Aggregate]]:
            org = self.get_organization(organization_id)
            return org.deregister(command_id, record), [org]

        return self._run(command_id, organization_id, record, act)

    # --- funds -----------------------------------------------------------------------------------

    def open_fund(
        self, fund_id: UUID, *, foundation_id: UUID, kind: str, name: str, opened_on: date
    ) -> Outcome[FundOpening]:
        record = FundOpening.validated(
            foundation_id=foundation_id, kind=kind, name=name, opened_on=opened_on
        )

        def act() -> tuple[FundOpening, list[Aggregate]]:
            foundation = self.get_organization(foundation_id, field="foundation_id")
            return record, [Fund.open(fund_id, record, foundation)]

        return self._run(fund_id, fund_id, record, act)

    @forgets_references_of_refused_commands("donation_id")
    def receive_donation(
        self,
        fund_id: UUID,
        *,
        donation_id: UUID,
        amount: Money,
        received_on: date,
        donor_kind: str,
        donor_ref: str | None = None,
        donor_subject_id: UUID | None = None,
        publish_name: bool = False,
    ) -> Outcome[Donation]:
        """A donation; a person donor is given by `donor_subject_id` (a vault subject), and the event
        carries only a reference minted for this donation and its commitment."""
        commitment = None
        if donor_kind == "person" and donor_subject_id is not None:
            minted = self._mint(donor_subject_id, donation_id, field="donor_subject_id")
            donor_ref, commitment = str(minted.reference), minted.commitment
        record = Donation.validated(
            amount=amount,
            received_on=received_on,
            donor_kind=donor_kind,
            donor_ref=donor_ref,
            publish_name=publish_name,
            donor_commitment=commitment,
        )

        def act() -> tuple[Donation, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            if record.donor_kind == "organization" and record.donor_ref is not None:
                self.get_organization(UUID(record.donor_ref), field="donor_ref")
            return fund.receive_donation(donation_id, record), [fund]

        return self._run(donation_id, fund_id, record, act)

    def withdraw_name_consent(
        self, fund_id: UUID, *, command_id: UUID, donation_id: UUID, withdrawn_on: date
    ) -> Outcome[ConsentWithdrawal]:
        """The donor no longer agrees to be named in public; a new event, the donation stands."""
        record = ConsentWithdrawal.validated(donation_id=donation_id, withdrawn_on=withdrawn_on)

        def act() -> tuple[ConsentWithdrawal, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            donation = self._entry(donation_id, Donation, fund_id, field="donation_id")
            return fund.withdraw_name_consent(command_id, record, donation), [fund]

        return self._run(command_id, fund_id, record, act)

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
        record = Transfer.validated(
            from_fund_id=from_fund_id,
            to_fund_id=to_fund_id,
            amount=amount,
            transferred_on=transferred_on,
            purpose=purpose,
            pairing_id=pairing_id,
        )

        def act() -> tuple[Transfer, list[Aggregate]]:
            source = self.get_fund(from_fund_id, field="fund_id")
            destination = self.get_fund(to_fund_id, field="to_fund_id")
            return source.transfer_to(destination, transfer_id, record), [source, destination]

        return self._run(transfer_id, from_fund_id, record, act)

    def reserve(
        self,
        fund_id: UUID,
        *,
        reservation_id: UUID,
        amount: Money,
        reserved_on: date,
        purpose: str,
    ) -> Outcome[Reservation]:
        record = Reservation.validated(amount=amount, reserved_on=reserved_on, purpose=purpose)

        def act() -> tuple[Reservation, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            return fund.reserve(reservation_id, record), [fund]

        return self._run(reservation_id, fund_id, record, act)

    def release(
        self, fund_id: UUID, *, release_id: UUID, reservation_id: UUID, released_on: date
    ) -> Outcome[Release]:
        request = Release.validated(reservation_id=reservation_id, released_on=released_on)

        def act() -> tuple[Release, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            self._entry(reservation_id, Reservation, fund_id, field="reservation_id")
            return fund.release(release_id, request), [fund]

        return self._run(release_id, fund_id, request, act)

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
        record = Payment.validated(
            amount=amount, paid_on=paid_on, purpose=purpose, reservation_id=reservation_id
        )

        def act() -> tuple[Payment, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            if reservation_id is not None:
                self._entry(reservation_id, Reservation, fund_id, field="reservation_id")
            return fund.pay(payment_id, record), [fund]

        return self._run(payment_id, fund_id, record, act)

    def reverse_donation(
        self,
        fund_id: UUID,
        *,
        reversal_id: UUID,
        donation_id: UUID,
        reason: str,
        reversed_on: date,
    ) -> Outcome[Reversal]:
        request = Reversal.validated(
            target_id=donation_id,
            target_field="donation_id",
            reason=reason,
            reversed_on=reversed_on,
        )

        def act() -> tuple[Reversal, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            donation = self._entry(donation_id, Donation, fund_id, field="donation_id")
            return fund.reverse_donation(reversal_id, request, donation), [fund]

        return self._run(reversal_id, fund_id, request, act)

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
        request = Reversal.validated(
            target_id=transfer_id,
            target_field="transfer_id",
            reason=reason,
            reversed_on=reversed_on,
        )

        def act() -> tuple[Reversal, list[Aggregate]]:
            self.get_fund(fund_id)
            transfer = self._entry(transfer_id, Transfer, fund_id, field="transfer_id")
            source = self.get_fund(transfer.from_fund_id)
            destination = self.get_fund(transfer.to_fund_id)
            reversal = source.reverse_transfer(destination, reversal_id, request, transfer)
            return reversal, [source, destination]

        return self._run(reversal_id, fund_id, request, act)

    def close_fund(
        self, fund_id: UUID, *, command_id: UUID, closed_on: date, reason: str
    ) -> Outcome[Closure]:
        record = Closure.validated(closed_on=closed_on, reason=reason)

        def act() -> tuple[Closure, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            return fund.close(command_id, record), [fund]

        return self._run(command_id, fund_id, record, act)

    # --- grants ----------------------------------------------------------------------------------

    def get_grant(self, grant_id: UUID) -> Grant:
        return self._get(grant_id, Grant, UnknownGrant, "grant_id")

    def award_grant(
        self,
        grant_id: UUID,
        *,
        fund_id: UUID,
        recipient_id: UUID,
        programme: str,
        title: str,
        description: str,
        amount: Money,
        awarded_on: date,
        planned_start: date,
        planned_end: date,
        pairing_id: UUID | None = None,
    ) -> Outcome[Award]:
        """Award a grant and reserve its amount in the fund, in one transaction."""
        record = Award.validated(
            fund_id=fund_id,
            recipient_id=recipient_id,
            programme=programme,
            title=title,
            description=description,
            amount=amount,
            awarded_on=awarded_on,
            planned_start=planned_start,
            planned_end=planned_end,
            pairing_id=pairing_id,
        )

        def act() -> tuple[Award, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            recipient = self.get_organization(recipient_id, field="recipient_id")
            recipient.check_active(field="recipient_id")
            if recipient.id == fund.foundation_id:
                raise RoleMismatch(
                    f"recipient_id: fund {fund_id} belongs to {recipient.name!r}; a foundation "
                    "cannot grant to itself",
                    field="recipient_id",
                )
            fund.reserve(grant_id, Reservation(amount, awarded_on, f"grant: {title}"))
            return record, [Grant.award(grant_id, record), fund]

        return self._run(grant_id, grant_id, record, act)

    def pay_instalment(
        self, grant_id: UUID, *, payment_id: UUID, amount: Money, paid_on: date
    ) -> Outcome[Instalment]:
        record = Instalment.validated(amount=amount, paid_on=paid_on)

        def act() -> tuple[Instalment, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            fund = self.get_fund(grant.fund_id)
            grant.pay_instalment(payment_id, record)
            fund.pay(
                payment_id, Payment(amount, paid_on, f"grant instalment: {grant.title}", grant_id)
            )
            return record, [grant, fund]

        return self._run(payment_id, grant_id, record, act)

    def amend_grant(
        self, grant_id: UUID, *, command_id: UUID, new_amount: Money, reason: str, amended_on: date
    ) -> Outcome[Amendment]:
        record = Amendment.validated(new_amount=new_amount, reason=reason, amended_on=amended_on)

        def act() -> tuple[Amendment, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            fund = self.get_fund(grant.fund_id)
            delta = grant.amend(command_id, record)
            adjustment = ReservationAdjustment(grant_id, delta, reason, amended_on)
            fund.adjust_reservation(command_id, adjustment)
            return record, [grant, fund]

        return self._run(command_id, grant_id, record, act)

    def record_grant_feedback(
        self, grant_id: UUID, *, command_id: UUID, rating: int, summary: str, recorded_on: date
    ) -> Outcome[Feedback]:
        record = Feedback.validated(rating=rating, summary=summary, recorded_on=recorded_on)

        def act() -> tuple[Feedback, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            return grant.record_feedback(command_id, record), [grant]

        return self._run(command_id, grant_id, record, act)

    def receive_grant_report(
        self, grant_id: UUID, *, command_id: UUID, summary: str, received_on: date
    ) -> Outcome[Report]:
        record = Report.validated(summary=summary, received_on=received_on)

        def act() -> tuple[Report, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            return grant.receive_report(command_id, record), [grant]

        return self._run(command_id, grant_id, record, act)

    def close_grant(
        self, grant_id: UUID, *, command_id: UUID, outcome: str, closed_on: date
    ) -> Outcome[Ending]:
        return self._end_grant(
            grant_id, command_id, Ending.validated(how="closed", text=outcome, ended_on=closed_on)
        )

    def cancel_grant(
        self, grant_id: UUID, *, command_id: UUID, reason: str, cancelled_on: date
    ) -> Outcome[Ending]:
        return self._end_grant(
            grant_id,
            command_id,
            Ending.validated(how="cancelled", text=reason, ended_on=cancelled_on),
        )

    def _end_grant(self, grant_id: UUID, command_id: UUID, record: Ending) -> Outcome[Ending]:
        def act() -> tuple[Ending, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            fund = self.get_fund(grant.fund_id)
            grant.check_active()
            released = Money.zero()
            if str(grant_id) in fund.outstanding:
                released = fund.release(
                    command_id, Release(grant_id, record.ended_on, Money.zero())
                ).amount
            return grant.end(command_id, record, released), [grant, fund]

        return self._run(command_id, grant_id, record, act)

    def reverse_instalment(
        self, grant_id: UUID, *, reversal_id: UUID, payment_id: UUID, reason: str, reversed_on: date
    ) -> Outcome[Reversal]:
        """Money of a paid instalment came back: it returns to the fund's available balance."""
        request = Reversal.validated(
            target_id=payment_id, target_field="payment_id", reason=reason, reversed_on=reversed_on
        )

        def act() -> tuple[Reversal, list[Aggregate]]:
            grant = self.get_grant(grant_id)
            fund = self.get_fund(grant.fund_id)
            amount = grant.reverse_instalment(
                reversal_id, payment_id, request.reason, request.reversed_on
            )
            paid = Payment(amount, reversed_on, "grant instalment", grant_id)
            return fund.reverse_payment(reversal_id, request, paid), [grant, fund]

        return self._run(reversal_id, grant_id, request, act)

    # --- relief cases (救急难) ----------------------------------------------------------------------

    def get_relief_case(self, case_id: UUID) -> ReliefCase:
        return self._get(case_id, ReliefCase, UnknownReliefCase, "case_id")

    @forgets_references_of_refused_commands("case_id")
    def open_relief_case(
        self,
        case_id: UUID,
        *,
        fund_id: UUID,
        reason_code: str,
        purpose_code: str,
        subdistrict: str,
        beneficiary_subject_id: UUID,
        requested_amount: Money,
        emergency: bool,
        opened_on: date,
    ) -> Outcome[CaseOpening]:
        """Open a case on an emergency-relief fund; the beneficiary enters as a fresh vault reference."""
        minted = self._mint(beneficiary_subject_id, case_id, field="beneficiary_subject_id")
        record = CaseOpening.validated(
            fund_id=fund_id,
            reason_code=reason_code,
            purpose_code=purpose_code,
            subdistrict=subdistrict,
            beneficiary=minted,
            requested=requested_amount,
            emergency=emergency,
            opened_on=opened_on,
        )

        def act() -> tuple[CaseOpening, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            fund.check_open()
            if fund.kind != "emergency_relief":
                raise WrongFundKind(
                    f"fund_id: relief cases are paid from an emergency_relief fund; {fund_id} is {fund.kind}",
                    field="fund_id",
                )
            return record, [ReliefCase.open(case_id, record)]

        return self._run(case_id, case_id, record, act)

    def approve_relief_case(
        self,
        case_id: UUID,
        *,
        command_id: UUID,
        amount: Money,
        approvers: list[UUID],
        approved_on: date,
    ) -> Outcome[Approval]:
        """Approve, reserving in the fund what the approval adds to what was already paid."""
        record = Approval.validated(amount=amount, approvers=approvers, approved_on=approved_on)

        def act() -> tuple[Approval, list[Aggregate]]:
            case = self.get_relief_case(case_id)
            fund = self.get_fund(case.fund_id)
            to_reserve = case.approve(command_id, record)
            if to_reserve.is_positive():
                fund.reserve(case_id, Reservation(to_reserve, approved_on, "relief case approval"))
            return record, [case, fund]

        return self._run(command_id, case_id, record, act)

    def reject_relief_case(
        self, case_id: UUID, *, command_id: UUID, reason: str, rejected_on: date
    ) -> Outcome[Rejection]:
        record = Rejection.validated(reason=reason, rejected_on=rejected_on)

        def act() -> tuple[Rejection, list[Aggregate]]:
            case = self.get_relief_case(case_id)
            return case.reject(command_id, record), [case]

        return self._run(command_id, case_id, record, act)

    def disburse_relief(
        self, case_id: UUID, *, disbursement_id: UUID, amount: Money, paid_on: date
    ) -> Outcome[Disbursement]:
        """Pay against the approval, or (an emergency case not yet approved) from the fund's
        available balance, starting the ratification deadline."""
        record = Disbursement.validated(amount=amount, paid_on=paid_on)

        def act() -> tuple[Disbursement, list[Aggregate]]:
            case = self.get_relief_case(case_id)
            fund = self.get_fund(case.fund_id)
            against_approval = case.disburse(disbursement_id, record, self.ratification_days)
            reservation = case_id if against_approval else None
            fund.pay(disbursement_id, Payment(amount, paid_on, "relief disbursement", reservation))
            return record, [case, fund]

        return self._run(disbursement_id, case_id, record, act)

    def ratify_relief_case(
        self, case_id: UUID, *, command_id: UUID, approvers: list[UUID], ratified_on: date
    ) -> Outcome[Ratification]:
        record = Ratification.validated(approvers=approvers, ratified_on=ratified_on)

        def act() -> tuple[Ratification, list[Aggregate]]:
            case = self.get_relief_case(case_id)
            return case.ratify(command_id, record), [case]

        return self._run(command_id, case_id, record, act)

    def reverse_disbursement(
        self,
        case_id: UUID,
        *,
        reversal_id: UUID,
        disbursement_id: UUID,
        reason: str,
        reversed_on: date,
    ) -> Outcome[Reversal]:
        """Undo a disbursement (money back to the fund's available balance), with a public reason."""
        request = Reversal.validated(
            target_id=disbursement_id,
            target_field="disbursement_id",
            reason=reason,
            reversed_on=reversed_on,
        )

        def act() -> tuple[Reversal, list[Aggregate]]:
            case = self.get_relief_case(case_id)
            fund = self.get_fund(case.fund_id)
            amount = case.reverse_disbursement(
                reversal_id, disbursement_id, request.reason, request.reversed_on
            )
            paid = Payment(amount, reversed_on, "relief disbursement", None)
            return fund.reverse_payment(reversal_id, request, paid), [case, fund]

        return self._run(reversal_id, case_id, request, act)

    def overdue_ratifications(self, today: date) -> list[UUID]:
        """Cases paid on the emergency fast path whose ratification deadline has passed."""
        case_ids: dict[UUID, None] = {}
        position = 0
        while batch := self.recorder.select_notifications(
            position + 1, self.log_section_size, topics=["mingzhang/ReliefCase.Disbursed"]
        ):
            for notification in batch:
                case_ids[notification.originator_id] = None  # type: ignore[index]
            position = batch[-1].id
        return [c for c in case_ids if self.get_relief_case(c).is_overdue(today)]

    def _mint(self, subject_id: UUID, use_id: UUID, *, field: str) -> Minted:
        if self.vault is None:
            msg = "this Ledger has no personal-data vault; construct it with vault=…"
            raise RuntimeError(msg)
        try:
            return self.vault.mint_reference(subject_id, use_id)
        except NotFound as error:
            raise type(error)(f"{field}: {error.message}", field=field) from None

    # --- pairings (结对) ---------------------------------------------------------------------------

    def get_pairing(self, pairing_id: UUID) -> Pairing:
        return self._get(pairing_id, Pairing, UnknownPairing, "pairing_id")

    def propose_pairing(
        self,
        pairing_id: UUID,
        *,
        kind: str,
        mode: str | None = None,
        lead_id: UUID,
        partner_id: UUID,
        goals: list[str],
        planned_start: date,
        planned_end: date,
        proposed_on: date,
    ) -> Outcome[Proposal]:
        """Propose a pairing; it holds the one open place for its kind between the two organisations."""
        record = Proposal.validated(
            kind=kind,
            mode=mode,
            lead_id=lead_id,
            partner_id=partner_id,
            goals=goals,
            planned_start=planned_start,
            planned_end=planned_end,
            proposed_on=proposed_on,
        )

        def act() -> tuple[Proposal, list[Aggregate]]:
            lead = self.get_organization(lead_id, field="lead_id")
            partner = self.get_organization(partner_id, field="partner_id")
            pairing = Pairing.propose(pairing_id, record, lead, partner)
            slot = self._slot(kind, lead_id, partner_id)
            slot.take(pairing_id)
            return record, [pairing, slot]

        return self._run(pairing_id, pairing_id, record, act)

    def confirm_pairing(
        self, pairing_id: UUID, *, command_id: UUID, party_id: UUID, confirmed_on: date
    ) -> Outcome[Confirmation]:
        record = Confirmation.validated(party_id=party_id, confirmed_on=confirmed_on)

        def act() -> tuple[Confirmation, list[Aggregate]]:
            pairing = self.get_pairing(pairing_id)
            return pairing.confirm(command_id, record), [pairing]

        return self._run(command_id, pairing_id, record, act)

    def record_pairing_activity(
        self,
        pairing_id: UUID,
        *,
        activity_id: UUID,
        kind: str,
        held_on: date,
        summary: str,
        transfer_id: UUID | None = None,
    ) -> Outcome[Activity]:
        """Record an activity; a funding activity names the fund transfer that carried the money,
        which must run between the two parties' funds."""
        record = Activity.validated(
            kind=kind, held_on=held_on, summary=summary, transfer_id=transfer_id
        )

        def act() -> tuple[Activity, list[Aggregate]]:
            pairing = self.get_pairing(pairing_id)
            if transfer_id is not None:
                self._check_transfer_between(transfer_id, pairing)
            return pairing.record_activity(activity_id, record), [pairing]

        return self._run(activity_id, pairing_id, record, act)

    def evaluate_pairing(
        self,
        pairing_id: UUID,
        *,
        command_id: UUID,
        results: list[tuple[int, str, str]],
        grade_before: str | None = None,
        grade_after: str | None = None,
        evaluated_on: date,
    ) -> Outcome[PairingEvaluation]:
        """Evaluate each goal (by its number, from 1): met, partly or not_met, with a note."""
        record = PairingEvaluation.validated(
            results=results,
            grade_before=grade_before,
            grade_after=grade_after,
            evaluated_on=evaluated_on,
        )

        def act() -> tuple[PairingEvaluation, list[Aggregate]]:
            pairing = self.get_pairing(pairing_id)
            return pairing.evaluate(command_id, record), [pairing]

        return self._run(command_id, pairing_id, record, act)

    def conclude_pairing(
        self, pairing_id: UUID, *, command_id: UUID, summary: str, concluded_on: date
    ) -> Outcome[PairingEnding]:
        ending = PairingEnding.validated(how="concluded", text=summary, ended_on=concluded_on)
        return self._end_pairing(pairing_id, command_id, ending)

    def terminate_pairing(
        self, pairing_id: UUID, *, command_id: UUID, reason: str, terminated_on: date
    ) -> Outcome[PairingEnding]:
        ending = PairingEnding.validated(how="terminated", text=reason, ended_on=terminated_on)
        return self._end_pairing(pairing_id, command_id, ending)

    def _end_pairing(
        self, pairing_id: UUID, command_id: UUID, ending: PairingEnding
    ) -> Outcome[PairingEnding]:
        def act() -> tuple[PairingEnding, list[Aggregate]]:
            pairing = self.get_pairing(pairing_id)
            pairing.end(command_id, ending)
            slot = self._slot(pairing.kind, pairing.lead_id, pairing.partner_id)
            slot.free(pairing_id)
            return ending, [pairing, slot]

        return self._run(command_id, pairing_id, ending, act)

    def _slot(self, kind: str, first: UUID, second: UUID) -> PairingSlot:
        key = slot_id(kind, first, second)
        try:
            slot: PairingSlot = self.repository.get(key)
        except AggregateNotFoundError:
            slot = PairingSlot(id=key)
        return slot

    def _check_transfer_between(self, transfer_id: UUID, pairing: Pairing) -> None:
        """A funding activity's transfer runs between the two parties' funds and, if it names a
        pairing, names this one."""
        found = self.applied(transfer_id)
        if found is None or not isinstance(found.record, Transfer):
            raise UnknownEntry(
                f"transfer_id: the ledger has no fund transfer {transfer_id}", field="transfer_id"
            )
        transfer = found.record
        owners = {
            self.get_fund(transfer.from_fund_id).foundation_id,
            self.get_fund(transfer.to_fund_id).foundation_id,
        }
        if owners != set(pairing.parties) or transfer.pairing_id not in (None, pairing.id):
            raise RoleMismatch(
                f"transfer_id: transfer {transfer_id} does not run between the two parties' funds "
                "for this pairing",
                field="transfer_id",
            )

    # --- mentor links (带教) -----------------------------------------------------------------------

    def get_mentor_link(self, link_id: UUID) -> MentorLink:
        return self._get(link_id, MentorLink, UnknownMentorLink, "link_id")

    @forgets_references_of_refused_commands("link_id")
    def start_mentor_link(
        self,
        link_id: UUID,
        *,
        mentor_kind: str,
        mentor_org_id: UUID | None = None,
        mentor_subject_id: UUID | None = None,
        role_label: str | None = None,
        publish_name: bool = False,
        mentee_id: UUID,
        focus: str,
        started_on: date,
    ) -> Outcome[LinkStart]:
        """Start mentoring; a person mentor enters as a reference minted for this link."""
        minted = (
            self._mint(mentor_subject_id, link_id, field="mentor_subject_id")
            if mentor_kind == "person" and mentor_subject_id is not None
            else None
        )
        record = LinkStart.validated(
            mentor_kind=mentor_kind,
            mentor_org_id=mentor_org_id,
            mentor_person=minted,
            role_label=role_label,
            publish_name=publish_name,
            mentee_id=mentee_id,
            focus=focus,
            started_on=started_on,
        )

        def act() -> tuple[LinkStart, list[Aggregate]]:
            mentee = self.get_organization(mentee_id, field="mentee_id")
            mentee.check_active(field="mentee_id")
            if mentor_org_id is not None:
                self.get_organization(mentor_org_id, field="mentor_org_id").check_active(
                    field="mentor_org_id"
                )
            return record, [MentorLink.start(link_id, record)]

        return self._run(link_id, link_id, record, act)

    def record_mentoring_session(
        self, link_id: UUID, *, session_id: UUID, held_on: date, hours: str | Decimal, topic: str
    ) -> Outcome[Session]:
        record = Session.validated(held_on=held_on, hours=hours, topic=topic)

        def act() -> tuple[Session, list[Aggregate]]:
            link = self.get_mentor_link(link_id)
            return link.record_session(session_id, record), [link]

        return self._run(session_id, link_id, record, act)

    def withdraw_mentor_name_consent(
        self, link_id: UUID, *, command_id: UUID, withdrawn_on: date
    ) -> Outcome[date]:
        """The person mentor no longer agrees to be named in public."""
        check_date(withdrawn_on, field="withdrawn_on")

        def act() -> tuple[date, list[Aggregate]]:
            link = self.get_mentor_link(link_id)
            return link.withdraw_name_consent(command_id, withdrawn_on), [link]

        return self._run(command_id, link_id, withdrawn_on, act)

    def end_mentor_link(
        self, link_id: UUID, *, command_id: UUID, outcome: str, ended_on: date
    ) -> Outcome[LinkEnd]:
        record = LinkEnd.validated(outcome=outcome, ended_on=ended_on)

        def act() -> tuple[LinkEnd, list[Aggregate]]:
            link = self.get_mentor_link(link_id)
            return link.end(command_id, record), [link]

        return self._run(command_id, link_id, record, act)

    # --- designations (带头人, 观察点) ----------------------------------------------------------------

    def get_designation(self, designation_id: UUID) -> Designation:
        return self._get(designation_id, Designation, UnknownDesignation, "designation_id")

    @forgets_references_of_refused_commands("designation_id")
    def nominate(
        self,
        designation_id: UUID,
        *,
        kind: str,
        year: int,
        nominee_kind: str,
        nominee_org_id: UUID | None = None,
        nominee_subject_id: UUID | None = None,
        nominating_body: str,
        rationale: str,
        nominated_on: date,
    ) -> Outcome[Nomination]:
        minted = (
            self._mint(nominee_subject_id, designation_id, field="nominee_subject_id")
            if nominee_kind == "person" and nominee_subject_id is not None
            else None
        )
        record = Nomination.validated(
            kind=kind,
            year=year,
            nominee_kind=nominee_kind,
            nominee_org_id=nominee_org_id,
            nominee_person=minted,
            nominating_body=nominating_body,
            rationale=rationale,
            nominated_on=nominated_on,
        )

        def act() -> tuple[Nomination, list[Aggregate]]:
            if nominee_org_id is not None:
                nominee = self.get_organization(nominee_org_id, field="nominee_org_id")
                nominee.check_active(field="nominee_org_id")
                nominee.check_has_role(
                    FUND_HOLDER_ROLES, field="nominee_org_id", doing="be designated"
                )
            return record, [Designation.nominate(designation_id, record)]

        return self._run(designation_id, designation_id, record, act)

    def select_designation(
        self, designation_id: UUID, *, command_id: UUID, selected_on: date, selecting_body: str
    ) -> Outcome[Selection]:
        record = Selection.validated(selected_on=selected_on, selecting_body=selecting_body)

        def act() -> tuple[Selection, list[Aggregate]]:
            designation = self.get_designation(designation_id)
            year = self._designation_year(designation.kind, designation.year)
            designation.select(command_id, record, year, self.designations_max_per_year)
            return record, [designation, year]

        return self._run(command_id, designation_id, record, act)

    def revoke_designation(
        self, designation_id: UUID, *, command_id: UUID, reason: str, revoked_on: date
    ) -> Outcome[Revocation]:
        record = Revocation.validated(reason=reason, revoked_on=revoked_on)

        def act() -> tuple[Revocation, list[Aggregate]]:
            designation = self.get_designation(designation_id)
            year = self._designation_year(designation.kind, designation.year)
            designation.revoke(command_id, record, year)
            return record, [designation, year]

        return self._run(command_id, designation_id, record, act)

    def designations_selected(self, year: int) -> dict[str, int]:
        """How many of each kind are selected (and not revoked) for a year."""
        return {
            kind: len(self._designation_year(kind, year).selected) for kind in DESIGNATION_KINDS
        }

    def _designation_year(self, kind: str, year: int) -> DesignationYear:
        key = year_id(kind, year)
        try:
            found: DesignationYear = self.repository.get(key)
        except AggregateNotFoundError:
            found = DesignationYear(id=key, kind=kind, year=year)
        return found

    # --- the one way commands are carried out ----------------------------------------------------

    def _run(
        self,
        command_id: UUID,
        target: UUID,
        request: T,
        act: Callable[[], tuple[T, Sequence[Aggregate]]],
    ) -> Outcome[T]:
        """Repeat check → get → command → save with the command's index row; again from the top
        when another writer changed an aggregate, or used the command id, first."""
        with self._stripes[hash(target) % LOCK_STRIPES]:
            return self._attempt(command_id, target, request, act)

    def _attempt(
        self,
        command_id: UUID,
        target: UUID,
        request: T,
        act: Callable[[], tuple[T, Sequence[Aggregate]]],
    ) -> Outcome[T]:
        for attempt in range(MAX_ATTEMPTS):
            earlier = self.applied(command_id)
            if earlier is not None:
                if earlier.record != request or earlier.aggregate_id != target:
                    raise DuplicateCommandError(
                        f"id {command_id} was already used for a different "
                        f"{type(earlier.record).__name__}; choose a new id",
                        field="id",
                    )
                result: T = earlier.record  # equal to the request, so a T
                return Outcome(result, self.head(), created=False)
            value, touched = act()
            aggregates = list({a.id: a for a in touched}.values())
            self._stamp(target, aggregates)
            row = CommandRow(command_id, target, self.mapper.transcoder.encode(value))
            try:
                recordings = self.save(*aggregates, commands=[row])
            except IntegrityError:
                # Lost a race: back off a little, reload, decide again.
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
                continue
            version = next((a.version for a in aggregates if a.id == target), None)
            return Outcome(value, recordings[-1].notification.id, created=True, version=version)
        raise ConcurrentModification(
            f"the command could not be applied after {MAX_ATTEMPTS} attempts because other writers "
            "kept changing the same records; try again"
        )

    def _stamp(self, target: UUID, aggregates: Sequence[Aggregate]) -> None:
        """Check the caller's expected version, and write the actor into every new event. The actor
        is declared on every event (`LedgerEvent.actor`) but set here, because it belongs to every
        event alike and to no aggregate's state; stored events keep it, and decoding puts it back."""
        acting = _acting.get()
        for aggregate in aggregates:
            pending = aggregate.pending_events
            if aggregate.id == target and acting.expected_version is not None:
                before = aggregate.version - len(pending)
                if before != acting.expected_version:
                    raise PreconditionFailed(
                        f"If-Match: the record is at version {before}, not "
                        f"{acting.expected_version}; read it again",
                        field="If-Match",
                    )
            for event in pending:
                if not isinstance(event, LedgerEvent):
                    msg = f"{type(event).__qualname__} is not a LedgerEvent, so it has no actor"
                    raise TypeError(msg)
                event.record_actor(acting.actor)

    def _entry(self, entry_id: UUID, kind: type[E], fund_id: UUID, *, field: str) -> E:
        """The record of an earlier command on this fund (a donation, transfer or reservation)."""
        found = self.applied(entry_id)
        record = None if found is None else found.record
        on_this_fund = found is not None and (
            fund_id in (record.from_fund_id, record.to_fund_id)
            if isinstance(record, Transfer)
            else found.aggregate_id == fund_id
        )
        if not isinstance(record, kind) or not on_this_fund:
            raise UnknownEntry(
                f"{field}: fund {fund_id} has no {kind.__name__.lower()} {entry_id}", field=field
            )
        return record

    def _get(self, aggregate_id: UUID, kind: type[A], error: type[NotFound], field: str) -> A:
        aggregate: object = None
        with contextlib.suppress(AggregateNotFoundError):
            aggregate = self.repository.get(aggregate_id)
        if not isinstance(aggregate, kind):
            raise error(f"{field}: no {kind.__name__.lower()} {aggregate_id}", field=field)
        return aggregate
