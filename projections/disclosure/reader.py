"""The disclosure view's queries: typed reads of the tables `view.py` writes, shared by the JSON routes,
the public pages and `/audit/disclosure`.

Every function takes the view database as its first parameter, so the same read runs over the live
views or over a copy built as of a past moment (`projections.runner.build_as_of`). Reads of relief rows
also take `today` (the ledger's date, `Ledger.today()`): whether a payment awaiting ratification is
pending or overdue depends on the day it is read, not on anything the view stores. Results are the
frozen dataclasses of `rows.py`; lists are keyset pages (`projections.pagination`) in the orders
docs/API.md gives. Filters are checked here (an unknown district is `UnknownDistrict`, a cursor the
list did not give `InvalidCursor`), so every caller refuses the same things the same way.

Nothing here reads the vault: rows that may show a consenting person's name carry the reference, and
the caller looks the name up when it renders (so a withdrawn consent or an erasure shows at once).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar
from uuid import UUID

from domain.checks import check_choice, check_text
from domain.districts import check_district
from domain.errors import InvalidDate
from domain.organizations import FUND_HOLDER_ROLES, ORGANIZATION_TYPES, ROLES, TIERS
from projections.disclosure.rows import (
    FIGURE_NAMES,
    ActivityRow,
    CorrectionRow,
    DesignationRow,
    Figures,
    FoundationPage,
    FoundationRow,
    FundRow,
    FundStatement,
    GoalOutcome,
    GrantRow,
    MentorLinkRow,
    MonthFigures,
    MovementRow,
    NamedDonationRow,
    OrganizationRow,
    PairingEvaluation,
    PairingFundingRow,
    PairingRow,
    Ratification,
    ReliefCaseRow,
    ReliefMonthRow,
    ReliefRow,
    Totals,
)
from projections.disclosure.view import MOVEMENT_KINDS
from projections.pagination import FIRST_PAGE, Order, Page, PageRequest, byte_order, keyset
from storage.viewdb import ViewDB

T = TypeVar("T")
SECTION = 50  # rows per list on a foundation's page; the paginated lists hold the rest


# --- filters -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """For the lists a foundation owns (funds, grants, relief, monthly relief, corrections, relief
    cases): rows of foundations in `district`, of one foundation, whose own date falls in `year`, or
    (funds, grants and relief cases) in one `status` of the list's own (`FUND_STATUSES`...)."""

    district: str | None = None
    foundation_id: UUID | None = None
    year: int | None = None
    status: str | None = None


@dataclass(frozen=True)
class PartyFilters:
    """For the lists between organisations (pairings, mentor links, designations): rows whose lead,
    mentee or nominee is in `district`, rows `organization_id` is party to, of `year`, or in one
    `status` of the list's own."""

    district: str | None = None
    organization_id: UUID | None = None
    year: int | None = None
    status: str | None = None


# The statuses each list can be filtered by. A fund is open until it is closed, a mentor link active
# until it ends; the others are the status the view keeps.
FUND_STATUSES = ("open", "closed")
GRANT_STATUSES = ("active", "closed", "cancelled")
RELIEF_CASE_STATUSES = ("open", "approved", "rejected")
PAIRING_STATUSES = ("proposed", "active", "concluded", "terminated")
MENTOR_LINK_STATUSES = ("active", "ended")
DESIGNATION_STATUSES = ("nominated", "selected", "revoked")

NO_FILTERS = Filters()
MAX_SEARCH = 100  # characters of a name search; no organisation's name is longer
NO_PARTY_FILTERS = PartyFilters()


class _Where:
    """WHERE conditions and their parameters."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.params: list[object] = []

    def add(self, condition: str, *params: object) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    def district(self, district: str | None, organization_column: str) -> None:
        if district is not None:
            check_district(district)
            self.add(
                f"{organization_column} IN"
                " (SELECT organization_id FROM disclosure_organizations WHERE district = ?)",
                district,
            )

    def equals(self, column: str, value: object | None) -> None:
        if value is not None:
            self.add(f"{column} = ?", str(value) if isinstance(value, UUID) else value)

    def status(self, status: str | None, allowed: tuple[str, ...], column: str) -> None:
        if status is not None:
            self.add(f"{column} = ?", check_choice(status, allowed, field="status"))

    def ended(self, status: str | None, allowed: tuple[str, str], column: str) -> None:
        """A status that is whether a date is set: `allowed` is (not yet, ended)."""
        if status is not None:
            ended = check_choice(status, allowed, field="status") == allowed[1]
            self.add(f"{column} IS {'NOT ' if ended else ''}NULL")

    def name_contains(self, column: str, text: str | None) -> None:
        """`column` holds `text` (case aside, for Latin letters), every character taken literally:
        `%`, `_` and the escape character are escaped, so a search for `100%` finds only a `%`."""
        if text is not None:
            wanted = check_text(text, field="name_contains", max_length=MAX_SEARCH, public=False)
            escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            self.add(f"lower({column}) LIKE lower(?) ESCAPE '\\'", f"%{escaped}%")

    def year(self, column: str, year: int | None) -> None:
        # ISO dates and months compare as text: '2024' <= '2024-03-01' < '2025'.
        if year is not None:
            self.add(f"{column} >= ? AND {column} < ?", str(year), str(year + 1))


def _foundation_filters(filters: Filters, foundation_column: str, dated_column: str) -> _Where:
    """The filters every foundation-owned list takes: district, foundation and year."""
    where = _Where()
    where.district(filters.district, foundation_column)
    where.equals(foundation_column, filters.foundation_id)
    where.year(dated_column, filters.year)
    return where


# --- columns, read by name ---------------------------------------------------------------------------


class Columns:
    """A SELECT list declared once with a name for each expression, so the statement and the reading
    of its rows cannot drift apart: `read(row)` gives the row as a mapping of those names."""

    def __init__(self, **expressions: str) -> None:
        self.expressions = expressions
        self.names = tuple(expressions)
        self.sql = ", ".join(expressions.values())

    def __add__(self, other: Columns) -> Columns:
        return Columns(**self.expressions, **other.expressions)

    def read(self, row: Sequence[Any]) -> dict[str, Any]:
        return dict(zip(self.names, row, strict=True))


@lru_cache(maxsize=8192)
def _uuid(value: str) -> UUID:
    # Parsing a UUID costs more than the rest of a row; the ids of a page repeat (its foundation,
    # funds, recipients), and a UUID is immutable, so one parsed id serves every row that has it.
    return UUID(value)


def _maybe_uuid(value: str | None) -> UUID | None:
    return None if value is None else _uuid(value)


def _date(value: Any) -> date:
    return date.fromisoformat(str(value))


def _maybe_date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _figures(r: Mapping[str, Any]) -> Figures:
    # int(): PostgreSQL answers SUM over BIGINT as a numeric.
    return Figures(**{name: int(r[name]) for name in FIGURE_NAMES})


ORGANIZATION = Columns(
    organization_id="o.organization_id",
    name="o.name",
    uscc="o.uscc",
    type="o.type",
    tier="o.tier",
    roles="o.roles",
    district="o.district",
    subdistrict="o.subdistrict",
    rural="o.rural",
    registered_on="o.registered_on",
    grade="o.grade",
    deregistered_on="o.deregistered_on",
    leaf_index="o.leaf_index",
    last_leaf_index="o.last_leaf_index",
)
FOUNDATION_ROLES = " OR ".join(
    f"(',' || o.roles || ',') LIKE '%,{role},%'" for role in FUND_HOLDER_ROLES
)


def _organization(r: Mapping[str, Any]) -> OrganizationRow:
    return OrganizationRow(
        organization_id=_uuid(r["organization_id"]),
        name=r["name"],
        uscc=r["uscc"],
        type=r["type"],
        tier=r["tier"],
        roles=tuple(role for role in str(r["roles"]).split(",") if role),
        district=r["district"],
        subdistrict=r["subdistrict"],
        rural=bool(r["rural"]),
        registered_on=_date(r["registered_on"]),
        grade=r["grade"],
        deregistered_on=_maybe_date(r["deregistered_on"]),
        leaf_index=int(r["leaf_index"]),
        last_leaf_index=int(r["last_leaf_index"]),
    )


FUND = Columns(
    fund_id="f.fund_id",
    foundation_id="f.foundation_id",
    kind="f.kind",
    name="f.name",
    opened_on="f.opened_on",
    closed_on="f.closed_on",
    leaf_index="f.leaf_index",
    last_leaf_index="f.last_leaf_index",
    **{name: f"f.{name}" for name in FIGURE_NAMES},
)


def _fund(r: Mapping[str, Any]) -> FundRow:
    return FundRow(
        fund_id=_uuid(r["fund_id"]),
        foundation_id=_uuid(r["foundation_id"]),
        kind=r["kind"],
        name=r["name"],
        opened_on=_date(r["opened_on"]),
        closed_on=_maybe_date(r["closed_on"]),
        leaf_index=int(r["leaf_index"]),
        last_leaf_index=int(r["last_leaf_index"]),
        figures=_figures(r),
    )


NAMED_DONATION = Columns(
    donation_id="d.donation_id",
    fund_id="d.fund_id",
    donor_kind="d.donor_kind",
    donor_ref="d.donor_ref",
    organization_name="o.name",
    amount_fen="d.amount_fen",
    received_on="d.received_on",
    leaf_index="d.leaf_index",
)


def _named_donation(r: Mapping[str, Any]) -> NamedDonationRow:
    return NamedDonationRow(
        donation_id=_uuid(r["donation_id"]),
        fund_id=_uuid(r["fund_id"]),
        donor_kind=r["donor_kind"],
        donor_ref=_uuid(r["donor_ref"]),
        organization_name=r["organization_name"],
        amount_fen=int(r["amount_fen"]),
        received_on=_date(r["received_on"]),
        leaf_index=int(r["leaf_index"]),
    )


GRANT = Columns(
    grant_id="g.grant_id",
    fund_id="g.fund_id",
    foundation_id="g.foundation_id",
    recipient_id="g.recipient_id",
    recipient_name="r.name",
    foundation_name="fo.name",
    programme="g.programme",
    title="g.title",
    awarded_fen="g.awarded_fen",
    paid_fen="g.paid_fen",
    awarded_on="g.awarded_on",
    planned_start="g.planned_start",
    planned_end="g.planned_end",
    status="g.status",
    rating="g.rating",
    feedback="g.feedback",
    feedback_on="g.feedback_on",
    report="g.report",
    report_on="g.report_on",
    outcome="g.outcome",
    ended_on="g.ended_on",
    leaf_index="g.leaf_index",
    last_leaf_index="g.last_leaf_index",
)
GRANT_SOURCE = (
    "disclosure_grants g LEFT JOIN disclosure_organizations r ON r.organization_id = g.recipient_id"
    " LEFT JOIN disclosure_organizations fo ON fo.organization_id = g.foundation_id"
)


def _grant(r: Mapping[str, Any]) -> GrantRow:
    return GrantRow(
        grant_id=_uuid(r["grant_id"]),
        fund_id=_uuid(r["fund_id"]),
        foundation_id=_uuid(r["foundation_id"]),
        recipient_id=_uuid(r["recipient_id"]),
        recipient_name=r["recipient_name"],
        foundation_name=r["foundation_name"],
        programme=r["programme"],
        title=r["title"],
        awarded_fen=int(r["awarded_fen"]),
        paid_fen=int(r["paid_fen"]),
        awarded_on=_date(r["awarded_on"]),
        planned_start=_date(r["planned_start"]),
        planned_end=_date(r["planned_end"]),
        status=r["status"],
        rating=None if r["rating"] is None else int(r["rating"]),
        feedback=r["feedback"],
        feedback_on=_maybe_date(r["feedback_on"]),
        report=r["report"],
        report_on=_maybe_date(r["report_on"]),
        outcome=r["outcome"],
        ended_on=_maybe_date(r["ended_on"]),
        leaf_index=int(r["leaf_index"]),
        last_leaf_index=int(r["last_leaf_index"]),
    )


RELIEF = Columns(
    disbursement_id="r.disbursement_id",
    case_id="r.case_id",
    fund_id="r.fund_id",
    foundation_id="r.foundation_id",
    subdistrict="r.subdistrict",
    reason_category="r.reason_category",
    purpose_code="r.purpose_code",
    amount_fen="r.amount_fen",
    paid_on="r.paid_on",
    emergency="r.emergency",
    before_approval="r.before_approval",
    reversed="r.reversed",
    leaf_index="r.leaf_index",
    ratify_by="r.ratify_by",
    awaiting_ratification="r.awaiting_ratification",
    ratified="r.ratified",
)


def _ratification(r: Mapping[str, Any], today: date) -> Ratification:
    """Where a payment stands with ratification on `today` (`rows.Ratification`); overdue as
    `ReliefCase.is_overdue` counts it, the day after the deadline."""
    if not r["before_approval"]:
        return "not_required"
    if r["ratified"]:
        return "ratified"
    if r["awaiting_ratification"]:
        return "overdue" if _date(r["ratify_by"]) < today else "pending"
    return "reversed"


def _relief_on(today: date) -> Callable[[Mapping[str, Any]], ReliefRow]:
    return lambda r: _relief(r, today)


def _relief(r: Mapping[str, Any], today: date) -> ReliefRow:
    return ReliefRow(
        disbursement_id=_uuid(r["disbursement_id"]),
        case_id=_uuid(r["case_id"]),
        fund_id=_uuid(r["fund_id"]),
        foundation_id=_uuid(r["foundation_id"]),
        subdistrict=r["subdistrict"],
        reason_category=r["reason_category"],
        purpose_code=r["purpose_code"],
        amount_fen=int(r["amount_fen"]),
        paid_on=_date(r["paid_on"]),
        emergency=bool(r["emergency"]),
        before_approval=bool(r["before_approval"]),
        reversed=bool(r["reversed"]),
        leaf_index=int(r["leaf_index"]),
        ratify_by=_maybe_date(r["ratify_by"]),
        ratification=_ratification(r, today),
    )


RELIEF_MONTH = Columns(
    foundation_id="m.foundation_id",
    month="m.month",
    subdistrict="m.subdistrict",
    reason_category="m.reason_category",
    total_fen="m.total_fen",
    disbursements="m.disbursements",
)


def _relief_month(r: Mapping[str, Any]) -> ReliefMonthRow:
    return ReliefMonthRow(
        foundation_id=_uuid(r["foundation_id"]),
        month=r["month"],
        subdistrict=r["subdistrict"],
        reason_category=r["reason_category"],
        total_fen=int(r["total_fen"]),
        disbursements=int(r["disbursements"]),
    )


# The organisation whose page a correction belongs to, kept by the view when the correction is made.
CORRECTION_OWNER = "c.organization_id"
CORRECTION = Columns(
    position="c.position",
    leaf_index="c.leaf_index",
    aggregate_id="c.aggregate_id",
    organization_id=CORRECTION_OWNER,
    kind="c.kind",
    corrects_id="c.corrects_id",
    reason="c.reason",
    corrected_on="c.corrected_on",
    amount_fen="c.amount_fen",
)


def _correction(r: Mapping[str, Any]) -> CorrectionRow:
    return CorrectionRow(
        position=int(r["position"]),
        leaf_index=int(r["leaf_index"]),
        aggregate_id=_uuid(r["aggregate_id"]),
        organization_id=_maybe_uuid(r["organization_id"]),
        kind=r["kind"],
        corrects_id=_uuid(r["corrects_id"]),
        reason=r["reason"],
        corrected_on=_date(r["corrected_on"]),
        amount_fen=None if r["amount_fen"] is None else int(r["amount_fen"]),
    )


PAIRING = Columns(
    pairing_id="p.pairing_id",
    kind="p.kind",
    mode="p.mode",
    lead_id="p.lead_id",
    lead_name="l.name",
    partner_id="p.partner_id",
    partner_name="q.name",
    goals="p.goals",
    status="p.status",
    confirmations="p.confirmations",
    proposed_on="p.proposed_on",
    evaluation="p.evaluation",
    ended_on="p.ended_on",
    end_text="p.end_text",
    leaf_index="p.leaf_index",
    last_leaf_index="p.last_leaf_index",
)
PAIRING_SOURCE = (
    "disclosure_pairings p"
    " LEFT JOIN disclosure_organizations l ON l.organization_id = p.lead_id"
    " LEFT JOIN disclosure_organizations q ON q.organization_id = p.partner_id"
)


def _evaluation(text: str | None) -> PairingEvaluation | None:
    """The view keeps an evaluation as JSON: results as [goal, result, note] triples."""
    if text is None:
        return None
    stored = json.loads(text)
    return PairingEvaluation(
        results=tuple(GoalOutcome(int(g), str(res), str(n)) for g, res, n in stored["results"]),
        grade_before=stored["grade_before"],
        grade_after=stored["grade_after"],
        evaluated_on=_date(stored["evaluated_on"]),
    )


def _pairing(r: Mapping[str, Any]) -> PairingRow:
    return PairingRow(
        pairing_id=_uuid(r["pairing_id"]),
        kind=r["kind"],
        mode=r["mode"],
        lead_id=_uuid(r["lead_id"]),
        lead_name=r["lead_name"],
        partner_id=_uuid(r["partner_id"]),
        partner_name=r["partner_name"],
        goals=tuple(json.loads(r["goals"])),
        status=r["status"],
        confirmations=int(r["confirmations"]),
        proposed_on=_date(r["proposed_on"]),
        evaluation=_evaluation(r["evaluation"]),
        ended_on=_maybe_date(r["ended_on"]),
        end_text=r["end_text"],
        leaf_index=int(r["leaf_index"]),
        last_leaf_index=int(r["last_leaf_index"]),
    )


ACTIVITY = Columns(
    activity_id="a.activity_id",
    pairing_id="a.pairing_id",
    kind="a.kind",
    held_on="a.held_on",
    summary="a.summary",
    transfer_id="a.transfer_id",
    leaf_index="a.leaf_index",
)


def _activity(r: Mapping[str, Any]) -> ActivityRow:
    return ActivityRow(
        activity_id=_uuid(r["activity_id"]),
        pairing_id=_uuid(r["pairing_id"]),
        kind=r["kind"],
        held_on=_date(r["held_on"]),
        summary=r["summary"],
        transfer_id=_maybe_uuid(r["transfer_id"]),
        leaf_index=int(r["leaf_index"]),
    )


PAIRING_FUNDING = Columns(
    activity_id="a.activity_id",
    pairing_id="a.pairing_id",
    pairing_kind="p.kind",
    held_on="a.held_on",
    summary="a.summary",
    transfer_id="t.transfer_id",
    from_foundation_id="s.foundation_id",
    to_foundation_id="d.foundation_id",
    amount_fen="t.amount_fen",
    transferred_on="t.transferred_on",
    reversed="t.reversed",
    leaf_index="a.leaf_index",
    transfer_leaf_index="t.leaf_index",
)
PAIRING_FUNDING_SOURCE = (
    "disclosure_pairing_activities a"
    " JOIN disclosure_pairings p ON p.pairing_id = a.pairing_id"
    " JOIN disclosure_transfers t ON t.transfer_id = a.transfer_id"
    " JOIN disclosure_funds s ON s.fund_id = t.from_fund_id"
    " JOIN disclosure_funds d ON d.fund_id = t.to_fund_id"
)


def _pairing_funding(r: Mapping[str, Any]) -> PairingFundingRow:
    return PairingFundingRow(
        activity_id=_uuid(r["activity_id"]),
        pairing_id=_uuid(r["pairing_id"]),
        pairing_kind=r["pairing_kind"],
        held_on=_date(r["held_on"]),
        summary=r["summary"],
        transfer_id=_uuid(r["transfer_id"]),
        from_foundation_id=_uuid(r["from_foundation_id"]),
        to_foundation_id=_uuid(r["to_foundation_id"]),
        amount_fen=int(r["amount_fen"]),
        transferred_on=_date(r["transferred_on"]),
        reversed=bool(r["reversed"]),
        leaf_index=int(r["leaf_index"]),
        transfer_leaf_index=int(r["transfer_leaf_index"]),
    )


MENTOR_LINK = Columns(
    link_id="m.link_id",
    mentor_kind="m.mentor_kind",
    mentor_org_id="m.mentor_org_id",
    mentor_org_name="mo.name",
    mentor_ref="m.mentor_ref",
    publish_name="m.publish_name",
    role_label="m.role_label",
    mentee_id="m.mentee_id",
    mentee_name="me.name",
    focus="m.focus",
    started_on="m.started_on",
    minutes="m.minutes",
    ended_on="m.ended_on",
    leaf_index="m.leaf_index",
    last_leaf_index="m.last_leaf_index",
)
MENTOR_LINK_SOURCE = (
    "disclosure_mentor_links m"
    " LEFT JOIN disclosure_organizations mo ON mo.organization_id = m.mentor_org_id"
    " LEFT JOIN disclosure_organizations me ON me.organization_id = m.mentee_id"
)


def _mentor_link(r: Mapping[str, Any]) -> MentorLinkRow:
    return MentorLinkRow(
        link_id=_uuid(r["link_id"]),
        mentor_kind=r["mentor_kind"],
        mentor_org_id=_maybe_uuid(r["mentor_org_id"]),
        mentor_org_name=r["mentor_org_name"],
        mentor_ref=_maybe_uuid(r["mentor_ref"]),
        publish_name=bool(r["publish_name"]),
        role_label=r["role_label"],
        mentee_id=_uuid(r["mentee_id"]),
        mentee_name=r["mentee_name"],
        focus=r["focus"],
        started_on=_date(r["started_on"]),
        minutes=int(r["minutes"]),
        ended_on=_maybe_date(r["ended_on"]),
        leaf_index=int(r["leaf_index"]),
        last_leaf_index=int(r["last_leaf_index"]),
    )


DESIGNATION = Columns(
    designation_id="d.designation_id",
    kind="d.kind",
    year="d.year",
    nominee_kind="d.nominee_kind",
    nominee_org_id="d.nominee_org_id",
    nominee_name="n.name",
    status="d.status",
    nominated_on="d.nominated_on",
    decided_on="d.decided_on",
    leaf_index="d.leaf_index",
    last_leaf_index="d.last_leaf_index",
)


def _designation(r: Mapping[str, Any]) -> DesignationRow:
    return DesignationRow(
        designation_id=_uuid(r["designation_id"]),
        kind=r["kind"],
        year=int(r["year"]),
        nominee_kind=r["nominee_kind"],
        nominee_org_id=_maybe_uuid(r["nominee_org_id"]),
        nominee_name=r["nominee_name"],
        status=r["status"],
        nominated_on=_date(r["nominated_on"]),
        decided_on=_maybe_date(r["decided_on"]),
        leaf_index=int(r["leaf_index"]),
        last_leaf_index=int(r["last_leaf_index"]),
    )


def _page(
    db: ViewDB,
    columns: Columns,
    build: Callable[[Mapping[str, Any]], T],
    source: str,
    where: _Where,
    order: Order,
    page: PageRequest,
    *,
    group_by: str = "",
) -> Page[T]:
    rows, next_cursor = keyset(
        db,
        columns.sql,
        source,
        where.conditions,
        where.params,
        order,
        page,
        group_by=group_by,
    )
    return Page(tuple(build(columns.read(row)) for row in rows), next_cursor)


def _all(
    db: ViewDB,
    columns: Columns,
    build: Callable[[Mapping[str, Any]], T],
    rest: str,
    params: Sequence[object],
) -> tuple[T, ...]:
    """`SELECT columns <rest>`, every row built."""
    rows = db.execute(f"SELECT {columns.sql} {rest}", params)
    return tuple(build(columns.read(row)) for row in rows)


# --- the lists ---------------------------------------------------------------------------------------

FOUNDATION = (
    ORGANIZATION
    + Columns(funds="COUNT(f.fund_id)")
    + Columns(**{name: f"COALESCE(SUM(f.{name}), 0)" for name in FIGURE_NAMES})
)


def _foundation(r: Mapping[str, Any]) -> FoundationRow:
    return FoundationRow(organization=_organization(r), funds=int(r["funds"]), figures=_figures(r))


def foundations(
    db: ViewDB,
    district: str | None = None,
    page: PageRequest = FIRST_PAGE,
    *,
    name_contains: str | None = None,
) -> Page[FoundationRow]:
    """Fund-holding organisations (foundations and community foundations) with their funds' figures
    summed, by district, name and id; `name_contains` keeps those whose name holds that text."""
    where = _Where()
    where.add(f"({FOUNDATION_ROLES})")
    if district is not None:
        where.add("o.district = ?", check_district(district))
    where.name_contains("o.name", name_contains)
    return _page(
        db,
        FOUNDATION,
        _foundation,
        "disclosure_organizations o LEFT JOIN disclosure_funds f"
        " ON f.foundation_id = o.organization_id",
        where,
        Order(("o.district", "o.name", "o.organization_id"), (str, str, str)),
        page,
        group_by="o.organization_id, o.district, o.name",
    )


def funds(
    db: ViewDB, filters: Filters = NO_FILTERS, page: PageRequest = FIRST_PAGE
) -> Page[FundRow]:
    """Funds with their figures, by opening date (`year` of the opening; `status` open or closed)."""
    where = _foundation_filters(filters, "f.foundation_id", "f.opened_on")
    where.ended(filters.status, FUND_STATUSES, "f.closed_on")
    order = Order(("f.opened_on", "f.fund_id"), (str, str))
    return _page(db, FUND, _fund, "disclosure_funds f", where, order, page)


def grants(
    db: ViewDB,
    filters: Filters = NO_FILTERS,
    page: PageRequest = FIRST_PAGE,
    *,
    recipient_id: UUID | None = None,
) -> Page[GrantRow]:
    """Grants awarded, what was paid, and their status, by award date; `recipient_id` keeps the
    grants to one recipient organisation (with the other filters, all must hold)."""
    where = _foundation_filters(filters, "g.foundation_id", "g.awarded_on")
    where.equals("g.recipient_id", recipient_id)
    where.status(filters.status, GRANT_STATUSES, "g.status")
    order = Order(("g.awarded_on", "g.grant_id"), (str, str))
    return _page(db, GRANT, _grant, GRANT_SOURCE, where, order, page)


def relief(
    db: ViewDB, filters: Filters = NO_FILTERS, page: PageRequest = FIRST_PAGE, *, today: date
) -> Page[ReliefRow]:
    """Relief disbursements (to the subdistrict, never the person), by payment date, each with
    where it stands with ratification on `today` (the ledger's date: `Ledger.today()`)."""
    where = _foundation_filters(filters, "r.foundation_id", "r.paid_on")
    order = Order(("r.paid_on", "r.disbursement_id"), (str, str))
    return _page(db, RELIEF, _relief_on(today), "disclosure_relief r", where, order, page)


def relief_monthly(
    db: ViewDB, filters: Filters = NO_FILTERS, page: PageRequest = FIRST_PAGE
) -> Page[ReliefMonthRow]:
    """Relief paid per month, subdistrict and reason (reversals deducted), by month."""
    where = _foundation_filters(filters, "m.foundation_id", "m.month")
    order = Order(("m.month", "m.foundation_id", "m.subdistrict", "m.reason_category"), (str,) * 4)
    return _page(db, RELIEF_MONTH, _relief_month, "disclosure_relief_monthly m", where, order, page)


def corrections(
    db: ViewDB,
    filters: Filters = NO_FILTERS,
    page: PageRequest = FIRST_PAGE,
    *,
    newest_first: bool = False,
) -> Page[CorrectionRow]:
    """Every public correction (更正说明) with its reason, in log order (`newest_first`: the latest
    first); `foundation_id` and `district` are of the organisation whose page it belongs to."""
    where = _foundation_filters(filters, CORRECTION_OWNER, "c.corrected_on")
    order = Order(("c.position",), (int,), descending=newest_first)
    return _page(db, CORRECTION, _correction, "disclosure_corrections c", where, order, page)


def pairings(
    db: ViewDB, filters: PartyFilters = NO_PARTY_FILTERS, page: PageRequest = FIRST_PAGE
) -> Page[PairingRow]:
    """Pairings (结对) with their goals, status and evaluation, by proposal date; `district` is the
    lead's, `organization_id` either party."""
    where = _Where()
    where.district(filters.district, "p.lead_id")
    if filters.organization_id is not None:
        party = str(filters.organization_id)
        where.add("(p.lead_id = ? OR p.partner_id = ?)", party, party)
    where.year("p.proposed_on", filters.year)
    where.status(filters.status, PAIRING_STATUSES, "p.status")
    order = Order(("p.proposed_on", "p.pairing_id"), (str, str))
    return _page(db, PAIRING, _pairing, PAIRING_SOURCE, where, order, page)


def pairing_activities(
    db: ViewDB, pairing_id: UUID, page: PageRequest = FIRST_PAGE
) -> Page[ActivityRow] | None:
    """One pairing's activities, by date; None when there is no such pairing."""
    if not db.execute("SELECT 1 FROM disclosure_pairings WHERE pairing_id = ?", (str(pairing_id),)):
        return None
    where = _Where()
    where.equals("a.pairing_id", pairing_id)
    order = Order(("a.held_on", "a.activity_id"), (str, str))
    return _page(db, ACTIVITY, _activity, "disclosure_pairing_activities a", where, order, page)


def pairing_funding(db: ViewDB, page: PageRequest = FIRST_PAGE) -> Page[PairingFundingRow]:
    """Every pairing's funding activities with the transfer each names, by activity date; a
    transfer named by more than one activity comes once, with the first activity that named it
    (so its money is counted once)."""
    where = _Where()
    where.add("a.kind = 'funding'")
    where.add(
        "NOT EXISTS (SELECT 1 FROM disclosure_pairing_activities b"
        " WHERE b.transfer_id = a.transfer_id AND b.leaf_index < a.leaf_index)"
    )
    order = Order(("a.held_on", "a.activity_id"), (str, str))
    return _page(db, PAIRING_FUNDING, _pairing_funding, PAIRING_FUNDING_SOURCE, where, order, page)


def organizations_by_id(db: ViewDB, ids: Iterable[UUID]) -> dict[UUID, OrganizationRow]:
    """The registered organisations among `ids` (the parties of a page of rows), by id; an id the
    registry lacks is left out."""
    found: dict[UUID, OrganizationRow] = {}
    wanted = sorted({str(i) for i in ids})
    for start in range(0, len(wanted), 500):  # well under every backend's limit on parameters
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in _all(
            db,
            ORGANIZATION,
            _organization,
            f"FROM disclosure_organizations o WHERE o.organization_id IN ({marks})",
            chunk,
        ):
            found[row.organization_id] = row
    return found


def mentor_links(
    db: ViewDB, filters: PartyFilters = NO_PARTY_FILTERS, page: PageRequest = FIRST_PAGE
) -> Page[MentorLinkRow]:
    """Mentor links (导师带教), by start date; `district` is the mentee's, `organization_id` the
    mentee or the mentoring organisation."""
    where = _Where()
    where.district(filters.district, "m.mentee_id")
    if filters.organization_id is not None:
        party = str(filters.organization_id)
        where.add("(m.mentee_id = ? OR m.mentor_org_id = ?)", party, party)
    where.year("m.started_on", filters.year)
    where.ended(filters.status, MENTOR_LINK_STATUSES, "m.ended_on")
    order = Order(("m.started_on", "m.link_id"), (str, str))
    return _page(db, MENTOR_LINK, _mentor_link, MENTOR_LINK_SOURCE, where, order, page)


def designations(
    db: ViewDB, filters: PartyFilters = NO_PARTY_FILTERS, page: PageRequest = FIRST_PAGE
) -> Page[DesignationRow]:
    """Designations (品牌/示范) by year: nominated, selected or revoked; `district` and
    `organization_id` are the nominee's."""
    where = _Where()
    where.district(filters.district, "d.nominee_org_id")
    where.equals("d.nominee_org_id", filters.organization_id)
    where.equals("d.year", filters.year)
    where.status(filters.status, DESIGNATION_STATUSES, "d.status")
    order = Order(("d.year", "d.designation_id"), (int, str))
    source = (
        "disclosure_designations d"
        " LEFT JOIN disclosure_organizations n ON n.organization_id = d.nominee_org_id"
    )
    return _page(db, DESIGNATION, _designation, source, where, order, page)


# --- lists for keyed readers (staff, auditors, the admin) -----------------------------------------
# These answer the same view's rows to the keyed routes (`GET /funds`, `/relief-cases`,
# `/organizations`...), which scope them to the key's foundation; nothing here is less public than the
# disclosure itself.

RELIEF_CASE = Columns(
    case_id="c.case_id",
    fund_id="c.fund_id",
    foundation_id="c.foundation_id",
    subdistrict="c.subdistrict",
    reason_category="c.reason_category",
    purpose_code="c.purpose_code",
    emergency="c.emergency",
    opened_on="c.opened_on",
    status="c.status",
    paid_fen="(SELECT COALESCE(SUM(d.amount_fen), 0) FROM disclosure_relief d"
    " WHERE d.case_id = c.case_id AND d.reversed = 0)",
    ratified="c.ratified",
    ratify_by="c.ratify_by",
    awaiting_ratification="c.awaiting_ratification",
    leaf_index="c.leaf_index",
    last_leaf_index="c.last_leaf_index",
)


def _relief_case(r: Mapping[str, Any]) -> ReliefCaseRow:
    return ReliefCaseRow(
        case_id=_uuid(r["case_id"]),
        fund_id=_uuid(r["fund_id"]),
        foundation_id=_uuid(r["foundation_id"]),
        subdistrict=r["subdistrict"],
        reason_category=r["reason_category"],
        purpose_code=r["purpose_code"],
        emergency=bool(r["emergency"]),
        opened_on=_date(r["opened_on"]),
        status=r["status"],
        paid_fen=int(r["paid_fen"]),
        ratified=bool(r["ratified"]),
        ratify_by=_maybe_date(r["ratify_by"]),
        awaiting_ratification=int(r["awaiting_ratification"]),
        leaf_index=int(r["leaf_index"]),
        last_leaf_index=int(r["last_leaf_index"]),
    )


def relief_cases(
    db: ViewDB, filters: Filters = NO_FILTERS, page: PageRequest = FIRST_PAGE
) -> Page[ReliefCaseRow]:
    """Relief cases (never their beneficiary), by opening date (`year` of the opening; `status`
    open, approved or rejected)."""
    where = _foundation_filters(filters, "c.foundation_id", "c.opened_on")
    where.status(filters.status, RELIEF_CASE_STATUSES, "c.status")
    order = Order(("c.opened_on", "c.case_id"), (str, str))
    return _page(db, RELIEF_CASE, _relief_case, "disclosure_relief_cases c", where, order, page)


def awaiting_ratification(
    db: ViewDB, foundation_id: UUID | None = None, page: PageRequest = FIRST_PAGE
) -> Page[ReliefCaseRow]:
    """Relief cases with a payment made before approval on the emergency fast path that is neither
    ratified nor reversed (of one foundation, or citywide), by ratification deadline: the most
    urgent first. Whether a case is overdue depends on the day, which the caller knows."""
    where = _Where()
    where.add("c.awaiting_ratification > 0")
    where.equals("c.foundation_id", foundation_id)
    order = Order(("c.ratify_by", "c.case_id"), (str, str))
    return _page(db, RELIEF_CASE, _relief_case, "disclosure_relief_cases c", where, order, page)


@dataclass(frozen=True)
class OrganizationFilters:
    """For the registry: organisations holding `role`, in `district`, rural or not, of `type` or
    `tier` (the codes of `domain.organizations`), whose name holds `name_contains`, holding funds
    (a foundation or community foundation: `holds_funds` True) or not (False)."""

    role: str | None = None
    district: str | None = None
    rural: bool | None = None
    type: str | None = None
    tier: str | None = None
    name_contains: str | None = None  # a substring of the name, taken literally
    holds_funds: bool | None = None


NO_ORGANIZATION_FILTERS = OrganizationFilters()


def organizations(
    db: ViewDB,
    filters: OrganizationFilters = NO_ORGANIZATION_FILTERS,
    page: PageRequest = FIRST_PAGE,
) -> Page[OrganizationRow]:
    """Registered organisations (deregistered ones too, with their date), by district, name and id."""
    where = _Where()
    if filters.role is not None:
        role = check_choice(filters.role, ROLES, field="role")
        where.add("(',' || o.roles || ',') LIKE ?", f"%,{role},%")
    if filters.district is not None:
        where.add("o.district = ?", check_district(filters.district))
    if filters.rural is not None:
        where.add("o.rural = ?", int(filters.rural))
    if filters.type is not None:
        where.add("o.type = ?", check_choice(filters.type, ORGANIZATION_TYPES, field="type"))
    if filters.tier is not None:
        where.add("o.tier = ?", check_choice(filters.tier, TIERS, field="tier"))
    where.name_contains("o.name", filters.name_contains)
    if filters.holds_funds is not None:
        where.add(f"{'' if filters.holds_funds else 'NOT '}({FOUNDATION_ROLES})")
    order = Order(("o.district", "o.name", "o.organization_id"), (str, str, str))
    return _page(db, ORGANIZATION, _organization, "disclosure_organizations o", where, order, page)


# --- one foundation's page ---------------------------------------------------------------------------


def foundation_named_donations(
    db: ViewDB, foundation_id: UUID, section: int = SECTION
) -> tuple[NamedDonationRow, ...]:
    """The foundation page's named donations, latest first (the API reads them alone when it
    answers a kept page, since the names behind them come from the vault on every request)."""
    # The view keeps only donations still named (consent not withdrawn, not reversed).
    return _all(
        db,
        NAMED_DONATION,
        _named_donation,
        "FROM disclosure_named_donations d JOIN disclosure_funds f ON f.fund_id = d.fund_id"
        " LEFT JOIN disclosure_organizations o ON o.organization_id = d.donor_ref"
        " WHERE f.foundation_id = ? ORDER BY d.received_on DESC, d.donation_id DESC LIMIT ?",
        (str(foundation_id), section),
    )


def foundation_page(
    db: ViewDB, foundation_id: UUID, section: int = SECTION, *, today: date
) -> FoundationPage | None:
    """One foundation's page (its latest `section` rows of each list, relief rows with where they
    stand with ratification on `today`); None when no fund-holding organisation has that id."""
    key = str(foundation_id)
    organization = _all(
        db,
        ORGANIZATION,
        _organization,
        f"FROM disclosure_organizations o WHERE o.organization_id = ? AND ({FOUNDATION_ROLES})",
        (key,),
    )
    if not organization:
        return None
    latest = (key, section)
    fund_rows = _all(
        db,
        FUND,
        _fund,
        "FROM disclosure_funds f WHERE f.foundation_id = ? ORDER BY f.opened_on, f.fund_id",
        (key,),
    )
    return FoundationPage(
        organization=organization[0],
        figures=Figures.total(f.figures for f in fund_rows),
        funds=fund_rows,
        named_donations=foundation_named_donations(db, foundation_id, section),
        grants=_all(
            db,
            GRANT,
            _grant,
            f"FROM {GRANT_SOURCE} WHERE g.foundation_id = ?"
            " ORDER BY g.awarded_on DESC, g.grant_id DESC LIMIT ?",
            latest,
        ),
        relief=_all(
            db,
            RELIEF,
            _relief_on(today),
            "FROM disclosure_relief r WHERE r.foundation_id = ?"
            " ORDER BY r.paid_on DESC, r.disbursement_id DESC LIMIT ?",
            latest,
        ),
        relief_monthly=_all(
            db,
            RELIEF_MONTH,
            _relief_month,
            "FROM disclosure_relief_monthly m WHERE m.foundation_id = ?"
            f" ORDER BY m.month DESC, {byte_order(db, 'm.subdistrict')}, m.reason_category LIMIT ?",
            latest,
        ),
        corrections=_all(
            db,
            CORRECTION,
            _correction,
            f"FROM disclosure_corrections c WHERE {CORRECTION_OWNER} = ?"
            " ORDER BY c.position DESC LIMIT ?",
            latest,
        ),
        section_limit=section,
    )


# --- relief awaiting ratification --------------------------------------------------------------------


def overdue_ratifications(db: ViewDB, today: date) -> list[UUID]:
    """Relief cases paid on the emergency fast path whose ratification deadline passed before
    `today` while a disbursement still awaits ratification (neither ratified nor reversed); the
    latest deadline last."""
    found = _all(
        db,
        Columns(case_id="c.case_id"),
        lambda r: _uuid(r["case_id"]),
        "FROM disclosure_relief_cases c WHERE c.awaiting_ratification > 0 AND c.ratify_by < ?"
        " ORDER BY c.ratify_by, c.case_id",
        (today.isoformat(),),
    )
    return list(found)


# --- what a foundation's staff still have to do (the console's desk, projections/desk.py) ------------


def grants_not_fully_paid(
    db: ViewDB, foundation_id: UUID, limit: int = SECTION
) -> tuple[GrantRow, ...]:
    """A foundation's active grants with part of the award still unpaid, the one planned to end
    soonest first (at most `limit`)."""
    return _all(
        db,
        GRANT,
        _grant,
        f"FROM {GRANT_SOURCE} WHERE g.foundation_id = ? AND g.status = 'active'"
        " AND g.paid_fen < g.awarded_fen ORDER BY g.planned_end, g.grant_id LIMIT ?",
        (str(foundation_id), limit),
    )


def closed_grants_without_report(
    db: ViewDB, foundation_id: UUID, limit: int = SECTION
) -> tuple[GrantRow, ...]:
    """A foundation's closed grants whose recipient's report is not yet in the public record, the
    one closed longest ago first (at most `limit`)."""
    return _all(
        db,
        GRANT,
        _grant,
        f"FROM {GRANT_SOURCE} WHERE g.foundation_id = ? AND g.status = 'closed'"
        " AND g.report IS NULL ORDER BY g.ended_on, g.grant_id LIMIT ?",
        (str(foundation_id), limit),
    )


# --- one foundation's page, section by section (the public site's /foundations/{id}) ------------------
# The public page paginates each of its lists on its own, and its downloads walk every row of each, so
# every list it shows is a keyset list here; `foundation_page` above answers the JSON route's latest rows.


def foundation(db: ViewDB, foundation_id: UUID) -> FoundationRow | None:
    """One fund-holding organisation with its funds' figures summed; None when no foundation or
    community foundation has that id."""
    found = _all(
        db,
        FOUNDATION,
        _foundation,
        "FROM disclosure_organizations o LEFT JOIN disclosure_funds f"
        " ON f.foundation_id = o.organization_id"
        f" WHERE o.organization_id = ? AND ({FOUNDATION_ROLES})"
        " GROUP BY o.organization_id, o.district, o.name",
        (str(foundation_id),),
    )
    return found[0] if found else None


def named_donations(
    db: ViewDB, filters: Filters = NO_FILTERS, page: PageRequest = FIRST_PAGE
) -> Page[NamedDonationRow]:
    """Donations whose donor is named (still consenting, not reversed), by date received; the
    caller looks a person's name up at render time (`api.names`)."""
    where = _foundation_filters(filters, "f.foundation_id", "d.received_on")
    order = Order(("d.received_on", "d.donation_id"), (str, str))
    source = (
        "disclosure_named_donations d JOIN disclosure_funds f ON f.fund_id = d.fund_id"
        " LEFT JOIN disclosure_organizations o ON o.organization_id = d.donor_ref"
    )
    return _page(db, NAMED_DONATION, _named_donation, source, where, order, page)


def grant_feedback(
    db: ViewDB, filters: Filters = NO_FILTERS, page: PageRequest = FIRST_PAGE
) -> Page[GrantRow]:
    """The grants the community has given feedback on (社区反馈: the latest rating and summary of
    each), by the feedback's date (`year` of it)."""
    where = _foundation_filters(filters, "g.foundation_id", "g.feedback_on")
    where.add("g.feedback_on IS NOT NULL")
    order = Order(("g.feedback_on", "g.grant_id"), (str, str))
    return _page(db, GRANT, _grant, GRANT_SOURCE, where, order, page)


# --- a fund's movements: its statement (对账单) ------------------------------------------------------

MOVEMENT = Columns(
    position="m.position",
    leaf_index="m.leaf_index",
    fund_id="m.fund_id",
    foundation_id="m.foundation_id",
    on_date="m.on_date",
    kind="m.kind",
    amount_fen="m.amount_fen",
    entry_id="m.entry_id",
    counterparty_kind="m.counterparty_kind",
    counterparty_id="m.counterparty_id",
    counterparty_name="COALESCE(m.counterparty_name, co.name, cf.name)",
    counterparty_foundation_name="cfo.name",
    counterparty_registered="CASE WHEN co.organization_id IS NULL THEN 0 ELSE 1 END",
)
MOVEMENT_SOURCE = (
    "disclosure_fund_movements m"
    " LEFT JOIN disclosure_organizations co"
    " ON m.counterparty_kind = 'organization' AND co.organization_id = m.counterparty_id"
    " LEFT JOIN disclosure_funds cf ON m.counterparty_kind = 'fund' AND cf.fund_id = m.counterparty_id"
    " LEFT JOIN disclosure_organizations cfo ON cfo.organization_id = cf.foundation_id"
)


def _movement(r: Mapping[str, Any]) -> MovementRow:
    return MovementRow(
        position=int(r["position"]),
        leaf_index=int(r["leaf_index"]),
        fund_id=_uuid(r["fund_id"]),
        foundation_id=_uuid(r["foundation_id"]),
        on_date=_date(r["on_date"]),
        kind=r["kind"],
        amount_fen=int(r["amount_fen"]),
        entry_id=_uuid(r["entry_id"]),
        counterparty_kind=r["counterparty_kind"],
        counterparty_id=_maybe_uuid(r["counterparty_id"]),
        counterparty_name=r["counterparty_name"],
        counterparty_foundation_name=r["counterparty_foundation_name"],
        counterparty_registered=bool(r["counterparty_registered"]),
    )


def _check_period(start: date, end: date) -> tuple[str, str]:
    if end < start:
        msg = (
            f"end: a period ends on or after its start ({start.isoformat()}), got {end.isoformat()}"
        )
        raise InvalidDate(msg, field="end")
    return start.isoformat(), end.isoformat()


def fund_movements(
    db: ViewDB, fund_id: UUID, start: date, end: date, page: PageRequest = FIRST_PAGE
) -> Page[MovementRow]:
    """A fund's movements dated `start` to `end` (both included), by date and log position, a page
    at a time (an unknown fund has none); walk them all with `pagination.every_row`."""
    first, last = _check_period(start, end)
    where = _Where()
    where.equals("m.fund_id", fund_id)
    where.add("m.on_date >= ? AND m.on_date <= ?", first, last)
    order = Order(("m.on_date", "m.position"), (str, int))
    return _page(db, MOVEMENT, _movement, MOVEMENT_SOURCE, where, order, page)


STATEMENT = Columns(
    opening_fen="COALESCE(SUM(CASE WHEN m.on_date < ? THEN m.amount_fen ELSE 0 END), 0)",
    in_fen="COALESCE(SUM(CASE WHEN m.on_date >= ? AND m.amount_fen > 0 THEN m.amount_fen ELSE 0 END), 0)",
    out_fen="COALESCE(SUM(CASE WHEN m.on_date >= ? AND m.amount_fen < 0 THEN -m.amount_fen ELSE 0 END), 0)",
    movement_count="COUNT(CASE WHEN m.on_date >= ? THEN 1 END)",
)


def fund_statement(
    db: ViewDB, fund_id: UUID, start: date, end: date, *, movements: bool = True
) -> FundStatement | None:
    """A fund's statement for `start` to `end` (both included): the opening balance, what came in
    and went out, the closing balance and (unless `movements` is False, for a caller that pages
    through `fund_movements`) every movement of the period; None for an unknown fund. A statement
    that ends on or after the fund's last movement closes on the fund's `balance_fen`."""
    first, last = _check_period(start, end)
    found = _all(db, FUND, _fund, "FROM disclosure_funds f WHERE f.fund_id = ?", (str(fund_id),))
    if not found:
        return None
    (sums,) = _all(
        db,
        STATEMENT,
        lambda r: {name: int(value) for name, value in r.items()},
        "FROM disclosure_fund_movements m WHERE m.fund_id = ? AND m.on_date <= ?",
        (first, first, first, first, str(fund_id), last),
    )
    lines = (
        _all(
            db,
            MOVEMENT,
            _movement,
            f"FROM {MOVEMENT_SOURCE} WHERE m.fund_id = ? AND m.on_date >= ? AND m.on_date <= ?"
            " ORDER BY m.on_date, m.position",
            (str(fund_id), first, last),
        )
        if movements
        else ()
    )
    return FundStatement(
        fund=found[0],
        start=start,
        end=end,
        opening_fen=sums["opening_fen"],
        in_fen=sums["in_fen"],
        out_fen=sums["out_fen"],
        closing_fen=sums["opening_fen"] + sums["in_fen"] - sums["out_fen"],
        movement_count=sums["movement_count"],
        movements=lines,
    )


# What each of a fund's figures is in movements: the sum of the movements of these kinds, signed so
# that it equals the figure (`balance_fen` is every movement's sum).
FIGURE_MOVEMENTS: dict[str, tuple[int, tuple[str, ...]]] = {
    "received_fen": (1, ("donation",)),
    "transferred_in_fen": (1, ("transfer_in",)),
    "transferred_out_fen": (-1, ("transfer_out",)),
    "paid_fen": (-1, ("grant_payment", "relief_payment", "payment")),
    "reversed_in_fen": (-1, ("donation_reversed", "transfer_in_reversed")),
    "reversed_out_fen": (
        1,
        (
            "transfer_out_reversed",
            "grant_payment_reversed",
            "relief_payment_reversed",
            "payment_reversed",
        ),
    ),
    "balance_fen": (1, MOVEMENT_KINDS),
}


def movements_disagreeing_with_figures(db: ViewDB) -> tuple[str, ...]:
    """The invariant between a fund's statement and its figures: for every fund, the sum of its
    movements is its `balance_fen`, and the movements of each kind sum to the figure they make
    (`FIGURE_MOVEMENTS`). Each disagreement in words (fund id, figure, both values); none when the
    two agree, as they must."""
    sums = Columns(
        fund_id="f.fund_id",
        **{f"figure_{name}": f"f.{name}" for name in FIGURE_MOVEMENTS},
        **{
            f"moved_{name}": f"COALESCE(SUM(CASE WHEN m.kind IN"
            f" ({', '.join(repr(kind) for kind in kinds)}) THEN {sign} * m.amount_fen"
            " ELSE 0 END), 0)"
            for name, (sign, kinds) in FIGURE_MOVEMENTS.items()
        },
    )
    rows = _all(
        db,
        sums,
        lambda r: r,
        "FROM disclosure_funds f LEFT JOIN disclosure_fund_movements m ON m.fund_id = f.fund_id"
        f" GROUP BY f.fund_id, {', '.join(f'f.{name}' for name in FIGURE_MOVEMENTS)}"
        " ORDER BY f.fund_id",
        (),
    )
    return tuple(
        f"fund {r['fund_id']}: {name} is {int(r[f'figure_{name}'])},"
        f" its movements sum to {int(r[f'moved_{name}'])}"
        for r in rows
        for name in FIGURE_MOVEMENTS
        if int(r[f"figure_{name}"]) != int(r[f"moved_{name}"])
    )


# --- income by month, and the totals of the city or a district ------------------------------------

MONTH = Columns(
    month="substr(m.on_date, 1, 7)",
    received_fen="SUM(m.amount_fen)",
    donations="COUNT(CASE WHEN m.kind = 'donation' THEN 1 END)",
    reversals="COUNT(CASE WHEN m.kind = 'donation_reversed' THEN 1 END)",
)


def income_by_month(db: ViewDB, foundation_id: UUID) -> tuple[MonthFigures, ...]:
    """What one foundation's donations brought in each month (over all its funds), oldest first:
    by the business date of each movement, so a donation reversed in a later month lowers that
    month's figure; months without a donation or reversal are left out."""
    return _all(
        db,
        MONTH,
        lambda r: MonthFigures(
            month=r["month"],
            received_fen=int(r["received_fen"]),
            donations=int(r["donations"]),
            reversals=int(r["reversals"]),
        ),
        "FROM disclosure_fund_movements m"
        " WHERE m.foundation_id = ? AND m.kind IN ('donation', 'donation_reversed')"
        " GROUP BY substr(m.on_date, 1, 7) ORDER BY substr(m.on_date, 1, 7)",
        (str(foundation_id),),
    )


def totals(
    db: ViewDB,
    district: str | None = None,
    year: int | None = None,
    *,
    foundation_id: UUID | None = None,
) -> Totals:
    """The figures of the whole city (or of the foundations of one `district`, or of one
    foundation: what its annual disclosure will show), of one `year` by business date or of all
    time (`rows.Totals` says what each one counts)."""
    if district is not None:
        check_district(district)

    def scope(foundation: str, dated: str) -> tuple[str, list[object]]:
        where = _Where()
        where.district(district, foundation)
        where.equals(foundation, foundation_id)
        where.year(dated, year)
        if not where.conditions:
            return "", []
        return " AND " + " AND ".join(where.conditions), where.params

    params: list[object] = []

    def count(expression: str, source: str, condition: str, foundation: str, dated: str) -> str:
        extra, values = scope(foundation, dated)
        params.extend(values)
        return f"(SELECT {expression} FROM {source} WHERE {condition}{extra})"

    figures = Columns(
        received_fen=count(
            "COALESCE(SUM(m.amount_fen), 0)",
            "disclosure_fund_movements m",
            "m.kind = 'donation'",
            "m.foundation_id",
            "m.on_date",
        ),
        donations_reversed_fen=count(
            "COALESCE(SUM(-m.amount_fen), 0)",
            "disclosure_fund_movements m",
            "m.kind = 'donation_reversed'",
            "m.foundation_id",
            "m.on_date",
        ),
        granted_fen=count(
            "COALESCE(SUM(g.awarded_fen), 0)",
            "disclosure_grants g",
            "1 = 1",
            "g.foundation_id",
            "g.awarded_on",
        ),
        relief_disbursed_fen=count(
            "COALESCE(SUM(r.amount_fen), 0)",
            "disclosure_relief r",
            "r.reversed = 0",
            "r.foundation_id",
            "r.paid_on",
        ),
        grants=count("COUNT(*)", "disclosure_grants g", "1 = 1", "g.foundation_id", "g.awarded_on"),
        relief_disbursements=count(
            "COUNT(*)", "disclosure_relief r", "r.reversed = 0", "r.foundation_id", "r.paid_on"
        ),
    )
    # A foundation counts from its registration: by the end of `year`, or ever.
    foundations_where = f"({FOUNDATION_ROLES})"
    if district is not None:
        foundations_where += " AND o.district = ?"
        params.append(district)
    if foundation_id is not None:
        foundations_where += " AND o.organization_id = ?"
        params.append(str(foundation_id))
    if year is not None:
        foundations_where += " AND o.registered_on < ?"
        params.append(str(year + 1))
    figures += Columns(
        foundations=f"(SELECT COUNT(*) FROM disclosure_organizations o WHERE {foundations_where})"
    )
    (found,) = _all(
        db, figures, lambda r: Totals(**{name: int(value) for name, value in r.items()}), "", params
    )
    return found


# --- one record, for its own page (/grants/{id}, /pairings/{id}, /relief-cases/{id}) -----------------


def grant(db: ViewDB, grant_id: UUID) -> GrantRow | None:
    """One grant as the lists show it; None when the view has no grant with that id."""
    found = _all(db, GRANT, _grant, f"FROM {GRANT_SOURCE} WHERE g.grant_id = ?", (str(grant_id),))
    return found[0] if found else None


def pairing(db: ViewDB, pairing_id: UUID) -> PairingRow | None:
    """One pairing as the lists show it; None when the view has no pairing with that id."""
    found = _all(
        db, PAIRING, _pairing, f"FROM {PAIRING_SOURCE} WHERE p.pairing_id = ?", (str(pairing_id),)
    )
    return found[0] if found else None


def relief_case(db: ViewDB, case_id: UUID) -> ReliefCaseRow | None:
    """One relief case (never its beneficiary); None when the view has no case with that id."""
    found = _all(
        db,
        RELIEF_CASE,
        _relief_case,
        "FROM disclosure_relief_cases c WHERE c.case_id = ?",
        (str(case_id),),
    )
    return found[0] if found else None


def funds_by_id(db: ViewDB, ids: Iterable[UUID]) -> dict[UUID, FundRow]:
    """The funds with these ids that the view holds (an id it does not hold is left out)."""
    keys = sorted({str(i) for i in ids})
    if not keys:
        return {}
    marks = ", ".join("?" for _ in keys)
    rows = _all(db, FUND, _fund, f"FROM disclosure_funds f WHERE f.fund_id IN ({marks})", keys)
    return {row.fund_id: row for row in rows}


# --- one organisation or fund, by id (the header of a page about one of its records) -------------


def organization(db: ViewDB, organization_id: UUID) -> OrganizationRow | None:
    """The organisation with that id (deregistered too), or None."""
    found = _all(
        db,
        ORGANIZATION,
        _organization,
        "FROM disclosure_organizations o WHERE o.organization_id = ?",
        (str(organization_id),),
    )
    return found[0] if found else None


def fund(db: ViewDB, fund_id: UUID) -> FundRow | None:
    """The fund with that id, with its figures, or None."""
    found = _all(db, FUND, _fund, "FROM disclosure_funds f WHERE f.fund_id = ?", (str(fund_id),))
    return found[0] if found else None
