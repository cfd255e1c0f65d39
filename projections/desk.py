"""A foundation's desk, for its staff in the console: its funds with what they hold, reserve and may
still spend; what needs doing, soonest first; and the latest events of its records.

Every figure is a read the rest of the service already makes: the funds' rows and the grants, relief
cases and annual totals from the disclosure reader, each fund's reserved and available balance from
the ledger itself (the fund aggregate keeps its open reservations; the views do not), and the latest
events from the history view's index of positions, narrowed to the foundation's own records. This
module only chooses and orders them, so the console's template formats and never counts.

What needs doing: emergency relief paid before approval that awaits ratification (by its deadline;
overdue once the deadline has passed), active grants with part of the award unpaid (by planned end),
closed grants whose recipient's report is not public yet (by closing date), and the yearly disclosure
(年度信息公开) due on 31 May for the year before, with the figures the annual report will show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from uuid import UUID

from domain.foundations.entries import Reservation
from domain.foundations.grant import Instalment
from domain.foundations.relief import Disbursement
from domain.ledger import Ledger
from projections.disclosure import reader
from projections.disclosure.rows import FoundationRow, FundRow, GrantRow, ReliefCaseRow, Totals
from projections.pagination import MAX_LIMIT, PageRequest
from storage.viewdb import ViewDB

DISCLOSURE_DUE = (5, 31)  # month, day: the annual disclosure of the year before is due by then
RECENT = 10  # the latest events the desk lists
RECORD_TABLES = (
    # (table, id column, the record's public page); a fund's page is its statement.
    ("disclosure_funds", "fund_id", "/funds/{id}/statement"),
    ("disclosure_grants", "grant_id", "/grants/{id}"),
    ("disclosure_relief_cases", "case_id", "/relief-cases/{id}"),
)

TaskKind = Literal["ratify", "pay_instalment", "report", "annual_disclosure"]


@dataclass(frozen=True)
class FundLine:
    """A fund on the desk: its public row, and what the ledger says it reserves and may spend."""

    fund: FundRow
    balance_fen: int
    reserved_fen: int
    available_fen: int


@dataclass(frozen=True)
class Task:
    """One thing to do, due on `due` (overdue when that day has passed), about one record."""

    kind: TaskKind
    due: date
    overdue: bool
    record_id: UUID | None
    href: str  # the record's public page (the annual disclosure: the desk's own section)
    grant: GrantRow | None = None
    case: ReliefCaseRow | None = None


@dataclass(frozen=True)
class AnnualDisclosure:
    """The next yearly disclosure: the year it reports, the day it is due, and its figures now."""

    year: int
    due: date
    days_left: int
    totals: Totals


@dataclass(frozen=True)
class RecentEvent:
    position: int
    topic: str
    aggregate_id: UUID
    href: str  # the record's public page
    recorded_at: datetime
    business_date: date | None

    @property
    def leaf_index(self) -> int:
        """The entry's index in the transparency log (its public page: /entries/{leaf_index})."""
        return self.position - 1


@dataclass(frozen=True)
class Desk:
    foundation: FoundationRow
    funds: tuple[FundLine, ...]
    tasks: tuple[Task, ...]  # soonest first
    annual: AnnualDisclosure
    recent: tuple[RecentEvent, ...]  # newest first


def next_disclosure(today: date) -> tuple[int, date]:
    """The year the next annual disclosure reports and its due day: by 31 May, the year before."""
    due = date(today.year, *DISCLOSURE_DUE)
    if today > due:
        due = date(today.year + 1, *DISCLOSURE_DUE)
    return due.year - 1, due


def desk(db: ViewDB, ledger: Ledger, foundation_id: UUID, today: date) -> Desk | None:
    """The desk of `foundation_id` on `today`; None when no fund-holding organisation has that id."""
    foundation = reader.foundation(db, foundation_id)
    if foundation is None:
        return None
    funds = reader.funds(db, reader.Filters(foundation_id=foundation_id, status="open"))
    lines = []
    for row in funds.items:
        fund = ledger.get_fund(row.fund_id)
        lines.append(FundLine(row, fund.balance.fen, fund.reserved.fen, fund.available.fen))
    year, due = next_disclosure(today)
    tasks = [
        Task("annual_disclosure", due, overdue=False, record_id=None, href="#annual-disclosure")
    ]
    for case in reader.awaiting_ratification(db, foundation_id).items:
        deadline = case.ratify_by or case.opened_on
        tasks.append(
            Task(
                "ratify",
                deadline,
                overdue=deadline < today,
                record_id=case.case_id,
                href=f"/relief-cases/{case.case_id}",
                case=case,
            )
        )
    for grant in reader.grants_not_fully_paid(db, foundation_id):
        tasks.append(
            Task(
                "pay_instalment",
                grant.planned_end,
                overdue=grant.planned_end < today,
                record_id=grant.grant_id,
                href=f"/grants/{grant.grant_id}",
                grant=grant,
            )
        )
    for grant in reader.closed_grants_without_report(db, foundation_id):
        closed = grant.ended_on or grant.awarded_on
        tasks.append(
            Task(
                "report",
                closed,
                overdue=False,
                record_id=grant.grant_id,
                href=f"/grants/{grant.grant_id}",
                grant=grant,
            )
        )
    tasks.sort(key=lambda t: (t.due, t.kind, str(t.record_id)))
    annual = AnnualDisclosure(
        year, due, (due - today).days, reader.totals(db, year=year, foundation_id=foundation_id)
    )
    return Desk(foundation, tuple(lines), tuple(tasks), annual, recent_events(db, foundation_id))


def recent_events(db: ViewDB, foundation_id: UUID, limit: int = RECENT) -> tuple[RecentEvent, ...]:
    """The latest events of the foundation's funds, grants and relief cases, newest first."""
    found: list[RecentEvent] = []
    for table, column, page in RECORD_TABLES:
        rows = db.execute(
            "SELECT h.position, h.topic, h.aggregate_id, h.recorded_at, h.business_date"
            f" FROM history_events h JOIN {table} r ON r.{column} = h.aggregate_id"
            " WHERE r.foundation_id = ? ORDER BY h.position DESC LIMIT ?",
            (str(foundation_id), limit),
        )
        found.extend(
            RecentEvent(
                int(position),
                str(topic),
                UUID(str(aggregate)),
                page.format(id=aggregate),
                datetime.fromisoformat(str(recorded)),
                None if when is None else date.fromisoformat(str(when)),
            )
            for position, topic, aggregate, recorded, when in rows
        )
    found.sort(key=lambda e: e.position, reverse=True)
    return tuple(found[:limit])


# --- what the console's forms offer to choose -------------------------------------------------------
# The entries a later command names (a reservation to release, a payment to reverse, a named donation
# whose consent is withdrawn), each the foundation's own. What only an aggregate keeps (a fund's open
# reservations, a grant's instalments and a case's disbursements not reversed) is read from it, as the
# desk reads balances; what the views keep (donations, transfers, named donations) from them.

CHOICES = 500  # at most this many entries offered, the latest first


@dataclass(frozen=True)
class Entry:
    """An earlier command's entry on one of the foundation's records: the record (`owner_id`: a fund,
    grant or relief case), the entry's id, its amount and date, and the fund's or grant's name or the
    entry's public purpose for its label (never a person)."""

    owner_id: UUID
    entry_id: UUID
    amount_fen: int
    on_date: date
    label: str


def _latest(entries: list[Entry]) -> tuple[Entry, ...]:
    entries.sort(key=lambda e: (e.on_date, str(e.entry_id)), reverse=True)
    return tuple(entries[:CHOICES])


def open_reservations(db: ViewDB, ledger: Ledger, foundation_id: UUID) -> tuple[Entry, ...]:
    """The reservations made on the foundation's open funds with something left on them. A grant's
    or an approved case's reservation is the grant's or the case's (closing or rejecting returns it),
    not one a release may name, so only reservations made as such are offered."""
    found = []
    for row in reader.funds(db, reader.Filters(foundation_id=foundation_id, status="open")).items:
        for reservation_id, left in ledger.get_fund(row.fund_id).outstanding.items():
            applied = ledger.applied(UUID(reservation_id))
            if applied is not None and isinstance(applied.record, Reservation):
                record = applied.record
                found.append(
                    Entry(row.fund_id, UUID(reservation_id), left.fen, record.reserved_on, row.name)
                )
    return _latest(found)


def paid_instalments(db: ViewDB, ledger: Ledger, foundation_id: UUID) -> tuple[Entry, ...]:
    """The instalments paid on the foundation's grants and not reversed."""
    found = []
    grants = reader.grants(
        db, reader.Filters(foundation_id=foundation_id), PageRequest(MAX_LIMIT)
    ).items
    for row in grants:
        if row.paid_fen <= 0:
            continue
        for payment_id, amount in ledger.get_grant(row.grant_id).instalments.items():
            applied = ledger.applied(UUID(payment_id))
            if applied is not None and isinstance(applied.record, Instalment):
                found.append(
                    Entry(
                        row.grant_id,
                        UUID(payment_id),
                        amount.fen,
                        applied.record.paid_on,
                        row.title,
                    )
                )
    return _latest(found)


def live_disbursements(db: ViewDB, ledger: Ledger, foundation_id: UUID) -> tuple[Entry, ...]:
    """The relief disbursements of the foundation's cases not reversed, labelled by the case's
    subdistrict (where, never who)."""
    found = []
    cases = reader.relief_cases(
        db, reader.Filters(foundation_id=foundation_id), PageRequest(MAX_LIMIT)
    ).items
    for row in cases:
        if row.paid_fen <= 0:
            continue
        for disbursement_id, amount in ledger.get_relief_case(row.case_id).disbursements.items():
            applied = ledger.applied(UUID(disbursement_id))
            if applied is not None and isinstance(applied.record, Disbursement):
                found.append(
                    Entry(
                        row.case_id,
                        UUID(disbursement_id),
                        amount.fen,
                        applied.record.paid_on,
                        row.subdistrict,
                    )
                )
    return _latest(found)


def _entries(db: ViewDB, statement: str, params: tuple[object, ...]) -> tuple[Entry, ...]:
    rows = db.execute(statement, (*params, CHOICES))
    return tuple(
        Entry(UUID(str(owner)), UUID(str(entry)), int(fen), date.fromisoformat(str(on)), str(name))
        for owner, entry, fen, on, name in rows
    )


def reversible_donations(db: ViewDB, foundation_id: UUID) -> tuple[Entry, ...]:
    """The donations to the foundation's funds not reversed (the fund statement's movements)."""
    return _entries(
        db,
        "SELECT m.fund_id, m.entry_id, m.amount_fen, m.on_date, f.name"
        " FROM disclosure_fund_movements m JOIN disclosure_funds f ON f.fund_id = m.fund_id"
        " WHERE m.foundation_id = ? AND m.kind = 'donation' AND NOT EXISTS (SELECT 1 FROM"
        " disclosure_fund_movements r WHERE r.entry_id = m.entry_id AND r.kind = 'donation_reversed')"
        " ORDER BY m.on_date DESC, m.position DESC LIMIT ?",
        (str(foundation_id),),
    )


def reversible_transfers(db: ViewDB, foundation_id: UUID) -> tuple[Entry, ...]:
    """The transfers out of or into the foundation's funds not reversed (either end may reverse
    one; `owner_id` and the label: the foundation's fund, the paying one when both are its own)."""
    return _entries(
        db,
        "SELECT CASE WHEN p.foundation_id = ? THEN p.fund_id ELSE r.fund_id END,"
        " t.transfer_id, t.amount_fen, t.transferred_on,"
        " CASE WHEN p.foundation_id = ? THEN p.name ELSE r.name END"
        " FROM disclosure_transfers t JOIN disclosure_funds p ON p.fund_id = t.from_fund_id"
        " JOIN disclosure_funds r ON r.fund_id = t.to_fund_id"
        " WHERE (p.foundation_id = ? OR r.foundation_id = ?) AND t.reversed = 0"
        " ORDER BY t.transferred_on DESC, t.transfer_id DESC LIMIT ?",
        (str(foundation_id),) * 4,
    )


def named_donations(db: ViewDB, foundation_id: UUID) -> tuple[Entry, ...]:
    """The donations to the foundation's funds whose donor is named in public (consent given, not
    withdrawn, not reversed: the view keeps only those), by fund, amount and date, not by name."""
    return _entries(
        db,
        "SELECT d.fund_id, d.donation_id, d.amount_fen, d.received_on, f.name"
        " FROM disclosure_named_donations d JOIN disclosure_funds f ON f.fund_id = d.fund_id"
        " WHERE f.foundation_id = ? ORDER BY d.received_on DESC, d.donation_id DESC LIMIT ?",
        (str(foundation_id),),
    )
