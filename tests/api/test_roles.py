"""Who may call what, as a table: for every route that needs a key, the roles that may call it. Every
other role gets a 403 (and nothing is written), no key gets a 401, and the table must name every such
route the app has, so a new route cannot arrive without saying who may use it.

Foundation scoping (a staff key of foundation A on foundation B's records) is tested per resource.
"""

from __future__ import annotations

import re
from uuid import uuid4

import pytest

from storage.api_keys import ROLES
from tests.api.conftest import Api

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("POST", "/organizations"): {"admin"},
    ("GET", "/organizations"): {"admin", "auditor"},
    ("POST", "/organizations/{organization_id}/reclassify"): {"admin"},
    ("POST", "/organizations/{organization_id}/evaluations"): {"admin"},
    ("POST", "/organizations/{organization_id}/deregister"): {"admin"},
    ("POST", "/subdistricts"): {"admin"},
    ("POST", "/funds"): {"staff"},
    ("GET", "/funds"): {"staff", "auditor"},
    ("GET", "/funds/{fund_id}"): {"staff", "auditor"},
    ("POST", "/funds/{fund_id}/donations"): {"staff"},
    ("POST", "/funds/{fund_id}/donations/{donation_id}/withdraw-consent"): {"staff"},
    ("POST", "/funds/{fund_id}/transfers"): {"staff"},
    ("POST", "/funds/{fund_id}/reservations"): {"staff"},
    ("POST", "/funds/{fund_id}/releases"): {"staff"},
    ("POST", "/funds/{fund_id}/payments"): {"staff"},
    ("POST", "/funds/{fund_id}/reversals"): {"staff"},
    ("POST", "/funds/{fund_id}/close"): {"staff"},
    ("POST", "/grants"): {"staff"},
    ("GET", "/grants"): {"staff", "auditor"},
    ("GET", "/grants/{grant_id}"): {"staff", "auditor"},
    ("POST", "/grants/{grant_id}/payments"): {"staff"},
    ("POST", "/grants/{grant_id}/amendments"): {"staff"},
    ("POST", "/grants/{grant_id}/feedback"): {"staff"},
    ("POST", "/grants/{grant_id}/reports"): {"staff"},
    ("POST", "/grants/{grant_id}/close"): {"staff"},
    ("POST", "/grants/{grant_id}/cancel"): {"staff"},
    ("POST", "/grants/{grant_id}/reversals"): {"staff"},
    ("POST", "/relief-cases"): {"staff"},
    ("GET", "/relief-cases"): {"staff", "auditor"},
    ("GET", "/relief-cases/awaiting-ratification"): {"staff", "auditor"},
    ("GET", "/relief-cases/{case_id}"): {"staff", "auditor"},
    ("POST", "/relief-cases/{case_id}/approve"): {"staff"},
    ("POST", "/relief-cases/{case_id}/reject"): {"staff"},
    ("POST", "/relief-cases/{case_id}/disburse"): {"staff"},
    ("POST", "/relief-cases/{case_id}/ratify"): {"staff"},
    ("POST", "/relief-cases/{case_id}/reverse"): {"staff"},
    ("POST", "/relief-statistics"): {"admin"},
    ("POST", "/pairings"): {"staff"},
    ("GET", "/pairings"): {"staff", "auditor"},
    ("GET", "/pairings/{pairing_id}"): {"staff", "auditor"},
    ("POST", "/pairings/{pairing_id}/confirm"): {"staff"},
    ("POST", "/pairings/{pairing_id}/activities"): {"staff"},
    ("POST", "/pairings/{pairing_id}/evaluate"): {"staff"},
    ("POST", "/pairings/{pairing_id}/conclude"): {"staff"},
    ("POST", "/pairings/{pairing_id}/terminate"): {"staff"},
    ("POST", "/mentor-links"): {"staff"},
    ("GET", "/mentor-links"): {"staff", "auditor"},
    ("GET", "/mentor-links/{link_id}"): {"staff", "auditor"},
    ("POST", "/mentor-links/{link_id}/sessions"): {"staff"},
    ("POST", "/mentor-links/{link_id}/withdraw-consent"): {"staff"},
    ("POST", "/mentor-links/{link_id}/end"): {"staff"},
    ("POST", "/designations"): {"admin"},
    ("GET", "/designations"): {"admin", "auditor"},
    ("GET", "/designations/{designation_id}"): {"admin", "auditor"},
    ("POST", "/designations/{designation_id}/select"): {"admin"},
    ("POST", "/designations/{designation_id}/revoke"): {"admin"},
    ("GET", "/audit/events"): {"auditor"},
    ("GET", "/audit/aggregates/{aggregate_id}/history"): {"auditor"},
    ("GET", "/audit/aggregates/{aggregate_id}"): {"auditor"},
    ("GET", "/audit/disclosure"): {"auditor"},
    ("PUT", "/personal-data/{subject_id}"): {"privacy_officer"},
    ("GET", "/personal-data/{subject_id}"): {"privacy_officer"},
    ("GET", "/personal-data/{subject_id}/uses"): {"privacy_officer"},
    ("DELETE", "/personal-data/{subject_id}"): {"privacy_officer"},
    ("GET", "/personal-data/references/{reference}/proof"): {"privacy_officer"},
    ("GET", "/personal-data/references/{reference}/subject"): {"privacy_officer"},
    ("POST", "/personal-data/search"): {"privacy_officer"},
    ("POST", "/keys"): {"admin"},
    ("GET", "/keys"): {"admin"},
    ("GET", "/keys/me"): set(ROLES),
    ("POST", "/keys/{key_id}/revoke"): {"admin"},
}
REFUSED = sorted(
    (method, path, role)
    for (method, path), allowed in ALLOWED.items()
    for role in ROLES
    if role not in allowed
)


def concrete(path: str) -> str:
    return re.sub(r"\{[a-z_]+\}", lambda _: str(uuid4()), path)


def test_every_route_that_needs_a_key_says_who_may_call_it(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    keyed = {
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if operation.get("security")
    }
    assert keyed == set(ALLOWED)


@pytest.mark.parametrize(("method", "path", "role"), REFUSED)
def test_a_role_may_not_call_a_route_it_is_not_given(
    api: Api, method: str, path: str, role: str
) -> None:
    head = api.ledger.head()
    answer = api.client.request(method, concrete(path), json={}, headers=api.headers[role])
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"] == "forbidden"
    assert role in answer.json()["error"]["message"]
    assert api.ledger.head() == head


@pytest.mark.parametrize(("method", "path"), sorted(ALLOWED))
def test_no_key_is_a_401_on_every_route_that_needs_one(api: Api, method: str, path: str) -> None:
    answer = api.client.request(method, concrete(path), json={})
    assert answer.status_code == 401
    assert answer.json()["error"] == {
        "code": "unauthenticated",
        "message": "Authorization: an API key is required (Bearer mzk_…)",
        "field": "Authorization",
    }
