"""What an entry's page says about an event (`api.pages.describe`): every topic the ledger can record
has words in both languages, shows only the fields its allow-list names, and that list never names a
vault reference, a commitment or a salt (an organisation's id in a `…_ref` only when the event says
the party is an organisation); a relief case's entries show where, which category, how much and when.

The walk builds one event of every class with a recognisable value in every field, describes it in
both languages, and looks for the withheld values in everything the page would print."""

from __future__ import annotations

import dataclasses
import re
import string
import types
import typing
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.pages import describe
from api.pages.describe import TOPICS, WITHHELD, Named
from api.pages.i18n import LABELS, MESSAGES
from domain.foundations.fund import Fund
from domain.foundations.grant import Grant
from domain.foundations.relief import ReliefCase
from domain.foundations.relief_statistics import ReliefStatistics
from domain.organizations import Organization, UsccClaim
from domain.pairing.designation import Designation, DesignationYear
from domain.pairing.mentoring import MentorLink
from domain.pairing.pairing import Pairing, PairingSlot
from domain.subdistricts import AddedSubdistrict

AGGREGATES = (
    Organization,
    UsccClaim,
    Fund,
    Grant,
    ReliefCase,
    ReliefStatistics,
    Pairing,
    PairingSlot,
    MentorLink,
    Designation,
    DesignationYear,
    AddedSubdistrict,
)
BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "actor", "originator_topic"}
# What a relief case's entries may show: where, which category and purpose, how much, when, flags.
RELIEF_PUBLIC = re.compile(
    r"fund_id|subdistrict|reason_category|purpose_code|emergency|before_approval|ratify_by"
    r"|.*_fen|.*_on"
)


def event_classes() -> list[Any]:
    return [
        value
        for aggregate in AGGREGATES
        for name, value in vars(aggregate).items()
        if isinstance(value, type) and hasattr(value, "TOPIC") and name not in ("Event", "Created")
    ]


def own_fields(cls: type) -> dict[str, Any]:
    """The event's own fields (not the library's or `actor`) and their types, in stored order."""
    hints = typing.get_type_hints(cls)
    return {
        f.name: hints[f.name]
        for f in dataclasses.fields(cls)
        if f.init and f.name not in BASE_FIELDS
    }


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def sample(name: str, kind: Any, marked: dict[str, str]) -> Any:
    """A value for the field that can be found again in the page's text (`marked`: field → text)."""
    origin = typing.get_origin(kind)
    args = [a for a in typing.get_args(kind) if a is not type(None)]
    if origin in (typing.Union, types.UnionType) and args:
        return sample(name, args[0], marked)
    if kind is UUID:
        value = uuid4()
        marked[name] = str(value)
        return value
    if kind is str:
        marked[name] = f"SECRET-{name}"
        return marked[name]
    if kind is bool:
        return True
    if kind is int:
        return 7_654_321
    if kind is date:
        return date(2024, 3, 1)
    if origin is list:
        return [sample(name, typing.get_args(kind)[0], marked)]
    if origin is dict:
        return {"district": "310101", "cases": 5}
    return f"SECRET-{name}"


def build(cls: type, **given: Any) -> tuple[Any, dict[str, str]]:
    """One event of the class with a marked value in every field (`given` overrides some)."""
    marked: dict[str, str] = {}
    values = {name: sample(name, kind, marked) for name, kind in own_fields(cls).items()}
    values.update(given)
    for name in given:
        marked.pop(name, None)
    base: dict[str, Any] = {
        "originator_id": uuid4(),
        "originator_version": 1,
        "timestamp": datetime(2024, 3, 1, 2, 3, 4, tzinfo=UTC),
    }
    if "originator_topic" in {f.name for f in dataclasses.fields(cls) if f.init}:
        base["originator_topic"] = "mingzhang/Test"
    event = cls(**base, **values)
    return event, marked


def printed(event: Any) -> str:
    """Everything an entry's page prints of the event's description, in both languages."""
    description = describe.describe(event)
    parts = [describe.sentence(description, lang, {}) for lang in ("zh", "en")]
    parts += [describe.plain(fact, lang, {}) for fact in description.facts for lang in ("zh", "en")]
    return "\n".join(parts)


def test_every_topic_the_ledger_records_has_a_description() -> None:
    topics = {cls.TOPIC for cls in event_classes()}
    assert set(TOPICS) == topics


@pytest.mark.parametrize("cls", event_classes(), ids=lambda c: c.TOPIC)
def test_each_topic_is_described_in_both_languages_with_only_its_shown_fields(cls: Any) -> None:
    zh, en = MESSAGES[describe.words_key(cls.TOPIC)]
    assert zh.strip()
    assert en.strip()
    shown = set(TOPICS[cls.TOPIC].fields)
    assert placeholders(zh) == placeholders(en), "both languages say the same facts"
    assert placeholders(zh) <= shown, "a sentence names only fields the topic shows"


@pytest.mark.parametrize("cls", event_classes(), ids=lambda c: c.TOPIC)
def test_each_shown_field_is_a_field_of_the_event_with_a_name_in_both_languages(cls: Any) -> None:
    fields = own_fields(cls)
    for shown in TOPICS[cls.TOPIC].shown:
        assert shown.field in fields, f"{cls.TOPIC} has no field {shown.field}"
        zh, en = MESSAGES[describe.field_key(shown.field)]
        assert zh
        assert en
        if shown.vocabulary is not None:
            assert shown.vocabulary in LABELS


@pytest.mark.parametrize("cls", event_classes(), ids=lambda c: c.TOPIC)
def test_no_topic_shows_a_reference_a_commitment_or_a_salt(cls: Any) -> None:
    fields = own_fields(cls)
    for shown in TOPICS[cls.TOPIC].shown:
        if not WITHHELD.search(shown.field):
            continue
        # The one exception: a party's `…_ref` when its `…_kind` says it is an organisation.
        assert shown.kind == "organization", shown
        assert shown.when is not None, shown
        assert shown.when[0] in fields, shown
        assert shown.when[0] == shown.field.removesuffix("_ref") + "_kind", shown
        assert shown.when[1] in ("organization", "foundation"), shown


def test_the_withheld_rule_catches_every_field_that_stands_for_a_person() -> None:
    names = {name for cls in event_classes() for name in own_fields(cls)}
    personal = {n for n in names if re.search(r"ref|commitment|salt|approvers", n)}
    assert personal == {
        "donor_ref",
        "donor_commitment",
        "beneficiary_ref",
        "beneficiary_commitment",
        "reason_commitment",
        "mentor_ref",
        "mentor_commitment",
        "nominee_ref",
        "nominee_commitment",
        "approvers",
    }
    assert all(WITHHELD.search(n) for n in personal)


@pytest.mark.parametrize("cls", event_classes(), ids=lambda c: c.TOPIC)
def test_no_value_of_a_withheld_field_is_printed(cls: Any) -> None:
    event, marked = build(cls)
    text = printed(event)
    shown = set(TOPICS[cls.TOPIC].fields)
    for name, value in marked.items():
        if name in shown and not WITHHELD.search(name):
            continue
        if WITHHELD.search(name) or name not in shown:
            assert value not in text, f"{cls.TOPIC}: the withheld {name} is printed"


@pytest.mark.parametrize(
    "cls", [c for c in event_classes() if c.TOPIC.startswith("mingzhang/ReliefCase.")]
)
def test_a_relief_case_entry_shows_only_where_which_category_how_much_and_when(cls: Any) -> None:
    for shown in TOPICS[cls.TOPIC].shown:
        assert RELIEF_PUBLIC.fullmatch(shown.field), f"{cls.TOPIC} shows {shown.field}"
    event, marked = build(cls)
    text = printed(event)
    for name in ("reason", "beneficiary_ref", "beneficiary_commitment", "reason_commitment"):
        if name in marked:
            assert marked[name] not in text


def test_a_person_donor_is_never_shown_an_organisation_donor_is_by_its_id() -> None:
    organization = uuid4()
    given = {"donor_kind": "organization", "donor_ref": str(organization)}
    by_organization, _ = build(Fund.DonationReceived, **given)
    facts = {f.field: f for f in describe.describe(by_organization).facts}
    assert facts["donor_ref"].value == organization
    assert facts["donor_ref"].kind == "organization"

    reference = str(uuid4())
    by_person, _ = build(Fund.DonationReceived, donor_kind="person", donor_ref=reference)
    assert "donor_ref" not in {f.field for f in describe.describe(by_person).facts}
    assert reference not in printed(by_person)


def test_a_named_organisation_is_printed_by_its_name() -> None:
    recipient = uuid4()
    event, _ = build(Grant.Awarded, recipient_id=recipient, amount_fen=123450)
    description = describe.describe(event)
    named = {recipient: Named("测试社区公益服务中心", None)}
    assert "测试社区公益服务中心" in describe.sentence(description, "zh", named)
    assert "¥1,234.50" in describe.sentence(description, "en", named)


def test_an_entry_links_to_the_record_it_belongs_to() -> None:
    event, _ = build(Grant.InstalmentPaid)
    assert describe.describe(event).record_href == f"/grants/{event.originator_id}"
    event, _ = build(ReliefCase.Disbursed)
    assert describe.describe(event).record_href == f"/relief-cases/{event.originator_id}"
    event, _ = build(Fund.PaymentMade)
    assert describe.describe(event).record_href is None
