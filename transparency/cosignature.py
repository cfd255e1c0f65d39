"""C2SP tlog-cosignature `cosignature/v1`: the Ed25519 cosignatures a witness adds to a checkpoint.

A witness signs, with its own Ed25519 key, the message "cosignature/v1\\n" "time <T>\\n" followed by
the whole checkpoint text (every line before the signatures, extension lines included); the note
signature line is "— <name> base64(key id ‖ u64 big-endian T ‖ 64-byte signature)". The key id is the
first four bytes of SHA-256(name ‖ "\\n" ‖ 0x04 ‖ public key): signature type 0x04 in signed-note.md,
so a cosigner key can never be mistaken for a log's 0x01 key, nor a cosignature for a log signature.
A witness's verifier key is written `<name>+<id hex>+base64(0x04 ‖ public key)`; its private key
file is an ordinary note signer key, as transparency-dev's witnesses read theirs. This module creates and verifies cosignatures and splits a note carrying several
signature lines; it is pure (no I/O) and is what the witness, the log and the verifier all call.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from transparency.signed_note import DASH, NoteError, Signer

ALGORITHM_COSIGNATURE_V1 = b"\x04"
HEADER = "cosignature/v1\n"
MAX_TIMESTAMP = 2**63 - 1
# signed-note.md: verifiers must accept at least 16 signatures; a note with far more is refused
# before any of them is decoded.
MAX_SIGNATURES = 64


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ALGORITHM_COSIGNATURE_V1 + public).digest()[:4]


def _check_name(name: str) -> None:
    # signed-note.md: non-empty, no Unicode spaces, no "+".
    if not name or "+" in name or any(c.isspace() for c in name):
        msg = "a key name is non-empty, without spaces or '+'"
        raise NoteError(msg)


def signed_message(text: str, timestamp: int) -> bytes:
    """What a cosignature/v1 signs: the header line, the time line, then the checkpoint text."""
    if not text.endswith("\n"):
        raise NoteError("a checkpoint's text ends with a newline")
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise NoteError("a cosignature's timestamp is between 0 and 2^63 - 1")
    return f"{HEADER}time {timestamp}\n{text}".encode()


@dataclass(frozen=True)
class Cosigner:
    """A witness's private key, with the name its cosignature lines carry."""

    name: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public)

    @classmethod
    def generate(cls, name: str) -> Cosigner:
        _check_name(name)
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def parse(cls, text: str) -> Cosigner:
        """A witness key file: an ordinary note signer key (0x01), as Go's `note.GenerateKey`
        writes it and transparency-dev's `NewSignerForCosignatureV1` reads it, so one key file
        serves this witness and theirs; its cosignatures carry the 0x04 key id."""
        signer = Signer.parse(text)
        _check_name(signer.name)
        return cls(signer.name, signer.private)

    def encode(self) -> str:
        return Signer(self.name, self.private).encode()

    def verifier_key(self) -> str:
        public = base64.b64encode(ALGORITHM_COSIGNATURE_V1 + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{public}"

    def cosign(self, text: str, timestamp: int) -> str:
        """The signature line (ending in a newline) cosigning checkpoint `text` at `timestamp`."""
        signature = self.private.sign(signed_message(text, timestamp))
        blob = self.key_id + timestamp.to_bytes(8, "big") + signature
        return f"{DASH} {self.name} {base64.b64encode(blob).decode()}\n"


@dataclass(frozen=True)
class CosignerKey:
    """A witness's verifier key, as a log or a verifier is configured with it."""

    name: str
    key_id: bytes
    public: Ed25519PublicKey
    text: str

    @classmethod
    def parse(cls, text: str) -> CosignerKey:
        try:
            name, hex_id, encoded = text.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            msg = "a witness key reads <name>+<key id>+<base64 key>"
            raise NoteError(msg) from None
        _check_name(name)
        if len(raw) != 33 or raw[:1] != ALGORITHM_COSIGNATURE_V1:
            raise NoteError("the witness key is not a cosignature/v1 (0x04) Ed25519 key")
        if key_id(name, raw[1:]).hex() != hex_id:
            raise NoteError("the witness key's id does not match its key")
        return cls(name, bytes.fromhex(hex_id), Ed25519PublicKey.from_public_bytes(raw[1:]), text)

    @property
    def public_bytes(self) -> bytes:
        return self.public.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class SignatureLine:
    """One "— <name> <base64>" line of a note, decoded but not verified."""

    name: str
    blob: bytes
    line: str  # as it stood, with its newline

    @property
    def key_id(self) -> bytes:
        return self.blob[:4]


@dataclass(frozen=True)
class Note:
    """A signed note split at its last blank line: the text (ending in a newline) and its
    signature lines, in order."""

    text: str
    signatures: tuple[SignatureLine, ...]


def parse_note(note: str) -> Note:
    """Split a signed note with any number of signature lines; `NoteError` if it is not one."""
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise NoteError("a signed note holds no control characters but newlines")
    if not note.endswith("\n"):
        raise NoteError("a signed note ends with a newline")
    text, separator, block = note[:-1].rpartition("\n\n")
    if not separator:
        raise NoteError("a signed note has its text, a blank line, then signatures")
    lines = block.split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"a signed note has at most {MAX_SIGNATURES} signatures here")
    return Note(text + "\n", tuple(parse_signature_line(line + "\n") for line in lines))


def parse_signature_line(line: str) -> SignatureLine:
    """One signature line ("— <name> <base64>\\n"); `NoteError` if it is not one."""
    prefix = DASH + " "
    if not line.startswith(prefix) or not line.endswith("\n"):
        raise NoteError("a signature line reads '— <key name> <base64 signature>'")
    name, space, encoded = line[len(prefix) : -1].partition(" ")
    if not space:
        raise NoteError("a signature line reads '— <key name> <base64 signature>'")
    _check_name(name)
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError("a signature line's signature is not base64") from None
    if len(blob) < 5:
        raise NoteError("a signature line's signature is shorter than a key id")
    return SignatureLine(name, blob, line)


def parse_signature_lines(block: str) -> list[SignatureLine]:
    """The signature lines of a witness's add-checkpoint answer (one or more, each with a newline)."""
    if not block.endswith("\n") or not block.strip():
        raise NoteError("an answer of signature lines ends with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"at most {MAX_SIGNATURES} signature lines")
    return [parse_signature_line(line + "\n") for line in lines]


@dataclass(frozen=True)
class Cosignature:
    """A cosignature that verified: who made it, when it says it did, and its line."""

    key: CosignerKey
    timestamp: int
    line: str


def verify_cosignature(text: str, line: SignatureLine, key: CosignerKey) -> Cosignature | None:
    """The cosignature if `line` is `key`'s; None if the line is some other key's (another name or
    id: ignored, as signed-note.md says); `NoteError` if it is `key`'s and does not verify."""
    if line.name != key.name or line.key_id != key.key_id:
        return None
    if len(line.blob) != 4 + 8 + 64:
        raise NoteError(f"the cosignature by {key.name} is not a timestamped Ed25519 signature")
    timestamp = int.from_bytes(line.blob[4:12], "big")
    if timestamp > MAX_TIMESTAMP:
        raise NoteError(f"the cosignature by {key.name} has a timestamp above 2^63 - 1")
    try:
        key.public.verify(line.blob[12:], signed_message(text, timestamp))
    except InvalidSignature:
        raise NoteError(f"the cosignature by {key.name} does not verify") from None
    return Cosignature(key, timestamp, line.line)


def cosignatures(note: str, keys: Iterable[CosignerKey]) -> list[Cosignature]:
    """The valid cosignatures on `note` by `keys`, at most one per distinct key (a key listed twice,
    or a line repeated, counts once). Lines of unknown keys are ignored; a line of a known key that
    does not verify is a `NoteError`, since signed-note.md says to reject such a note whole."""
    parsed = parse_note(note)
    found: dict[tuple[str, bytes, bytes], Cosignature] = {}
    for key in keys:
        identity = (key.name, key.key_id, key.public_bytes)
        if identity in found:
            continue
        for line in parsed.signatures:
            cosignature = verify_cosignature(parsed.text, line, key)
            if cosignature is not None:
                found[identity] = cosignature
                break
    return list(found.values())


def quorum_problems(note: str, keys: Iterable[CosignerKey], quorum: int) -> list[str]:
    """Why `note` does not carry `quorum` valid cosignatures from distinct `keys` (empty if it does)."""
    distinct = {(k.name, k.key_id, k.public_bytes): k for k in keys}
    try:
        valid = cosignatures(note, distinct.values())
    except NoteError as error:
        return [f"the checkpoint's cosignatures: {error}"]
    if len(valid) >= quorum:
        return []
    names = ", ".join(c.key.name for c in valid) or "none"
    return [
        f"the checkpoint has {len(valid)} valid cosignature(s) from the {len(distinct)} witness"
        f" key(s) given ({names}), fewer than the quorum of {quorum}"
    ]


def append_cosignatures(note: str, lines: Iterable[str]) -> str:
    """`note` with signature `lines` added after its own, each once."""
    present = set(note[note.rfind("\n\n") + 2 :].splitlines(keepends=True))
    added = [line for line in dict.fromkeys(lines) if line not in present]
    return note + "".join(added)
