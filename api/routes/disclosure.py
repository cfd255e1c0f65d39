"""`/disclosure`: the public views, no key needed. Foundations with their figures, one foundation's
page, and paginated lists of funds, grants, relief (rows and monthly totals), pairings and their
activities, mentor links, designations and corrections, with the plan's indicators.

Everything is read from the disclosure and indicators views (`app.state.views`), which the runner keeps
up to date from the log; `?after=P` waits (briefly) until the view has reached log position P, so a
client can read its own write. The only thing read from the vault is the name of a person donor or
mentor who consented to be named, looked up now: once the consent is withdrawn or the person erased,
the name is gone from every page. The query functions take the database as a parameter, so
`/audit/disclosure` can run them over the views as they stood at a past moment.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from api.deps import LedgerDep
from api.errors import ApiError, ErrorBody
from api.pagination import Cursor, Limit, Order, Page, page
from api.schemas.common import yuan
from api.schemas.disclosure import (
    ActivityPublic,
    CorrectionPublic,
    DesignationPublic,
    DesignationYearFigures,
    Figures,
    FoundationPage,
    FoundationPublic,
    FundPublic,
    GrantPublic,
    IndicatorsPublic,
    MentorLinkPublic,
    NamedDonationPublic,
    OrganizationPublic,
    PairingCount,
    PairingPublic,
    ReliefMonthPublic,
    ReliefPublic,
    RuralFigures,
    Share,
)
from domain.districts import check_district
from domain.errors import NotFound, SubjectErased
from domain.ledger import Ledger
from domain.organizations import FUND_HOLDER_ROLES
from projections.indicators import DESIGNATIONS_EXPECTED, indicator_figures
from projections.runner import PositionBeyondHead
from storage.vault import Vault
from storage.viewdb import ViewDB

router = APIRouter(prefix="/disclosure", tags=["disclosure"])
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorBody} for code in (404, 422, 503)}
SECTION = 50  # rows per list on a foundation's page; the paginated lists hold the rest
WAIT_SECONDS = 5.0

# --- reading the views -------------------------------------------------------------------------------


def disclosure_db(
    request: Request,
    after: Annotated[
        int | None,
        Query(
            ge=0,
            le=2**62,
            description="wait (up to 5 s) until the views have reached this log position, e.g. "
            "the `position` a write answered",
        ),
    ] = None,
) -> ViewDB:
    if after is not None:
        runner = request.app.state.runner
        try:
            reached = all(
                runner.wait_for(view, after, timeout=WAIT_SECONDS)
                for view in ("disclosure", "indicators")
            )
        except PositionBeyondHead as error:
            raise ApiError(422, "invalid_input", str(error), "after") from None
        if not reached:
            raise ApiError(
                503, "view_lagging", f"after: the views have not reached position {after} yet"
            )
    views: ViewDB = request.app.state.views
    return views


ViewsDep = Annotated[ViewDB, Depends(disclosure_db)]
District = Annotated[
    str | None, Query(description="one of Shanghai's 16 districts", examples=["pudong"])
]
FoundationId = Annotated[UUID | None, Query(description="only this foundation's rows")]
OrganizationId = Annotated[
    UUID | None, Query(description="only rows this organisation is party to")
]
Year = Annotated[int | None, Query(ge=1949, le=2200, description="of the row's date")]


class Filters:
    """WHERE conditions and their parameters, built from the query's filters."""

    def __init__(self) -> None:
        self.where: list[str] = []
        self.params: list[object] = []

    def add(self, condition: str, *params: object) -> None:
        self.where.append(condition)
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

    def year(self, column: str, year: int | None) -> None:
        # ISO dates and months compare as text: '2024' <= '2024-03-01' < '2025'.
        if year is not None:
            self.add(f"{column} >= ? AND {column} < ?", str(year), str(year + 1))


def vault_of(ledger: Ledger) -> Vault | None:
    return ledger.vault if isinstance(ledger.vault, Vault) else None


def consenting_name(ledger: Ledger, reference: str | None) -> str | None:
    """The current name of the person behind a reference, or None once they are erased (or unknown)."""
    vault = vault_of(ledger)
    if vault is None or reference is None:
        return None
    try:
        return vault.read_reference(UUID(reference)).name
    except (NotFound, SubjectErased, ValueError):
        return None


FIGURES = (
    "received",
    "anonymous",
    "granted",
    "paid",
    "transferred_in",
    "transferred_out",
    "reversed",
    "balance",
)
FIGURE_COLUMNS = ", ".join(f"f.{name}_fen" for name in FIGURES)
SUMMED_COLUMNS = ", ".join(f"COALESCE(SUM(f.{name}_fen), 0)" for name in FIGURES)


def figures(fen: Sequence[Any]) -> dict[str, str]:
    return {name: yuan(int(value)) for name, value in zip(FIGURES, fen, strict=True)}


ORGANIZATION_COLUMNS = (
    "o.organization_id, o.name, o.uscc, o.type, o.tier, o.roles, o.district, o.subdistrict,"
    " o.rural, o.registered_on, o.grade, o.deregistered_on, o.leaf_index, o.last_leaf_index"
)
FOUNDATION_ROLES = " OR ".join(
    f"(',' || o.roles || ',') LIKE '%,{role},%'" for role in FUND_HOLDER_ROLES
)


def organization(row: Sequence[Any]) -> dict[str, Any]:
    names = (
        "organization_id",
        "name",
        "uscc",
        "type",
        "tier",
        "roles",
        "district",
        "subdistrict",
        "rural",
        "registered_on",
        "grade",
        "deregistered_on",
        "leaf_index",
        "last_leaf_index",
    )
    found = dict(zip(names, row, strict=True))
    found["roles"] = [r for r in str(found["roles"]).split(",") if r]
    found["rural"] = bool(found["rural"])
    return found


def foundations(
    db: ViewDB, district: str | None, limit: int, cursor: str | None
) -> Page[FoundationPublic]:
    where = Filters()
    where.add(f"({FOUNDATION_ROLES})")
    if district is not None:
        where.add("o.district = ?", check_district(district))
    rows, next_cursor = page(
        db,
        f"{ORGANIZATION_COLUMNS}, COUNT(f.fund_id), {SUMMED_COLUMNS}",
        "disclosure_organizations o LEFT JOIN disclosure_funds f"
        " ON f.foundation_id = o.organization_id",
        where.where,
        where.params,
        Order(("o.district", "o.name", "o.organization_id"), (str, str, str)),
        limit,
        cursor,
        group_by="o.organization_id, o.district, o.name",
    )
    items = [
        FoundationPublic(
            **organization(row[:14]), funds=int(row[14]), figures=Figures(**figures(row[15:]))
        )
        for row in rows
    ]
    return Page[FoundationPublic](items=items, next_cursor=next_cursor)


FUND_COLUMNS = (
    "f.fund_id, f.foundation_id, f.kind, f.name, f.opened_on, f.closed_on, f.leaf_index,"
    f" f.last_leaf_index, {FIGURE_COLUMNS}"
)


def fund(row: Sequence[Any]) -> FundPublic:
    names = (
        "fund_id",
        "foundation_id",
        "kind",
        "name",
        "opened_on",
        "closed_on",
        "leaf_index",
        "last_leaf_index",
    )
    return FundPublic(**dict(zip(names, row[:8], strict=True)), **figures(row[8:]))


def funds(
    db: ViewDB,
    district: str | None,
    foundation_id: UUID | None,
    year: int | None,
    limit: int,
    cursor: str | None,
) -> Page[FundPublic]:
    where = Filters()
    where.district(district, "f.foundation_id")
    where.equals("f.foundation_id", foundation_id)
    where.year("f.opened_on", year)
    rows, next_cursor = page(
        db,
        FUND_COLUMNS,
        "disclosure_funds f",
        where.where,
        where.params,
        Order(("f.opened_on", "f.fund_id"), (str, str)),
        limit,
        cursor,
    )
    return Page[FundPublic](items=[fund(r) for r in rows], next_cursor=next_cursor)


GRANT_COLUMNS = (
    "g.grant_id, g.fund_id, g.foundation_id, g.recipient_id, r.name, g.programme, g.title,"
    " g.awarded_fen, g.paid_fen, g.awarded_on, g.planned_start, g.planned_end, g.status, g.rating,"
    " g.leaf_index, g.last_leaf_index"
)
GRANT_SOURCE = (
    "disclosure_grants g LEFT JOIN disclosure_organizations r ON r.organization_id = g.recipient_id"
)


def grant(row: Sequence[Any]) -> GrantPublic:
    (
        grant_id,
        fund_id,
        foundation_id,
        recipient_id,
        recipient_name,
        programme,
        title,
        awarded,
        paid,
        awarded_on,
        planned_start,
        planned_end,
        status,
        rating,
        leaf,
        last,
    ) = row
    return GrantPublic(
        grant_id=grant_id,
        fund_id=fund_id,
        foundation_id=foundation_id,
        recipient_id=recipient_id,
        recipient_name=recipient_name,
        programme=programme,
        title=title,
        awarded=yuan(awarded),
        paid=yuan(paid),
        awarded_on=awarded_on,
        planned_start=planned_start,
        planned_end=planned_end,
        status=status,
        rating=rating,
        leaf_index=leaf,
        last_leaf_index=last,
    )


RELIEF_COLUMNS = (
    "r.disbursement_id, r.case_id, r.fund_id, r.foundation_id, r.subdistrict, r.reason_code,"
    " r.purpose_code, r.amount_fen, r.paid_on, r.emergency, r.before_approval, r.reversed,"
    " r.leaf_index"
)


def relief_row(row: Sequence[Any]) -> ReliefPublic:
    (
        disbursement_id,
        case_id,
        fund_id,
        foundation_id,
        subdistrict,
        reason,
        purpose,
        amount,
        paid_on,
        emergency,
        before_approval,
        reversed_,
        leaf,
    ) = row
    return ReliefPublic(
        disbursement_id=disbursement_id,
        case_id=case_id,
        fund_id=fund_id,
        foundation_id=foundation_id,
        subdistrict=subdistrict,
        reason_code=reason,
        purpose_code=purpose,
        amount=yuan(amount),
        paid_on=paid_on,
        emergency=bool(emergency),
        before_approval=bool(before_approval),
        reversed=bool(reversed_),
        leaf_index=leaf,
    )


MONTHLY_COLUMNS = (
    "m.foundation_id, m.month, m.subdistrict, m.reason_code, m.total_fen, m.disbursements"
)


def month(row: Sequence[Any]) -> ReliefMonthPublic:
    foundation_id, month_, subdistrict, reason, total, count = row
    return ReliefMonthPublic(
        foundation_id=foundation_id,
        month=month_,
        subdistrict=subdistrict,
        reason_code=reason,
        total=yuan(total),
        disbursements=count,
    )


# The organisation whose page a correction belongs to: the owner of the corrected record.
CORRECTION_OWNER = "c.organization_id"  # kept by the view when the correction is made
CORRECTION_COLUMNS = (
    "c.position, c.leaf_index, c.aggregate_id, "
    + CORRECTION_OWNER
    + ", c.kind, c.corrects_id, c.reason, c.corrected_on, c.amount_fen"
)


def correction(row: Sequence[Any]) -> CorrectionPublic:
    position, leaf, aggregate_id, owner, kind, corrects, reason, on, amount = row
    return CorrectionPublic(
        position=position,
        leaf_index=leaf,
        aggregate_id=aggregate_id,
        organization_id=owner,
        kind=kind,
        corrects_id=corrects,
        reason=reason,
        corrected_on=on,
        amount=None if amount is None else yuan(amount),
    )


def named_donations(ledger: Ledger, db: ViewDB, foundation_id: UUID) -> list[NamedDonationPublic]:
    rows = db.execute(
        "SELECT d.donation_id, d.fund_id, d.donor_kind, d.donor_ref, o.name, d.amount_fen,"
        " d.received_on, d.leaf_index FROM disclosure_named_donations d"
        " JOIN disclosure_funds f ON f.fund_id = d.fund_id"
        " LEFT JOIN disclosure_organizations o ON o.organization_id = d.donor_ref"
        " WHERE f.foundation_id = ? ORDER BY d.received_on DESC, d.donation_id DESC LIMIT ?",
        (str(foundation_id), SECTION),
    )
    found = []
    for donation_id, fund_id, kind, ref, org_name, amount, received_on, leaf in rows:
        # The view keeps only donations still named (consent not withdrawn, not reversed); an
        # erased person has no name left to show, so their donation is not listed.
        name = consenting_name(ledger, ref) if kind == "person" else org_name
        if name is None:
            continue
        found.append(
            NamedDonationPublic(
                donation_id=donation_id,
                fund_id=fund_id,
                donor_kind=kind,
                donor_name=name,
                organization_id=ref if kind == "organization" else None,
                amount=yuan(amount),
                received_on=received_on,
                leaf_index=leaf,
            )
        )
    return found


def foundation_page(ledger: Ledger, db: ViewDB, foundation_id: UUID) -> FoundationPage:
    org = db.execute(
        f"SELECT {ORGANIZATION_COLUMNS} FROM disclosure_organizations o"
        f" WHERE o.organization_id = ? AND ({FOUNDATION_ROLES})",
        (str(foundation_id),),
    )
    if not org:
        raise ApiError(
            404,
            "unknown_foundation",
            f"foundation_id: no foundation {foundation_id}",
            "foundation_id",
        )
    key = (str(foundation_id),)
    fund_rows = db.execute(
        f"SELECT {FUND_COLUMNS} FROM disclosure_funds f WHERE f.foundation_id = ?"
        " ORDER BY f.opened_on, f.fund_id",
        key,
    )
    totals = [sum(int(row[8 + i]) for row in fund_rows) for i in range(len(FIGURES))]
    latest = (*key, SECTION)
    return FoundationPage(
        organization=OrganizationPublic(**organization(org[0])),
        figures=Figures(**figures(totals)),
        funds=[fund(row) for row in fund_rows],
        named_donations=named_donations(ledger, db, foundation_id),
        grants=[
            grant(row)
            for row in db.execute(
                f"SELECT {GRANT_COLUMNS} FROM {GRANT_SOURCE} WHERE g.foundation_id = ?"
                " ORDER BY g.awarded_on DESC, g.grant_id DESC LIMIT ?",
                latest,
            )
        ],
        relief=[
            relief_row(row)
            for row in db.execute(
                f"SELECT {RELIEF_COLUMNS} FROM disclosure_relief r WHERE r.foundation_id = ?"
                " ORDER BY r.paid_on DESC, r.disbursement_id DESC LIMIT ?",
                latest,
            )
        ],
        relief_monthly=[
            month(row)
            for row in db.execute(
                f"SELECT {MONTHLY_COLUMNS} FROM disclosure_relief_monthly m WHERE m.foundation_id = ?"
                " ORDER BY m.month DESC, m.subdistrict, m.reason_code LIMIT ?",
                latest,
            )
        ],
        corrections=[
            correction(row)
            for row in db.execute(
                f"SELECT {CORRECTION_COLUMNS} FROM disclosure_corrections c"
                f" WHERE {CORRECTION_OWNER} = ? ORDER BY c.position DESC LIMIT ?",
                latest,
            )
        ],
        section_limit=SECTION,
    )


# --- routes ------------------------------------------------------------------------------------------


@router.get(
    "/foundations",
    response_model=Page[FoundationPublic],
    responses=ERRORS,
    summary="Foundations and community foundations with their figures, by district and name",
)
def list_foundations(
    db: ViewsDep, district: District = None, limit: Limit = 50, cursor: Cursor = None
) -> Page[FoundationPublic]:
    return foundations(db, district, limit, cursor)


@router.get(
    "/foundations/{foundation_id}",
    response_model=FoundationPage,
    responses=ERRORS,
    summary="One foundation's page: its funds, named donations, grants, relief and corrections",
)
def get_foundation(foundation_id: UUID, db: ViewsDep, ledger: LedgerDep) -> Response:
    # The page is built as a FoundationPage already; answering its JSON directly spares FastAPI a
    # second validation of a few hundred rows (the most requested public read).
    page = foundation_page(ledger, db, foundation_id)
    return Response(page.model_dump_json(), media_type="application/json")


@router.get(
    "/funds",
    response_model=Page[FundPublic],
    responses=ERRORS,
    summary="Funds with their figures, by opening date",
)
def list_funds(
    db: ViewsDep,
    district: District = None,
    foundation_id: FoundationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[FundPublic]:
    return funds(db, district, foundation_id, year, limit, cursor)


@router.get(
    "/grants",
    response_model=Page[GrantPublic],
    responses=ERRORS,
    summary="Grants awarded, what was paid, and their status, by award date",
)
def list_grants(
    db: ViewsDep,
    district: District = None,
    foundation_id: FoundationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[GrantPublic]:
    where = Filters()
    where.district(district, "g.foundation_id")
    where.equals("g.foundation_id", foundation_id)
    where.year("g.awarded_on", year)
    rows, next_cursor = page(
        db,
        GRANT_COLUMNS,
        GRANT_SOURCE,
        where.where,
        where.params,
        Order(("g.awarded_on", "g.grant_id"), (str, str)),
        limit,
        cursor,
    )
    return Page[GrantPublic](items=[grant(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/relief",
    response_model=Page[ReliefPublic],
    responses=ERRORS,
    summary="Relief disbursements (subdistrict and reason, never the person), by payment date",
)
def list_relief(
    db: ViewsDep,
    district: District = None,
    foundation_id: FoundationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ReliefPublic]:
    where = Filters()
    where.district(district, "r.foundation_id")
    where.equals("r.foundation_id", foundation_id)
    where.year("r.paid_on", year)
    rows, next_cursor = page(
        db,
        RELIEF_COLUMNS,
        "disclosure_relief r",
        where.where,
        where.params,
        Order(("r.paid_on", "r.disbursement_id"), (str, str)),
        limit,
        cursor,
    )
    return Page[ReliefPublic](items=[relief_row(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/relief/monthly",
    response_model=Page[ReliefMonthPublic],
    responses=ERRORS,
    summary="Relief paid per month, subdistrict and reason (reversals deducted)",
)
def list_relief_monthly(
    db: ViewsDep,
    district: District = None,
    foundation_id: FoundationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ReliefMonthPublic]:
    where = Filters()
    where.district(district, "m.foundation_id")
    where.equals("m.foundation_id", foundation_id)
    where.year("m.month", year)
    rows, next_cursor = page(
        db,
        MONTHLY_COLUMNS,
        "disclosure_relief_monthly m",
        where.where,
        where.params,
        Order(("m.month", "m.foundation_id", "m.subdistrict", "m.reason_code"), (str,) * 4),
        limit,
        cursor,
    )
    return Page[ReliefMonthPublic](items=[month(r) for r in rows], next_cursor=next_cursor)


PAIRING_COLUMNS = (
    "p.pairing_id, p.kind, p.mode, p.lead_id, l.name, p.partner_id, q.name, p.goals, p.status,"
    " p.confirmations, p.proposed_on, p.evaluation, p.ended_on, p.end_text, p.leaf_index,"
    " p.last_leaf_index"
)
PAIRING_SOURCE = (
    "disclosure_pairings p"
    " LEFT JOIN disclosure_organizations l ON l.organization_id = p.lead_id"
    " LEFT JOIN disclosure_organizations q ON q.organization_id = p.partner_id"
)


def pairing(row: Sequence[Any]) -> PairingPublic:
    (
        pairing_id,
        kind,
        mode,
        lead_id,
        lead_name,
        partner_id,
        partner_name,
        goals,
        status,
        confirmations,
        proposed_on,
        evaluation,
        ended_on,
        end_text,
        leaf,
        last,
    ) = row
    return PairingPublic(
        pairing_id=pairing_id,
        kind=kind,
        mode=mode,
        lead_id=lead_id,
        lead_name=lead_name,
        partner_id=partner_id,
        partner_name=partner_name,
        goals=json.loads(goals),
        status=status,
        confirmations=confirmations,
        proposed_on=proposed_on,
        evaluation=None if evaluation is None else json.loads(evaluation),
        ended_on=ended_on,
        end_text=end_text,
        leaf_index=leaf,
        last_leaf_index=last,
    )


@router.get(
    "/pairings",
    response_model=Page[PairingPublic],
    responses=ERRORS,
    summary="Pairings (结对) with their goals, status and evaluation, by proposal date",
)
def list_pairings(
    db: ViewsDep,
    district: District = None,
    organization_id: OrganizationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[PairingPublic]:
    where = Filters()
    where.district(district, "p.lead_id")
    if organization_id is not None:
        where.add("(p.lead_id = ? OR p.partner_id = ?)", str(organization_id), str(organization_id))
    where.year("p.proposed_on", year)
    rows, next_cursor = page(
        db,
        PAIRING_COLUMNS,
        PAIRING_SOURCE,
        where.where,
        where.params,
        Order(("p.proposed_on", "p.pairing_id"), (str, str)),
        limit,
        cursor,
    )
    return Page[PairingPublic](items=[pairing(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/pairings/{pairing_id}/activities",
    response_model=Page[ActivityPublic],
    responses=ERRORS,
    summary="One pairing's activities, by date",
)
def list_activities(
    pairing_id: UUID, db: ViewsDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[ActivityPublic]:
    if not db.execute("SELECT 1 FROM disclosure_pairings WHERE pairing_id = ?", (str(pairing_id),)):
        raise ApiError(404, "unknown_pairing", f"pairing_id: no pairing {pairing_id}", "pairing_id")
    rows, next_cursor = page(
        db,
        "a.activity_id, a.pairing_id, a.kind, a.held_on, a.summary, a.transfer_id, a.leaf_index",
        "disclosure_pairing_activities a",
        ["a.pairing_id = ?"],
        [str(pairing_id)],
        Order(("a.held_on", "a.activity_id"), (str, str)),
        limit,
        cursor,
    )
    names = ("activity_id", "pairing_id", "kind", "held_on", "summary", "transfer_id", "leaf_index")
    items = [ActivityPublic(**dict(zip(names, row, strict=True))) for row in rows]
    return Page[ActivityPublic](items=items, next_cursor=next_cursor)


@router.get(
    "/mentor-links",
    response_model=Page[MentorLinkPublic],
    responses=ERRORS,
    summary="Mentor links (导师带教): who mentors whom, on what, for how long",
)
def list_mentor_links(
    db: ViewsDep,
    ledger: LedgerDep,
    district: District = None,
    organization_id: OrganizationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[MentorLinkPublic]:
    where = Filters()
    where.district(district, "m.mentee_id")
    if organization_id is not None:
        where.add(
            "(m.mentee_id = ? OR m.mentor_org_id = ?)", str(organization_id), str(organization_id)
        )
    where.year("m.started_on", year)
    rows, next_cursor = page(
        db,
        "m.link_id, m.mentor_kind, m.mentor_org_id, mo.name, m.mentor_ref, m.publish_name,"
        " m.role_label, m.mentee_id, me.name, m.focus, m.started_on, m.minutes, m.ended_on,"
        " m.leaf_index, m.last_leaf_index",
        "disclosure_mentor_links m"
        " LEFT JOIN disclosure_organizations mo ON mo.organization_id = m.mentor_org_id"
        " LEFT JOIN disclosure_organizations me ON me.organization_id = m.mentee_id",
        where.where,
        where.params,
        Order(("m.started_on", "m.link_id"), (str, str)),
        limit,
        cursor,
    )
    items = []
    for (
        link_id,
        kind,
        mentor_org_id,
        org_name,
        reference,
        publish_name,
        role_label,
        mentee_id,
        mentee_name,
        focus,
        started_on,
        minutes,
        ended_on,
        leaf,
        last,
    ) in rows:
        # The reference itself never leaves: a person mentor is their name (if they consented
        # and are not erased) or else their role label.
        name = org_name
        if kind == "person":
            name = consenting_name(ledger, reference) if publish_name else None
        items.append(
            MentorLinkPublic(
                link_id=link_id,
                mentor_kind=kind,
                mentor_org_id=mentor_org_id,
                mentor_name=name,
                role_label=role_label,
                mentee_id=mentee_id,
                mentee_name=mentee_name,
                focus=focus,
                started_on=started_on,
                minutes=minutes,
                ended_on=ended_on,
                leaf_index=leaf,
                last_leaf_index=last,
            )
        )
    return Page[MentorLinkPublic](items=items, next_cursor=next_cursor)


@router.get(
    "/designations",
    response_model=Page[DesignationPublic],
    responses=ERRORS,
    summary="Designations (品牌/示范) by year: nominated, selected or revoked",
)
def list_designations(
    db: ViewsDep,
    district: District = None,
    organization_id: OrganizationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DesignationPublic]:
    where = Filters()
    where.district(district, "d.nominee_org_id")
    where.equals("d.nominee_org_id", organization_id)
    where.equals("d.year", year)
    rows, next_cursor = page(
        db,
        "d.designation_id, d.kind, d.year, d.nominee_kind, d.nominee_org_id, n.name, d.status,"
        " d.nominated_on, d.decided_on, d.leaf_index, d.last_leaf_index",
        "disclosure_designations d"
        " LEFT JOIN disclosure_organizations n ON n.organization_id = d.nominee_org_id",
        where.where,
        where.params,
        Order(("d.year", "d.designation_id"), (int, str)),
        limit,
        cursor,
    )
    names = (
        "designation_id",
        "kind",
        "year",
        "nominee_kind",
        "nominee_org_id",
        "nominee_name",
        "status",
        "nominated_on",
        "decided_on",
        "leaf_index",
        "last_leaf_index",
    )
    items = [DesignationPublic(**dict(zip(names, row, strict=True))) for row in rows]
    return Page[DesignationPublic](items=items, next_cursor=next_cursor)


@router.get(
    "/corrections",
    response_model=Page[CorrectionPublic],
    responses=ERRORS,
    summary="Every public correction (更正说明) with its reason, in log order",
)
def list_corrections(
    db: ViewsDep,
    district: District = None,
    foundation_id: FoundationId = None,
    year: Year = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[CorrectionPublic]:
    where = Filters()
    where.district(district, CORRECTION_OWNER)
    where.equals(CORRECTION_OWNER, foundation_id)
    where.year("c.corrected_on", year)
    rows, next_cursor = page(
        db,
        CORRECTION_COLUMNS,
        "disclosure_corrections c",
        where.where,
        where.params,
        Order(("c.position",), (int,)),
        limit,
        cursor,
    )
    return Page[CorrectionPublic](items=[correction(r) for r in rows], next_cursor=next_cursor)


def share(value: Any) -> Share:
    return Share(count=value.count, total=value.total, percent=value.percent)


@router.get(
    "/indicators",
    response_model=IndicatorsPublic,
    responses=ERRORS,
    summary="The plan's targets (沪民社管发〔2021〕3号), citywide or for one district",
)
def indicators(db: ViewsDep, district: District = None) -> IndicatorsPublic:
    if district is not None:
        check_district(district)
    found = indicator_figures(db, district)
    return IndicatorsPublic(
        district=district,
        subdistricts_with_community_foundation=share(
            found["subdistricts_with_community_foundation"]
        ),
        community_foundations_with_relief_fund=share(
            found["community_foundations_with_relief_fund"]
        ),
        pairings=[
            PairingCount(kind=kind, status=status, count=count)
            for (kind, status), count in found["pairings"].items()
        ],
        designations=[
            DesignationYearFigures(year=year, kind=kind, **counts)
            for (year, kind), counts in found["designations"].items()
        ],
        designations_expected=DESIGNATIONS_EXPECTED,
        rural_registered=RuralFigures(**found["rural_registered"]),
        service_centres_graded_3a_or_above=share(found["service_centres_graded_3a_or_above"]),
    )
