"""Signed notes (golang.org/x/mod/sumdb/note), the envelope of C2SP tlog-checkpoints, with Ed25519.

Keys are written as the note format writes them:
    signer   PRIVATE+KEY+<name>+<key id hex>+base64(0x01 ‖ Ed25519 seed)
    verifier <name>+<key id hex>+base64(0x01 ‖ Ed25519 public key)
where the key id is the first 4 bytes of SHA-256(name ‖ "\\n" ‖ 0x01 ‖ public key). A signed note is the
text (ending in a newline), a blank line, and one line per signature:
    "— " <name> " " base64(key id ‖ signature of the text) "\\n".
Ed25519 is deterministic, so the same key and text always give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ALGORITHM_ED25519 = b"\x01"
DASH = "\u2014"


class NoteError(ValueError):
    """A key or note that does not parse, or a signature that does not verify."""


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ALGORITHM_ED25519 + public).digest()[:4]


@dataclass(frozen=True)
class Signer:
    name: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public)

    @classmethod
    def parse(cls, text: str) -> Signer:
        parts = text.strip().split("+", 4)  # base64 may itself contain "+"
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            msg = "a signer key reads PRIVATE+KEY+<name>+<key id>+<base64 key>"
            raise NoteError(msg)
        name, hex_id, encoded = parts[2:]
        try:
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise NoteError("the signer key's last part is not base64") from None
        if len(raw) != 33 or raw[:1] != ALGORITHM_ED25519:
            raise NoteError("the signer key is not an Ed25519 seed")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.key_id.hex() != hex_id:
            raise NoteError("the signer key's id does not match its key")
        return signer

    @classmethod
    def generate(cls, name: str) -> Signer:
        return cls(name, Ed25519PrivateKey.generate())

    def encode(self) -> str:
        seed = self.private.private_bytes_raw()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{base64.b64encode(ALGORITHM_ED25519 + seed).decode()}"

    def verifier_key(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(ALGORITHM_ED25519 + self.public).decode()}"

    def sign(self, text: str) -> str:
        """The signed note of `text` (which must end in a newline)."""
        if not text.endswith("\n"):
            raise NoteError("a note's text ends with a newline")
        signature = self.private.sign(text.encode())
        line = base64.b64encode(self.key_id + signature).decode()
        return f"{text}\n{DASH} {self.name} {line}\n"


def open_note(note: str, verifier_key: str) -> str:
    """The text of a signed note, if `verifier_key` signed it; otherwise `NoteError`."""
    try:
        name, hex_id, encoded = verifier_key.strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
    except ValueError:
        raise NoteError("a verifier key reads <name>+<key id>+<base64 key>") from None
    if len(raw) != 33 or raw[:1] != ALGORITHM_ED25519 or key_id(name, raw[1:]).hex() != hex_id:
        raise NoteError("the verifier key is not a consistent Ed25519 key")
    text, separator, signatures = note.rpartition("\n\n")
    if not separator:
        raise NoteError("a signed note has its text, a blank line, then signatures")
    text += "\n"
    public = Ed25519PublicKey.from_public_bytes(raw[1:])
    for line in signatures.splitlines():
        prefix = f"{DASH} {name} "
        if not line.startswith(prefix):
            continue
        try:
            blob = base64.b64decode(line[len(prefix) :], validate=True)
        except ValueError:
            continue
        if blob[:4] != bytes.fromhex(hex_id):
            continue
        try:
            public.verify(blob[4:], text.encode())
        except InvalidSignature:
            raise NoteError("the note's signature does not verify") from None
        return text
    raise NoteError(f"the note has no signature by {name}")


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    """C2SP tlog-checkpoint: origin, tree size, base64 root, each on its own line."""
    if not origin or "\n" in origin:
        raise NoteError("the origin is one non-empty line")
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"
