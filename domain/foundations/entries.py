"""The records a fund's commands produce: immutable values, one per command id.

`validated(...)` builds a record from what a command says, checking each value and naming the field
that fails. The ledger compares that record with the one stored under the command's id to tell an
honest repeat from a reused id. Fields a fund derives from its state when the command is applied (the
amount a release set free, say) are marked `compare=False`, so they do not make a repeat look different.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar
from uuid import UUID

from domain.checks import check_choice, check_date, check_text, check_uuid
from domain.errors import InvalidChoice, SameFundTransfer
from domain.money import Money, check_positive

FUND_KINDS = {
    "general": "非限定性基金",
    "special": "专项基金",
    "emergency_relief": "救急难基金",
}
DONOR_KINDS = ("person", "organization", "anonymous")
NOT_YET_KNOWN = Money(0)  # placeholder for a derived amount in a record built only to compare


@dataclass(frozen=True)
class FundOpening:
    STORED_AS: ClassVar[str] = "mingzhang/entries.FundOpening"

    foundation_id: UUID
    kind: str
    name: str
    opened_on: date

    @classmethod
    def validated(
        cls, *, foundation_id: UUID, kind: str, name: str, opened_on: date
    ) -> FundOpening:
        return cls(
            check_uuid(foundation_id, field="foundation_id"),
            check_choice(kind, FUND_KINDS, field="kind"),
            check_text(name, field="name", max_length=200),
            check_date(opened_on, field="opened_on"),
        )


@dataclass(frozen=True)
class Donation:
    STORED_AS: ClassVar[str] = "mingzhang/entries.Donation"

    amount: Money
    received_on: date
    donor_kind: str
    # An organisation's id, or a person's per-use vault reference; None when anonymous.
    donor_ref: str | None
    publish_name: bool
    # For a person: HMAC-SHA-256(salt, canonical personal data) of that reference; else None.
    donor_commitment: str | None = None

    @classmethod
    def validated(
        cls,
        *,
        amount: Money,
        received_on: date,
        donor_kind: str,
        donor_ref: str | None,
        publish_name: bool,
        donor_commitment: str | None = None,
    ) -> Donation:
        check_positive(amount)
        check_choice(donor_kind, DONOR_KINDS, field="donor_kind")
        _check_donor(donor_kind, donor_ref, publish_name, donor_commitment)
        return cls(
            amount,
            check_date(received_on, field="received_on"),
            donor_kind,
            donor_ref,
            publish_name,
            donor_commitment,
        )


@dataclass(frozen=True)
class Transfer:
    STORED_AS: ClassVar[str] = "mingzhang/entries.Transfer"

    from_fund_id: UUID
    to_fund_id: UUID
    amount: Money
    transferred_on: date
    purpose: str
    pairing_id: UUID | None

    @classmethod
    def validated(
        cls,
        *,
        from_fund_id: UUID,
        to_fund_id: UUID,
        amount: Money,
        transferred_on: date,
        purpose: str,
        pairing_id: UUID | None,
    ) -> Transfer:
        check_positive(amount)
        if to_fund_id == from_fund_id:
            raise SameFundTransfer(
                f"to_fund_id must be another fund; {from_fund_id} cannot transfer to itself",
                field="to_fund_id",
            )
        return cls(
            check_uuid(from_fund_id, field="fund_id"),
            check_uuid(to_fund_id, field="to_fund_id"),
            amount,
            check_date(transferred_on, field="transferred_on"),
            check_text(purpose, field="purpose"),
            None if pairing_id is None else check_uuid(pairing_id, field="pairing_id"),
        )


@dataclass(frozen=True)
class Reservation:
    STORED_AS: ClassVar[str] = "mingzhang/entries.Reservation"

    amount: Money
    reserved_on: date
    purpose: str

    @classmethod
    def validated(cls, *, amount: Money, reserved_on: date, purpose: str) -> Reservation:
        check_positive(amount)
        return cls(
            amount,
            check_date(reserved_on, field="reserved_on"),
            check_text(purpose, field="purpose"),
        )


@dataclass(frozen=True)
class Release:
    STORED_AS: ClassVar[str] = "mingzhang/entries.Release"

    reservation_id: UUID
    released_on: date
    amount: Money = field(compare=False)

    @classmethod
    def validated(cls, *, reservation_id: UUID, released_on: date) -> Release:
        return cls(
            check_uuid(reservation_id, field="reservation_id"),
            check_date(released_on, field="released_on"),
            NOT_YET_KNOWN,
        )


@dataclass(frozen=True)
class Payment:
    STORED_AS: ClassVar[str] = "mingzhang/entries.Payment"

    amount: Money
    paid_on: date
    purpose: str
    reservation_id: UUID | None

    @classmethod
    def validated(
        cls, *, amount: Money, paid_on: date, purpose: str, reservation_id: UUID | None
    ) -> Payment:
        check_positive(amount)
        return cls(
            amount,
            check_date(paid_on, field="paid_on"),
            check_text(purpose, field="purpose"),
            None if reservation_id is None else check_uuid(reservation_id, field="reservation_id"),
        )


@dataclass(frozen=True)
class Reversal:
    """更正说明: a compensating entry that undoes a donation or a transfer, with a public reason."""

    STORED_AS: ClassVar[str] = "mingzhang/entries.Reversal"

    target_id: UUID
    reason: str
    reversed_on: date
    amount: Money = field(compare=False)

    @classmethod
    def validated(
        cls, *, target_id: UUID, target_field: str, reason: str, reversed_on: date
    ) -> Reversal:
        return cls(
            check_uuid(target_id, field=target_field),
            check_text(reason, field="reason"),
            check_date(reversed_on, field="reversed_on"),
            NOT_YET_KNOWN,
        )


@dataclass(frozen=True)
class Closure:
    STORED_AS: ClassVar[str] = "mingzhang/entries.Closure"

    closed_on: date
    reason: str

    @classmethod
    def validated(cls, *, closed_on: date, reason: str) -> Closure:
        return cls(check_date(closed_on, field="closed_on"), check_text(reason, field="reason"))


@dataclass(frozen=True)
class ReservationAdjustment:
    """A reservation made larger (positive delta) or smaller (negative), with a reason."""

    STORED_AS: ClassVar[str] = "mingzhang/entries.ReservationAdjustment"

    reservation_id: UUID
    delta: Money
    reason: str
    adjusted_on: date


@dataclass(frozen=True)
class ConsentWithdrawal:
    STORED_AS: ClassVar[str] = "mingzhang/entries.ConsentWithdrawal"

    donation_id: UUID
    withdrawn_on: date

    @classmethod
    def validated(cls, *, donation_id: UUID, withdrawn_on: date) -> ConsentWithdrawal:
        return cls(
            check_uuid(donation_id, field="donation_id"),
            check_date(withdrawn_on, field="withdrawn_on"),
        )


RECORD_TYPES: tuple[type, ...] = (
    FundOpening,
    Donation,
    Transfer,
    Reservation,
    Release,
    Payment,
    Reversal,
    Closure,
    ReservationAdjustment,
    ConsentWithdrawal,
)


def _check_donor(
    donor_kind: str, donor_ref: str | None, publish_name: bool, donor_commitment: str | None
) -> None:
    if not isinstance(publish_name, bool):
        raise InvalidChoice("publish_name must be true or false", field="publish_name")
    if donor_kind != "person" and donor_commitment is not None:
        raise InvalidChoice("donor_commitment is only for a person donor", field="donor_commitment")
    if donor_kind == "anonymous":
        if donor_ref is not None:
            raise InvalidChoice("donor_ref must be empty for an anonymous donor", field="donor_ref")
        if publish_name:
            raise InvalidChoice(
                "publish_name must be false for an anonymous donor", field="publish_name"
            )
    elif donor_kind == "person":
        # A person enters only as a per-use vault reference with its commitment, never by name.
        if not _is_uuid(donor_ref) or not _is_commitment(donor_commitment):
            raise InvalidChoice(
                "a person donor is given by donor_subject_id (the vault mints the reference); "
                "donor_ref must be that reference and donor_commitment its 64-hex commitment",
                field="donor_subject_id",
            )
    elif not _is_uuid(donor_ref):
        raise InvalidChoice(
            f"donor_ref must be the donating organisation's id (a UUID), got {donor_ref!r}",
            field="donor_ref",
        )


def _is_commitment(value: object) -> bool:
    return (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    )


def _is_uuid(value: object) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return value is not None
