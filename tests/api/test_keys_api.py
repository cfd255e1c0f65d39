"""The admin issues and revokes keys over HTTP; a token is shown once and works at once, a revoked one
stops working at once, and a staff key needs a registered foundation."""

from __future__ import annotations

from uuid import uuid4

from tests.api.conftest import Api


def test_an_issued_staff_key_writes_for_its_foundation_until_it_is_revoked(api: Api) -> None:
    issued = api.post("/keys", {"role": "staff", "foundation_id": str(api.foundation)}, "admin")
    assert issued.status_code == 201
    token, key_id = issued.json()["token"], issued.json()["key_id"]
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "fund_id": str(uuid4()),
        "foundation_id": str(api.foundation),
        "kind": "general",
        "name": "社区发展基金",
        "opened_on": "2024-01-02",
    }
    assert api.client.post("/funds", json=body, headers=headers).status_code == 201
    listed = {k["key_id"]: k for k in api.client.get("/keys", headers=api.admin).json()}
    assert "token" not in listed[key_id]
    assert listed[key_id]["revoked_at"] is None
    assert api.post(f"/keys/{key_id}/revoke", {}, "admin").json()["revoked_at"] is not None
    again = api.client.post("/funds", json={**body, "fund_id": str(uuid4())}, headers=headers)
    assert again.status_code == 401


def test_a_staff_key_without_a_foundation_or_for_an_unknown_one_is_refused(api: Api) -> None:
    assert api.post("/keys", {"role": "staff"}, "admin").json()["error"]["field"] == "foundation_id"
    unknown = api.post("/keys", {"role": "staff", "foundation_id": str(uuid4())}, "admin")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["field"] == "foundation_id"


def test_revoking_an_unknown_key_is_a_404(api: Api) -> None:
    answer = api.post("/keys/nokey/revoke", {}, "admin")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "unknown_key"
