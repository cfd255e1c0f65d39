"""`/foundations/{id}`: one foundation's public page. Its profile (with the 360Giving org-id of its
USCC), its figures and each fund's, income by month (a bar chart with its table), grants, the
community's feedback on them, relief by month and public category and the disbursements, pairings,
mentor links, designations, corrections with their reasons and the donations whose donors are named.

Each list is a `Table` read from the disclosure reader in keyset pages of its own (`grants_cursor`,
`relief_cursor`… one cursor parameter per list, so paging one list keeps the others where they are),
oldest first as the log records them, and downloads every row it would page through
(`?download=grants.csv`). A person is named only if they consented, looked up now (`api.names`); the
page then has no ETag and expires in seconds (`render(names_shown=True)`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from api.deps import LedgerDep
from api.errors import ApiError
from api.names import consenting_name
from api.pages.charts import monthly_bar_chart
from api.pages.context import PageDep
from api.pages.render import cached, render
from api.pages.tables import Column, Table, download
from api.routes.disclosure import mentor_name
from domain.errors import InvalidCursor
from domain.ledger import Ledger
from projections.disclosure import reader
from projections.disclosure.giving360 import organization_identifier
from projections.disclosure.reader import Filters, PartyFilters
from projections.disclosure.rows import (
    CorrectionRow,
    DesignationRow,
    FundRow,
    GrantRow,
    MentorLinkRow,
    MonthFigures,
    NamedDonationRow,
    PairingRow,
    ReliefMonthRow,
    ReliefRow,
)
from projections.pagination import Page, PageRequest

router = APIRouter(tags=["pages"], include_in_schema=False)
SECTION_ROWS = 10  # rows per list on screen; each list pages on by its own cursor
R = TypeVar("R")


@dataclass(frozen=True)
class NamedDonation:
    """A named donation with the name shown: the organisation's, or the consenting person's now."""

    row: NamedDonationRow
    donor: str


@dataclass(frozen=True)
class MentorLink:
    """A mentor link with its mentor as shown: the organisation, a consenting person's name, or
    (when there is no name to show) nothing, and the role label stands for them."""

    row: MentorLinkRow
    mentor: str | None


def entry_column(leaf: Callable[[Any], int]) -> Column[Any]:
    return Column("leaf_index", "col.entry", leaf, entry=True)


def organization_link(organization_id: UUID | None, name: str | None) -> str | None:
    """Where a row's party leads: its organisation's page, when the registry has it (its name was
    found there); a foundation's answers with its foundation page."""
    if organization_id is None or name is None:
        return None
    return f"/organizations/{organization_id}"


FUNDS: Table[FundRow] = Table(
    "funds",
    (
        Column("fund_id", "col.id", lambda r: r.fund_id, screen=False),
        Column(
            "name", "col.name", lambda r: r.name, link=lambda r: f"/funds/{r.fund_id}/statement"
        ),
        Column("kind", "col.fund_kind", lambda r: r.kind, vocabulary="fund_kind"),
        Column("opened_on", "col.opened_on", lambda r: r.opened_on),
        Column("closed_on", "col.closed_on", lambda r: r.closed_on),
        Column("received", "col.received", lambda r: r.figures.received_fen, money=True),
        Column(
            "anonymous",
            "fig.anonymous",
            lambda r: r.figures.anonymous_fen,
            money=True,
            screen=False,
        ),
        Column("granted", "col.granted", lambda r: r.figures.granted_fen, money=True),
        Column("paid", "col.paid", lambda r: r.figures.paid_fen, money=True),
        Column(
            "transferred_in",
            "fig.transferred_in",
            lambda r: r.figures.transferred_in_fen,
            money=True,
            screen=False,
        ),
        Column(
            "transferred_out",
            "fig.transferred_out",
            lambda r: r.figures.transferred_out_fen,
            money=True,
            screen=False,
        ),
        Column(
            "reversed_in",
            "fig.reversed_in",
            lambda r: r.figures.reversed_in_fen,
            money=True,
            screen=False,
        ),
        Column(
            "reversed_out",
            "fig.reversed_out",
            lambda r: r.figures.reversed_out_fen,
            money=True,
            screen=False,
        ),
        Column("balance", "col.balance", lambda r: r.figures.balance_fen, money=True),
        entry_column(lambda r: r.leaf_index),
    ),
)

INCOME: Table[MonthFigures] = Table(
    "income",
    (
        Column("month", "col.month", lambda m: m.month),
        Column("donations", "col.donations", lambda m: m.donations),
        Column("reversals", "col.reversals", lambda m: m.reversals),
        Column("received", "col.received_net", lambda m: m.received_fen, money=True),
    ),
)


def grant_table(party: tuple[Column[GrantRow], ...]) -> Table[GrantRow]:
    """A list of grants, with `party` naming the other side: the recipient on the funder's page,
    the funder on the recipient's (`organizations.py`)."""
    return Table(
        "grants",
        (
            Column("grant_id", "col.id", lambda r: r.grant_id, screen=False),
            Column("fund_id", "col.fund", lambda r: r.fund_id, screen=False),
            Column("title", "col.title", lambda r: r.title, link=lambda r: f"/grants/{r.grant_id}"),
            Column("programme", "col.programme", lambda r: r.programme),
            *party,
            Column("awarded_on", "col.awarded_on", lambda r: r.awarded_on),
            Column("planned_start", "col.planned_start", lambda r: r.planned_start, screen=False),
            Column("planned_end", "col.planned_end", lambda r: r.planned_end, screen=False),
            Column("awarded", "col.awarded", lambda r: r.awarded_fen, money=True),
            Column("paid", "col.paid", lambda r: r.paid_fen, money=True),
            Column("status", "col.status", lambda r: r.status, vocabulary="grant_status"),
            Column("ended_on", "col.ended_on", lambda r: r.ended_on, screen=False),
            entry_column(lambda r: r.leaf_index),
        ),
    )


GRANTS = grant_table(
    (
        Column("recipient_id", "col.recipient", lambda r: r.recipient_id, screen=False),
        Column(
            "recipient_name",
            "col.recipient",
            lambda r: r.recipient_name,
            link=lambda r: organization_link(r.recipient_id, r.recipient_name),
        ),
    )
)

# The feedback's own log entry is not in the read model (a grant keeps only its latest feedback's
# text and date): each row links to the grant's page, whose history lists the feedback with its entry.
FEEDBACK: Table[GrantRow] = Table(
    "feedback",
    (
        Column("grant_id", "col.id", lambda r: r.grant_id, screen=False),
        Column("title", "col.title", lambda r: r.title, link=lambda r: f"/grants/{r.grant_id}"),
        Column(
            "recipient_name",
            "col.recipient",
            lambda r: r.recipient_name,
            link=lambda r: organization_link(r.recipient_id, r.recipient_name),
        ),
        Column("rating", "col.rating", lambda r: r.rating),
        Column("feedback", "col.feedback", lambda r: r.feedback),
        Column("feedback_on", "col.feedback_on", lambda r: r.feedback_on),
    ),
)

RELIEF_MONTHLY: Table[ReliefMonthRow] = Table(
    "relief_monthly",
    (
        Column("month", "col.month", lambda r: r.month),
        Column("subdistrict", "col.subdistrict", lambda r: r.subdistrict),
        Column(
            "reason_category",
            "col.reason_category",
            lambda r: r.reason_category,
            vocabulary="relief_category",
        ),
        Column("disbursements", "col.disbursements", lambda r: r.disbursements),
        Column("total", "col.relief_total", lambda r: r.total_fen, money=True),
    ),
)

RELIEF: Table[ReliefRow] = Table(
    "relief",
    (
        Column("disbursement_id", "col.id", lambda r: r.disbursement_id, screen=False),
        Column(
            "case_id",
            "col.case",
            lambda r: r.case_id,
            link=lambda r: f"/relief-cases/{r.case_id}",
        ),
        Column("fund_id", "col.fund", lambda r: r.fund_id, screen=False),
        Column("paid_on", "col.paid_on", lambda r: r.paid_on),
        Column("subdistrict", "col.subdistrict", lambda r: r.subdistrict),
        Column(
            "reason_category",
            "col.reason_category",
            lambda r: r.reason_category,
            vocabulary="relief_category",
        ),
        Column(
            "purpose_code", "col.purpose", lambda r: r.purpose_code, vocabulary="relief_purpose"
        ),
        Column("amount", "col.amount", lambda r: r.amount_fen, money=True),
        Column("emergency", "col.emergency", lambda r: r.emergency, screen=False),
        Column("before_approval", "col.before_approval", lambda r: r.before_approval, screen=False),
        Column("reversed", "col.reversed", lambda r: r.reversed, screen=False),
        Column("ratify_by", "col.ratify_by", lambda r: r.ratify_by, screen=False),
        Column(
            "ratification", "col.ratification", lambda r: r.ratification, vocabulary="ratification"
        ),
        entry_column(lambda r: r.leaf_index),
    ),
)

PAIRINGS: Table[PairingRow] = Table(
    "pairings",
    (
        Column("pairing_id", "col.id", lambda r: r.pairing_id, screen=False),
        Column(
            "kind",
            "col.pairing_kind",
            lambda r: r.kind,
            vocabulary="pairing_kind",
            link=lambda r: f"/pairings/{r.pairing_id}",
        ),
        Column("mode", "col.mode", lambda r: r.mode, vocabulary="pairing_mode"),
        Column("lead_id", "col.lead", lambda r: r.lead_id, screen=False),
        Column(
            "lead_name",
            "col.lead",
            lambda r: r.lead_name,
            link=lambda r: organization_link(r.lead_id, r.lead_name),
        ),
        Column("partner_id", "col.partner", lambda r: r.partner_id, screen=False),
        Column(
            "partner_name",
            "col.partner",
            lambda r: r.partner_name,
            link=lambda r: organization_link(r.partner_id, r.partner_name),
        ),
        Column("proposed_on", "col.proposed_on", lambda r: r.proposed_on),
        Column("status", "col.status", lambda r: r.status, vocabulary="pairing_status"),
        Column("ended_on", "col.ended_on", lambda r: r.ended_on, screen=False),
        entry_column(lambda r: r.leaf_index),
    ),
)

MENTOR_LINKS: Table[MentorLink] = Table(
    "mentor_links",
    (
        Column("link_id", "col.id", lambda m: m.row.link_id, screen=False),
        Column("mentor_kind", "col.mentor_kind", lambda m: m.row.mentor_kind, screen=False),
        Column("mentor_org_id", "col.mentor", lambda m: m.row.mentor_org_id, screen=False),
        Column(
            "mentor_name",
            "col.mentor",
            lambda m: m.mentor,
            # A person mentor has no organisation id, and so no link.
            link=lambda m: organization_link(m.row.mentor_org_id, m.mentor),
        ),
        Column("role_label", "col.role_label", lambda m: m.row.role_label),
        Column("mentee_id", "col.mentee", lambda m: m.row.mentee_id, screen=False),
        Column(
            "mentee_name",
            "col.mentee",
            lambda m: m.row.mentee_name,
            link=lambda m: organization_link(m.row.mentee_id, m.row.mentee_name),
        ),
        Column("focus", "col.focus", lambda m: m.row.focus),
        Column("started_on", "col.started_on", lambda m: m.row.started_on),
        Column("minutes", "col.minutes", lambda m: m.row.minutes),
        Column("ended_on", "col.ended_on", lambda m: m.row.ended_on),
        entry_column(lambda m: m.row.leaf_index),
    ),
)

DESIGNATIONS: Table[DesignationRow] = Table(
    "designations",
    (
        Column("designation_id", "col.id", lambda r: r.designation_id, screen=False),
        Column("year", "col.year", lambda r: r.year),
        Column("kind", "col.designation_kind", lambda r: r.kind, vocabulary="designation_kind"),
        Column(
            "nominee_name",
            "col.nominee",
            lambda r: r.nominee_name,
            link=lambda r: organization_link(r.nominee_org_id, r.nominee_name),
        ),
        Column("nominated_on", "col.nominated_on", lambda r: r.nominated_on),
        Column("status", "col.status", lambda r: r.status, vocabulary="designation_status"),
        Column("decided_on", "col.decided_on", lambda r: r.decided_on),
        entry_column(lambda r: r.leaf_index),
    ),
)

CORRECTIONS: Table[CorrectionRow] = Table(
    "corrections",
    (
        Column("corrected_on", "col.corrected_on", lambda r: r.corrected_on),
        Column("kind", "col.correction_kind", lambda r: r.kind, vocabulary="correction_kind"),
        Column("corrects_id", "col.corrects", lambda r: r.corrects_id, screen=False),
        Column("reason", "col.reason", lambda r: r.reason),
        Column("amount", "col.amount", lambda r: r.amount_fen, money=True),
        Column("position", "col.position", lambda r: r.position, screen=False),
        entry_column(lambda r: r.leaf_index),
    ),
)

NAMED_DONATIONS: Table[NamedDonation] = Table(
    "named_donations",
    (
        Column("donation_id", "col.id", lambda d: d.row.donation_id, screen=False),
        Column("fund_id", "col.fund", lambda d: d.row.fund_id, screen=False),
        Column("received_on", "col.received_on", lambda d: d.row.received_on),
        Column("donor_kind", "col.donor_kind", lambda d: d.row.donor_kind, vocabulary="donor_kind"),
        Column("donor", "col.donor", lambda d: d.donor),
        Column("amount", "col.amount", lambda d: d.row.amount_fen, money=True),
        entry_column(lambda d: d.row.leaf_index),
    ),
)


@dataclass(frozen=True)
class Section:
    """One list on the page: its table, and the i18n keys of its heading and of the line that
    says what it holds (if any)."""

    table: Table[Any]
    heading: str
    about: str | None = None


# The lists in the order the page shows them after the income chart (whose table is `INCOME`).
SECTIONS = (
    Section(FUNDS, "foundation.section.funds", "foundation.about.funds"),
    Section(GRANTS, "foundation.section.grants"),
    Section(FEEDBACK, "foundation.section.feedback", "foundation.about.feedback"),
    Section(RELIEF_MONTHLY, "foundation.section.relief_monthly", "foundation.about.relief_monthly"),
    Section(RELIEF, "foundation.section.relief", "foundation.about.relief"),
    Section(PAIRINGS, "foundation.section.pairings"),
    Section(MENTOR_LINKS, "foundation.section.mentor_links", "foundation.about.mentor_links"),
    Section(DESIGNATIONS, "foundation.section.designations"),
    Section(CORRECTIONS, "foundation.section.corrections", "foundation.about.corrections"),
    Section(
        NAMED_DONATIONS, "foundation.section.named_donations", "foundation.about.named_donations"
    ),
)
TABLES: tuple[Table[Any], ...] = tuple(section.table for section in SECTIONS)
DOWNLOADS: tuple[Table[Any], ...] = (INCOME, *TABLES)
Download = Literal[
    "income.csv",
    "income.json",
    "funds.csv",
    "funds.json",
    "grants.csv",
    "grants.json",
    "feedback.csv",
    "feedback.json",
    "relief_monthly.csv",
    "relief_monthly.json",
    "relief.csv",
    "relief.json",
    "pairings.csv",
    "pairings.json",
    "mentor_links.csv",
    "mentor_links.json",
    "designations.csv",
    "designations.json",
    "corrections.csv",
    "corrections.json",
    "named_donations.csv",
    "named_donations.json",
]
Cursor = Annotated[str | None, Query()]


def _named_donations(ledger: Ledger, found: Page[NamedDonationRow]) -> Page[NamedDonation]:
    # An erased person has no name left to show, so their donation is not listed (as in the JSON).
    named = []
    for row in found.items:
        if row.donor_kind == "person":
            name = consenting_name(ledger, row.donor_ref)
        else:
            name = row.organization_name
        if name is not None:
            named.append(NamedDonation(row, name))
    return Page(tuple(named), found.next_cursor)


def mentor_links_named(ledger: Ledger, found: Page[MentorLinkRow]) -> Page[MentorLink]:
    return Page(
        tuple(MentorLink(r, mentor_name(ledger, r)) for r in found.items), found.next_cursor
    )


def named_cursor(
    read: Callable[[PageRequest], Page[R]], name: str
) -> Callable[[PageRequest], Page[R]]:
    """`read`, with a cursor it did not give refused under the parameter's own name."""

    def fetch(request: PageRequest) -> Page[R]:
        try:
            return read(request)
        except InvalidCursor:
            message = f"{name}: not a cursor this list gave; start again without it"
            raise InvalidCursor(message, field=name) from None

    return fetch


@router.get("/foundations/{foundation_id}")
def foundation(
    request: Request,
    page: PageDep,
    ledger: LedgerDep,
    foundation_id: UUID,
    funds_cursor: Cursor = None,
    grants_cursor: Cursor = None,
    feedback_cursor: Cursor = None,
    relief_monthly_cursor: Cursor = None,
    relief_cursor: Cursor = None,
    pairings_cursor: Cursor = None,
    mentor_links_cursor: Cursor = None,
    designations_cursor: Cursor = None,
    corrections_cursor: Cursor = None,
    named_donations_cursor: Cursor = None,
    download_: Annotated[Download | None, Query(alias="download")] = None,
) -> Response:
    if download_ is None and (kept := cached(request, page)) is not None:
        return kept
    db = page.db
    found = reader.foundation(db, foundation_id)
    if found is None:
        raise ApiError(
            404,
            "unknown_foundation",
            f"foundation_id: no foundation {foundation_id}",
            "foundation_id",
        )
    own = Filters(foundation_id=foundation_id)
    party = PartyFilters(organization_id=foundation_id)
    reads: dict[str, Callable[[PageRequest], Page[Any]]] = {
        "funds": lambda p: reader.funds(db, own, p),
        "grants": lambda p: reader.grants(db, own, p),
        "feedback": lambda p: reader.grant_feedback(db, own, p),
        "relief_monthly": lambda p: reader.relief_monthly(db, own, p),
        "relief": lambda p: reader.relief(db, own, p, today=page.today),
        "pairings": lambda p: reader.pairings(db, party, p),
        "mentor_links": lambda p: mentor_links_named(ledger, reader.mentor_links(db, party, p)),
        "designations": lambda p: reader.designations(db, party, p),
        "corrections": lambda p: reader.corrections(db, own, p),
        "named_donations": lambda p: _named_donations(ledger, reader.named_donations(db, own, p)),
    }
    cursors = {
        "funds": funds_cursor,
        "grants": grants_cursor,
        "feedback": feedback_cursor,
        "relief_monthly": relief_monthly_cursor,
        "relief": relief_cursor,
        "pairings": pairings_cursor,
        "mentor_links": mentor_links_cursor,
        "designations": designations_cursor,
        "corrections": corrections_cursor,
        "named_donations": named_donations_cursor,
    }
    fetches = {name: named_cursor(read, f"{name}_cursor") for name, read in reads.items()}
    # A month a row: the list is as long as the foundation is old, so it is read whole.
    income = reader.income_by_month(db, foundation_id)
    fetches["income"] = lambda _: Page(income, None)
    if download_ is not None:
        name, format = download_.rsplit(".", 1)
        table = next(t for t in DOWNLOADS if t.name == name)
        named = table in (NAMED_DONATIONS, MENTOR_LINKS)  # may hold a consenting person's name
        return download(table, format, fetches[name], page.checkpoint, names_shown=named)
    rows = {
        table.name: fetches[table.name](PageRequest(SECTION_ROWS, cursors[table.name]))
        for table in TABLES
    }
    names_shown = any(d.row.donor_kind == "person" for d in rows["named_donations"].items) or any(
        m.row.mentor_kind == "person" and m.mentor is not None for m in rows["mentor_links"].items
    )
    organization = found.organization
    return render(
        request,
        page,
        "foundation.html",
        names_shown=names_shown,
        foundation=found,
        organization=organization,
        org_id=organization_identifier(organization),
        sections=SECTIONS,
        rows=rows,
        income=income,
        income_table=INCOME,
        income_chart=monthly_bar_chart([(m.month, m.received_fen) for m in income], max_ticks=4),
    )
