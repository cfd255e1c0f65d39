"""The transparency view, on every backend: the stored tree equals the RFC 9162 tree of the events,
proofs read from storage verify, every batch ends in a signed checkpoint, and a tree that no longer
matches its last checkpoint is never signed again."""

from __future__ import annotations

import base64
import random

import pytest

from domain.ledger import Ledger
from projections.runner import Runner
from projections.transparency import TransparencyView, consistency_path, inclusion_path, root_at
from storage.viewdb import ViewDB
from tests.support import donate, open_fund, register
from transparency.leaf import stored_leaf_hash
from transparency.merkle import (
    consistency_proof,
    inclusion_proof,
    root_hash,
    verify_consistency,
    verify_inclusion,
)
from transparency.signed_note import Signer, open_note

ORIGIN = "mingzhang.test/ledger"


@pytest.fixture
def signer() -> Signer:
    return Signer.generate(ORIGIN)


def grow(ledger: Ledger, donations: int) -> None:
    fund_id = open_fund(ledger, register(ledger))
    for _ in range(donations):
        donate(ledger, fund_id, "1")


def follow_in_random_batches(runner: Runner, seed: int) -> None:
    rng = random.Random(seed)
    while True:
        runner.batch_size = rng.randint(1, 7)
        if not runner.run_once():
            return


def test_the_stored_tree_is_the_rfc_9162_tree_of_the_events(
    ledger: Ledger, views: ViewDB, signer: Signer
) -> None:
    grow(ledger, 20)
    runner = Runner(ledger, views, [TransparencyView(signer, ORIGIN)])
    follow_in_random_batches(runner, seed=1)
    leaves = [stored_leaf_hash(n) for n in ledger.recorder.select_notifications(1, 1000)]
    assert len(leaves) == ledger.head() == 22
    for size in range(1, len(leaves) + 1):
        assert root_at(views, size) == root_hash(leaves[:size])
    stored = views.execute("SELECT COUNT(*) FROM tlog_hashes")[0][0]
    assert len(leaves) <= stored <= 2 * len(leaves)


def test_proofs_read_from_storage_are_the_rfc_proofs_and_verify(
    ledger: Ledger, views: ViewDB, signer: Signer
) -> None:
    grow(ledger, 15)
    Runner(ledger, views, [TransparencyView(signer, ORIGIN)]).catch_up()
    leaves = [stored_leaf_hash(n) for n in ledger.recorder.select_notifications(1, 1000)]
    size = len(leaves)
    root = root_at(views, size)
    for index in range(size):
        path = inclusion_path(views, index, size)
        assert path == inclusion_proof(index, leaves)
        assert verify_inclusion(index, size, leaves[index], path, root)
    for first in range(size + 1):
        path = consistency_path(views, first, size)
        assert path == consistency_proof(first, leaves)
        assert verify_consistency(first, size, root_at(views, first), root, path)


def test_every_batch_ends_in_a_checkpoint_signed_as_a_note(
    ledger: Ledger, views: ViewDB, signer: Signer
) -> None:
    grow(ledger, 4)
    runner = Runner(ledger, views, [TransparencyView(signer, ORIGIN)], batch_size=3)
    runner.catch_up()
    checkpoints = views.execute("SELECT size, root, note FROM tlog_checkpoints ORDER BY size")
    assert [c[0] for c in checkpoints] == [3, 6]
    for size, root, note in checkpoints:
        body = open_note(note, signer.verifier_key())
        assert body == f"{ORIGIN}\n{size}\n{base64.b64encode(bytes(root)).decode()}\n"


def test_a_tree_that_no_longer_matches_its_checkpoint_is_not_signed_again(
    ledger: Ledger, views: ViewDB, signer: Signer
) -> None:
    grow(ledger, 2)
    runner = Runner(ledger, views, [TransparencyView(signer, ORIGIN)])
    runner.catch_up()
    signed = views.execute("SELECT COUNT(*) FROM tlog_checkpoints")[0][0]
    assert signed == 1  # four events, one batch: the signed tree is the perfect subtree (2, 0)
    with views.transaction():  # someone rewrites the stored tree under the signed checkpoint
        views.execute("UPDATE tlog_hashes SET hash = ? WHERE level = 2 AND idx = 0", (bytes(32),))
    grow(ledger, 1)
    runner.catch_up()
    assert "InconsistentLog" in runner.failed["transparency"]
    assert views.execute("SELECT COUNT(*) FROM tlog_checkpoints")[0][0] == signed
