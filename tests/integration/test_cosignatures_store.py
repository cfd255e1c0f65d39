"""The cosignatures table on every backend: what a witness answered over HTTP is stored, served
appended to the checkpoint it cosigned, checked again before it is served, and the checkpoint
published is the latest one the quorum cosigned."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from api.witness_app import create_witness_app
from domain.ledger import Ledger
from projections.cosignatures import Submitter, cosigned_note, create_table, served_checkpoint
from projections.runner import Runner
from projections.transparency import TransparencyView, latest_checkpoint
from storage.viewdb import ViewDB
from tests.deployments import serving
from tests.support import donate, open_fund, register
from transparency.cosignature import Cosigner, CosignerKey, cosignatures
from transparency.signed_note import Signer
from transparency.witness import Witness, WitnessState
from transparency.witness_client import WitnessEntry

ORIGIN = "mingzhang.test/ledger"


@contextmanager
def witness(name: str, signer: Signer, state: Path) -> Iterator[WitnessEntry]:
    cosigner = Cosigner.generate(name)
    served = Witness(cosigner, {ORIGIN: [signer.verifier_key()]}, WitnessState(state))
    with serving(create_witness_app(served)) as url:
        yield WitnessEntry(url, CosignerKey.parse(cosigner.verifier_key()))


def test_cosignatures_are_stored_checked_and_served_with_their_checkpoint(
    ledger: Ledger, views: ViewDB, tmp_path: Path
) -> None:
    signer = Signer.generate(ORIGIN)
    runner = Runner(ledger, views, [TransparencyView(signer, ORIGIN)])
    create_table(views)
    fund = open_fund(ledger, register(ledger))
    runner.run_once()
    with (
        witness("w1.test/w", signer, tmp_path / "w1.sqlite") as first,
        witness("w2.test/w", signer, tmp_path / "w2.sqlite") as second,
    ):
        submitter = Submitter(views, [first, second], interval=60)
        assert submitter.offer(first, None) == 2
        assert submitter.offer(second, None) == 2
        for _ in range(3):
            donate(ledger, fund, "1")
        runner.run_once()
        assert submitter.offer(first, 2) == 5  # only the first witness has seen size 5
        latest = latest_checkpoint(views)
        assert latest is not None
        assert latest.size == 5
        keys = [first.key, second.key]
        # A quorum of two: the checkpoint at size 2, the last both cosigned, with both lines.
        both = served_checkpoint(views, keys, None)
        assert both is not None
        assert both.size == 2
        assert len(cosignatures(both.note, keys)) == 2
        # A quorum of one: the latest, with the one cosignature it has.
        one = served_checkpoint(views, keys, 1)
        assert one is not None
        assert one.size == 5
        assert [c.key.name for c in cosignatures(one.note, keys)] == ["w1.test/w"]
        # An edited row is not served, and no longer counts towards the quorum.
        views.execute(
            "UPDATE tlog_cosignatures SET size = 5 WHERE size = 2 AND witness = ?",
            (second.key.text,),
        )
        assert cosignatures(cosigned_note(views, latest.note), keys)[0].key == first.key
        assert len(cosignatures(cosigned_note(views, latest.note), keys)) == 1
        # No checkpoint has two valid lines: none is served (the latest signed as a stopgap would
        # be older than the quorum's next, a rollback to whoever kept it).
        assert served_checkpoint(views, keys, None) is None


@pytest.mark.parametrize("backend_database", ["sqlite"], indirect=True)
def test_without_witnesses_the_latest_checkpoint_is_served_unchanged(
    ledger: Ledger, views: ViewDB
) -> None:
    signer = Signer.generate(ORIGIN)
    runner = Runner(ledger, views, [TransparencyView(signer, ORIGIN)])
    create_table(views)
    register(ledger)
    runner.run_once()
    served, latest = served_checkpoint(views, [], None), latest_checkpoint(views)
    assert served == latest
