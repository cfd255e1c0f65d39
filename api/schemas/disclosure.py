"""What the public sees (`/disclosure`): organisations, funds with their figures, named donations,
grants, relief rows and monthly totals, pairings, mentor links, designations, corrections and the
plan's indicators. Amounts are decimal strings of yuan with a `currency` of CNY.

Rows made from events carry `leaf_index` (the event's leaf in the transparency log, for an inclusion
proof at `/transparency/proofs/inclusion`) and, where later events change the row, `last_leaf_index`.
No schema here has a field for a vault subject, a reference to a person or a commitment: the only
personal data the public sees is the name of a donor or mentor who consented to be named.

Below the schemas, one function per row of the disclosure reader (`projections.disclosure.rows`) puts
it in its public shape: amounts in fen become yuan strings, the rest is passed as it is.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Currency, yuan
from projections.disclosure import rows

LeafIndex = Annotated[
    int,
    Field(
        description="the leaf in the transparency log of the event this row was made from: "
        "verify it with /transparency/proofs/inclusion?index=…",
        examples=[41],
    ),
]
LastLeafIndex = Annotated[
    int, Field(description="the leaf of the last event that changed this row", examples=[57])
]
Yuan = Annotated[str, Field(description="yuan, a decimal string", examples=["1200.50"])]


class Figures(BaseModel):
    """A fund's (or a foundation's, summed over its funds) money, as the log has it now. The balance
    is a sum of the other figures: `balance = received + transferred_in − paid − transferred_out −
    reversed_in + reversed_out` (`anonymous` is part of `received`; `granted` is what grants promised,
    and what of it was paid is in `paid`; `reversed` is the two reversal figures together)."""

    currency: Currency = "CNY"
    received: str = Field(
        description="all donations received (reversed ones included: see `reversed_in`)",
        examples=["12000.00"],
    )
    anonymous: str = Field(
        description="the part of `received` whose donors are not named (anonymous, or not "
        "consenting), reversed donations left out"
    )
    granted: str = Field(
        description="grants awarded from the fund (amended amounts included); not in the "
        "balance's sum: what of it was paid is in `paid`"
    )
    paid: str = Field(
        description="payments out of the fund: grant instalments, relief disbursements and other "
        "payments (reversed ones included: see `reversed_out`)"
    )
    transferred_in: str = Field(description="transfers from other funds (reversed ones included)")
    transferred_out: str = Field(description="transfers to other funds (reversed ones included)")
    reversed_in: str = Field(
        description="money that came in and was undone (更正): reversed donations and transfers "
        "in; subtracted from the balance"
    )
    reversed_out: str = Field(
        description="money that went out and came back (更正): reversed payments (instalments, "
        "disbursements) and transfers out; added to the balance"
    )
    reversed: str = Field(
        deprecated=True,
        description="reversed_in + reversed_out, the one figure earlier releases published; it "
        "mixes reversals that lower the balance with ones that raise it, so it is kept for this "
        "release only, for readers that still show it: use `reversed_in` and `reversed_out`",
    )
    balance: str = Field(
        description="received + transferred_in − paid − transferred_out − reversed_in + "
        "reversed_out"
    )


class OrganizationPublic(BaseModel):
    organization_id: UUID
    name: str = Field(examples=["陆家嘴社区基金会"])
    uscc: str | None = Field(description="统一社会信用代码")
    type: str
    tier: str
    roles: list[str]
    district: str = Field(examples=["pudong"])
    subdistrict: str = Field(examples=["陆家嘴街道"])
    rural: bool
    registered_on: date
    grade: str | None
    deregistered_on: date | None
    leaf_index: LeafIndex
    last_leaf_index: LastLeafIndex


class FoundationPublic(OrganizationPublic):
    funds: int = Field(description="how many funds it has opened")
    figures: Figures


class FundPublic(Figures):
    fund_id: UUID
    foundation_id: UUID
    kind: str = Field(examples=["emergency_relief"])
    name: str = Field(examples=["暖心基金"])
    opened_on: date
    closed_on: date | None
    leaf_index: LeafIndex
    last_leaf_index: LastLeafIndex


class NamedDonationPublic(BaseModel):
    donation_id: UUID
    fund_id: UUID
    donor_kind: str = Field(examples=["person", "organization"])
    donor_name: str = Field(
        description="a consenting person's name from the vault (now), or the organisation's name"
    )
    organization_id: UUID | None = Field(description="the donating organisation, if one")
    currency: Currency = "CNY"
    amount: Yuan
    received_on: date
    leaf_index: LeafIndex


class GrantPublic(BaseModel):
    grant_id: UUID
    fund_id: UUID
    foundation_id: UUID
    recipient_id: UUID
    recipient_name: str | None
    programme: str
    title: str
    currency: Currency = "CNY"
    awarded: Yuan
    paid: Yuan
    awarded_on: date
    planned_start: date
    planned_end: date
    status: str = Field(examples=["active", "closed", "cancelled"])
    rating: int | None = Field(
        description="the community's rating, 1–5 (社区反馈评估), from the latest feedback recorded; "
        "null before any",
        examples=[4],
    )
    feedback: str | None = Field(
        description="what the community said: the summary of the latest feedback recorded",
        examples=["居民认为议事会解决了停车难题"],
    )
    feedback_on: date | None = Field(description="when the latest feedback was recorded")
    report: str | None = Field(
        description="the recipient's latest report (its summary), null before any",
        examples=["结项报告：覆盖居民860户"],
    )
    report_on: date | None = Field(description="when the latest report was received")
    outcome: str | None = Field(
        description="a closed grant's outcome; null while active, and for a cancelled grant "
        "(its reason is among the corrections)",
        examples=["项目完成，目标达成"],
    )
    ended_on: date | None = Field(description="the day it was closed or cancelled")
    leaf_index: LeafIndex
    last_leaf_index: LastLeafIndex


class ReliefPublic(BaseModel):
    """One relief disbursement: where (to the subdistrict), why (360Giving codes), how much, when."""

    disbursement_id: UUID
    case_id: UUID
    fund_id: UUID
    foundation_id: UUID
    subdistrict: str
    reason_category: str = Field(
        examples=["emergency"],
        description="hardship (生活困难), emergency (突发事件) or other (其他): never the detailed reason",
    )
    purpose_code: str = Field(examples=["GTIP170"])
    currency: Currency = "CNY"
    amount: Yuan
    paid_on: date
    emergency: bool
    before_approval: bool = Field(description="paid on the emergency fast path, before approval")
    reversed: bool
    leaf_index: LeafIndex
    ratify_by: date | None = Field(
        description="for a payment before approval, the day by which its case must be ratified "
        "(set by the case's first such payment); null for a payment against an approval"
    )
    ratification: rows.Ratification = Field(
        description="where the payment stands with ratification today (the ledger's date in "
        "Shanghai): `not_required` (paid against an approval); for a payment before approval, "
        "`ratified`, `pending` (awaiting ratification, up to and on `ratify_by`), `overdue` "
        "(awaiting it after `ratify_by`), or `reversed` (reversed before it was ratified, so "
        "nothing is left to ratify)",
        examples=["pending"],
    )


class ReliefMonthPublic(BaseModel):
    foundation_id: UUID
    month: str = Field(examples=["2024-03"])
    subdistrict: str
    reason_category: Annotated[
        str, Field(description="hardship (生活困难), emergency (突发事件) or other (其他)")
    ]
    currency: Currency = "CNY"
    total: Yuan
    disbursements: int


class CorrectionPublic(BaseModel):
    """A public correction (更正说明): what was corrected, why and when."""

    position: int = Field(description="the log position of the correcting event")
    leaf_index: LeafIndex
    aggregate_id: UUID
    organization_id: UUID | None = Field(
        description="the organisation whose page the correction belongs to"
    )
    kind: str = Field(examples=["donation_reversed"])
    corrects_id: UUID
    reason: str
    corrected_on: date
    currency: Currency = "CNY"
    amount: str | None = Field(
        description="the amount concerned (negative for an award amended down), if any"
    )


class PairingPublic(BaseModel):
    pairing_id: UUID
    kind: str
    mode: str | None
    lead_id: UUID
    lead_name: str | None
    partner_id: UUID
    partner_name: str | None
    goals: list[str]
    status: str
    confirmations: int
    proposed_on: date
    evaluation: dict[str, Any] | None
    ended_on: date | None
    end_text: str | None
    leaf_index: LeafIndex
    last_leaf_index: LastLeafIndex


class ActivityPublic(BaseModel):
    activity_id: UUID
    pairing_id: UUID
    kind: str
    held_on: date
    summary: str
    transfer_id: UUID | None
    leaf_index: LeafIndex


class MentorLinkPublic(BaseModel):
    link_id: UUID
    mentor_kind: str = Field(examples=["person", "organization"])
    mentor_org_id: UUID | None
    mentor_name: str | None = Field(
        description="the organisation's name, or a person mentor's if they consented (from the "
        "vault, now); else null and the role label stands for them"
    )
    role_label: str | None = Field(examples=["资深社工 / senior social worker"])
    mentee_id: UUID
    mentee_name: str | None
    focus: str
    started_on: date
    minutes: int
    ended_on: date | None
    leaf_index: LeafIndex
    last_leaf_index: LastLeafIndex


class DesignationPublic(BaseModel):
    designation_id: UUID
    kind: str
    year: int
    nominee_kind: str
    nominee_org_id: UUID | None
    nominee_name: str | None = Field(description="the organisation's name; null for a person")
    status: str
    nominated_on: date
    decided_on: date | None
    leaf_index: LeafIndex
    last_leaf_index: LastLeafIndex


class FoundationPage(BaseModel):
    """One foundation's public page. The lists here hold the latest rows (up to `section_limit`
    each); the paginated lists filtered by `foundation_id` hold them all."""

    organization: OrganizationPublic
    figures: Figures = Field(description="summed over its funds")
    funds: list[FundPublic]
    named_donations: list[NamedDonationPublic]
    grants: list[GrantPublic]
    relief: list[ReliefPublic]
    relief_monthly: list[ReliefMonthPublic]
    corrections: list[CorrectionPublic]
    section_limit: int


class Share(BaseModel):
    count: int
    total: int
    percent: float | None = Field(description="null when the total is 0")


class PairingCount(BaseModel):
    kind: str
    status: str
    count: int


class DesignationYearFigures(BaseModel):
    year: int
    kind: str
    selected: int
    gap: int = Field(description="how many short of the expected minimum")
    over: int = Field(description="how many over the expected maximum")


class RuralFigures(BaseModel):
    baseline_2020: int = Field(description="registered rural organisations at the end of 2020")
    at_end_of_2023: int
    now: int
    target: int = Field(description="double the 2020 baseline")
    met_by_2023: bool | None


class IndicatorsPublic(BaseModel):
    """The plan's targets (沪民社管发〔2021〕3号), for one district or citywide."""

    district: str | None
    subdistricts_with_community_foundation: Share
    community_foundations_with_relief_fund: Share
    pairings: list[PairingCount]
    designations: list[DesignationYearFigures]
    designations_expected: tuple[int, int]
    rural_registered: RuralFigures
    service_centres_graded_3a_or_above: Share


# --- from the reader's rows --------------------------------------------------------------------------
# The disclosure reader answers plain rows (fen, dates, UUIDs); these put them in the public shapes
# above. The names of consenting people come from the route, which alone reads them from the vault.


def figures(found: rows.Figures) -> dict[str, str]:
    return {
        "received": yuan(found.received_fen),
        "anonymous": yuan(found.anonymous_fen),
        "granted": yuan(found.granted_fen),
        "paid": yuan(found.paid_fen),
        "transferred_in": yuan(found.transferred_in_fen),
        "transferred_out": yuan(found.transferred_out_fen),
        "reversed_in": yuan(found.reversed_in_fen),
        "reversed_out": yuan(found.reversed_out_fen),
        "reversed": yuan(found.reversed_in_fen + found.reversed_out_fen),
        "balance": yuan(found.balance_fen),
    }


def organization_fields(row: rows.OrganizationRow) -> dict[str, Any]:
    return {
        "organization_id": row.organization_id,
        "name": row.name,
        "uscc": row.uscc,
        "type": row.type,
        "tier": row.tier,
        "roles": list(row.roles),
        "district": row.district,
        "subdistrict": row.subdistrict,
        "rural": row.rural,
        "registered_on": row.registered_on,
        "grade": row.grade,
        "deregistered_on": row.deregistered_on,
        "leaf_index": row.leaf_index,
        "last_leaf_index": row.last_leaf_index,
    }


def foundation_public(row: rows.FoundationRow) -> FoundationPublic:
    return FoundationPublic(
        **organization_fields(row.organization),
        funds=row.funds,
        figures=Figures(**figures(row.figures)),
    )


def fund_public(row: rows.FundRow) -> FundPublic:
    return FundPublic(
        fund_id=row.fund_id,
        foundation_id=row.foundation_id,
        kind=row.kind,
        name=row.name,
        opened_on=row.opened_on,
        closed_on=row.closed_on,
        leaf_index=row.leaf_index,
        last_leaf_index=row.last_leaf_index,
        **figures(row.figures),
    )


def named_donation_public(row: rows.NamedDonationRow, donor_name: str) -> NamedDonationPublic:
    return NamedDonationPublic(
        donation_id=row.donation_id,
        fund_id=row.fund_id,
        donor_kind=row.donor_kind,
        donor_name=donor_name,
        organization_id=row.donor_ref if row.donor_kind == "organization" else None,
        amount=yuan(row.amount_fen),
        received_on=row.received_on,
        leaf_index=row.leaf_index,
    )


def grant_public(row: rows.GrantRow) -> GrantPublic:
    return GrantPublic(
        grant_id=row.grant_id,
        fund_id=row.fund_id,
        foundation_id=row.foundation_id,
        recipient_id=row.recipient_id,
        recipient_name=row.recipient_name,
        programme=row.programme,
        title=row.title,
        awarded=yuan(row.awarded_fen),
        paid=yuan(row.paid_fen),
        awarded_on=row.awarded_on,
        planned_start=row.planned_start,
        planned_end=row.planned_end,
        status=row.status,
        rating=row.rating,
        feedback=row.feedback,
        feedback_on=row.feedback_on,
        report=row.report,
        report_on=row.report_on,
        outcome=row.outcome,
        ended_on=row.ended_on,
        leaf_index=row.leaf_index,
        last_leaf_index=row.last_leaf_index,
    )


def relief_public(row: rows.ReliefRow) -> ReliefPublic:
    return ReliefPublic(
        disbursement_id=row.disbursement_id,
        case_id=row.case_id,
        fund_id=row.fund_id,
        foundation_id=row.foundation_id,
        subdistrict=row.subdistrict,
        reason_category=row.reason_category,
        purpose_code=row.purpose_code,
        amount=yuan(row.amount_fen),
        paid_on=row.paid_on,
        emergency=row.emergency,
        before_approval=row.before_approval,
        reversed=row.reversed,
        leaf_index=row.leaf_index,
        ratify_by=row.ratify_by,
        ratification=row.ratification,
    )


def relief_month_public(row: rows.ReliefMonthRow) -> ReliefMonthPublic:
    return ReliefMonthPublic(
        foundation_id=row.foundation_id,
        month=row.month,
        subdistrict=row.subdistrict,
        reason_category=row.reason_category,
        total=yuan(row.total_fen),
        disbursements=row.disbursements,
    )


def correction_public(row: rows.CorrectionRow) -> CorrectionPublic:
    return CorrectionPublic(
        position=row.position,
        leaf_index=row.leaf_index,
        aggregate_id=row.aggregate_id,
        organization_id=row.organization_id,
        kind=row.kind,
        corrects_id=row.corrects_id,
        reason=row.reason,
        corrected_on=row.corrected_on,
        amount=None if row.amount_fen is None else yuan(row.amount_fen),
    )


def evaluation_public(found: rows.PairingEvaluation | None) -> dict[str, Any] | None:
    """As the view stores it: results as [goal, result, note] triples."""
    if found is None:
        return None
    return {
        "results": [[outcome.goal, outcome.result, outcome.note] for outcome in found.results],
        "grade_before": found.grade_before,
        "grade_after": found.grade_after,
        "evaluated_on": found.evaluated_on.isoformat(),
    }


def pairing_public(row: rows.PairingRow) -> PairingPublic:
    return PairingPublic(
        pairing_id=row.pairing_id,
        kind=row.kind,
        mode=row.mode,
        lead_id=row.lead_id,
        lead_name=row.lead_name,
        partner_id=row.partner_id,
        partner_name=row.partner_name,
        goals=list(row.goals),
        status=row.status,
        confirmations=row.confirmations,
        proposed_on=row.proposed_on,
        evaluation=evaluation_public(row.evaluation),
        ended_on=row.ended_on,
        end_text=row.end_text,
        leaf_index=row.leaf_index,
        last_leaf_index=row.last_leaf_index,
    )


def activity_public(row: rows.ActivityRow) -> ActivityPublic:
    return ActivityPublic(
        activity_id=row.activity_id,
        pairing_id=row.pairing_id,
        kind=row.kind,
        held_on=row.held_on,
        summary=row.summary,
        transfer_id=row.transfer_id,
        leaf_index=row.leaf_index,
    )


def mentor_link_public(row: rows.MentorLinkRow, mentor_name: str | None) -> MentorLinkPublic:
    return MentorLinkPublic(
        link_id=row.link_id,
        mentor_kind=row.mentor_kind,
        mentor_org_id=row.mentor_org_id,
        mentor_name=mentor_name,
        role_label=row.role_label,
        mentee_id=row.mentee_id,
        mentee_name=row.mentee_name,
        focus=row.focus,
        started_on=row.started_on,
        minutes=row.minutes,
        ended_on=row.ended_on,
        leaf_index=row.leaf_index,
        last_leaf_index=row.last_leaf_index,
    )


def designation_public(row: rows.DesignationRow) -> DesignationPublic:
    return DesignationPublic(
        designation_id=row.designation_id,
        kind=row.kind,
        year=row.year,
        nominee_kind=row.nominee_kind,
        nominee_org_id=row.nominee_org_id,
        nominee_name=row.nominee_name,
        status=row.status,
        nominated_on=row.nominated_on,
        decided_on=row.decided_on,
        leaf_index=row.leaf_index,
        last_leaf_index=row.last_leaf_index,
    )


def foundation_page_public(
    page: rows.FoundationPage, named_donations: list[NamedDonationPublic]
) -> FoundationPage:
    return FoundationPage(
        organization=OrganizationPublic(**organization_fields(page.organization)),
        figures=Figures(**figures(page.figures)),
        funds=[fund_public(row) for row in page.funds],
        named_donations=named_donations,
        grants=[grant_public(row) for row in page.grants],
        relief=[relief_public(row) for row in page.relief],
        relief_monthly=[relief_month_public(row) for row in page.relief_monthly],
        corrections=[correction_public(row) for row in page.corrections],
        section_limit=page.section_limit,
    )
