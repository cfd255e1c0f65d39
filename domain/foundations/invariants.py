"""The fund's invariants, as a function any test (or `mingzhang verify`) can call after any operation.

It recomputes every figure from the fund's stored events, independently of the running totals the
events' handlers maintain, and compares the two; a bug in either shows up as a named violation rather
than a silently wrong figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from domain.foundations.fund import Fund
from domain.money import Money


def fund_invariant_violations(fund: Fund, history: Iterable[object]) -> list[str]:
    """Every invariant that does not hold, in words; an empty list when the fund is sound.

    `history` is the fund's events, oldest first (`Ledger.history(fund.id)`)."""
    received = paid = transferred_out = transferred_in = reversed_ = 0
    reserved_amount: dict[str, int] = {}
    paid_against: dict[str, int] = defaultdict(int)
    released: dict[str, list[int]] = defaultdict(list)
    reversed_targets: list[str] = []
    restored_after_release: list[str] = []
    for e in history:
        if isinstance(e, Fund.DonationReceived):
            received += e.amount_fen
        elif isinstance(e, Fund.PaymentMade):
            paid += e.amount_fen
            if e.reservation_id is not None:
                paid_against[str(e.reservation_id)] += e.amount_fen
        elif isinstance(e, Fund.TransferredOut):
            transferred_out += e.amount_fen
        elif isinstance(e, Fund.TransferredIn):
            transferred_in += e.amount_fen
        elif isinstance(e, Fund.DonationReversed):
            reversed_ += e.amount_fen
            reversed_targets.append(str(e.donation_id))
        elif isinstance(e, Fund.TransferReversed):
            # Undoing a transfer in takes money away again; undoing a transfer out brings it back.
            reversed_ += -e.amount_fen if e.from_fund_id == fund.id else e.amount_fen
            reversed_targets.append(str(e.transfer_id))
        elif isinstance(e, Fund.PaymentReversed):
            reversed_ -= e.amount_fen  # money paid out came back
            reversed_targets.append(str(e.payment_id))
        elif isinstance(e, Fund.Reserved):
            reserved_amount[str(e.reservation_id)] = e.amount_fen
        elif isinstance(e, Fund.ReservationAdjusted):
            reserved_amount[str(e.reservation_id)] += e.delta_fen
        elif isinstance(e, Fund.ReservationReleased):
            released[str(e.reservation_id)].append(e.amount_fen)
        elif isinstance(e, Fund.ReservationRestored):
            # A reversed payment reserved again for its grant or case (which may have reserved
            # nothing itself: a case approved for exactly what it had paid on the fast path).
            key = str(e.reservation_id)
            if released[key]:
                restored_after_release.append(key)
            reserved_amount[key] = reserved_amount.get(key, 0) + e.amount_fen

    violations: list[str] = []
    expected = received - paid - transferred_out + transferred_in - reversed_
    if fund.balance != Money(expected):
        violations.append(
            f"balance {fund.balance} != received {received} − paid {paid} − out {transferred_out}"
            f" + in {transferred_in} − reversed {reversed_} = {Money(expected)} (fen)"
        )
    if fund.balance < Money.zero():
        violations.append(f"balance {fund.balance} is negative")
    if fund.reserved > fund.balance:
        violations.append(f"reserved {fund.reserved} exceeds balance {fund.balance}")
    if len(set(reversed_targets)) != len(reversed_targets):
        violations.append("an entry is reversed more than once")
    for key in restored_after_release:
        violations.append(f"reservation {key} was restored after it was released")

    # Each reservation is exactly one of: open (its remainder outstanding), released once (its
    # remainder at the time), or paid in full; and `reserved` is the sum of what is outstanding.
    # Its amount is what was reserved, adjusted, and restored by reversed payments.
    open_total = 0
    for key, amount in reserved_amount.items():
        left = amount - paid_against[key]
        is_open = key in fund.outstanding
        if left < 0:
            violations.append(f"reservation {key} paid {paid_against[key]} of {amount} fen")
        if len(released[key]) > 1:
            violations.append(f"reservation {key} released {len(released[key])} times")
        if released[key] and (is_open or released[key][0] != left):
            violations.append(f"reservation {key} released {released[key][0]}, left {left} fen")
        if not released[key] and (left > 0) != is_open:
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
    if set(fund.outstanding) - set(reserved_amount):
        violations.append("an outstanding amount refers to no reservation")
    return violations
