"""The fund's invariants, as a function any test (or `mingzhang verify`) can call after any operation.

They recompute everything from the fund's journal of records and compare it with the running totals the
events maintained, so a bug in either shows up as a named violation rather than a silently wrong figure.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.foundations.entries import Donation, Payment, Release, Reservation, Reversal, Transfer
from domain.foundations.fund import Fund
from domain.money import Money


def _sum(amounts: Iterable[Money]) -> Money:
    return sum(amounts, Money.zero())


def fund_invariant_violations(fund: Fund) -> list[str]:
    """Every invariant that does not hold, in words; an empty list when the fund is sound."""
    entries: dict[str, object] = dict(fund.journal)
    zero = Money.zero()
    transfers = [r for r in entries.values() if isinstance(r, Transfer)]

    received = _sum(r.amount for r in entries.values() if isinstance(r, Donation))
    paid = _sum(r.amount for r in entries.values() if isinstance(r, Payment))
    transferred_out = _sum(t.amount for t in transfers if t.from_fund_id == fund.id)
    transferred_in = _sum(t.amount for t in transfers if t.to_fund_id == fund.id)
    # A reversal undoes its target: a donation or a transfer in takes money away again; a reversed
    # transfer out brings it back (so it counts negatively here).
    reversed_ = zero
    targets_seen: set[str] = set()
    violations: list[str] = []
    for reversal in (r for r in entries.values() if isinstance(r, Reversal)):
        key = str(reversal.target_id)
        if key in targets_seen:
            violations.append(f"entry {key} is reversed more than once")
        targets_seen.add(key)
        target = entries.get(key)
        if isinstance(target, Transfer) and target.from_fund_id == fund.id:
            reversed_ -= reversal.amount
        else:
            reversed_ += reversal.amount

    expected = received - paid - transferred_out + transferred_in - reversed_
    if fund.balance != expected:
        violations.append(
            f"balance {fund.balance} != received {received} − paid {paid} − out {transferred_out}"
            f" + in {transferred_in} − reversed {reversed_} = {expected}"
        )
    if fund.balance < zero:
        violations.append(f"balance {fund.balance} is negative")
    if fund.reserved > fund.balance:
        violations.append(f"reserved {fund.reserved} exceeds balance {fund.balance}")
    if fund.reserved < zero:
        violations.append(f"reserved {fund.reserved} is negative")
    violations.extend(_reservation_violations(fund, entries))
    return violations


def _reservation_violations(fund: Fund, entries: dict[str, object]) -> list[str]:
    """Each reservation is exactly one of: open (with what is left outstanding), released once, or
    paid in full; and `reserved` is the sum of what is outstanding."""
    violations: list[str] = []
    outstanding_total = Money.zero()
    for key, reservation in entries.items():
        if not isinstance(reservation, Reservation):
            continue
        paid = _sum(
            p.amount
            for p in entries.values()
            if isinstance(p, Payment) and str(p.reservation_id) == key
        )
        releases = [
            r for r in entries.values() if isinstance(r, Release) and str(r.reservation_id) == key
        ]
        left = reservation.amount - paid
        is_open = key in fund.outstanding
        if paid > reservation.amount:
            violations.append(f"reservation {key} paid {paid} of {reservation.amount}")
        if len(releases) > 1:
            violations.append(f"reservation {key} released {len(releases)} times")
        if releases and (is_open or releases[0].amount != left):
            violations.append(f"reservation {key} released {releases[0].amount}, left {left}")
        if not releases and left.is_positive() != is_open:
            violations.append(f"reservation {key} has {left} left but open={is_open}")
        if is_open:
            if fund.outstanding[key] != left:
                violations.append(
                    f"reservation {key} outstanding {fund.outstanding[key]} != {left}"
                )
            outstanding_total += fund.outstanding[key]
    if outstanding_total != fund.reserved:
        violations.append(
            f"reserved {fund.reserved} != sum of open reservations {outstanding_total}"
        )
    if set(fund.outstanding) - {k for k, r in entries.items() if isinstance(r, Reservation)}:
        violations.append("an outstanding amount refers to no reservation")
    return violations
