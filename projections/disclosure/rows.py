"""What the disclosure reader answers: one frozen dataclass per kind of public row, of plain values.

Money is integer fen (`…_fen`), dates are `datetime.date`, ids are `UUID`, flags are `bool`; nothing
is formatted, so the JSON routes and the server-rendered pages format the same values each their own
way (yuan strings, 2024年3月1日). `leaf_index` is the leaf of the event that made the row in the
transparency log, `last_leaf_index` that of the last event that changed it.

Two rows carry a vault reference (`NamedDonationRow.donor_ref` of a person, `MentorLinkRow.mentor_ref`):
it is there only so the caller can look up, at render time, the name of a person who consented to be
named. A reference is never shown; a caller that has no vault shows no person's name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Literal
from uuid import UUID


@dataclass(frozen=True)
class Figures:
    """A fund's money (or a foundation's, summed over its funds), in fen. The balance is a sum of
    the others: received + transferred_in − paid − transferred_out − reversed_in + reversed_out
    (`anonymous` is a part of `received`; `granted` is what grants promised, and what of it was
    paid is in `paid`)."""

    received_fen: int
    anonymous_fen: int  # the part of received whose donors are not named
    granted_fen: int
    paid_fen: int
    transferred_in_fen: int
    transferred_out_fen: int
    reversed_in_fen: int  # money in undone (donations, transfers in): lowers the balance
    reversed_out_fen: int  # money out come back (payments, transfers out): raises the balance
    balance_fen: int

    @classmethod
    def total(cls, many: Iterable[Figures]) -> Figures:
        sums = dict.fromkeys(FIGURE_NAMES, 0)
        for figures in many:
            for name in FIGURE_NAMES:
                sums[name] += getattr(figures, name)
        return cls(**sums)


FIGURE_NAMES = tuple(f.name for f in fields(Figures))


@dataclass(frozen=True)
class OrganizationRow:
    organization_id: UUID
    name: str
    uscc: str | None
    type: str
    tier: str
    roles: tuple[str, ...]
    district: str
    subdistrict: str
    rural: bool
    registered_on: date
    grade: str | None
    deregistered_on: date | None
    leaf_index: int
    last_leaf_index: int


@dataclass(frozen=True)
class FoundationRow:
    """A fund-holding organisation in the list of foundations, with its funds' figures summed."""

    organization: OrganizationRow
    funds: int  # how many funds it has opened
    figures: Figures


@dataclass(frozen=True)
class FundRow:
    fund_id: UUID
    foundation_id: UUID
    kind: str
    name: str
    opened_on: date
    closed_on: date | None
    leaf_index: int
    last_leaf_index: int
    figures: Figures


@dataclass(frozen=True)
class NamedDonationRow:
    """A donation whose donor is named: an organisation (`organization_name`), or a person who
    consented (`donor_ref` is then their vault reference, for the name lookup; never shown)."""

    donation_id: UUID
    fund_id: UUID
    donor_kind: str  # person | organization
    donor_ref: UUID
    organization_name: str | None
    amount_fen: int
    received_on: date
    leaf_index: int


@dataclass(frozen=True)
class GrantRow:
    grant_id: UUID
    fund_id: UUID
    foundation_id: UUID
    recipient_id: UUID
    recipient_name: str | None
    foundation_name: str | None  # the funder's (the registry's name for `foundation_id`)
    programme: str
    title: str
    awarded_fen: int
    paid_fen: int
    awarded_on: date
    planned_start: date
    planned_end: date
    status: str
    rating: int | None  # the community's, 1–5, with `feedback`, its summary (the latest recorded)
    feedback: str | None
    feedback_on: date | None
    report: str | None  # the recipient's latest report
    report_on: date | None
    outcome: str | None  # of a closed grant
    ended_on: date | None  # closed or cancelled on
    leaf_index: int
    last_leaf_index: int


Ratification = Literal["not_required", "pending", "overdue", "ratified", "reversed"]


@dataclass(frozen=True)
class ReliefRow:
    """One relief disbursement: where (to the subdistrict), why (360Giving codes), how much, when,
    and where it stands with ratification on the day it was read (`ratification`): `not_required`
    for a payment against an approval; for one paid before approval (the emergency fast path)
    `ratified`, `pending` until its case's `ratify_by`, `overdue` after it, or `reversed` when it
    was reversed before it was ratified (nothing is left to ratify)."""

    disbursement_id: UUID
    case_id: UUID
    fund_id: UUID
    foundation_id: UUID
    subdistrict: str
    reason_category: str
    purpose_code: str
    amount_fen: int
    paid_on: date
    emergency: bool
    before_approval: bool
    reversed: bool
    leaf_index: int
    ratify_by: date | None  # the fast path's deadline; None for a payment against an approval
    ratification: Ratification


@dataclass(frozen=True)
class ReliefMonthRow:
    """Relief paid in one month, subdistrict and reason (reversals deducted); links to no event."""

    foundation_id: UUID
    month: str  # YYYY-MM
    subdistrict: str
    reason_category: str
    total_fen: int
    disbursements: int


@dataclass(frozen=True)
class CorrectionRow:
    """A public correction (更正说明)."""

    position: int
    leaf_index: int
    aggregate_id: UUID
    organization_id: UUID | None  # whose page it belongs to
    kind: str
    corrects_id: UUID
    reason: str
    corrected_on: date
    amount_fen: int | None  # negative for an award amended down


@dataclass(frozen=True)
class GoalOutcome:
    goal: int  # the goal's number in the proposal, from 1
    result: str
    note: str


@dataclass(frozen=True)
class PairingEvaluation:
    results: tuple[GoalOutcome, ...]
    grade_before: str | None
    grade_after: str | None
    evaluated_on: date


@dataclass(frozen=True)
class PairingRow:
    pairing_id: UUID
    kind: str
    mode: str | None
    lead_id: UUID
    lead_name: str | None
    partner_id: UUID
    partner_name: str | None
    goals: tuple[str, ...]
    status: str
    confirmations: int
    proposed_on: date
    evaluation: PairingEvaluation | None
    ended_on: date | None
    end_text: str | None
    leaf_index: int
    last_leaf_index: int


@dataclass(frozen=True)
class ActivityRow:
    activity_id: UUID
    pairing_id: UUID
    kind: str
    held_on: date
    summary: str
    transfer_id: UUID | None
    leaf_index: int


@dataclass(frozen=True)
class PairingFundingRow:
    """A pairing's funding activity with the transfer that carried its money: from one party's
    fund (`from_foundation_id` holds it) to the other's, `reversed` when the transfer was undone.
    `leaf_index` is the activity's leaf, `transfer_leaf_index` the transfer's."""

    activity_id: UUID
    pairing_id: UUID
    pairing_kind: str
    held_on: date
    summary: str
    transfer_id: UUID
    from_foundation_id: UUID
    to_foundation_id: UUID
    amount_fen: int
    transferred_on: date
    reversed: bool
    leaf_index: int
    transfer_leaf_index: int


@dataclass(frozen=True)
class MentorLinkRow:
    """Who mentors whom. A person mentor has `mentor_ref` (their vault reference, for the name
    lookup when `publish_name`; never shown) and a `role_label` that stands for them otherwise."""

    link_id: UUID
    mentor_kind: str  # person | organization
    mentor_org_id: UUID | None
    mentor_org_name: str | None
    mentor_ref: UUID | None
    publish_name: bool
    role_label: str | None
    mentee_id: UUID
    mentee_name: str | None
    focus: str
    started_on: date
    minutes: int
    ended_on: date | None
    leaf_index: int
    last_leaf_index: int


@dataclass(frozen=True)
class DesignationRow:
    designation_id: UUID
    kind: str
    year: int
    nominee_kind: str
    nominee_org_id: UUID | None
    nominee_name: str | None  # the organisation's; None for a person
    status: str
    nominated_on: date
    decided_on: date | None
    leaf_index: int
    last_leaf_index: int


@dataclass(frozen=True)
class FoundationPage:
    """One foundation's page: its profile, figures summed over its funds, every fund, and the latest
    rows (up to `section_limit` each) of its named donations, grants, relief, monthly relief totals
    and corrections; the paginated lists filtered by the foundation hold them all."""

    organization: OrganizationRow
    figures: Figures
    funds: tuple[FundRow, ...]
    named_donations: tuple[NamedDonationRow, ...]
    grants: tuple[GrantRow, ...]
    relief: tuple[ReliefRow, ...]
    relief_monthly: tuple[ReliefMonthRow, ...]
    corrections: tuple[CorrectionRow, ...]
    section_limit: int


@dataclass(frozen=True)
class ReliefCaseRow:
    """A relief case as staff list it: where (to the subdistrict), why (360Giving codes), its status,
    what was paid, and the emergency fast path's ratification (the deadline the first payment
    before approval set, and how many such payments still await ratification). No person: the view
    holds neither the beneficiary nor the case's reference."""

    case_id: UUID
    fund_id: UUID
    foundation_id: UUID
    subdistrict: str
    reason_category: str
    purpose_code: str
    emergency: bool
    opened_on: date
    status: str  # open | approved | rejected
    paid_fen: int  # disbursed, net of reversed disbursements
    ratified: bool
    ratify_by: date | None
    awaiting_ratification: int
    leaf_index: int
    last_leaf_index: int


@dataclass(frozen=True)
class MovementRow:
    """One movement of a fund's money (a line of its statement, 对账单): the event that changed its
    balance, on its business date, `amount_fen` signed (+ in, − out), of a kind of
    `view.MOVEMENT_KINDS`. `entry_id` is the donation, transfer or payment it records or reverses.
    The counterparty in public form: `counterparty_kind` anonymous, person (named by the vault at
    render time, never here), organization, fund or relief, or None for a payment straight from the
    fund; `counterparty_id` an organisation's or fund's id; `counterparty_name` the organisation's
    or fund's name, or a relief disbursement's subdistrict; `counterparty_foundation_name` the
    foundation that holds a counterparty fund; `counterparty_registered` whether the counterparty
    organisation is in the registry (and so has a page)."""

    position: int
    leaf_index: int
    fund_id: UUID
    foundation_id: UUID
    on_date: date
    kind: str
    amount_fen: int
    entry_id: UUID
    counterparty_kind: str | None
    counterparty_id: UUID | None
    counterparty_name: str | None
    counterparty_foundation_name: str | None
    counterparty_registered: bool


@dataclass(frozen=True)
class FundStatement:
    """A fund's statement for the days `start` to `end` (both included): the balance before
    `start` (`opening_fen`, the sum of every movement dated earlier), what came in (`in_fen`, the
    positive movements of the period: a reversed payment is money in) and went out (`out_fen`, the
    negative ones, as a positive sum), and the balance at the end of `end` (`closing_fen` = opening
    + in − out). `movements` are the period's, by date and log position (empty when the caller asked
    for the figures only, to page through `reader.fund_movements`); `movement_count` counts them."""

    fund: FundRow
    start: date
    end: date
    opening_fen: int
    in_fen: int
    out_fen: int
    closing_fen: int
    movement_count: int
    movements: tuple[MovementRow, ...]


@dataclass(frozen=True)
class MonthFigures:
    """A foundation's donations in one month, by the business date of each movement: `received_fen`
    is what donations brought in net of the donations reversed that month (so it may be negative),
    `donations` how many were received and `reversals` how many were reversed that month."""

    month: str  # YYYY-MM
    received_fen: int
    donations: int
    reversals: int


@dataclass(frozen=True)
class Totals:
    """Citywide, or one district's, figures (of one year by business date, or of all time).
    `received_fen` is what donations brought (as a fund's `received_fen`: reversals not deducted,
    they are `donations_reversed_fen`, dated by the reversal); `granted_fen` what grants awarded
    (after amendments, as a fund's `granted_fen`), by award date; `relief_disbursed_fen` the relief
    disbursements paid and not reversed, by payment date. The counts: fund-holding organisations
    registered by the period's end, grants awarded and relief disbursements (not reversed) in it."""

    received_fen: int
    donations_reversed_fen: int
    granted_fen: int
    relief_disbursed_fen: int
    foundations: int
    grants: int
    relief_disbursements: int
