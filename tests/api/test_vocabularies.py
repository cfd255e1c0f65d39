"""The closed lists a command or filter takes are documented once, from the domain's own lists: as the
field's `enum` in the OpenAPI description and as a table in docs/API.md, equal to the list the domain
checks; and a value outside one is still the domain's 422 `invalid_choice` naming the field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from api.schemas.vocabularies import VOCABULARIES
from tests.api.conftest import Api, new_id, refused

API_MD = Path(__file__).resolve().parents[2] / "docs" / "API.md"

# Where each vocabulary is taken: (request schema, property) → vocabulary.
USES = {
    ("RegisterOrganization", "type"): "organization_types",
    ("Reclassify", "type"): "organization_types",
    ("RegisterOrganization", "tier"): "tiers",
    ("Reclassify", "tier"): "tiers",
    ("RegisterOrganization", "roles"): "roles",
    ("RegisterOrganization", "district"): "districts",
    ("AddSubdistrict", "district"): "districts",
    ("Evaluate", "grade"): "grades",
    ("EvaluatePairing", "grade_before"): "grades",
    ("EvaluatePairing", "grade_after"): "grades",
    ("OpenFund", "kind"): "fund_kinds",
    ("Donor", "kind"): "donor_kinds",
    ("OpenReliefCase", "reason_code"): "relief_reasons",
    ("OpenReliefCase", "purpose_code"): "relief_purposes",
    ("ProposePairing", "kind"): "pairing_kinds",
    ("ProposePairing", "mode"): "pairing_modes",
    ("RecordActivity", "kind"): "activity_kinds",
    ("GoalResult", "result"): "goal_results",
    ("StartMentorLink", "mentor_kind"): "mentor_kinds",
    ("Nominate", "kind"): "designation_kinds",
    ("Nominate", "nominee_kind"): "nominee_kinds",
    ("CreateKey", "role"): "key_roles",
}
# Literals the request schema reads itself (they route personal data, or name a key's role): the
# same codes as the list, in the order Python's Literal was written.
LITERALS = {("Donor", "kind"), ("StartMentorLink", "mentor_kind"), ("Nominate", "nominee_kind")}
LITERALS |= {("CreateKey", "role")}
# Closed lists that are no vocabulary of their own: a reversal's kind picks the route's branch; the
# rest are in answers, not requests.
NOT_VOCABULARIES = {
    ("Reverse", "kind"),
    ("GrantOut", "status"),
    ("GrantWritten", "status"),
    ("ReliefCaseOut", "status"),
    ("ReliefCaseWritten", "status"),
    ("HealthPublic", "status"),
    ("HealthPublic", "backend"),
    ("ReliefPublic", "ratification"),
    ("ReliefCaseListed", "status"),
}


def enum_schemas(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The string schemas with an `enum` in a property: itself, a list's items, an optional's
    non-null branch."""
    if "enum" in schema:
        yield schema
    if "items" in schema:
        yield from enum_schemas(schema["items"])
    for branch in schema.get("anyOf", []):
        yield from enum_schemas(branch)


@pytest.fixture
def document(api: Api) -> dict[str, Any]:
    found: dict[str, Any] = api.client.get("/openapi.json").json()
    return found


def documented_enums(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (name, prop): found
        for name, schema in document["components"]["schemas"].items()
        for prop, value in schema.get("properties", {}).items()
        for found in enum_schemas(value)
    }


def test_every_closed_list_in_a_request_is_the_domains_list_as_an_enum(
    document: dict[str, Any],
) -> None:
    enums = documented_enums(document)
    assert set(enums) == set(USES) | NOT_VOCABULARIES
    for use, name in USES.items():
        codes = list(VOCABULARIES[name])
        if use in LITERALS:
            assert sorted(enums[use]["enum"]) == sorted(codes), use
        else:
            assert enums[use]["enum"] == codes, use
            vocabulary = VOCABULARIES[name]
            if isinstance(vocabulary, Mapping):
                assert enums[use]["x-labels"] == dict(vocabulary), use


def test_the_district_filter_of_every_list_is_the_districts_enum(document: dict[str, Any]) -> None:
    filters = [
        found
        for path, item in document["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "district"
        for found in enum_schemas(parameter["schema"])
    ]
    assert len(filters) >= 10
    assert all(found["enum"] == list(VOCABULARIES["districts"]) for found in filters)


def tables_in_api_md() -> dict[str, list[tuple[str, ...]]]:
    """`### \\`name\\`` sections of docs/API.md's Vocabularies → their table rows (code[, label])."""
    text = API_MD.read_text(encoding="utf-8")
    section = text[text.index("## Vocabularies") :]
    section = section[: section.index("\n## ", 1)]
    tables: dict[str, list[tuple[str, ...]]] = {}
    for heading in re.split(r"^### ", section, flags=re.M)[1:]:
        name = heading.split("\n", 1)[0].strip().strip("`")
        rows = re.findall(r"^\| `([^`]+)` \|(?: ([^|]+) \|)?$", heading, flags=re.M)
        tables[name] = [tuple(cell for cell in row if cell) for row in rows]
    return tables


def as_rows(vocabulary: Iterable[str]) -> list[tuple[str, ...]]:
    if isinstance(vocabulary, Mapping):
        return [(code, vocabulary[code]) for code in vocabulary]
    return [(code,) for code in vocabulary]


def test_docs_api_has_a_table_for_each_vocabulary_equal_to_the_domains_list() -> None:
    tables = tables_in_api_md()
    assert set(tables) == set(VOCABULARIES)
    for name, vocabulary in VOCABULARIES.items():
        assert tables[name] == as_rows(vocabulary), name


def test_a_value_outside_a_list_is_still_the_domains_invalid_choice_naming_the_field(
    api: Api,
) -> None:
    head = api.ledger.head()
    body = {
        "fund_id": new_id(),
        "foundation_id": str(api.foundation),
        "kind": "rainy_day",
        "name": "社区发展基金",
        "opened_on": "2024-01-01",
    }
    refused(api, api.post("/funds", body), 422, "invalid_choice", "kind", head)
    organization = {
        "organization_id": new_id(),
        "name": "花木社区睦邻中心",
        "type": "charity",
        "tier": "registered",
        "roles": ["community_foundation", "bank"],
        "district": "pudong",
        "subdistrict": "花木街道",
        "registered_on": "2019-06-01",
    }
    answer = api.post("/organizations", organization, role="admin")
    refused(api, answer, 422, "invalid_choice", "roles", head)
