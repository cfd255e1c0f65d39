"""`transparency.log_audit`, the checks shared by remote and bundle verification: its in-memory tree
agrees with the recursive RFC 9162 definitions, and checkpoint bodies parse only when well formed."""

from __future__ import annotations

import base64

import pytest

from transparency.log_audit import audit_log, parse_checkpoint_body
from transparency.signed_note import Signer, checkpoint_body
from transparency.tlog import MemoryTree


def test_a_checkpoint_body_parses() -> None:
    root = bytes(range(32))
    assert parse_checkpoint_body(checkpoint_body("o/x", 12, root)) == ("o/x", 12, root)
    extended = checkpoint_body("o/x", 12, root) + "an extension line\n"
    assert parse_checkpoint_body(extended) == ("o/x", 12, root)


ROOT = base64.b64encode(bytes(32)).decode()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("o/x\n12\n", "not a checkpoint"),
        (f"o/x\n12\n{ROOT}", "not a checkpoint"),
        (f"\n12\n{ROOT}\n", "origin line is empty"),
        (f"o/x\n012\n{ROOT}\n", "not a decimal number"),
        (f"o/x\n-1\n{ROOT}\n", "not a decimal number"),
        (f"o/x\n١٢\n{ROOT}\n", "not a decimal number"),
        ("o/x\n12\nnot base64!\n", "not base64"),
        ("o/x\n12\nAAAA\n", "3 bytes, not 32"),
    ],
)
def test_a_malformed_checkpoint_body_is_refused(body: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_checkpoint_body(body)


def test_checkpoints_out_of_order_are_a_problem() -> None:
    signer = Signer.generate("o/x")
    data = [bytes([i]) for i in range(4)]
    tree = MemoryTree()
    for item in data:
        tree.append_data(item)
    notes = [signer.sign(checkpoint_body("o/x", n, tree.root(n))) for n in (4, 2)]
    problems = audit_log(notes, data, signer.verifier_key()).problems
    assert problems == [
        "checkpoint at size 2: comes after the checkpoint at size 4;"
        " checkpoints must be in order of growing size"
    ]
