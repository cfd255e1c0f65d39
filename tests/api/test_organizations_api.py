"""The registry over HTTP: what the ledger refuses of a registration, as the API answers it."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import ON_BOTH, Api, new_id, refused
from tests.support import VALID_USCC


def registration(**overrides: Any) -> dict[str, Any]:
    return {
        "organization_id": new_id(),
        "name": "浦东新区公益服务中心",
        "uscc": VALID_USCC,
        "type": "charity",
        "tier": "registered",
        "roles": ["service_center"],
        "district": "pudong",
        "subdistrict": "花木街道",
        "rural": False,
        "registered_on": "2018-05-04",
        **overrides,
    }


@ON_BOTH
def test_a_second_organisation_with_a_registered_uscc_is_a_409_naming_uscc(api: Api) -> None:
    first = api.post("/organizations", registration(), role="admin")
    assert first.status_code == 201, first.text
    head = api.ledger.head()
    again = api.post("/organizations", registration(name="另一个服务中心"), role="admin")
    refused(api, again, 409, "duplicate_uscc", "uscc", head)
    assert first.json()["organization_id"] in again.json()["error"]["message"]
