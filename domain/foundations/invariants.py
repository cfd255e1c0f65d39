"""The fund's invariants, as a function any test (or `mingzhang verify`) can call after any operation.

It recomputes every figure from the fund's stored events, independently of the running totals the
events' handlers maintain, and compares the two; a bug in either shows up as a named violation rather
than a silently wrong figure. `FundTally` does the recomputing one event at a time, so that a verifier
can check every fund in one pass over the log without holding any fund's history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from domain.foundations.fund import Fund
from domain.money import Money


def fund_invariant_violations(fund: Fund, history: Iterable[object]) -> list[str]:
    """Every invariant that does not hold, in words; an empty list when the fund is sound.

    `history` is the fund's events, oldest first (`Ledger.history(fund.id)`)."""
    tally = FundTally(fund.id)
    for e in history:
        tally.add(e)
    return tally.violations(fund)


class FundTally:
    """One fund's figures recomputed from its events, one event at a time.

    Besides the final figures it keeps the first version at which the balance, or the available
    balance (balance − reserved), went below zero: an overdraft that later money covered leaves a
    sound final state, but no command may ever make one."""

    def __init__(self, fund_id: UUID) -> None:
        self.fund_id = fund_id
        self.received = self.paid = self.transferred_out = self.transferred_in = 0
        self.reversed_ = 0
        self.reserved_amount: dict[str, int] = {}
        self.paid_against: dict[str, int] = defaultdict(int)
        self.released: dict[str, list[int]] = defaultdict(list)
        self.reversed_targets: list[str] = []
        self.restored_after_release: list[str] = []
        self.open_reserved = 0  # outstanding on open reservations, as the events go
        self.overdrawn: tuple[int, int, int] | None = None  # first (version, balance, available)

    @property
    def balance_fen(self) -> int:
        return (
            self.received - self.paid - self.transferred_out + self.transferred_in - self.reversed_
        )

    def add(self, e: object) -> None:
        """Count one of the fund's events (events of other aggregates are ignored)."""
        if isinstance(e, Fund.DonationReceived):
            self.received += e.amount_fen
        elif isinstance(e, Fund.PaymentMade):
            self.paid += e.amount_fen
            if e.reservation_id is not None:
                self.paid_against[str(e.reservation_id)] += e.amount_fen
                self.open_reserved -= e.amount_fen
        elif isinstance(e, Fund.TransferredOut):
            self.transferred_out += e.amount_fen
        elif isinstance(e, Fund.TransferredIn):
            self.transferred_in += e.amount_fen
        elif isinstance(e, Fund.DonationReversed):
            self.reversed_ += e.amount_fen
            self.reversed_targets.append(str(e.donation_id))
        elif isinstance(e, Fund.TransferReversed):
            # Undoing a transfer in takes money away again; undoing a transfer out brings it back.
            self.reversed_ += -e.amount_fen if e.from_fund_id == self.fund_id else e.amount_fen
            self.reversed_targets.append(str(e.transfer_id))
        elif isinstance(e, Fund.PaymentReversed):
            self.reversed_ -= e.amount_fen  # money paid out came back
            self.reversed_targets.append(str(e.payment_id))
        elif isinstance(e, Fund.Reserved):
            self.reserved_amount[str(e.reservation_id)] = e.amount_fen
            self.open_reserved += e.amount_fen
        elif isinstance(e, Fund.ReservationAdjusted):
            self.reserved_amount[str(e.reservation_id)] += e.delta_fen
            self.open_reserved += e.delta_fen
        elif isinstance(e, Fund.ReservationReleased):
            self.released[str(e.reservation_id)].append(e.amount_fen)
            self.open_reserved -= e.amount_fen
        elif isinstance(e, Fund.ReservationRestored):
            # A reversed payment reserved again for its grant or case (which may have reserved
            # nothing itself: a case approved for exactly what it had paid on the fast path).
            key = str(e.reservation_id)
            if self.released[key]:
                self.restored_after_release.append(key)
            self.reserved_amount[key] = self.reserved_amount.get(key, 0) + e.amount_fen
            self.open_reserved += e.amount_fen
        else:
            return
        available = self.balance_fen - self.open_reserved
        if self.overdrawn is None and min(self.balance_fen, available) < 0:
            version: int = getattr(e, "originator_version", 0)
            self.overdrawn = (version, self.balance_fen, available)

    def violations(self, fund: Fund) -> list[str]:
        """Every invariant that does not hold between these figures and the fund as its event
        handlers left it."""
        violations: list[str] = []
        received, paid, reversed_ = self.received, self.paid, self.reversed_
        out, in_ = self.transferred_out, self.transferred_in
        expected = self.balance_fen
        if fund.balance != Money(expected):
            violations.append(
                f"balance {fund.balance} != received {received} − paid {paid} − out {out}"
                f" + in {in_} − reversed {reversed_} = {Money(expected)} (fen)"
            )
        if self.overdrawn is not None:
            version, balance, available = self.overdrawn
            violations.append(
                f"the available balance went negative at version {version}:"
                f" balance {Money(balance)}, available {Money(available)}"
            )
        if fund.balance < Money.zero():
            violations.append(f"balance {fund.balance} is negative")
        if fund.reserved > fund.balance:
            violations.append(f"reserved {fund.reserved} exceeds balance {fund.balance}")
        if len(set(self.reversed_targets)) != len(self.reversed_targets):
            violations.append("an entry is reversed more than once")
        for key in self.restored_after_release:
            violations.append(f"reservation {key} was restored after it was released")

        # Each reservation is exactly one of: open (its remainder outstanding), released once (its
        # remainder at the time), or paid in full; and `reserved` is the sum of what is outstanding.
        # Its amount is what was reserved, adjusted, and restored by reversed payments.
        open_total = 0
        for key, amount in self.reserved_amount.items():
            paid_against, released = self.paid_against[key], self.released[key]
            left = amount - paid_against
            is_open = key in fund.outstanding
            if left < 0:
                violations.append(f"reservation {key} paid {paid_against} of {amount} fen")
            if len(released) > 1:
                violations.append(f"reservation {key} released {len(released)} times")
            if released and (is_open or released[0] != left):
                violations.append(f"reservation {key} released {released[0]}, left {left} fen")
            if not released and (left > 0) != is_open:
                violations.append(f"reservation {key} has {left} fen left but open={is_open}")
            if is_open:
                if fund.outstanding[key] != Money(left):
                    violations.append(
                        f"reservation {key} outstanding {fund.outstanding[key]} != {left}"
                    )
                open_total += left
        if fund.reserved != Money(open_total):
            violations.append(
                f"reserved {fund.reserved} != sum of open reservations {Money(open_total)}"
            )
        if set(fund.outstanding) - set(self.reserved_amount):
            violations.append("an outstanding amount refers to no reservation")
        return violations
