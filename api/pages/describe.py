"""What a log entry says, in words: one decoded event → a sentence in the reader's language and the
list of its public facts (amounts, dates, codes by their names, organisations and funds as links).

One table, `TOPICS`, holds every topic the ledger records (docs/EVENTS.md) with the fields its page
may show: an allow-list, so a field is withheld unless it is named here, and a new field stays off
the page until someone decides it is public. The rule that list obeys is `WITHHELD`: no field whose
name holds `ref`, `commitment`, `salt`, `beneficiary`, `approver`, `subject` or `vault` is ever shown,
with one exception, `Shown.when`: the `…_ref` of a donor, mentor or nominee that *is an
organisation* (its `…_kind` field says so) is that organisation's public id, shown as a link. A
person is never shown, not even by name (a consenting person's name is the named-donation and
mentor lists' business, which know whether consent still holds). A relief case's events show only
subdistrict, category, purpose, amounts, dates and flags: none of its free texts.
The tests walk every event class and hold `TOPICS` to that rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Literal
from uuid import UUID

from api.pages import formatting
from api.pages.i18n import label, translate
from domain.organizations import FUND_HOLDER_ROLES
from projections.disclosure.rows import FundRow, OrganizationRow

Kind = Literal[
    "money",  # integer fen
    "date",
    "label",  # a code of `vocabulary` (i18n.LABELS)
    "labels",  # a list of such codes
    "text",  # a public free text, as written
    "number",  # a count, minutes, a rating
    "year",
    "flag",  # yes / no
    "organization",  # an organisation's id: its name, linked to its page when it has one
    "fund",  # a fund's id: its name
    "record",  # the id of a grant, pairing or relief case: a link to its page
]

# A field whose name matches this is never shown (see `Shown.when` for the one exception).
WITHHELD = re.compile(r"ref|commitment|salt|beneficiary|approver|subject|vault")


@dataclass(frozen=True)
class Shown:
    """A field an entry's page shows, and how."""

    field: str
    kind: Kind
    vocabulary: str | None = None
    # Shown only when another field of the event has this value: (field, value). The only way a
    # `…_ref` is shown: as an organisation, when the event's `…_kind` says it is one.
    when: tuple[str, str] | None = None
    record: str | None = None  # for kind "record": the page's path prefix, e.g. "/grants"


@dataclass(frozen=True)
class Topic:
    shown: tuple[Shown, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(s.field for s in self.shown)


def _m(field: str) -> Shown:
    return Shown(field, "money")


def _d(field: str) -> Shown:
    return Shown(field, "date")


def _l(field: str, vocabulary: str) -> Shown:
    return Shown(field, "label", vocabulary)


def _t(field: str) -> Shown:
    return Shown(field, "text")


def _n(field: str) -> Shown:
    return Shown(field, "number")


def _y(field: str) -> Shown:
    return Shown(field, "year")


def _f(field: str) -> Shown:
    return Shown(field, "flag")


def _org(field: str, when: tuple[str, str] | None = None) -> Shown:
    return Shown(field, "organization", when=when)


def _fund(field: str) -> Shown:
    return Shown(field, "fund")


def _rec(field: str, path: str) -> Shown:
    return Shown(field, "record", record=path)


# topic → what its page shows. Everything an event holds that is not listed is withheld.
TOPICS: Mapping[str, Topic] = MappingProxyType(
    {
        topic: Topic(tuple(shown))
        for topic, shown in {
            # --- organisations and the registry ---
            "mingzhang/Organization.Registered": (
                _t("name"),
                _t("uscc"),
                _l("type", "organization_type"),
                _l("tier", "tier"),
                Shown("roles", "labels", "role"),
                _l("district", "district"),
                _t("subdistrict"),
                _f("rural"),
                _d("registered_on"),
            ),
            "mingzhang/Organization.Reclassified": (
                _l("type", "organization_type"),
                _l("tier", "tier"),
                _t("reason"),
                _d("reclassified_on"),
            ),
            "mingzhang/Organization.Evaluated": (_t("grade"), _t("evaluator"), _d("evaluated_on")),
            "mingzhang/Organization.Deregistered": (_t("reason"), _d("deregistered_on")),
            "mingzhang/UsccClaim.Claimed": (_t("uscc"), _org("organization_id")),
            "mingzhang/AddedSubdistrict.SubdistrictAdded": (
                _l("district", "district"),
                _t("name"),
                _t("reason"),
                _d("added_on"),
            ),
            # --- funds ---
            "mingzhang/Fund.Opened": (
                _org("foundation_id"),
                _l("kind", "fund_kind"),
                _t("name"),
                _d("opened_on"),
            ),
            "mingzhang/Fund.DonationReceived": (
                _m("amount_fen"),
                _d("received_on"),
                _l("donor_kind", "party_kind"),
                _org("donor_ref", when=("donor_kind", "organization")),
            ),
            "mingzhang/Fund.NameConsentWithdrawn": (_d("withdrawn_on"),),
            "mingzhang/Fund.TransferredOut": (
                _m("amount_fen"),
                _fund("from_fund_id"),
                _fund("to_fund_id"),
                _t("purpose"),
                _d("transferred_on"),
                _rec("pairing_id", "/pairings"),
            ),
            "mingzhang/Fund.TransferredIn": (
                _m("amount_fen"),
                _fund("from_fund_id"),
                _fund("to_fund_id"),
                _t("purpose"),
                _d("transferred_on"),
                _rec("pairing_id", "/pairings"),
            ),
            "mingzhang/Fund.Reserved": (_m("amount_fen"), _t("purpose"), _d("reserved_on")),
            "mingzhang/Fund.ReservationReleased": (_m("amount_fen"), _d("released_on")),
            "mingzhang/Fund.ReservationAdjusted": (
                _m("delta_fen"),
                _t("reason"),
                _d("adjusted_on"),
            ),
            "mingzhang/Fund.PaymentMade": (_m("amount_fen"), _t("purpose"), _d("paid_on")),
            "mingzhang/Fund.DonationReversed": (_m("amount_fen"), _t("reason"), _d("reversed_on")),
            "mingzhang/Fund.PaymentReversed": (_m("amount_fen"), _t("reason"), _d("reversed_on")),
            "mingzhang/Fund.ReservationRestored": (_m("amount_fen"), _d("restored_on")),
            "mingzhang/Fund.TransferReversed": (
                _m("amount_fen"),
                _fund("from_fund_id"),
                _fund("to_fund_id"),
                _t("reason"),
                _d("reversed_on"),
            ),
            "mingzhang/Fund.Closed": (_t("reason"), _d("closed_on")),
            # --- grants ---
            "mingzhang/Grant.Awarded": (
                _m("amount_fen"),
                _fund("fund_id"),
                _org("recipient_id"),
                _t("programme"),
                _t("title"),
                _t("description"),
                _d("awarded_on"),
                _d("planned_start"),
                _d("planned_end"),
                _rec("pairing_id", "/pairings"),
            ),
            "mingzhang/Grant.InstalmentPaid": (_m("amount_fen"), _d("paid_on")),
            "mingzhang/Grant.AmountAmended": (
                _m("new_amount_fen"),
                _m("delta_fen"),
                _t("reason"),
                _d("amended_on"),
            ),
            "mingzhang/Grant.FeedbackRecorded": (_n("rating"), _t("summary"), _d("recorded_on")),
            "mingzhang/Grant.ReportReceived": (_t("summary"), _d("received_on")),
            "mingzhang/Grant.Closed": (_t("outcome"), _m("released_fen"), _d("closed_on")),
            "mingzhang/Grant.Cancelled": (_t("reason"), _m("released_fen"), _d("cancelled_on")),
            "mingzhang/Grant.InstalmentReversed": (
                _m("amount_fen"),
                _t("reason"),
                _d("reversed_on"),
            ),
            "mingzhang/Grant.AwardRestored": (_m("amount_fen"), _d("restored_on")),
            # --- relief: where, which category, how much, when; never a free text ---
            "mingzhang/ReliefCase.Opened": (
                _fund("fund_id"),
                _t("subdistrict"),
                _l("reason_category", "relief_category"),
                _l("purpose_code", "relief_purpose"),
                _m("requested_fen"),
                _f("emergency"),
                _d("opened_on"),
            ),
            "mingzhang/ReliefCase.Approved": (_m("amount_fen"), _d("approved_on")),
            "mingzhang/ReliefCase.Rejected": (_d("rejected_on"),),
            "mingzhang/ReliefCase.Disbursed": (
                _m("amount_fen"),
                _d("paid_on"),
                _f("before_approval"),
                _d("ratify_by"),
            ),
            "mingzhang/ReliefCase.Ratified": (_d("ratified_on"),),
            "mingzhang/ReliefCase.DisbursementReversed": (_m("amount_fen"), _d("reversed_on")),
            "mingzhang/ReliefStatistics.Published": (_y("year"), _d("published_on")),
            # --- pairings, mentoring, designations ---
            "mingzhang/Pairing.Proposed": (
                _l("kind", "pairing_kind"),
                _l("mode", "pairing_mode"),
                _org("lead_id"),
                _org("partner_id"),
                _d("planned_start"),
                _d("planned_end"),
                _d("proposed_on"),
            ),
            "mingzhang/Pairing.Confirmed": (_org("party_id"), _d("confirmed_on")),
            "mingzhang/Pairing.ActivityRecorded": (
                _l("kind", "activity_kind"),
                _t("summary"),
                _d("held_on"),
            ),
            "mingzhang/Pairing.Evaluated": (
                _t("grade_before"),
                _t("grade_after"),
                _d("evaluated_on"),
            ),
            "mingzhang/Pairing.Concluded": (_t("summary"), _d("concluded_on")),
            "mingzhang/Pairing.Terminated": (_t("reason"), _d("terminated_on")),
            "mingzhang/PairingSlot.Opened": (),
            "mingzhang/PairingSlot.Taken": (_rec("pairing_id", "/pairings"),),
            "mingzhang/PairingSlot.Freed": (_rec("pairing_id", "/pairings"),),
            "mingzhang/MentorLink.Started": (
                _l("mentor_kind", "party_kind"),
                _org("mentor_ref", when=("mentor_kind", "organization")),
                _t("role_label"),
                _org("mentee_id"),
                _t("focus"),
                _d("started_on"),
            ),
            "mingzhang/MentorLink.SessionHeld": (_n("minutes"), _t("topic"), _d("held_on")),
            "mingzhang/MentorLink.NameConsentWithdrawn": (_d("withdrawn_on"),),
            "mingzhang/MentorLink.Ended": (_t("outcome"), _d("ended_on")),
            "mingzhang/Designation.Nominated": (
                _l("kind", "designation_kind"),
                _y("year"),
                _l("nominee_kind", "party_kind"),
                _org("nominee_ref", when=("nominee_kind", "foundation")),
                _t("nominating_body"),
                _t("rationale"),
                _d("nominated_on"),
            ),
            "mingzhang/Designation.Selected": (_t("selecting_body"), _d("selected_on")),
            "mingzhang/Designation.Revoked": (_t("reason"), _d("revoked_on")),
            "mingzhang/DesignationYear.Opened": (_l("kind", "designation_kind"), _y("year")),
            "mingzhang/DesignationYear.Counted": (),
            "mingzhang/DesignationYear.Uncounted": (),
        }.items()
    }
)

# Where a record's own page is, by its aggregate's topic: an entry links to the record it belongs to.
RECORD_PAGES: Mapping[str, str] = MappingProxyType(
    {
        "mingzhang/Grant": "/grants",
        "mingzhang/Pairing": "/pairings",
        "mingzhang/ReliefCase": "/relief-cases",
    }
)


def words_key(topic: str) -> str:
    """The i18n key of a topic's sentence: `event.Fund.DonationReceived`."""
    return "event." + topic.removeprefix("mingzhang/")


def field_key(field: str) -> str:
    """The i18n key of a field's name on an entry's page: `field.amount_fen`."""
    return "field." + field


@dataclass(frozen=True)
class Fact:
    """One public field of an entry, as its page shows it: the plain value and how to format it."""

    field: str
    kind: Kind
    value: Any  # fen, a date, a code, a list of codes, a text, a number, a flag, an id
    vocabulary: str | None = None
    record: str | None = None

    @property
    def key(self) -> str:
        """The i18n key of the field's name."""
        return field_key(self.field)


@dataclass(frozen=True)
class Description:
    topic: str
    key: str  # the sentence's i18n key
    facts: tuple[Fact, ...]
    record_href: str | None  # the page of the grant, pairing or case the entry belongs to

    def ids(self, kind: Kind) -> set[UUID]:
        return {f.value for f in self.facts if f.kind == kind and isinstance(f.value, UUID)}


def describe(event: Any) -> Description:
    """What a decoded event says, public fields only (`TOPICS`); an unknown topic says just that."""
    topic = type(event).TOPIC
    shown = TOPICS.get(topic)
    facts: list[Fact] = []
    for s in shown.shown if shown is not None else ():
        if s.when is not None and str(getattr(event, s.when[0], None)) != s.when[1]:
            continue
        value = getattr(event, s.field, None)
        if value is None:
            continue
        if s.kind in ("organization", "fund", "record") and not isinstance(value, UUID):
            value = UUID(str(value))
        facts.append(Fact(s.field, s.kind, value, s.vocabulary, s.record))
    aggregate = topic.rsplit(".", 1)[0]
    page = RECORD_PAGES.get(aggregate)
    return Description(
        topic=topic,
        key=words_key(topic) if shown is not None else "event.unknown",
        facts=tuple(facts),
        record_href=f"{page}/{event.originator_id}" if page else None,
    )


@dataclass(frozen=True)
class Named:
    """An organisation or fund an entry names: its public name, and its page if it has one."""

    name: str
    href: str | None


def names(
    organizations: Mapping[UUID, OrganizationRow], funds: Mapping[UUID, FundRow]
) -> dict[UUID, Named]:
    """The names (and pages) of the organisations and funds that descriptions name, from the view's
    rows: a fund-holding organisation links to its foundation page, a fund to its statement."""
    named: dict[UUID, Named] = {}
    for key, org in organizations.items():
        holds_funds = any(role in FUND_HOLDER_ROLES for role in org.roles)
        named[key] = Named(org.name, f"/foundations/{key}" if holds_funds else None)
    for key, fund in funds.items():
        named[key] = Named(fund.name, f"/funds/{key}/statement")
    return named


def ids_named(descriptions: Iterable[Description]) -> tuple[set[UUID], set[UUID]]:
    """The organisation ids and the fund ids the descriptions name."""
    organizations: set[UUID] = set()
    funds: set[UUID] = set()
    for d in descriptions:
        organizations |= d.ids("organization")
        funds |= d.ids("fund")
    return organizations, funds


def plain(fact: Fact, lang: str, named: Mapping[UUID, Named]) -> str:
    """A fact's value as text in `lang` (what the sentence says; the facts' list adds the links)."""
    value = fact.value
    if fact.kind == "money":
        return formatting.money(int(value))
    if fact.kind == "date" and isinstance(value, date):
        return formatting.day(value, lang)
    if fact.kind == "label":
        return label(lang, fact.vocabulary or "", str(value))
    if fact.kind == "labels":
        return "、".join(label(lang, fact.vocabulary or "", str(v)) for v in value)
    if fact.kind == "flag":
        return translate(lang, "yes" if value else "no")
    if fact.kind == "number":
        return formatting.count(int(value))
    if fact.kind == "year":
        return str(value)
    if fact.kind in ("organization", "fund"):
        found = named.get(value)
        return found.name if found is not None else str(value)
    return str(value)


def sentence(description: Description, lang: str, named: Mapping[UUID, Named]) -> str:
    """The entry's sentence in `lang`, its placeholders (field names) filled with the facts as text;
    a placeholder whose field the event left empty reads "—"."""
    fill = {f.field: plain(f, lang, named) for f in description.facts}
    topic = TOPICS.get(description.topic)
    for field in topic.fields if topic is not None else ():
        fill.setdefault(field, "—")
    return translate(lang, description.key, **fill)
