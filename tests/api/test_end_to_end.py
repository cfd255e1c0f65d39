"""One full story over real HTTP: `mingzhang serve` (uvicorn) on a free port against PostgreSQL, driven
the way a foundation's staff and a member of the public would drive it.

The admin key comes from `mingzhang keys create`; everything else goes through HTTP: register, open
funds, donate, award and pay a grant, an emergency relief case paid before approval and ratified, a
pairing confirmed by both parties; then the public page, and an inclusion proof of one of its rows,
checked with nothing but `transparency.merkle`, the published key and the entry's own bytes.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from storage.database import Database
from tests.deployments import VAULT_KEY, url_of
from transparency.merkle import leaf_hash, verify_inclusion
from transparency.signed_note import open_note

MINGZHANG = str(Path(sys.executable).with_name("mingzhang"))
pytestmark = pytest.mark.postgres


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Client:
    def __init__(self, base: str, token: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=20)
        self.token = token

    def as_(self, token: str) -> Client:
        return Client(str(self.http.base_url), token)

    def post(self, path: str, body: dict[str, Any], **headers: str) -> dict[str, Any]:
        answer = self.http.post(
            path, json=body, headers={"Authorization": f"Bearer {self.token}", **headers}
        )
        assert answer.status_code == 201, f"{path}: {answer.status_code} {answer.text}"
        result: dict[str, Any] = answer.json()
        return result


@pytest.fixture
def server(postgres_schema: Database, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The service on a free port, and an admin key made by the command line."""
    env = {
        **os.environ,
        "MINGZHANG_DATABASE_URL": url_of(postgres_schema),
        "MINGZHANG_VAULT_KEY": VAULT_KEY,
        "MINGZHANG_VAR_DIR": str(tmp_path),
    }
    made = subprocess.run(
        [MINGZHANG, "keys", "create", "--role", "admin"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    admin = made.stdout.strip()
    port = free_port()
    process = subprocess.Popen(
        [MINGZHANG, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "the server did not start in 30 s"
                time.sleep(0.1)
        yield base, admin
    finally:
        process.terminate()
        process.wait(timeout=15)
        if process.stdout is not None:
            process.stdout.close()


def organization(name: str, roles: list[str], **overrides: Any) -> dict[str, Any]:
    return {
        "organization_id": str(uuid4()),
        "name": name,
        "type": "charity",
        "tier": "registered",
        "roles": roles,
        "district": "pudong",
        "subdistrict": "陆家嘴街道",
        "rural": False,
        "registered_on": "2019-06-01",
        **overrides,
    }


def test_a_foundations_year_over_http_ends_in_a_public_page_whose_rows_verify(
    server: tuple[str, str],
) -> None:
    base, admin_token = server
    admin = Client(base, admin_token)
    ours = admin.post("/organizations", organization("陆家嘴社区基金会", ["community_foundation"]))
    big = admin.post("/organizations", organization("某大型基金会", ["foundation"]))
    centre = admin.post("/organizations", organization("花木睦邻中心", ["service_center"]))
    keys = {
        org["organization_id"]: admin.post(
            "/keys", {"role": "staff", "foundation_id": org["organization_id"]}
        )["token"]
        for org in (ours, big)
    }
    staff = admin.as_(keys[ours["organization_id"]])

    general, relief = str(uuid4()), str(uuid4())
    for fund_id, kind, name in (
        (general, "general", "社区发展基金"),
        (relief, "emergency_relief", "暖心基金"),
    ):
        staff.post(
            "/funds",
            {
                "fund_id": fund_id,
                "foundation_id": ours["organization_id"],
                "kind": kind,
                "name": name,
                "opened_on": "2024-01-02",
            },
        )
    donation_id = str(uuid4())
    staff.post(
        f"/funds/{general}/donations",
        {
            "donation_id": donation_id,
            "amount": "5000.00",
            "currency": "CNY",
            "received_on": "2024-02-01",
            "donor": {
                "kind": "person",
                "person": {"name": "测试捐赠人（虚构）"},
                "publish_name": True,
            },
        },
    )
    staff.post(
        f"/funds/{relief}/donations",
        {
            "donation_id": str(uuid4()),
            "amount": "2000.00",
            "currency": "CNY",
            "received_on": "2024-02-01",
            "donor": {"kind": "anonymous"},
        },
    )

    grant = staff.post(
        "/grants",
        {
            "grant_id": str(uuid4()),
            "fund_id": general,
            "recipient_id": centre["organization_id"],
            "programme": "社区营造",
            "title": "楼组自治项目",
            "description": "支持居民楼组开展自治活动",
            "amount": "3000.00",
            "currency": "CNY",
            "awarded_on": "2024-02-10",
            "planned_start": "2024-03-01",
            "planned_end": "2024-12-31",
        },
    )
    staff.post(
        f"/grants/{grant['grant_id']}/payments",
        {
            "payment_id": str(uuid4()),
            "amount": "1000.00",
            "currency": "CNY",
            "paid_on": "2024-03-01",
        },
    )

    case = staff.post(
        "/relief-cases",
        {
            "case_id": str(uuid4()),
            "fund_id": relief,
            "reason_code": "GTIR100",
            "purpose_code": "GTIP170",
            "subdistrict": "陆家嘴街道",
            "beneficiary": {"name": "测试居民（虚构）", "phone": "13900001111"},
            "requested_amount": "800.00",
            "currency": "CNY",
            "emergency": True,
            "opened_on": "2024-03-04",
        },
    )
    fast = staff.post(
        f"/relief-cases/{case['case_id']}/disburse",
        {
            "disbursement_id": str(uuid4()),
            "amount": "800.00",
            "currency": "CNY",
            "paid_on": "2024-03-04",
        },
    )
    assert fast["case"]["disbursements"][0]["awaiting_ratification"] is True
    staff.post(
        f"/relief-cases/{case['case_id']}/ratify",
        {"approvers": [str(uuid4())], "ratified_on": "2024-03-06"},
        **{"Idempotency-Key": str(uuid4())},
    )

    pairing = staff.post(
        "/pairings",
        {
            "pairing_id": str(uuid4()),
            "kind": "foundation_twinning",
            "lead_id": big["organization_id"],
            "partner_id": ours["organization_id"],
            "goals": ["建立项目管理制度"],
            "planned_start": "2024-03-01",
            "planned_end": "2024-12-31",
            "proposed_on": "2024-02-20",
        },
    )
    for token in keys.values():
        last = admin.as_(token).post(
            f"/pairings/{pairing['pairing_id']}/confirm",
            {"confirmed_on": "2024-02-25"},
            **{"Idempotency-Key": str(uuid4())},
        )

    # The public page, once the views have caught up with the last write.
    public = httpx.Client(base_url=base, timeout=20)
    page = public.get(
        f"/disclosure/foundations/{ours['organization_id']}", params={"after": last["position"]}
    )
    assert page.status_code == 200, page.text
    shown = page.json()
    funds = {f["fund_id"]: f for f in shown["funds"]}
    assert (funds[general]["balance"], funds[general]["granted"], funds[general]["paid"]) == (
        "4000.00",
        "3000.00",
        "1000.00",
    )
    assert funds[relief]["balance"] == "1200.00"
    assert [d["donor_name"] for d in shown["named_donations"]] == ["测试捐赠人（虚构）"]
    assert shown["relief"][0]["before_approval"] is True
    assert "测试居民" not in page.text
    assert "13900001111" not in page.text

    # "Verify this row": the named donation's leaf, proved against the signed checkpoint.
    row = shown["named_donations"][0]
    key = public.get("/transparency/public-key").text.strip()
    deadline = time.monotonic() + 15
    while True:  # the transparency view signs its checkpoint on its own thread
        note = public.get("/transparency/checkpoint")
        if note.status_code == 200:
            origin, size, root = open_note(note.text, key).splitlines()
            if int(size) > row["leaf_index"]:
                break
        assert time.monotonic() < deadline, "no checkpoint covers the row's leaf"
        time.sleep(0.1)
    assert origin == "mingzhang.local/ledger"
    proof = public.get(
        "/transparency/proofs/inclusion", params={"index": row["leaf_index"], "size": size}
    ).json()
    entry = public.get(
        "/transparency/entries", params={"start": row["leaf_index"], "end": row["leaf_index"] + 1}
    ).json()
    data = base64.b64decode(entry["leaves"][0])
    assert donation_id.replace("-", "").encode() in data  # the entry is the row's own event
    assert verify_inclusion(
        row["leaf_index"],
        int(size),
        leaf_hash(data),
        [bytes.fromhex(h) for h in proof["proof"]],
        base64.b64decode(root),
    )
    assert (
        b"\xe6\xb5\x8b\xe8\xaf\x95" not in data
    )  # "测试": no name of anyone in the published entry
