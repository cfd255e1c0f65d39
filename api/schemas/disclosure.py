"""What the public sees (`/disclosure`): organisations, funds with their figures, named donations,
grants, relief rows and monthly totals, pairings, mentor links, designations, corrections and the
plan's indicators. Amounts are decimal strings of yuan with a `currency` of CNY.

Rows made from events carry `leaf_index` (the event's leaf in the transparency log, for an inclusion
proof at `/transparency/proofs/inclusion`) and, where later events change the row, `last_leaf_index`.
No schema here has a field for a vault subject, a reference to a person or a commitment: the only
personal data the public sees is the name of a donor or mentor who consented to be named.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Currency

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
    """A fund's (or a foundation's, summed over its funds) money, as the log has it now."""

    currency: Currency = "CNY"
    received: str = Field(description="all donations received", examples=["12000.00"])
    anonymous: str = Field(
        description="the part of `received` whose donors are not named (anonymous, or not consenting)"
    )
    granted: str = Field(description="grants awarded from the fund (amended amounts included)")
    paid: str = Field(description="payments out of the fund")
    transferred_in: str
    transferred_out: str
    reversed: str = Field(description="donations, transfers and payments reversed (更正)")
    balance: str


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
    rating: int | None
    leaf_index: LeafIndex
    last_leaf_index: LastLeafIndex


class ReliefPublic(BaseModel):
    """One relief disbursement: where (to the subdistrict), why (360Giving codes), how much, when."""

    disbursement_id: UUID
    case_id: UUID
    fund_id: UUID
    foundation_id: UUID
    subdistrict: str
    reason_code: str = Field(examples=["GTIR100"])
    purpose_code: str = Field(examples=["GTIP170"])
    currency: Currency = "CNY"
    amount: Yuan
    paid_on: date
    emergency: bool
    before_approval: bool = Field(description="paid on the emergency fast path, before approval")
    reversed: bool
    leaf_index: LeafIndex


class ReliefMonthPublic(BaseModel):
    foundation_id: UUID
    month: str = Field(examples=["2024-03"])
    subdistrict: str
    reason_code: str
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
