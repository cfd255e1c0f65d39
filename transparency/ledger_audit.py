"""What local verification checks beyond the tree: the stores the ledger trusts when it decides.

The ledger loads a fund from its latest snapshot and recognises a repeated command by its row in the
command index; neither is in the public log, so an insider could change either and the tree would
still verify. Both are derivable from the events, so `audit_ledger` re-derives them in one pass over
the log, in position order: it replays every fund from its events alone (never from a snapshot),
compares every stored snapshot with the replayed state at that snapshot's version, checks the fund
invariants (`domain/foundations/invariants.py`) over each fund's whole history, recomputes the
command index (which command each event belongs to, the aggregate it was addressed to, the record's
fields the events fix) and compares it with the stored table, and names an id that two separate
commands' events carry. Memory: each fund's state and figures, and one entry per command id (for
duplicates and extra rows); snapshots are read one at a time, index rows 500 (by id) or 1,000
(in id order) per query.
Problems name the aggregate, version, position or command id, and show amounts and dates only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.command_index import CommandRow
from domain.events import LedgerSnapshot
from domain.foundations.fund import Fund
from domain.foundations.invariants import FundTally
from domain.ledger import Ledger
from domain.money import Money

SECTION = 1000  # notifications read per query
PAGE = 1000  # command-index rows read per query
LOOKUPS = 500  # command-index rows looked up by id per query (events held meanwhile)

# Which field of each event holds the id of the command the event belongs to: ORIGINATOR for the
# events that create the aggregate a command is addressed to (its id is the command's), None for
# events that carry no command's id of their own (aggregates created or changed as a side effect of
# another aggregate's command, which name that aggregate instead). A command's events are saved in
# one transaction, so they sit at consecutive positions, the addressed aggregate's first.
ORIGINATOR = ""
COMMAND_FIELD: dict[str, str | None] = {
    "mingzhang/Organization.Registered": ORIGINATOR,
    "mingzhang/Organization.Reclassified": "command_id",
    "mingzhang/Organization.Evaluated": "evaluation_id",
    "mingzhang/Organization.Deregistered": "command_id",
    "mingzhang/UsccClaim.Claimed": None,
    "mingzhang/AddedSubdistrict.SubdistrictAdded": ORIGINATOR,
    "mingzhang/Fund.Opened": ORIGINATOR,
    "mingzhang/Fund.DonationReceived": "donation_id",
    "mingzhang/Fund.NameConsentWithdrawn": "command_id",
    "mingzhang/Fund.TransferredOut": "transfer_id",
    "mingzhang/Fund.TransferredIn": "transfer_id",
    "mingzhang/Fund.Reserved": "reservation_id",
    "mingzhang/Fund.ReservationReleased": "release_id",
    "mingzhang/Fund.ReservationAdjusted": "command_id",
    "mingzhang/Fund.PaymentMade": "payment_id",
    "mingzhang/Fund.DonationReversed": "reversal_id",
    "mingzhang/Fund.PaymentReversed": "reversal_id",
    "mingzhang/Fund.ReservationRestored": "reversal_id",
    "mingzhang/Fund.TransferReversed": "reversal_id",
    "mingzhang/Fund.Closed": "command_id",
    "mingzhang/Grant.Awarded": ORIGINATOR,
    "mingzhang/Grant.InstalmentPaid": "payment_id",
    "mingzhang/Grant.AmountAmended": "command_id",
    "mingzhang/Grant.FeedbackRecorded": "command_id",
    "mingzhang/Grant.ReportReceived": "command_id",
    "mingzhang/Grant.Closed": "command_id",
    "mingzhang/Grant.Cancelled": "command_id",
    "mingzhang/Grant.InstalmentReversed": "reversal_id",
    "mingzhang/Grant.AwardRestored": "reversal_id",
    "mingzhang/ReliefCase.Opened": ORIGINATOR,
    "mingzhang/ReliefCase.Approved": "command_id",
    "mingzhang/ReliefCase.Rejected": "command_id",
    "mingzhang/ReliefCase.Disbursed": "disbursement_id",
    "mingzhang/ReliefCase.Ratified": "command_id",
    "mingzhang/ReliefCase.DisbursementReversed": "reversal_id",
    "mingzhang/ReliefStatistics.Published": ORIGINATOR,
    "mingzhang/Designation.Nominated": ORIGINATOR,
    "mingzhang/Designation.Selected": "command_id",
    "mingzhang/Designation.Revoked": "command_id",
    "mingzhang/DesignationYear.Opened": None,
    "mingzhang/DesignationYear.Counted": None,
    "mingzhang/DesignationYear.Uncounted": None,
    "mingzhang/MentorLink.Started": ORIGINATOR,
    "mingzhang/MentorLink.SessionHeld": "session_id",
    "mingzhang/MentorLink.NameConsentWithdrawn": "command_id",
    "mingzhang/MentorLink.Ended": "command_id",
    "mingzhang/Pairing.Proposed": ORIGINATOR,
    "mingzhang/Pairing.Confirmed": "command_id",
    "mingzhang/Pairing.ActivityRecorded": "activity_id",
    "mingzhang/Pairing.Evaluated": "command_id",
    "mingzhang/Pairing.Concluded": "command_id",
    "mingzhang/Pairing.Terminated": "command_id",
    "mingzhang/PairingSlot.Opened": None,
    "mingzhang/PairingSlot.Taken": None,
    "mingzhang/PairingSlot.Freed": None,
}

# Fund events that another aggregate's command also writes, on the fund behind it (a relief case's
# approval reserves under the case's id, a grant's closing releases its reservation...): right after
# that command's own events, one of these belongs to it, whatever earlier id it carries.
SIDE_EFFECTS = frozenset(
    {
        "mingzhang/Fund.Reserved",
        "mingzhang/Fund.ReservationReleased",
        "mingzhang/Fund.ReservationAdjusted",
        "mingzhang/Fund.PaymentMade",
        "mingzhang/Fund.PaymentReversed",
        "mingzhang/Fund.ReservationRestored",
    }
)

_ABSENT = object()
_SHOWN = (bool, int, date, Money, type(None))  # values a message may show: amounts, dates, flags


def audit_ledger(
    ledger: Ledger,
    *,
    also: Callable[[Sequence[Any]], None] | None = None,
    section: int = SECTION,
) -> list[str]:
    """Every check of this module, in one pass over the log: snapshots, fund invariants, index.
    `also` is given each section of stored notifications as it is read, so a caller that needs
    them too (`verify_local`, hashing the leaves) reads the log once, not twice."""
    funds = FundReplay(ledger)
    checks = [funds, SnapshotCheck(ledger, funds), FundInvariantCheck(funds), IndexCheck(ledger)]
    return _run(ledger, checks, also=also, section=section)


def snapshot_problems(ledger: Ledger) -> list[str]:
    """Every stored snapshot that is not the state its aggregate's events give at its version."""
    funds = FundReplay(ledger)
    return _run(ledger, [funds, SnapshotCheck(ledger, funds)])


def fund_problems(ledger: Ledger) -> list[str]:
    """Every fund invariant that does not hold over the fund's whole history, from events only."""
    funds = FundReplay(ledger)
    return _run(ledger, [funds, FundInvariantCheck(funds)])


def command_index_problems(ledger: Ledger) -> list[str]:
    """Every difference between the stored command index and the one the events imply."""
    return _run(ledger, [IndexCheck(ledger)])


class _Check:
    def see(self, position: int, event: Any) -> None:
        """One event of the log, in position order."""

    def problems(self) -> list[str]:
        """What the check found, once the whole log has been seen."""
        return []


def _run(
    ledger: Ledger,
    checks: Iterable[_Check],
    *,
    also: Callable[[Sequence[Any]], None] | None = None,
    section: int = SECTION,
) -> list[str]:
    checks = list(checks)
    unreadable: list[str] = []
    position = 0
    while notifications := ledger.recorder.select_notifications(position + 1, section):
        if also is not None:
            also(notifications)
        for notification in notifications:
            try:
                event = ledger.mapper.to_domain_event(notification)
            except Exception:  # a tampered event is a finding, not a crash
                unreadable.append(f"position {notification.id}: the event cannot be decoded")
                continue
            for check in checks:
                check.see(notification.id, event)
        position = notifications[-1].id
    return [*unreadable, *(problem for check in checks for problem in check.problems())]


class FundReplay(_Check):
    """Every fund, as its events alone make it; `current` is the fund the last event changed. A fund
    whose events do not follow one another (changed, removed or moved: the tree check names where)
    is named once and left out of the checks that need its state."""

    def __init__(self, ledger: Ledger) -> None:
        self.funds: dict[UUID, Fund] = {}
        self.broken: set[UUID] = set()
        self.current: Fund | None = None
        self.found: list[str] = []

    def see(self, position: int, event: Any) -> None:
        self.current = None
        aggregate_id = event.originator_id
        if aggregate_id in self.broken or isinstance(event, LedgerSnapshot):
            return
        if not isinstance(event, Fund.Opened) and aggregate_id not in self.funds:
            return
        try:
            fund = event.mutate(self.funds.get(aggregate_id))
        except Exception:  # a version out of sequence: a finding, not a crash
            self.broken.add(aggregate_id)
            self.funds.pop(aggregate_id, None)
            self.found.append(
                f"fund {aggregate_id}: its events do not replay (version"
                f" {event.originator_version} at position {position} does not follow the last)"
            )
            return
        assert isinstance(fund, Fund)
        self.funds[fund.id] = self.current = fund

    def problems(self) -> list[str]:
        return self.found


class SnapshotCheck(_Check):
    """Each fund's snapshots, read one at a time as the replay reaches their versions, compared
    field by field with a snapshot of the replayed fund. Another aggregate has no snapshots: one
    stored for it (asked once, at its first event) would be loaded in place of its events."""

    def __init__(self, ledger: Ledger, funds: FundReplay) -> None:
        self.ledger, self.funds = ledger, funds
        self.next: dict[UUID, StoredEvent] = {}
        self.found: list[str] = []

    def _snapshot_after(self, aggregate_id: UUID, version: int) -> StoredEvent | None:
        store = self.ledger.snapshots
        if store is None:
            return None
        stored = store.recorder.select_events(aggregate_id, gt=version, limit=1)
        return stored[0] if stored else None

    def see(self, position: int, event: Any) -> None:
        fund = self.funds.current
        if fund is None:
            if event.originator_version == 1:
                stored = self._snapshot_after(event.originator_id, 0)
                if stored is not None:
                    self.found.append(
                        f"aggregate {event.originator_id}: a snapshot at version"
                        f" {stored.originator_version}, but only funds are snapshotted"
                    )
            return
        if fund.version == 1:
            self._expect_next(fund.id, 0)
        stored = self.next.get(fund.id)
        if stored is not None and stored.originator_version == fund.version:
            self._compare(fund, stored)
            self._expect_next(fund.id, fund.version)

    def _expect_next(self, fund_id: UUID, version: int) -> None:
        stored = self._snapshot_after(fund_id, version)
        if stored is None:
            self.next.pop(fund_id, None)
        else:
            self.next[fund_id] = stored

    def _compare(self, fund: Fund, stored: StoredEvent) -> None:
        where = f"fund {fund.id}: the snapshot at version {fund.version}"
        try:
            snapshot = self.ledger.mapper.to_domain_event(stored)
        except Exception:  # a tampered snapshot is a finding, not a crash
            self.found.append(f"{where} cannot be decoded")
            return
        transcoder = self.ledger.mapper.transcoder
        # Through the transcoder and back, so both sides hold the types a stored snapshot decodes to.
        replayed = transcoder.decode(transcoder.encode(LedgerSnapshot.take(fund).state))
        state = getattr(snapshot, "state", None)
        if not isinstance(snapshot, LedgerSnapshot) or not isinstance(state, dict):
            self.found.append(f"{where} is not a snapshot")
            return
        if snapshot.topic != LedgerSnapshot.take(fund).topic:
            self.found.append(f"{where} is of another kind of aggregate")
        for name in sorted(set(replayed) | set(state)):
            ours, theirs = replayed.get(name, _ABSENT), state.get(name, _ABSENT)
            if ours != theirs:
                self.found.append(
                    f"{where} does not match its events (field {name.lstrip('_')}:"
                    f" snapshot {_show(theirs)}, events {_show(ours)})"
                )

    def problems(self) -> list[str]:
        for fund_id, stored in self.next.items():
            if fund_id not in self.funds.funds:
                continue
            last = self.funds.funds[fund_id].version
            self.found.append(
                f"fund {fund_id}: a snapshot at version {stored.originator_version},"
                f" beyond its last event (version {last})"
            )
        return self.found


def _show(value: object) -> str:
    """A value for a message: amounts, dates, numbers and flags as they are, anything else (which
    might hold text a person gave) only as there or not."""
    if value is _ABSENT:
        return "absent"
    return str(value) if isinstance(value, _SHOWN) else "(differs)"


class FundInvariantCheck(_Check):
    """`FundTally` fed each fund's events as the replay applies them, checked at the end."""

    def __init__(self, funds: FundReplay) -> None:
        self.funds = funds
        self.tallies: dict[UUID, FundTally] = {}

    def see(self, position: int, event: Any) -> None:
        fund = self.funds.current
        if fund is not None:
            self.tallies.setdefault(fund.id, FundTally(fund.id)).add(event)

    def problems(self) -> list[str]:
        return [
            f"fund {fund_id}: {violation}"
            for fund_id, tally in self.tallies.items()
            if fund_id in self.funds.funds
            for violation in tally.violations(self.funds.funds[fund_id])
        ]


@dataclasses.dataclass(slots=True)
class _Command:
    first: int  # position of the command's first event
    last: int  # position of the last consecutive event carrying its id
    originator: UUID
    topic: str


class IndexCheck(_Check):
    """The command index recomputed from the events and compared with the stored table.

    An event carrying id X (see COMMAND_FIELD) begins command X unless X was begun before; then it
    belongs to X only if it directly follows X's last event and is not the same kind of event on
    the same aggregate (a command's events are one transaction; a repeat of the command applied
    again is a later one, or the same event once more), or if it is one of the SIDE_EFFECTS on an
    aggregate the latest command has not touched yet, directly after that command's events. The row of X must name the aggregate of
    X's first event, and its record must agree with every field that event also has (an amount
    recorded in fen counts as the same field). An empty table is what a ledger imported from a
    bundle has (bundles hold events only), so it is not compared row by row; a command applied
    twice still shows in the events."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.commands: dict[UUID, _Command] = {}
        self.found: list[str] = []
        self.missing: list[tuple[UUID, int]] = []
        self.pending: list[tuple[UUID, int, Any]] = []  # new commands whose rows are to be read
        self.run: _Command | None = None  # the command the latest events belong to
        self.touched: set[UUID] = set()  # the aggregates its events are on
        self.index_is_empty = not ledger.command_index.select_commands(None, 1)

    def see(self, position: int, event: Any) -> None:
        topic = type(event).TOPIC if hasattr(type(event), "TOPIC") else type(event).__qualname__
        if topic not in COMMAND_FIELD:
            self.found.append(f"position {position}: no command is known to record {topic}")
            return
        name = COMMAND_FIELD[topic]
        command_id = None
        if name is not None:
            command_id = event.originator_id if name == ORIGINATOR else getattr(event, name, None)
        run, aggregate = self.run, event.originator_id
        follows = run is not None and position == run.last + 1 and aggregate not in self.touched
        if not isinstance(command_id, UUID):
            if follows:  # a side effect without an id of its own (a claim, a slot, a count)
                self._extend(position, aggregate)
            return
        earlier = self.commands.get(command_id)
        if earlier is None:
            self.run = self.commands[command_id] = _Command(position, position, aggregate, topic)
            self.touched = {aggregate}
            if not self.index_is_empty:
                self.pending.append((command_id, position, event))
                if len(self.pending) == LOOKUPS:
                    self._check_pending()
        elif self._belongs(earlier, position, aggregate, topic) or (
            follows and topic in SIDE_EFFECTS
        ):
            self._extend(position, aggregate)
        else:
            self.found.append(
                f"command {command_id} was applied twice: the events at positions {earlier.first}"
                f" and {position} each carry it"
            )

    def _belongs(self, command: _Command, position: int, aggregate: UUID, topic: str) -> bool:
        """Whether an event carrying the id of `command` is one more of its own events."""
        return (
            command is self.run
            and position == command.last + 1
            and (aggregate, topic) != (command.originator, command.topic)
        )

    def _extend(self, position: int, aggregate: UUID) -> None:
        assert self.run is not None
        self.run.last = position
        self.touched.add(aggregate)

    def _check_pending(self) -> None:
        ids = [command_id for command_id, _, _ in self.pending]
        rows = self.ledger.command_index.select_commands_by_id(ids)
        for command_id, position, event in self.pending:
            self._check_row(command_id, rows.get(command_id), position, event)
        self.pending = []

    def _check_row(
        self, command_id: UUID, row: CommandRow | None, position: int, event: Any
    ) -> None:
        if row is None:
            self.missing.append((command_id, position))
            return
        if row.aggregate_id != event.originator_id:
            self.found.append(
                f"command index: the row for command {command_id} names aggregate"
                f" {row.aggregate_id}, but its event at position {position} is on"
                f" {event.originator_id}"
            )
            return
        field = self._differing_field(row, event)
        if field is not None:
            self.found.append(
                f"command index: the row for command {command_id} records another {field}"
                f" than its event at position {position}"
            )

    def _differing_field(self, row: CommandRow, event: Any) -> str | None:
        try:
            record = self.ledger.mapper.transcoder.decode(row.record)
        except Exception:  # a tampered row is a finding, not a crash
            return "record (it cannot be decoded)"
        if not dataclasses.is_dataclass(record) or isinstance(record, type):
            return None
        values = vars(event)
        for field in dataclasses.fields(record):
            ours: object = getattr(record, field.name)
            theirs = values.get(field.name, _ABSENT)
            if isinstance(ours, Money) and theirs is _ABSENT:
                ours, theirs = ours.fen, values.get(f"{field.name}_fen", _ABSENT)
            if theirs is _ABSENT or type(theirs) is not type(ours):
                continue  # not a field the event determines
            if ours != theirs:
                return field.name
        return None

    def problems(self) -> list[str]:
        self._check_pending()
        if self.index_is_empty:
            return self.found  # imported from a bundle: no rows to compare, duplicates still named
        for command_id, position in self.missing:
            self.found.append(
                f"command index: no row for command {command_id}, whose event is at"
                f" position {position}"
            )
        after: UUID | None = None
        while rows := self.ledger.command_index.select_commands(after, PAGE):
            for row in rows:
                if row.command_id not in self.commands:
                    self.found.append(
                        f"command index: a row for command {row.command_id}, on aggregate"
                        f" {row.aggregate_id}, that no event carries"
                    )
            after = rows[-1].command_id
        return self.found
