"""The closed lists a command or filter takes, as OpenAPI `enum`s generated from the domain's own lists
(the single source: nothing here copies a code). A field typed with one of these aliases is still a
plain string to pydantic, so a value outside the list reaches the domain's check and is answered with
its 422 `invalid_choice` naming the field; the enum only describes what is accepted. docs/API.md has
the same lists as tables, and a test keeps the three in step."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import WithJsonSchema

from domain.districts import DISTRICTS
from domain.foundations.codes import RELIEF_PURPOSES, RELIEF_REASONS
from domain.foundations.entries import DONOR_KINDS, FUND_KINDS
from domain.organizations import GRADES, ORGANIZATION_TYPES, ROLES, TIERS
from domain.pairing.designation import DESIGNATION_KINDS, NOMINEE_KINDS
from domain.pairing.mentoring import MENTOR_KINDS
from domain.pairing.pairing import ACTIVITY_KINDS, MODES, PAIRING_KINDS, RESULTS
from storage.api_keys import ROLES as KEY_ROLES

# name (as docs/API.md heads its table) → the domain's list: codes, or codes → Chinese labels.
VOCABULARIES: Mapping[str, Iterable[str]] = MappingProxyType(
    {
        "organization_types": ORGANIZATION_TYPES,
        "tiers": TIERS,
        "roles": ROLES,
        "grades": GRADES,
        "districts": DISTRICTS,
        "fund_kinds": FUND_KINDS,
        "donor_kinds": DONOR_KINDS,
        "relief_reasons": RELIEF_REASONS,
        "relief_purposes": RELIEF_PURPOSES,
        "pairing_kinds": PAIRING_KINDS,
        "pairing_modes": MODES,
        "activity_kinds": ACTIVITY_KINDS,
        "goal_results": RESULTS,
        "mentor_kinds": MENTOR_KINDS,
        "designation_kinds": DESIGNATION_KINDS,
        "nominee_kinds": NOMINEE_KINDS,
        "key_roles": KEY_ROLES,
    }
)


def one_of(name: str) -> WithJsonSchema:
    """The JSON schema of a string from the vocabulary `name`: its codes as `enum`, and their
    Chinese labels, where the domain has them, in the description and as `x-labels`."""
    vocabulary = VOCABULARIES[name]
    codes = list(vocabulary)
    schema: dict[str, Any] = {"type": "string", "enum": codes}
    if isinstance(vocabulary, Mapping):
        schema["description"] = "one of: " + "; ".join(f"`{c}` {vocabulary[c]}" for c in codes)
        # kept apart too: a field's own description replaces this one in its property
        schema["x-labels"] = {code: vocabulary[code] for code in codes}
    else:
        schema["description"] = "one of: " + ", ".join(f"`{code}`" for code in codes)
    return WithJsonSchema(schema)


OrganizationType = Annotated[str, one_of("organization_types")]
Tier = Annotated[str, one_of("tiers")]
Role = Annotated[str, one_of("roles")]
Grade = Annotated[str, one_of("grades")]
District = Annotated[str, one_of("districts")]
FundKind = Annotated[str, one_of("fund_kinds")]
ReliefReason = Annotated[str, one_of("relief_reasons")]
ReliefPurpose = Annotated[str, one_of("relief_purposes")]
PairingKind = Annotated[str, one_of("pairing_kinds")]
PairingMode = Annotated[str, one_of("pairing_modes")]
ActivityKind = Annotated[str, one_of("activity_kinds")]
GoalResultCode = Annotated[str, one_of("goal_results")]
DesignationKind = Annotated[str, one_of("designation_kinds")]
