"""A read-only API process on a PostgreSQL hot standby (MINGZHANG_READ_ONLY, docs/SCALING.md): over a
throwaway primary and a standby streaming from it (`bench/clusters.py`), an app started read-only on
the standby serves the foundation's JSON and its public page with what was written and projected on
the primary, and answers every command 503 `read_only`, without `Retry-After`, keyed or not.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import httpx
import psycopg
import pytest

from api.app import create_app
from api.settings import Settings
from bench.clusters import Cluster, create_cluster, create_standby, wait_until
from cli.compose import open_ledger, open_views, service_views
from cli.main import EXIT_BAD_SETTINGS, main
from projections.runner import Runner
from tests.deployments import serving
from tests.support import donate, open_fund, register
from transparency.signed_note import Signer

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def clusters() -> Iterator[tuple[Cluster, Cluster]]:
    try:
        primary = create_cluster()
    except RuntimeError as error:  # no server binaries here: the machine's PostgreSQL is remote
        if os.environ.get("MINGZHANG_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"MINGZHANG_REQUIRE_POSTGRES=1 but {error}", pytrace=False)
        pytest.skip(str(error))
    try:
        standby = create_standby(primary)
        try:
            yield primary, standby
        finally:
            standby.remove()
    finally:
        primary.remove()


def settings_for(
    cluster: Cluster, var_dir: Path, signer: Signer, *, read_only: bool = False
) -> Settings:
    return Settings(
        database_url=cluster.url,
        var_dir=var_dir,
        signing_key=signer.encode(),
        vault_key=base64.b64encode(bytes(32)).decode(),
        log_origin="mingzhang.test/replica",
        project_in_process=False,
        read_only=read_only,
    )


def replayed(primary: Cluster, standby: Cluster) -> bool:
    with psycopg.connect(primary.url) as p, psycopg.connect(standby.url) as s:
        sent = p.execute("SELECT pg_current_wal_lsn()").fetchone()
        done = s.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", sent).fetchone()
    return bool(done and done[0])


def test_a_read_only_app_on_the_standby_serves_the_primarys_ledger_and_refuses_commands(
    clusters: tuple[Cluster, Cluster], tmp_path: Path
) -> None:
    primary, standby = clusters
    signer = Signer.generate("mingzhang.test/replica")
    writer = settings_for(primary, tmp_path, signer)
    ledger, views = open_ledger(writer), open_views(writer)
    foundation = register(ledger, name="花木社区基金会")
    fund = open_fund(ledger, foundation)
    donate(ledger, fund, "1234.56")
    donate(ledger, fund, "100.00")
    Runner(ledger, views, service_views(writer)).catch_up()
    keys = writer.database.open_keys()
    _, staff_token = keys.create("staff", foundation)
    head = ledger.head()
    for closing in (keys.db, views, ledger):
        closing.close()
    wait_until(lambda: replayed(primary, standby), 30, "the standby to replay the primary's WAL")

    reader = settings_for(standby, tmp_path, signer, read_only=True)
    with serving(create_app(reader)) as base, httpx.Client(base_url=base, timeout=30) as http:
        page = http.get(f"/disclosure/foundations/{foundation}")
        assert page.status_code == 200, page.text
        assert page.json()["organization"]["name"] == "花木社区基金会"
        assert page.json()["figures"]["received"] == "1334.56"
        html = http.get(f"/foundations/{foundation}", headers={"Accept": "text/html"})
        assert html.status_code == 200
        assert "花木社区基金会" in html.text
        health = http.get("/health").json()
        assert health["head"] == head
        assert all(view["lag"] == 0 for view in health["views"])
        # A write the primary answered may not have reached the replica: wait, then "try again".
        later = http.get(f"/disclosure/foundations/{foundation}", params={"after": head + 1})
        assert later.status_code == 503
        assert later.json()["error"]["code"] == "view_lagging"
        assert later.headers["Retry-After"] == "1"

        donation = {
            "donation_id": str(UUID(int=7)),
            "amount": "5.00",
            "received_on": "2024-03-01",
            "donor_kind": "anonymous",
        }
        for headers in ({}, {"Authorization": f"Bearer {staff_token}"}):
            refused = http.post(f"/funds/{fund}/donations", json=donation, headers=headers)
            assert refused.status_code == 503
            assert refused.json()["error"]["code"] == "read_only"
            assert "Retry-After" not in refused.headers
        assert http.get("/health").json()["head"] == head


def test_the_projector_refuses_to_run_read_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MINGZHANG_DATABASE_URL", "memory://")
    monkeypatch.setenv("MINGZHANG_READ_ONLY", "true")
    assert main(["project"]) == EXIT_BAD_SETTINGS
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "MINGZHANG_READ_ONLY" in error
