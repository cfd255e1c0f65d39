"""The ledger's use cases for funds: open, donations and name consent, transfers, reservations,
releases, payments, reversals, closing.

`FundUseCases` is one family of `Ledger`'s methods (composed in `domain/ledger.py`); the rules are the
`Fund` aggregate's (`domain/foundations/fund.py`) and the records are in `entries.py`. It builds on
`OrganizationUseCases` because a fund's foundation and an organisation donor are looked up; grants,
relief cases and pairings build on it in turn.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.dates import check_not_before, check_plausible
from domain.errors import UnknownFund
from domain.foundations.entries import (
    Closure,
    ConsentWithdrawal,
    Donation,
    FundOpening,
    Payment,
    Release,
    Reservation,
    Reversal,
    Transfer,
)
from domain.foundations.fund import Fund
from domain.money import Money
from domain.organization_use_cases import OrganizationUseCases
from domain.privacy import NewPerson
from domain.use_cases import forgets_references_of_refused_commands

if TYPE_CHECKING:
    from domain.ledger import Outcome


class FundUseCases(OrganizationUseCases):
    """Funds and the money that moves through them."""

    # The foundation of each fund asked so far (see `fund_foundation`); the Ledger creates it.
    _fund_owners: dict[UUID, UUID]

    def get_fund(self, fund_id: UUID, *, field: str = "fund_id") -> Fund:
        return self._get(fund_id, Fund, UnknownFund, field)

    def fund_foundation(self, fund_id: UUID, *, field: str = "fund_id") -> UUID:
        """The foundation a fund belongs to. It never changes once the fund is opened, so it is
        remembered: authorisation asks it on every write, and need not load the fund each time."""
        owner = self._fund_owners.get(fund_id)
        if owner is None:
            owner = self._fund_owners[fund_id] = self.get_fund(fund_id, field=field).foundation_id
        return owner

    def open_fund(
        self, fund_id: UUID, *, foundation_id: UUID, kind: str, name: str, opened_on: date
    ) -> Outcome[FundOpening]:
        record = FundOpening.validated(
            foundation_id=foundation_id, kind=kind, name=name, opened_on=opened_on
        )

        def act() -> tuple[FundOpening, list[Aggregate]]:
            foundation = self.get_organization(foundation_id, field="foundation_id")
            foundation.check_dated(record.opened_on, field="opened_on", today=self.today())
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
        donor_person: NewPerson | None = None,
        publish_name: bool = False,
    ) -> Outcome[Donation]:
        """A donation; a person donor is given by `donor_subject_id` (a vault subject), and the event
        carries only a reference minted for this donation and its commitment."""
        commitment = None
        minted = self._mint_for_person(
            donor_kind, donor_subject_id, donation_id, field="donor_subject_id", person=donor_person
        )
        if minted is not None:
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
            fund.check_dated(record.received_on, field="received_on", today=self.today())
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
            fund.check_dated(record.withdrawn_on, field="withdrawn_on", today=self.today())
            check_not_before(
                record.withdrawn_on,
                donation.received_on,
                field="withdrawn_on",
                since="the donation was received",
            )
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
            for fund in (source, destination):
                fund.check_dated(record.transferred_on, field="transferred_on", today=self.today())
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
            fund.check_dated(record.reserved_on, field="reserved_on", today=self.today())
            return fund.reserve(reservation_id, record), [fund]

        return self._run(reservation_id, fund_id, record, act)

    def release(
        self, fund_id: UUID, *, release_id: UUID, reservation_id: UUID, released_on: date
    ) -> Outcome[Release]:
        request = Release.validated(reservation_id=reservation_id, released_on=released_on)

        def act() -> tuple[Release, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            reservation = self._entry(reservation_id, Reservation, fund_id, field="reservation_id")
            fund.check_dated(request.released_on, field="released_on", today=self.today())
            check_not_before(
                request.released_on,
                reservation.reserved_on,
                field="released_on",
                since="the reservation was made",
            )
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
            fund.check_dated(record.paid_on, field="paid_on", today=self.today())
            if reservation_id is not None:
                reservation = self._entry(
                    reservation_id, Reservation, fund_id, field="reservation_id"
                )
                check_not_before(
                    record.paid_on,
                    reservation.reserved_on,
                    field="paid_on",
                    since="the reservation was made",
                )
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
            fund.check_dated(request.reversed_on, field="reversed_on", today=self.today())
            check_not_before(
                request.reversed_on,
                donation.received_on,
                field="reversed_on",
                since="the donation was received",
            )
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
            check_not_before(
                request.reversed_on,
                transfer.transferred_on,
                field="reversed_on",
                since="the transfer was made",
            )
            check_plausible(request.reversed_on, field="reversed_on", today=self.today())
            reversal = source.reverse_transfer(destination, reversal_id, request, transfer)
            return reversal, [source, destination]

        return self._run(reversal_id, fund_id, request, act)

    def close_fund(
        self, fund_id: UUID, *, command_id: UUID, closed_on: date, reason: str
    ) -> Outcome[Closure]:
        record = Closure.validated(closed_on=closed_on, reason=reason)

        def act() -> tuple[Closure, list[Aggregate]]:
            fund = self.get_fund(fund_id)
            fund.check_dated(record.closed_on, field="closed_on", today=self.today())
            return fund.close(command_id, record), [fund]

        return self._run(command_id, fund_id, record, act)
