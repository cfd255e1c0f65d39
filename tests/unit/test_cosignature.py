"""cosignature/v1: the spec's examples as published, and every way a cosignature can be wrong."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transparency.cosignature import (
    Cosigner,
    CosignerKey,
    append_cosignatures,
    cosignatures,
    parse_note,
    parse_signature_lines,
    quorum_problems,
    signed_message,
    verify_cosignature,
)
from transparency.signed_note import DASH, NoteError, Signer, checkpoint_body

VECTOR_FILE = Path(__file__).resolve().parents[1] / "vectors" / "cosignature.json"
TEXT = checkpoint_body("mingzhang.test/ledger", 7, bytes(range(32)))
PROPERTY_COSIGNER = Cosigner.generate("w.test/w")


@pytest.fixture(scope="module")
def vector() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(VECTOR_FILE.read_text())
    return loaded


def test_the_signed_message_is_the_specs_byte_for_byte(vector: dict[str, object]) -> None:
    note = parse_note(str(vector["spec_cosigned_checkpoint"]))
    message = signed_message(note.text, int(str(vector["spec_timestamp"])))
    assert message == str(vector["spec_signed_message"]).encode()


def test_the_specs_cosigned_checkpoint_splits_into_its_text_and_two_lines(
    vector: dict[str, object],
) -> None:
    note = parse_note(str(vector["spec_cosigned_checkpoint"]))
    assert note.text.splitlines()[1] == "20852163"
    log, witness = note.signatures
    assert log.name == "example.com/behind-the-sofa"
    assert witness.name == "witness.example.com/w1"
    # The witness's line carries key id, the spec's timestamp (the time line above) and 64 bytes.
    assert len(witness.blob) == 4 + 8 + 64
    assert int.from_bytes(witness.blob[4:12], "big") == vector["spec_timestamp"]


def test_published_cosignature_layout_and_key(vector: dict[str, object]) -> None:
    blob = base64.b64decode(str(vector["formats_timestamped_signature_base64"]))
    assert int.from_bytes(blob[4:12], "big") == vector["formats_timestamp"]
    key = CosignerKey.parse(str(vector["formats_native_cosignature_vkey"]))
    assert key.name == "remora.n621.de"
    assert key.key_id.hex() == "da77ade7"


def test_a_plain_note_key_is_not_a_witness_key() -> None:
    plain = Signer.generate("witness.test/w1").verifier_key()
    with pytest.raises(NoteError, match="0x04"):
        CosignerKey.parse(plain)


def test_the_key_id_uses_signature_type_4_so_a_log_key_id_never_matches() -> None:
    cosigner = Cosigner.generate("witness.test/w1")
    assert cosigner.key_id != Signer(cosigner.name, cosigner.private).key_id
    assert CosignerKey.parse(cosigner.verifier_key()).key_id == cosigner.key_id


def test_the_key_file_is_an_ordinary_note_signer_key_and_round_trips() -> None:
    cosigner = Cosigner.generate("witness.test/w1")
    assert cosigner.encode().startswith("PRIVATE+KEY+witness.test/w1+")
    again = Cosigner.parse(cosigner.encode())
    assert again.verifier_key() == cosigner.verifier_key()


def test_a_cosignature_verifies_and_says_when_it_was_made() -> None:
    cosigner = Cosigner.generate("witness.test/w1")
    line = cosigner.cosign(TEXT, 1_700_000_000)
    note = f"{TEXT}\n{line}"
    [found] = cosignatures(note, [CosignerKey.parse(cosigner.verifier_key())])
    assert found.timestamp == 1_700_000_000
    assert found.line == line


def _with_blob(line: str, change: int, value: int) -> str:
    name, encoded = line.removeprefix(f"{DASH} ").rstrip("\n").split(" ")
    blob = bytearray(base64.b64decode(encoded))
    blob[change] ^= value
    return f"{DASH} {name} {base64.b64encode(bytes(blob)).decode()}\n"


def test_a_tampered_timestamp_body_or_key_is_refused() -> None:
    cosigner = Cosigner.generate("witness.test/w1")
    key = CosignerKey.parse(cosigner.verifier_key())
    line = cosigner.cosign(TEXT, 1_700_000_000)
    later = _with_blob(line, 11, 1)  # the timestamp's last byte
    with pytest.raises(NoteError, match="does not verify"):
        cosignatures(f"{TEXT}\n{later}", [key])
    other_body = checkpoint_body("mingzhang.test/ledger", 8, bytes(range(32)))
    with pytest.raises(NoteError, match="does not verify"):
        cosignatures(f"{other_body}\n{line}", [key])
    forged = _with_blob(line, 40, 0x80)  # inside the signature
    with pytest.raises(NoteError, match="does not verify"):
        cosignatures(f"{TEXT}\n{forged}", [key])
    # Another key of the same name signs with another id: its line is not this key's, so ignored.
    impostor = Cosigner.generate("witness.test/w1").cosign(TEXT, 1_700_000_000)
    assert cosignatures(f"{TEXT}\n{impostor}", [key]) == []


def test_the_extension_lines_are_cosigned_too() -> None:
    cosigner = Cosigner.generate("witness.test/w1")
    key = CosignerKey.parse(cosigner.verifier_key())
    extended = TEXT + "extension\n"
    line = cosigner.cosign(extended, 5)
    assert cosignatures(f"{extended}\n{line}", [key])
    with pytest.raises(NoteError):
        cosignatures(f"{TEXT}extensioN\n\n{line}", [key])


def test_a_quorum_counts_distinct_witnesses_once() -> None:
    first, second = Cosigner.generate("w1.test/w"), Cosigner.generate("w2.test/w")
    one, two = (CosignerKey.parse(c.verifier_key()) for c in (first, second))
    line = first.cosign(TEXT, 9)
    repeated = f"{TEXT}\n{line}{line}"
    assert quorum_problems(repeated, [one, one], 2)  # one witness, given twice, is one
    assert "fewer than the quorum of 2" in quorum_problems(repeated, [one, two], 2)[0]
    both = append_cosignatures(f"{TEXT}\n{line}", [second.cosign(TEXT, 9)])
    assert quorum_problems(both, [one, two], 2) == []


def test_a_forged_cosignature_fails_the_quorum_however_many_others_verify() -> None:
    first, second = Cosigner.generate("w1.test/w"), Cosigner.generate("w2.test/w")
    keys = [CosignerKey.parse(c.verifier_key()) for c in (first, second)]
    forged = _with_blob(second.cosign(TEXT, 9), 20, 1)
    note = f"{TEXT}\n{first.cosign(TEXT, 9)}{forged}"
    [problem] = quorum_problems(note, keys, 1)
    assert "w2.test/w does not verify" in problem


def test_append_adds_each_line_once() -> None:
    cosigner = Cosigner.generate("w1.test/w")
    line = cosigner.cosign(TEXT, 9)
    note = f"{TEXT}\n{line}"
    assert append_cosignatures(note, [line, line]) == note


@pytest.mark.parametrize(
    "note",
    [
        "",
        "no blank line\n",
        f"{TEXT}\n",  # no signature line
        f"{TEXT}\n{DASH} name\n",  # no signature
        f"{TEXT}\n{DASH} name not-base64!\n",
        f"{TEXT}\n{DASH} na+me AAAAAAAA\n",
        f"{TEXT}\n{DASH} name AAAA\n",  # shorter than a key id
        f"{TEXT}\n- name AAAAAAAA\n",
        f"{TEXT}\n{DASH} name AAAAAAAA",  # no final newline
        f"{TEXT}\x00\n{DASH} name AAAAAAAA\n",
    ],
)
def test_what_is_not_a_signed_note_is_refused(note: str) -> None:
    with pytest.raises(NoteError):
        parse_note(note)


def test_a_witness_answer_is_one_or_more_signature_lines() -> None:
    cosigner = Cosigner.generate("w1.test/w")
    line = cosigner.cosign(TEXT, 9)
    assert [s.line for s in parse_signature_lines(line + line)] == [line, line]
    for bad in ("", "\n", line.rstrip("\n"), "hello\n"):
        with pytest.raises(NoteError):
            parse_signature_lines(bad)


@given(st.integers(min_value=0, max_value=2**63 - 1), st.binary(min_size=32, max_size=32))
def test_every_timestamp_and_root_round_trips(timestamp: int, root: bytes) -> None:
    cosigner = PROPERTY_COSIGNER
    text = checkpoint_body("o.test/log", 3, root)
    parsed = parse_note(f"{text}\n{cosigner.cosign(text, timestamp)}")
    found = verify_cosignature(
        parsed.text, parsed.signatures[0], CosignerKey.parse(cosigner.verifier_key())
    )
    assert found is not None
    assert found.timestamp == timestamp


def test_a_timestamp_beyond_2_to_the_63_is_not_signed() -> None:
    with pytest.raises(NoteError):
        Cosigner.generate("w.test/w").cosign(TEXT, 2**63)
