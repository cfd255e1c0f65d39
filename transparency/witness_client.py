"""The log's side of C2SP tlog-witness: the configured witnesses, and one add-checkpoint request.

`parse_witnesses` reads MINGZHANG_WITNESSES (comma-separated `URL KEY` entries: a witness's
submission prefix and its cosignature/v1 verifier key). `submit` posts "old <size>", the consistency
proof and the signed checkpoint to `<URL>/add-checkpoint` with the standard library's urllib and
returns the witness's cosignature lines only once they verify with the configured key over exactly
the submitted checkpoint (trust nothing unsigned: a witness, or anything between, that answers
garbage gets nothing stored), or the size a 409 reports, so the caller retries from there.
"""

from __future__ import annotations

import base64
import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from transparency.cosignature import CosignerKey, parse_signature_lines, verify_cosignature
from transparency.signed_note import NoteError

TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class WitnessEntry:
    url: str  # the submission prefix, without a trailing slash
    key: CosignerKey


def parse_witnesses(value: str) -> list[WitnessEntry]:
    """`URL KEY[, URL KEY...]`; `ValueError` naming the entry that does not parse."""
    entries = []
    for number, entry in enumerate((e.strip() for e in value.split(",") if e.strip()), start=1):
        parts = entry.split()
        if len(parts) != 2:
            msg = f"entry {number} is not `URL KEY`"
            raise ValueError(msg)
        url, key = parts
        if urllib.parse.urlparse(url).scheme not in ("http", "https"):
            msg = f"entry {number}: {url[:60]} is not an http:// or https:// address"
            raise ValueError(msg)
        try:
            parsed = CosignerKey.parse(key)
        except NoteError as error:
            msg = f"entry {number}: {error}"
            raise ValueError(msg) from None
        entries.append(WitnessEntry(url.rstrip("/"), parsed))
    keys = [e.key.text for e in entries]
    if len(set(keys)) != len(keys):
        raise ValueError("a witness key is listed twice")
    return entries


class WitnessUnavailable(Exception):
    """The witness could not be reached, refused the checkpoint, or answered what does not verify."""


@dataclass(frozen=True)
class Conflict:
    """409: the witness last cosigned `size`; submit again from there."""

    size: int


def request_body(old_size: int, proof: Sequence[bytes], note: str) -> bytes:
    lines = "".join(base64.b64encode(node).decode() + "\n" for node in proof)
    return f"old {old_size}\n{lines}\n{note}".encode()


def submit(
    witness: WitnessEntry, old_size: int, proof: Sequence[bytes], note: str, text: str
) -> list[str] | Conflict:
    """Offer `note` (whose signed text is `text`) as extending `old_size`; the verified cosignature
    lines, or `Conflict`; `WitnessUnavailable` otherwise."""
    request = urllib.request.Request(
        f"{witness.url}/add-checkpoint", data=request_body(old_size, proof, note), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = response.read(64 * 1024).decode()
    except urllib.error.HTTPError as error:
        with error:  # its connection is released, not left to the garbage collector
            if error.code == 409:
                size = error.read(64).decode(errors="replace").removesuffix("\n")
                if size.isascii() and size.isdigit():
                    return Conflict(int(size))
            raise WitnessUnavailable(f"{witness.url} answered {error.code}") from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise WitnessUnavailable(f"cannot reach {witness.url}: {error}") from None
    try:
        lines = parse_signature_lines(answer)
        verified = [verify_cosignature(text, line, witness.key) for line in lines]
    except (NoteError, UnicodeDecodeError) as error:
        raise WitnessUnavailable(f"{witness.url}: {error}") from None
    ours = [c.line for c in verified if c is not None]
    if not ours:
        raise WitnessUnavailable(f"{witness.url} answered no cosignature by {witness.key.name}")
    return ours
