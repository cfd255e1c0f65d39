"""`Fund` (基金 / 专项基金): money a foundation holds, and every movement of it, as events.

Available = balance − reserved, and it never goes below zero (TigerBeetle's
`debits_must_not_exceed_credits`). Money comes in as donations or transfers in; it leaves as payments or
transfers out. Grants and relief cases first *reserve* (a pending debit), then *pay* against the
reservation (post) or *release* what is left (void). A donation or transfer is never edited or deleted:
a reversal (更正说明) is a compensating entry with a public reason. A transfer changes two funds, and the
application saves both in one transaction.

The fund's state is what its rules need and nothing more: totals, the reservations still open, the
entries already reversed. Records of past commands live in the ledger's command index, so a fund's
snapshot stays the same size however long its history grows. Commands receive validated records (and,
for reversals, the record being undone) from the ledger, check the fund's rules, and record events.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from domain.checks import check_uuid
from domain.dates import Dated
from domain.errors import (
    AlreadyReversed,
    AmountBelowPaid,
    FundClosed,
    FundNotEmpty,
    InsufficientFunds,
    ReservationSettled,
    UnknownEntry,
)
from domain.events import LedgerAggregate, LedgerEvent
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
from domain.money import Money
from domain.organizations import FUND_HOLDER_ROLES, Organization


class Fund(LedgerAggregate, Dated):
    TOPIC = "mingzhang/Fund"
    BEGAN = "the fund was opened"

    class Created(LedgerAggregate.Created):
        """Base of the creation event; `Opened` is the one recorded."""

        TOPIC = "mingzhang/Fund.Created"

    @classmethod
    def open(cls, fund_id: UUID, opening: FundOpening, foundation: Organization) -> Fund:
        foundation.check_active(field="foundation_id")
        foundation.check_has_role(FUND_HOLDER_ROLES, field="foundation_id", doing="open funds")
        return cls(
            id=check_uuid(fund_id, field="id"),
            foundation_id=opening.foundation_id,
            kind=opening.kind,
            name=opening.name,
            opened_on=opening.opened_on,
        )

    class Opened(Created):
        """A foundation opened the fund."""

        TOPIC = "mingzhang/Fund.Opened"
        foundation_id: UUID
        kind: str
        name: str
        opened_on: date

    @event(Opened)
    def __init__(
        self,
        id: UUID,
        foundation_id: UUID,
        kind: str,
        name: str,
        opened_on: date,
    ) -> None:
        self.opening = FundOpening(foundation_id, kind, name, opened_on)
        self.balance = Money.zero()
        self.reserved = Money.zero()
        self.outstanding: dict[str, Money] = {}  # open reservations: id → what is left on each
        self.reversed_by: dict[str, str] = {}  # entry id → the reversal that undid it
        self.consent_withdrawn: dict[str, str] = {}  # donation id → the withdrawal command
        self.closure: Closure | None = None

    @property
    def foundation_id(self) -> UUID:
        return self.opening.foundation_id

    @property
    def kind(self) -> str:
        return self.opening.kind

    @property
    def began_on(self) -> date:
        return self.opening.opened_on

    @property
    def available(self) -> Money:
        return self.balance - self.reserved

    @property
    def is_open(self) -> bool:
        return self.closure is None

    # --- rules -----------------------------------------------------------------------------------

    def check_open(self, *, field: str = "fund_id") -> None:
        if self.closure is not None:
            raise FundClosed(
                f"{field}: fund {self.id} was closed on {self.closure.closed_on}; "
                "it accepts no further entries",
                field=field,
            )

    def check_available(self, amount: Money, *, field: str = "amount") -> None:
        if amount > self.available:
            raise InsufficientFunds(
                f"{field} {amount} exceeds the available balance {self.available} of fund "
                f"{self.id} (balance {self.balance} − reserved {self.reserved})",
                field=field,
            )

    def check_not_reversed(self, entry_id: UUID, *, field: str) -> None:
        if str(entry_id) in self.reversed_by:
            raise AlreadyReversed(
                f"{field}: {entry_id} was already reversed by {self.reversed_by[str(entry_id)]}",
                field=field,
            )

    def left_on(self, reservation_id: UUID, *, field: str = "reservation_id") -> Money:
        """What is still reserved under an open reservation of this fund. `field` is the request's
        field the refusal names: `reservation_id` when the client named the reservation, `amount`
        when a grant or relief case pays under its own reservation and the client sent no id."""
        left = self.outstanding.get(str(reservation_id))
        if left is None:
            raise ReservationSettled(
                f"{field}: reservation {reservation_id} has nothing left to pay or release",
                field=field,
            )
        return left

    # --- donations -------------------------------------------------------------------------------

    def receive_donation(self, donation_id: UUID, donation: Donation) -> Donation:
        self.check_open()
        self._donation_received(
            donation_id=donation_id,
            amount_fen=donation.amount.fen,
            received_on=donation.received_on,
            donor_kind=donation.donor_kind,
            donor_ref=donation.donor_ref,
            donor_commitment=donation.donor_commitment,
            publish_name=donation.publish_name,
        )
        return donation

    class DonationReceived(LedgerEvent):
        """Money came in from a donor (a person only as a per-donation vault reference and its commitment)."""

        TOPIC = "mingzhang/Fund.DonationReceived"
        donation_id: UUID
        amount_fen: int
        received_on: date
        donor_kind: str
        donor_ref: str | None
        donor_commitment: str | None
        publish_name: bool

    @event(DonationReceived)
    def _donation_received(
        self,
        donation_id: UUID,
        amount_fen: int,
        received_on: date,
        donor_kind: str,
        donor_ref: str | None,
        donor_commitment: str | None,
        publish_name: bool,
    ) -> None:
        self.balance += Money(amount_fen)

    def withdraw_name_consent(
        self, command_id: UUID, withdrawal: ConsentWithdrawal, donation: Donation
    ) -> ConsentWithdrawal:
        """The donor no longer agrees to be named; the donation itself stands."""
        key = str(withdrawal.donation_id)
        if not donation.publish_name or key in self.consent_withdrawn:
            raise AlreadyReversed(
                f"donation_id: donation {withdrawal.donation_id} has no consent to withdraw",
                field="donation_id",
            )
        self._name_consent_withdrawn(
            command_id=command_id,
            donation_id=withdrawal.donation_id,
            withdrawn_on=withdrawal.withdrawn_on,
        )
        return withdrawal

    class NameConsentWithdrawn(LedgerEvent):
        """The donor no longer agrees to be named in public."""

        TOPIC = "mingzhang/Fund.NameConsentWithdrawn"
        command_id: UUID
        donation_id: UUID
        withdrawn_on: date

    @event(NameConsentWithdrawn)
    def _name_consent_withdrawn(
        self, command_id: UUID, donation_id: UUID, withdrawn_on: date
    ) -> None:
        self.consent_withdrawn[str(donation_id)] = str(command_id)

    # --- transfers -------------------------------------------------------------------------------

    def transfer_to(self, destination: Fund, transfer_id: UUID, transfer: Transfer) -> Transfer:
        self.check_open(field="fund_id")
        destination.check_open(field="to_fund_id")
        self.check_available(transfer.amount)
        for apply in (self._transferred_out, destination._transferred_in):
            apply(
                transfer_id=transfer_id,
                from_fund_id=self.id,
                to_fund_id=destination.id,
                amount_fen=transfer.amount.fen,
                transferred_on=transfer.transferred_on,
                purpose=transfer.purpose,
                pairing_id=transfer.pairing_id,
            )
        return transfer

    class TransferredOut(LedgerEvent):
        """Money left for another fund (same commit as the `TransferredIn`)."""

        TOPIC = "mingzhang/Fund.TransferredOut"
        transfer_id: UUID
        from_fund_id: UUID
        to_fund_id: UUID
        amount_fen: int
        transferred_on: date
        purpose: str
        pairing_id: UUID | None

    @event(TransferredOut)
    def _transferred_out(
        self,
        transfer_id: UUID,
        from_fund_id: UUID,
        to_fund_id: UUID,
        amount_fen: int,
        transferred_on: date,
        purpose: str,
        pairing_id: UUID | None,
    ) -> None:
        self.balance -= Money(amount_fen)

    class TransferredIn(LedgerEvent):
        """Money arrived from another fund."""

        TOPIC = "mingzhang/Fund.TransferredIn"
        transfer_id: UUID
        from_fund_id: UUID
        to_fund_id: UUID
        amount_fen: int
        transferred_on: date
        purpose: str
        pairing_id: UUID | None

    @event(TransferredIn)
    def _transferred_in(
        self,
        transfer_id: UUID,
        from_fund_id: UUID,
        to_fund_id: UUID,
        amount_fen: int,
        transferred_on: date,
        purpose: str,
        pairing_id: UUID | None,
    ) -> None:
        self.balance += Money(amount_fen)

    # --- reservations and payments ---------------------------------------------------------------

    def reserve(self, reservation_id: UUID, reservation: Reservation) -> Reservation:
        self.check_open()
        self.check_available(reservation.amount)
        self._reserved(
            reservation_id=reservation_id,
            amount_fen=reservation.amount.fen,
            reserved_on=reservation.reserved_on,
            purpose=reservation.purpose,
        )
        return reservation

    class Reserved(LedgerEvent):
        """Money set aside (pending)."""

        TOPIC = "mingzhang/Fund.Reserved"
        reservation_id: UUID
        amount_fen: int
        reserved_on: date
        purpose: str

    @event(Reserved)
    def _reserved(
        self, reservation_id: UUID, amount_fen: int, reserved_on: date, purpose: str
    ) -> None:
        self.reserved += Money(amount_fen)
        self.outstanding[str(reservation_id)] = Money(amount_fen)

    def release(self, release_id: UUID, release: Release) -> Release:
        """Void what is left of a reservation, returning it to the available balance."""
        left = self.left_on(release.reservation_id)
        self._reservation_released(
            release_id=release_id,
            reservation_id=release.reservation_id,
            released_on=release.released_on,
            amount_fen=left.fen,
        )
        return Release(release.reservation_id, release.released_on, left)

    class ReservationReleased(LedgerEvent):
        """What was left of a reservation returned to the available balance."""

        TOPIC = "mingzhang/Fund.ReservationReleased"
        release_id: UUID
        reservation_id: UUID
        released_on: date
        amount_fen: int

    @event(ReservationReleased)
    def _reservation_released(
        self, release_id: UUID, reservation_id: UUID, released_on: date, amount_fen: int
    ) -> None:
        self.reserved -= Money(amount_fen)
        del self.outstanding[str(reservation_id)]

    def adjust_reservation(
        self, command_id: UUID, adjustment: ReservationAdjustment
    ) -> ReservationAdjustment:
        """Reserve more (a positive delta, from the available balance) or release part of what is
        left (a negative delta, at most what is left)."""
        self.check_open()
        left = self.left_on(adjustment.reservation_id)
        if adjustment.delta.is_positive():
            self.check_available(adjustment.delta)
        elif -adjustment.delta.fen > left.fen:
            raise AmountBelowPaid(
                f"amount: only {left} is left on reservation {adjustment.reservation_id}; "
                f"it cannot shrink by {Money(-adjustment.delta.fen)}",
                field="amount",
            )
        self._reservation_adjusted(
            command_id=command_id,
            reservation_id=adjustment.reservation_id,
            delta_fen=adjustment.delta.fen,
            reason=adjustment.reason,
            adjusted_on=adjustment.adjusted_on,
        )
        return adjustment

    class ReservationAdjusted(LedgerEvent):
        """A reservation changed size (an amended grant)."""

        TOPIC = "mingzhang/Fund.ReservationAdjusted"
        command_id: UUID
        reservation_id: UUID
        delta_fen: int
        reason: str
        adjusted_on: date

    @event(ReservationAdjusted)
    def _reservation_adjusted(
        self, command_id: UUID, reservation_id: UUID, delta_fen: int, reason: str, adjusted_on: date
    ) -> None:
        key = str(reservation_id)
        self.reserved += Money(delta_fen)
        self.outstanding[key] += Money(delta_fen)
        if not self.outstanding[key].is_positive():
            del self.outstanding[key]

    def pay(self, payment_id: UUID, payment: Payment, *, field: str = "reservation_id") -> Payment:
        """Pay out, either against a reservation (posting it) or straight from the available balance.
        `field` names the request's field a settled reservation is blamed on (see `left_on`)."""
        self.check_open()
        if payment.reservation_id is None:
            self.check_available(payment.amount)
        else:
            left = self.left_on(payment.reservation_id, field=field)
            if payment.amount > left:
                raise InsufficientFunds(
                    f"amount {payment.amount} exceeds the {left} left on reservation "
                    f"{payment.reservation_id}",
                    field="amount",
                )
        self._payment_made(
            payment_id=payment_id,
            amount_fen=payment.amount.fen,
            paid_on=payment.paid_on,
            purpose=payment.purpose,
            reservation_id=payment.reservation_id,
        )
        return payment

    class PaymentMade(LedgerEvent):
        """Money paid out."""

        TOPIC = "mingzhang/Fund.PaymentMade"
        payment_id: UUID
        amount_fen: int
        paid_on: date
        purpose: str
        reservation_id: UUID | None

    @event(PaymentMade)
    def _payment_made(
        self,
        payment_id: UUID,
        amount_fen: int,
        paid_on: date,
        purpose: str,
        reservation_id: UUID | None,
    ) -> None:
        amount = Money(amount_fen)
        self.balance -= amount
        if reservation_id is not None:
            key = str(reservation_id)
            self.reserved -= amount
            self.outstanding[key] -= amount
            if not self.outstanding[key].is_positive():
                del self.outstanding[key]

    # --- reversals (更正说明) ----------------------------------------------------------------------

    def reverse_donation(
        self, reversal_id: UUID, reversal: Reversal, donation: Donation
    ) -> Reversal:
        """Undo `donation` (the record the ledger found under `reversal.target_id`)."""
        self.check_open()
        self.check_not_reversed(reversal.target_id, field="donation_id")
        self.check_available(donation.amount, field="donation_id")
        self._donation_reversed(
            reversal_id=reversal_id,
            donation_id=reversal.target_id,
            reason=reversal.reason,
            reversed_on=reversal.reversed_on,
            amount_fen=donation.amount.fen,
        )
        return Reversal(reversal.target_id, reversal.reason, reversal.reversed_on, donation.amount)

    class DonationReversed(LedgerEvent):
        """更正说明: a donation undone, with its public reason."""

        TOPIC = "mingzhang/Fund.DonationReversed"
        reversal_id: UUID
        donation_id: UUID
        reason: str
        reversed_on: date
        amount_fen: int

    @event(DonationReversed)
    def _donation_reversed(
        self, reversal_id: UUID, donation_id: UUID, reason: str, reversed_on: date, amount_fen: int
    ) -> None:
        self.balance -= Money(amount_fen)
        self.reversed_by[str(donation_id)] = str(reversal_id)

    def reverse_payment(
        self,
        reversal_id: UUID,
        reversal: Reversal,
        payment: Payment,
        *,
        restore_to: UUID | None = None,
    ) -> Reversal:
        """Money paid out came back (a returned instalment, a disbursement undone). It returns to
        the available balance; with `restore_to` (the reservation of a grant or case that may still
        pay it: an active grant, an approved case) it is reserved there again, so the grant or case
        can pay it once more and the fund's `reserved` still equals what they may pay."""
        self.check_open()
        self.check_not_reversed(reversal.target_id, field="payment_id")
        self._payment_reversed(
            reversal_id=reversal_id,
            payment_id=reversal.target_id,
            reason=reversal.reason,
            reversed_on=reversal.reversed_on,
            amount_fen=payment.amount.fen,
        )
        if restore_to is not None:
            self._reservation_restored(
                reversal_id=reversal_id,
                reservation_id=restore_to,
                amount_fen=payment.amount.fen,
                restored_on=reversal.reversed_on,
            )
        return Reversal(reversal.target_id, reversal.reason, reversal.reversed_on, payment.amount)

    class PaymentReversed(LedgerEvent):
        """更正说明: money paid out came back to the available balance."""

        TOPIC = "mingzhang/Fund.PaymentReversed"
        reversal_id: UUID
        payment_id: UUID
        reason: str
        reversed_on: date
        amount_fen: int

    @event(PaymentReversed)
    def _payment_reversed(
        self, reversal_id: UUID, payment_id: UUID, reason: str, reversed_on: date, amount_fen: int
    ) -> None:
        self.balance += Money(amount_fen)
        self.reversed_by[str(payment_id)] = str(reversal_id)

    class ReservationRestored(LedgerEvent):
        """A reversed payment's money is reserved again for the grant or case it was paid to (same
        commit as the `PaymentReversed`), which may now pay it once more."""

        TOPIC = "mingzhang/Fund.ReservationRestored"
        reversal_id: UUID
        reservation_id: UUID
        amount_fen: int
        restored_on: date

    @event(ReservationRestored)
    def _reservation_restored(
        self, reversal_id: UUID, reservation_id: UUID, amount_fen: int, restored_on: date
    ) -> None:
        key = str(reservation_id)
        self.reserved += Money(amount_fen)
        self.outstanding[key] = self.outstanding.get(key, Money.zero()) + Money(amount_fen)

    def reverse_transfer(
        self, destination: Fund, reversal_id: UUID, reversal: Reversal, transfer: Transfer
    ) -> Reversal:
        """Undo a transfer this fund made: the money leaves `destination` and comes back here."""
        if transfer.from_fund_id != self.id or transfer.to_fund_id != destination.id:
            raise UnknownEntry(
                f"transfer_id: transfer {reversal.target_id} did not run from {self.id} "
                f"to {destination.id}",
                field="transfer_id",
            )
        self.check_open()
        self.check_not_reversed(reversal.target_id, field="transfer_id")
        destination.check_available(transfer.amount, field="transfer_id")
        for fund in (self, destination):
            fund._transfer_reversed(
                reversal_id=reversal_id,
                transfer_id=reversal.target_id,
                from_fund_id=self.id,
                to_fund_id=destination.id,
                reason=reversal.reason,
                reversed_on=reversal.reversed_on,
                amount_fen=transfer.amount.fen,
            )
        return Reversal(reversal.target_id, reversal.reason, reversal.reversed_on, transfer.amount)

    class TransferReversed(LedgerEvent):
        """更正说明: a transfer undone (recorded on both funds, one commit)."""

        TOPIC = "mingzhang/Fund.TransferReversed"
        reversal_id: UUID
        transfer_id: UUID
        from_fund_id: UUID
        to_fund_id: UUID
        reason: str
        reversed_on: date
        amount_fen: int

    @event(TransferReversed)
    def _transfer_reversed(
        self,
        reversal_id: UUID,
        transfer_id: UUID,
        from_fund_id: UUID,
        to_fund_id: UUID,
        reason: str,
        reversed_on: date,
        amount_fen: int,
    ) -> None:
        self.balance += Money(amount_fen if from_fund_id == self.id else -amount_fen)
        self.reversed_by[str(transfer_id)] = str(reversal_id)

    # --- closing ---------------------------------------------------------------------------------

    def close(self, command_id: UUID, closure: Closure) -> Closure:
        self.check_open()
        if self.balance.is_positive():
            raise FundNotEmpty(
                f"fund_id: fund {self.id} still holds {self.balance}; pay or transfer it out "
                "before closing",
                field="fund_id",
            )
        self._closed(command_id=command_id, closed_on=closure.closed_on, reason=closure.reason)
        return closure

    class Closed(LedgerEvent):
        """The fund, empty, accepts nothing more."""

        TOPIC = "mingzhang/Fund.Closed"
        command_id: UUID
        closed_on: date
        reason: str

    @event(Closed)
    def _closed(self, command_id: UUID, closed_on: date, reason: str) -> None:
        self.closure = Closure(closed_on, reason)
