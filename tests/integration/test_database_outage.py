"""A PostgreSQL server that goes away is a 503 with `Retry-After`, never a 500, and the service recovers
by itself when it is back: the event store's pool, the views', keys' and vault's own connections, and
the projection runner, without anything being restarted.

A throwaway cluster of its own (`bench/clusters.py`), since the test stops it; the real app served by
uvicorn over loopback.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from bench.clusters import Cluster, create_cluster, server_bin
from tests.deployments import serving
from transparency.signed_note import Signer

pytestmark = pytest.mark.postgres


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    try:
        server_bin("initdb")
    except RuntimeError as error:
        pytest.skip(str(error))
    made = create_cluster("mingzhang-outage-test-")
    try:
        yield made
    finally:
        made.remove()


def organization() -> dict[str, Any]:
    return {
        "organization_id": str(uuid4()),
        "name": "停机测试社区基金会",
        "type": "charity",
        "tier": "registered",
        "roles": ["community_foundation"],
        "district": "pudong",
        "subdistrict": "陆家嘴街道",
        "rural": False,
        "registered_on": "2019-06-01",
    }


def test_requests_while_postgresql_is_down_are_503_with_retry_after_and_then_succeed(
    cluster: Cluster, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=cluster.url,
        vault_key=base64.b64encode(bytes(32)).decode(),
        signing_key=Signer.generate("mingzhang.test/ledger").encode(),
        var_dir=tmp_path,
    )
    keys = settings.database.open_keys()
    _, token = keys.create("admin", None)
    keys.db.close()
    with serving(create_app(settings)) as base, httpx.Client(base_url=base, timeout=30) as http:
        auth = {"Authorization": f"Bearer {token}"}
        before = http.post("/organizations", json=organization(), headers=auth)
        assert before.status_code == 201, before.text

        cluster.stop("immediate")
        write = http.post("/organizations", json=organization(), headers=auth)
        read = http.get(f"/disclosure/foundations/{before.json()['organization_id']}")
        for answer in (write, read):
            assert answer.status_code == 503, answer.text
            assert answer.headers["Retry-After"] == "1"
            assert answer.json()["error"]["code"] == "database_unavailable"

        cluster.start()
        statuses, again = [], organization()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            # The same command each time: a 503 may come after the commit, and a repeat is a 200.
            answer = http.post("/organizations", json=again, headers=auth)
            statuses.append(answer.status_code)
            if answer.status_code in (200, 201):
                break
            time.sleep(float(answer.headers.get("Retry-After", "1")))
        assert statuses[-1] in (200, 201), statuses
        assert set(statuses) <= {200, 201, 503}, statuses

        # The views follow the log again: the page shows the foundation registered after the outage.
        position = answer.json()["position"]
        page = http.get(
            f"/disclosure/foundations/{again['organization_id']}", params={"after": position}
        )
        assert page.status_code == 200, page.text
