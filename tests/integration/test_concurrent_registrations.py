"""Concurrent registrations cannot give one USCC to two organisations: the claim aggregate (id uuid5
of the code) is created with each registration, so all but the first collide on it, are re-checked,
and refused."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest

from domain.errors import ConcurrentModification, DuplicateUSCC
from domain.ledger import Ledger
from domain.organizations import Organization, UsccClaim, claim_id
from tests.support import VALID_USCC, register

THREADS = 8


@pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_eight_threads_registering_one_uscc_at_once_register_exactly_one(ledger: Ledger) -> None:
    start = threading.Barrier(THREADS)
    ids = [uuid4() for _ in range(THREADS)]

    def attempt(n: int) -> str:
        start.wait()  # all together, so the race is real
        try:
            register(ledger, organization_id=ids[n], name=f"组织{n}", uscc=VALID_USCC)
        except DuplicateUSCC:
            return "duplicate"
        except ConcurrentModification:
            return "conflict"
        return "registered"

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = Counter(pool.map(attempt, range(THREADS)))

    assert results["registered"] == 1, results
    assert results["duplicate"] + results["conflict"] == THREADS - 1
    claim = ledger.as_of(claim_id(VALID_USCC))
    assert isinstance(claim, UsccClaim)
    registered = [i for i in ids if isinstance(ledger.as_of(i), Organization)]
    assert registered == [claim.organization_id]
