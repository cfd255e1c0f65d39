"""Signed notes and checkpoints: the published vector byte for byte, and every way a note can be wrong."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from transparency.merkle import EMPTY_ROOT
from transparency.signed_note import NoteError, Signer, checkpoint_body, open_note

# A copy of the published vector, kept with the tests (tests/vectors/README.md says where from).
VECTOR_FILE = Path(__file__).resolve().parents[1] / "vectors" / "signed-note.json"


@pytest.fixture(scope="module")
def vector() -> dict[str, str]:
    loaded: dict[str, str] = json.loads(VECTOR_FILE.read_text())
    return loaded


def test_the_published_note_is_reproduced_byte_for_byte(vector: dict[str, str]) -> None:
    signer = Signer.parse(vector["signer_key"])
    assert signer.sign(vector["text"]) == vector["signed_note"]
    assert signer.verifier_key() == vector["verifier_key"]
    assert signer.encode() == vector["signer_key"]


def test_the_published_note_opens_with_its_verifier_key(vector: dict[str, str]) -> None:
    assert open_note(vector["signed_note"], vector["verifier_key"]) == vector["text"]


def test_a_changed_text_or_signature_does_not_open(vector: dict[str, str]) -> None:
    note = vector["signed_note"]
    with pytest.raises(NoteError, match="does not verify"):
        open_note(note.replace("cryptography", "cryptographY", 1), vector["verifier_key"])
    other = Signer.generate("PeterNeumann")
    with pytest.raises(NoteError, match="no signature"):
        open_note(note, other.verifier_key())
    with pytest.raises(NoteError):
        open_note(note.replace("\n\n", "\n"), vector["verifier_key"])


def test_malformed_keys_are_refused(vector: dict[str, str]) -> None:
    with pytest.raises(NoteError, match="PRIVATE"):
        Signer.parse("not a key")
    with pytest.raises(NoteError, match="id does not match"):
        Signer.parse(vector["signer_key"].replace("c74f20a3", "00000000"))
    with pytest.raises(NoteError):
        open_note(vector["signed_note"], "PeterNeumann+c74f20a3+!!")


def test_a_checkpoint_is_origin_size_and_base64_root_signed_as_a_note() -> None:
    signer = Signer.generate("mingzhang.example/log")
    body = checkpoint_body("mingzhang.example/log", 0, EMPTY_ROOT)
    assert body == f"mingzhang.example/log\n0\n{base64.b64encode(EMPTY_ROOT).decode()}\n"
    assert open_note(signer.sign(body), signer.verifier_key()) == body
    assert Signer.parse(signer.encode()).verifier_key() == signer.verifier_key()
    with pytest.raises(NoteError):
        checkpoint_body("two\nlines", 1, EMPTY_ROOT)
