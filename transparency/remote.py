"""Verifying a remote deployment over HTTP with a pinned key, keeping the last verified checkpoint.

`verify_remote` reads only the public endpoints (the latest checkpoint, the entries in pages of at
most 1000, a consistency proof) with the standard library's urllib, and leaves every decision to
`transparency.log_audit`, the code that also verifies bundles. Like Go's sumdb client, it keeps the
last checkpoint it verified in a state file; the next run must find the log grown from it (never
shrunk, the old entries' root unchanged, the server's consistency proof valid), and only then
replaces it, atomically.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from transparency.cosignature import CosignerKey, quorum_problems
from transparency.log_audit import Checkpoint, audit_log, key_name, open_checkpoint
from transparency.state import keep, kept_problems, read_kept

PAGE = 1000  # the most /transparency/entries serves at once
TIMEOUT_SECONDS = 30


class Unreachable(Exception):
    """The server could not be reached, or answered with something other than 200."""


class Refused(Unreachable):
    """The server answered 422: a parameter it will not serve; `field` is the one its error names."""

    def __init__(self, message: str, field: str | None) -> None:
        super().__init__(message)
        self.field = field


class Malformed(ValueError):
    """The server answered 200 with something that is not what the endpoint serves."""


class Shorter(Exception):
    """The log serves fewer entries than its own signed checkpoint covers."""


@dataclass
class RemoteReport:
    url: str
    key: str
    state: Path | None = None
    checkpoint: Checkpoint | None = None
    previous: Checkpoint | None = None
    problems: list[str] = field(default_factory=list)
    # Witnesses (cosignature/v1 keys) of whom at least `quorum` must have cosigned the checkpoint.
    witnesses: Sequence[CosignerKey] = ()
    quorum: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def default_state_path(origin: str) -> Path:
    """~/.mingzhang/verify-state/<origin>, with every character that could leave that folder (a
    slash, for one: origins look like `example.org/ledger`) replaced by `_`."""
    return Path.home() / ".mingzhang" / "verify-state" / re.sub(r"[^A-Za-z0-9._-]", "_", origin)


def _get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as error:
        message = f"{url} answered {error.code} {error.reason}"
        if error.code == 422:
            raise Refused(message, _refused_field(error)) from None
        raise Unreachable(message) from None
    except urllib.error.URLError as error:
        raise Unreachable(f"cannot reach {url}: {error.reason}") from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise Unreachable(f"cannot reach {url}: {error or type(error).__name__}") from None


def _refused_field(error: urllib.error.HTTPError) -> str | None:
    """The field a 422 names in the API's stable error body, `{"error": {"field": ...}}`."""
    try:
        found = json.loads(error.read())["error"]["field"]
    except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException):
        return None
    return found if isinstance(found, str) else None


def get_json(url: str) -> dict[str, object]:
    """The JSON object a public endpoint answers; raises `Unreachable` or `Malformed`."""
    return _json(url)


def _json(url: str) -> dict[str, object]:
    try:
        value = json.loads(_get(url))
    except ValueError:
        raise Malformed(f"{url} did not answer JSON") from None
    if not isinstance(value, dict):
        raise Malformed(f"{url} did not answer a JSON object")
    return value


def _entries(base: str, size: int, progress: Callable[[int, int], None]) -> Iterator[bytes]:
    return entries(base, 0, size, progress)


def entries(
    base: str, first: int, size: int, progress: Callable[[int, int], None]
) -> Iterator[bytes]:
    """The leaf data of entries [first, size), fetched in pages of `PAGE`; raises `Unreachable` or
    `Malformed` (an answer of the wrong length, an entry that is not base64)."""
    for start in range(first, size, PAGE):
        end = min(start + PAGE, size)
        url = f"{base}/transparency/entries?start={start}&end={end}"
        try:
            leaves = _json(url).get("leaves")
        except Refused as refused:
            if refused.field != "end":
                raise
            raise Shorter(
                f"the log is shorter than its signed checkpoint: the checkpoint covers {size}"
                f" entries, the server serves only {_served(base, start, end)} (entries were"
                " deleted)"
            ) from None
        if not isinstance(leaves, list):
            raise Malformed(f"{url} did not answer a list of leaves")
        if len(leaves) < end - start:
            # The endpoint reads the log by position: fewer leaves means positions are missing.
            raise Shorter(
                f"the log has lost entries: {url} served {len(leaves)} entries for positions"
                f" {start + 1}..{end} (entries were deleted from the middle of the log)"
            )
        if len(leaves) != end - start:
            raise Malformed(f"{url} did not answer {end - start} leaves")
        for index, encoded in enumerate(leaves, start=start):
            if not isinstance(encoded, str):
                raise Malformed(f"{url}: entry {index} is not a base64 string")
            try:
                yield base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise Malformed(f"{url}: entry {index} is not base64") from None
        progress(end, size)


def _served(base: str, low: int, high: int) -> int:
    """How many entries the log serves, known to be at least `low` and less than `high`: an empty
    range [k, k) is served exactly when k is at most the log's size, so halve until found."""
    while high - low > 1:
        middle = (low + high) // 2
        try:
            _json(f"{base}/transparency/entries?start={middle}&end={middle}")
        except Refused:
            high = middle
        else:
            low = middle
    return low


def _consistency_proof(base: str, first: int, second: int) -> list[bytes]:
    url = f"{base}/transparency/proofs/consistency?first={first}&second={second}"
    proof = _json(url).get("proof")
    if not isinstance(proof, list) or not all(isinstance(h, str) for h in proof):
        raise Malformed(f"{url} did not answer a proof (a list of hex hashes)")
    try:
        return [bytes.fromhex(h) for h in proof]
    except ValueError:
        raise Malformed(f"{url}: the proof is not hex") from None


def witness_problems(report: RemoteReport, note: str) -> list[str]:
    """Why the checkpoint `note` lacks `report.quorum` valid cosignatures by `report.witnesses`
    (a known witness's line that does not verify refuses the note; one witness counts once)."""
    if not report.quorum:
        return []
    return [f"{report.url}: {p}" for p in quorum_problems(note, report.witnesses, report.quorum)]


def verify_remote(
    url: str,
    key: str,
    state: Path | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    witnesses: Sequence[CosignerKey] = (),
    quorum: int = 0,
) -> RemoteReport:
    """Verify the deployment at `url` against the pinned verifier `key` (and, if `quorum`, the
    checkpoint's cosignatures by `witnesses`). Raises `Unreachable`; everything the server says
    that does not hold, or does not parse, is a problem in the report."""
    base = url.rstrip("/")
    if urllib.parse.urlparse(base).scheme not in ("http", "https") or "?" in base:
        raise Unreachable(f"{url} is not an http:// or https:// address")
    report = RemoteReport(base, key, state, witnesses=witnesses, quorum=quorum)
    try:
        _verify(report, progress)
    except Malformed as error:
        report.problems.append(f"malformed answer: {error}")
    except Shorter as error:
        report.problems.append(str(error))
    return report


def _verify(report: RemoteReport, progress: Callable[[int, int], None]) -> None:
    base, key = report.url, report.key
    try:
        note = _get(f"{base}/transparency/checkpoint").decode()
    except UnicodeDecodeError:
        raise Malformed(f"{base}/transparency/checkpoint is not UTF-8 text") from None
    try:
        current = report.checkpoint = open_checkpoint(note, key)
    except ValueError as error:
        report.problems.append(
            f"the latest checkpoint from {base}: {error} (pinned key {key_name(key)})"
        )
        return
    report.problems.extend(witness_problems(report, note))
    if report.problems:
        return
    state = report.state = report.state or default_state_path(current.origin)
    previous = report.previous = read_kept(state, key, report.problems)
    if report.problems:
        return
    if previous is not None:
        report.problems.extend(kept_problems(state, previous, current, None, None))
        if report.problems:
            return

    audit = audit_log([note], _entries(base, current.size, progress), key)
    report.problems.extend(audit.problems)
    if previous is not None and audit.ok:
        proof = _consistency_proof(base, previous.size, current.size)
        prefix = audit.tree.root(previous.size)
        report.problems.extend(kept_problems(state, previous, current, prefix, proof))
    if report.ok:
        keep(state, current.note, report.problems)
