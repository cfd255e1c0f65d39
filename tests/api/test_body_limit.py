"""The body limit over real HTTP (uvicorn): a body sent in chunks, with no Content-Length to refuse it by,
is counted as it streams in and refused with the same 413 as a declared one."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from tests.api.test_health import MINGZHANG, free_port

LIMIT = 1024


@pytest.fixture
def served_with_a_small_limit(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`mingzhang serve` on the SQLite default with a 1 KiB body limit, and an admin key."""
    env = {**os.environ, "MINGZHANG_MAX_BODY_BYTES": str(LIMIT)}
    env.pop("MINGZHANG_DATABASE_URL", None)
    made = subprocess.run(
        [MINGZHANG, "keys", "create", "--role", "admin"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [MINGZHANG, "serve", "--port", str(port)],
        cwd=tmp_path,
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
        yield base, made.stdout.strip()
    finally:
        process.terminate()
        process.wait(timeout=15)
        if process.stdout is not None:
            process.stdout.close()


def test_a_chunked_body_over_the_limit_is_a_413_and_writes_nothing(
    served_with_a_small_limit: tuple[str, str],
) -> None:
    base, admin = served_with_a_small_limit
    body = json.dumps(
        {
            "organization_id": str(uuid4()),
            "name": "陆家嘴社区基金会" + "会" * 2000,
            "type": "charity",
            "tier": "registered",
            "roles": ["community_foundation"],
            "district": "pudong",
            "subdistrict": "陆家嘴街道",
            "rural": False,
            "registered_on": "2019-06-01",
        }
    ).encode()
    assert len(body) > LIMIT

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 256):
            yield body[start : start + 256]

    answer = httpx.post(
        f"{base}/organizations",
        content=chunks(),  # a generator: httpx sends it chunked, without a Content-Length
        headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"},
        timeout=10,
    )

    assert answer.request.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in answer.request.headers
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"]["code"] == "body_too_large"
    assert httpx.get(f"{base}/health", timeout=5).json()["head"] == 0


def test_a_chunked_body_within_the_limit_is_read_as_usual(
    served_with_a_small_limit: tuple[str, str],
) -> None:
    base, admin = served_with_a_small_limit
    answer = httpx.post(
        f"{base}/keys",
        content=iter([b'{"role": ', b'"auditor"}']),
        headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
