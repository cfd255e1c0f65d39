"""`Fund` (基金 / 专项基金): money a foundation holds, and every movement of it, as events.

Available = balance − reserved, and it never goes below zero (TigerBeetle's
`debits_must_not_exceed_credits`). Money comes in as donations or transfers in; it leaves as payments or
transfers out. Grants and relief cases first *reserve* (a pending debit), then *pay* against the
reservation (post) or *release* what is left (void). A donation or transfer is never edited or deleted:
a reversal (更正说明) is a compensating entry with a public reason. A transfer changes two funds, and the
application saves both in one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import LedgerAggregate, check_choice, check_date, check_text, check_uuid
from domain.errors import (
    AlreadyReversed,
    FundClosed,
    FundNotEmpty,
    InsufficientFunds,
    InvalidChoice,
    ReservationSettled,
    SameFundTransfer,
    UnknownEntry,
)
from domain.foundations.entries import (
    DONOR_KINDS,
    FUND_KINDS,
    Closure,
    Donation,
    FundOpening,
    Payment,
    Release,
    Reservation,
    Reversal,
    Transfer,
)
from domain.money import Money, check_positive
from domain.organizations import FUND_HOLDER_ROLES, Organization

E = TypeVar("E")


def opening_of(*, foundation_id: UUID, kind: str, name: str, opened_on: date) -> FundOpening:
    return FundOpening(
        check_uuid(foundation_id, field="foundation_id"),
        check_choice(kind, FUND_KINDS, field="kind"),
        check_text(name, field="name", max_length=200),
        check_date(opened_on, field="opened_on"),
    )


class Fund(LedgerAggregate):
    TOPIC = "mingzhang/Fund"

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

    @event("Opened", topic="mingzhang/Fund.Opened")
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
        self.closure: Closure | None = None
        self.journal = {str(id): self.opening}

    @property
    def foundation_id(self) -> UUID:
        return self.opening.foundation_id

    @property
    def kind(self) -> str:
        return self.opening.kind

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

    def entry(self, entry_id: UUID, kind: type[E], *, field: str) -> E:
        """The record of an earlier command on this fund, of the kind the caller expects."""
        record = self.journal.get(str(entry_id))
        if not isinstance(record, kind):
            raise UnknownEntry(
                f"{field}: fund {self.id} has no {kind.__name__.lower()} {entry_id}", field=field
            )
        return record

    def check_not_reversed(self, entry_id: UUID, *, field: str) -> None:
        if str(entry_id) in self.reversed_by:
            raise AlreadyReversed(
                f"{field}: {entry_id} was already reversed by {self.reversed_by[str(entry_id)]}",
                field=field,
            )

    # --- donations -------------------------------------------------------------------------------

    def receive_donation(
        self,
        *,
        donation_id: UUID,
        amount: Money,
        received_on: date,
        donor_kind: str,
        donor_ref: str | None,
        publish_name: bool,
    ) -> Donation:
        check_positive(amount)
        check_choice(donor_kind, DONOR_KINDS, field="donor_kind")
        _check_donor(donor_kind, donor_ref, publish_name)
        record = Donation(
            amount,
            check_date(received_on, field="received_on"),
            donor_kind,
            donor_ref,
            publish_name,
        )
        if (earlier := self.repeat_of(donation_id, record)) is not None:
            return earlier
        self.check_open()
        self._donation_received(
            donation_id=donation_id,
            amount_fen=amount.fen,
            received_on=received_on,
            donor_kind=donor_kind,
            donor_ref=donor_ref,
            publish_name=publish_name,
        )
        return record

    @event("DonationReceived", topic="mingzhang/Fund.DonationReceived")
    def _donation_received(
        self,
        donation_id: UUID,
        amount_fen: int,
        received_on: date,
        donor_kind: str,
        donor_ref: str | None,
        publish_name: bool,
    ) -> None:
        amount = Money(amount_fen)
        self.balance += amount
        self.journal[str(donation_id)] = Donation(
            amount, received_on, donor_kind, donor_ref, publish_name
        )

    # --- transfers -------------------------------------------------------------------------------

    def transfer_to(
        self,
        destination: Fund,
        *,
        transfer_id: UUID,
        amount: Money,
        transferred_on: date,
        purpose: str,
        pairing_id: UUID | None = None,
    ) -> Transfer:
        check_positive(amount)
        if destination.id == self.id:
            raise SameFundTransfer(
                f"to_fund_id must be another fund; {self.id} cannot transfer to itself",
                field="to_fund_id",
            )
        record = Transfer(
            self.id,
            destination.id,
            amount,
            check_date(transferred_on, field="transferred_on"),
            check_text(purpose, field="purpose"),
            None if pairing_id is None else check_uuid(pairing_id, field="pairing_id"),
        )
        earlier = self.repeat_of(transfer_id, record)
        destination.repeat_of(transfer_id, record)  # the id must not name something else there
        if earlier is not None:
            return earlier
        self.check_open(field="fund_id")
        destination.check_open(field="to_fund_id")
        self.check_available(amount)
        for apply in (self._transferred_out, destination._transferred_in):
            apply(
                transfer_id=transfer_id,
                from_fund_id=self.id,
                to_fund_id=destination.id,
                amount_fen=amount.fen,
                transferred_on=transferred_on,
                purpose=purpose,
                pairing_id=pairing_id,
            )
        return record

    @event("TransferredOut", topic="mingzhang/Fund.TransferredOut")
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
        amount = Money(amount_fen)
        self.balance -= amount
        self.journal[str(transfer_id)] = Transfer(
            from_fund_id, to_fund_id, amount, transferred_on, purpose, pairing_id
        )

    @event("TransferredIn", topic="mingzhang/Fund.TransferredIn")
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
        amount = Money(amount_fen)
        self.balance += amount
        self.journal[str(transfer_id)] = Transfer(
            from_fund_id, to_fund_id, amount, transferred_on, purpose, pairing_id
        )

    # --- reservations and payments ---------------------------------------------------------------

    def reserve(
        self, *, reservation_id: UUID, amount: Money, reserved_on: date, purpose: str
    ) -> Reservation:
        check_positive(amount)
        record = Reservation(
            amount,
            check_date(reserved_on, field="reserved_on"),
            check_text(purpose, field="purpose"),
        )
        if (earlier := self.repeat_of(reservation_id, record)) is not None:
            return earlier
        self.check_open()
        self.check_available(amount)
        self._reserved(
            reservation_id=reservation_id,
            amount_fen=amount.fen,
            reserved_on=reserved_on,
            purpose=purpose,
        )
        return record

    @event("Reserved", topic="mingzhang/Fund.Reserved")
    def _reserved(
        self, reservation_id: UUID, amount_fen: int, reserved_on: date, purpose: str
    ) -> None:
        amount = Money(amount_fen)
        self.reserved += amount
        self.outstanding[str(reservation_id)] = amount
        self.journal[str(reservation_id)] = Reservation(amount, reserved_on, purpose)

    def release(self, *, release_id: UUID, reservation_id: UUID, released_on: date) -> Release:
        """Void what is left of a reservation, returning it to the available balance."""
        check_date(released_on, field="released_on")
        probe = Release(reservation_id, released_on, Money.zero())
        if (earlier := self.repeat_of(release_id, probe)) is not None:
            return earlier
        self.entry(reservation_id, Reservation, field="reservation_id")
        left = self._left_on(reservation_id)
        self._reservation_released(
            release_id=release_id,
            reservation_id=reservation_id,
            released_on=released_on,
            amount_fen=left.fen,
        )
        return Release(reservation_id, released_on, left)

    @event("ReservationReleased", topic="mingzhang/Fund.ReservationReleased")
    def _reservation_released(
        self, release_id: UUID, reservation_id: UUID, released_on: date, amount_fen: int
    ) -> None:
        amount = Money(amount_fen)
        self.reserved -= amount
        del self.outstanding[str(reservation_id)]
        self.journal[str(release_id)] = Release(reservation_id, released_on, amount)

    def pay(
        self,
        *,
        payment_id: UUID,
        amount: Money,
        paid_on: date,
        purpose: str,
        reservation_id: UUID | None = None,
    ) -> Payment:
        """Pay out, either against a reservation (posting it) or straight from the available balance."""
        check_positive(amount)
        record = Payment(
            amount,
            check_date(paid_on, field="paid_on"),
            check_text(purpose, field="purpose"),
            None if reservation_id is None else check_uuid(reservation_id, field="reservation_id"),
        )
        if (earlier := self.repeat_of(payment_id, record)) is not None:
            return earlier
        self.check_open()
        if reservation_id is None:
            self.check_available(amount)
        else:
            self.entry(reservation_id, Reservation, field="reservation_id")
            left = self._left_on(reservation_id)
            if amount > left:
                raise InsufficientFunds(
                    f"amount {amount} exceeds the {left} left on reservation {reservation_id}",
                    field="amount",
                )
        self._payment_made(
            payment_id=payment_id,
            amount_fen=amount.fen,
            paid_on=paid_on,
            purpose=purpose,
            reservation_id=reservation_id,
        )
        return record

    @event("PaymentMade", topic="mingzhang/Fund.PaymentMade")
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
        self.journal[str(payment_id)] = Payment(amount, paid_on, purpose, reservation_id)

    def _left_on(self, reservation_id: UUID) -> Money:
        left = self.outstanding.get(str(reservation_id))
        if left is None:
            raise ReservationSettled(
                f"reservation_id: reservation {reservation_id} has nothing left to pay or release",
                field="reservation_id",
            )
        return left

    # --- reversals (更正说明) ----------------------------------------------------------------------

    def reverse_donation(
        self, *, reversal_id: UUID, donation_id: UUID, reason: str, reversed_on: date
    ) -> Reversal:
        check_text(reason, field="reason")
        check_date(reversed_on, field="reversed_on")
        donation = self.entry(donation_id, Donation, field="donation_id")
        record = Reversal(donation_id, reason, reversed_on, donation.amount)
        if (earlier := self.repeat_of(reversal_id, record)) is not None:
            return earlier
        self.check_open()
        self.check_not_reversed(donation_id, field="donation_id")
        self.check_available(donation.amount, field="donation_id")
        self._donation_reversed(
            reversal_id=reversal_id,
            donation_id=donation_id,
            reason=reason,
            reversed_on=reversed_on,
            amount_fen=donation.amount.fen,
        )
        return record

    @event("DonationReversed", topic="mingzhang/Fund.DonationReversed")
    def _donation_reversed(
        self, reversal_id: UUID, donation_id: UUID, reason: str, reversed_on: date, amount_fen: int
    ) -> None:
        amount = Money(amount_fen)
        self.balance -= amount
        self.reversed_by[str(donation_id)] = str(reversal_id)
        self.journal[str(reversal_id)] = Reversal(donation_id, reason, reversed_on, amount)

    def reverse_transfer(
        self,
        destination: Fund,
        *,
        reversal_id: UUID,
        transfer_id: UUID,
        reason: str,
        reversed_on: date,
    ) -> Reversal:
        """Undo a transfer this fund made: the money leaves `destination` and comes back here."""
        check_text(reason, field="reason")
        check_date(reversed_on, field="reversed_on")
        transfer = self.entry(transfer_id, Transfer, field="transfer_id")
        if transfer.from_fund_id != self.id or transfer.to_fund_id != destination.id:
            raise UnknownEntry(
                f"transfer_id: transfer {transfer_id} did not run from {self.id} "
                f"to {destination.id}",
                field="transfer_id",
            )
        record = Reversal(transfer_id, reason, reversed_on, transfer.amount)
        if (earlier := self.repeat_of(reversal_id, record)) is not None:
            return earlier
        destination.repeat_of(reversal_id, record)
        self.check_open()
        self.check_not_reversed(transfer_id, field="transfer_id")
        destination.check_available(transfer.amount, field="transfer_id")
        for fund in (self, destination):
            fund._transfer_reversed(
                reversal_id=reversal_id,
                transfer_id=transfer_id,
                reason=reason,
                reversed_on=reversed_on,
                amount_fen=transfer.amount.fen,
            )
        return record

    @event("TransferReversed", topic="mingzhang/Fund.TransferReversed")
    def _transfer_reversed(
        self, reversal_id: UUID, transfer_id: UUID, reason: str, reversed_on: date, amount_fen: int
    ) -> None:
        amount = Money(amount_fen)
        transfer: Transfer = self.journal[str(transfer_id)]
        self.balance += amount if transfer.from_fund_id == self.id else Money(-amount_fen)
        self.reversed_by[str(transfer_id)] = str(reversal_id)
        self.journal[str(reversal_id)] = Reversal(transfer_id, reason, reversed_on, amount)

    # --- closing ---------------------------------------------------------------------------------

    def close(self, *, command_id: UUID, closed_on: date, reason: str) -> Closure:
        record = Closure(
            check_date(closed_on, field="closed_on"), check_text(reason, field="reason")
        )
        if (earlier := self.repeat_of(command_id, record)) is not None:
            return earlier
        self.check_open()
        if self.balance.is_positive():
            raise FundNotEmpty(
                f"fund_id: fund {self.id} still holds {self.balance}; pay or transfer it out "
                "before closing",
                field="fund_id",
            )
        self._closed(command_id=command_id, closed_on=closed_on, reason=reason)
        return record

    @event("Closed", topic="mingzhang/Fund.Closed")
    def _closed(self, command_id: UUID, closed_on: date, reason: str) -> None:
        self.closure = Closure(closed_on, reason)
        self.journal[str(command_id)] = self.closure


def _check_donor(donor_kind: str, donor_ref: str | None, publish_name: bool) -> None:
    if not isinstance(publish_name, bool):
        raise InvalidChoice("publish_name must be true or false", field="publish_name")
    if donor_kind == "anonymous":
        if donor_ref is not None or publish_name:
            raise InvalidChoice(
                "donor_ref must be empty and publish_name false for an anonymous donor",
                field="donor_ref",
            )
    elif donor_kind == "person":
        # Personal names may only enter through the personal-data vault, which mints a per-use
        # reference; until it exists, a person is recorded as an anonymous donor.
        raise InvalidChoice(
            "donor_kind 'person' needs a reference from the personal-data vault, which is not "
            "available yet; record the donation as anonymous",
            field="donor_kind",
        )
    elif not _is_uuid(donor_ref):
        raise InvalidChoice(
            f"donor_ref must be the donating organisation's id (a UUID), got {donor_ref!r}",
            field="donor_ref",
        )


def _is_uuid(value: object) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return value is not None
