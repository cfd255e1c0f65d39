"""The log's side of C2SP tlog-witness: the configured witnesses, and one add-checkpoint request.

`parse_witnesses` reads MINGZHANG_WITNESSES (comma-separated `URL KEY` entries: a witness's
submission prefix and its cosignature/v1 verifier key). `submit` posts "old <size>", the consistency
proof and the signed checkpoint to `<URL>/add-checkpoint` with the standard library's http.client
(a kept-alive `Connection`) and
returns the witness's cosignature lines only once they verify with the configured key over exactly
the submitted checkpoint (trust nothing unsigned: a witness, or anything between, that answers
garbage gets nothing stored), or the size a 409 reports, so the caller retries from there.
"""

from __future__ import annotations

import base64
import http.client
import urllib.parse
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


class Connection:
    """One kept-alive HTTP connection to a witness (tlog-witness.md: clients SHOULD keep alive), so
    an offer costs one round trip, not a TCP (and TLS) handshake as well. Not thread-safe: one per
    submitting thread. A connection the witness closed is opened again, once, for the same request
    (add-checkpoint is safe to repeat: the witness answers it from its state)."""

    def __init__(self, witness: WitnessEntry) -> None:
        self.witness = witness
        parsed = urllib.parse.urlparse(witness.url)
        self._https = parsed.scheme == "https"
        self._host = parsed.netloc
        self._path = parsed.path.rstrip("/") + "/add-checkpoint"
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _open(self) -> http.client.HTTPConnection:
        if self._connection is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._connection = kind(self._host, timeout=TIMEOUT_SECONDS)
        return self._connection

    def post(self, body: bytes) -> tuple[int, bytes]:
        """The status and (at most 64 KiB of) body of POST add-checkpoint."""
        for attempt in (1, 2):
            connection = self._open()
            try:
                connection.request(
                    "POST", self._path, body, {"Content-Type": "text/plain; charset=utf-8"}
                )
                response = connection.getresponse()
                answer = response.read(64 * 1024)
                if response.will_close or not response.isclosed():
                    self.close()  # not reusable: closing or an over-long body left unread
                return response.status, answer
            except (OSError, ValueError, http.client.HTTPException) as error:
                self.close()
                if attempt == 2 or not isinstance(
                    error, (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)
                ):
                    raise WitnessUnavailable(f"cannot reach {self.witness.url}: {error}") from None
        raise AssertionError("unreachable")  # pragma: no cover


def submit(
    witness: WitnessEntry,
    old_size: int,
    proof: Sequence[bytes],
    note: str,
    text: str,
    connection: Connection | None = None,
) -> list[str] | Conflict:
    """Offer `note` (whose signed text is `text`) as extending `old_size`, on `connection` (default
    a new one, closed after); the verified cosignature lines, or `Conflict`; `WitnessUnavailable`
    otherwise."""
    own = connection is None
    connection = connection or Connection(witness)
    try:
        status, body = connection.post(request_body(old_size, proof, note))
    finally:
        if own:
            connection.close()
    if status == 409:
        size = body[:64].decode(errors="replace").removesuffix("\n")
        if size.isascii() and size.isdigit():
            return Conflict(int(size))
    if status != 200:
        raise WitnessUnavailable(f"{witness.url} answered {status}")
    try:
        lines = parse_signature_lines(body.decode())
        verified = [verify_cosignature(text, line, witness.key) for line in lines]
    except (NoteError, UnicodeDecodeError) as error:
        raise WitnessUnavailable(f"{witness.url}: {error}") from None
    ours = [c.line for c in verified if c is not None]
    if not ours:
        raise WitnessUnavailable(f"{witness.url} answered no cosignature by {witness.key.name}")
    return ours
