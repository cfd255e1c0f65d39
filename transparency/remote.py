"""Verifying a remote deployment over HTTP with a pinned key, keeping the last verified checkpoint.

`verify_remote` reads only the log's static C2SP tlog-tiles (`/tlog/checkpoint`, then every entry
bundle and hash tile of the signed tree), so a mirror of those files on any static web server
(`mingzhang mirror`) verifies exactly as the origin does. It rebuilds the tree from the entries,
checks that every hash tile holds what the rebuilt tree holds, and leaves the decisions on
checkpoints to `transparency.log_audit`, the code that also verifies bundles. Like Go's sumdb client,
it keeps the last checkpoint it verified in a state file; the next run must find the log grown from it
(never shrunk, the old entries' root unchanged, the consistency proof the tiles give valid), and only
then replaces it, atomically. The standard library's urllib does the fetching; `entries` still reads
the older `/transparency/entries` endpoint for `verify --views`.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import itertools
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from transparency.cosignature import CosignerKey, quorum_problems
from transparency.log_audit import Checkpoint, audit_log, key_name, open_checkpoint
from transparency.merkle import HASH_SIZE
from transparency.state import keep, kept_problems, read_kept
from transparency.tiles import (
    HEIGHT,
    WIDTH,
    Tile,
    TileHashes,
    entry_bundle,
    entry_bundles_of,
    parse_entry_bundle,
    tiles_of,
)
from transparency.tlog import MemoryTree, consistency_path

PAGE = 1000  # the most /transparency/entries serves at once
TIMEOUT_SECONDS = 30
# Tiles in flight at once: over a long round trip, one at a time would leave the line idle.
FETCHES_AT_ONCE = 8


class Unreachable(Exception):
    """The server could not be reached, or answered with something other than 200 (`status`)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Refused(Unreachable):
    """The server answered 422: a parameter it will not serve; `field` is the one its error names."""

    def __init__(self, message: str, field: str | None) -> None:
        super().__init__(message, 422)
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
        raise Unreachable(message, error.code) from None
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


def get_bytes(url: str) -> bytes:
    """The body a URL answers with 200; raises `Unreachable` (with the status, if it answered)."""
    return _get(url)


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


class Withheld(Shorter):
    """A tile the signed checkpoint covers, refused by the server (404, 410, 503)."""


def _tile(base: str, tile: Tile) -> bytes:
    """A tile the signed checkpoint requires. A 404, 410 or 503 for it is the log failing its own
    checkpoint (`Withheld`), not an unreachable server; but a partial tile refused is first asked
    for as the full tile it grew into, whose first hashes or entries are the same (C2SP tlog-tiles
    lets a log delete a partial tile once the full one exists)."""
    url = f"{base}/tlog/{tile.path()}"
    try:
        return _get(url)
    except Unreachable as error:
        if error.status not in (404, 410, 503):
            raise
        refused = error
    if not tile.full:
        try:
            grown = _get(f"{base}/tlog/{Tile(tile.level, tile.index).path()}")
        except Unreachable:
            pass
        else:
            if not tile.entries:
                return grown[: tile.width * HASH_SIZE]
            try:
                return entry_bundle(parse_entry_bundle(grown)[: tile.width])
            except ValueError:
                return grown  # the caller names what does not parse
    what = f" (entries {tile.first}..{tile.first + tile.width - 1})" if tile.entries else ""
    raise Withheld(
        f"the log does not serve {tile.path()}{what}, which its signed checkpoint covers: {refused}"
    )


def fetch_tiles(base: str, tiles: Sequence[Tile]) -> Iterator[tuple[Tile, bytes]]:
    """Each of `tiles` and its bytes, in order, with up to `FETCHES_AT_ONCE` requests in flight;
    raises as `_tile` does, for the first tile in order that fails."""
    pool = ThreadPoolExecutor(FETCHES_AT_ONCE, thread_name_prefix="tiles")
    ahead: deque[tuple[Tile, Future[bytes]]] = deque()
    queue = iter(tiles)
    try:
        for tile in itertools.islice(queue, FETCHES_AT_ONCE):
            ahead.append((tile, pool.submit(_tile, base, tile)))
        while ahead:
            tile, future = ahead.popleft()
            following = next(queue, None)
            if following is not None:
                ahead.append((following, pool.submit(_tile, base, following)))
            yield tile, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _tile_entries(base: str, size: int, progress: Callable[[int, int], None]) -> Iterator[bytes]:
    """The leaf data of entries [0, size), from the entry bundles; raises `Withheld`, `Shorter`
    (a bundle holding fewer entries than its width), `Malformed` or `Unreachable`."""
    for bundle, data in fetch_tiles(base, entry_bundles_of(size)):
        path = bundle.path()
        try:
            found = parse_entry_bundle(data)
        except ValueError as error:
            raise Malformed(f"{base}/tlog/{path}: {error}") from None
        if len(found) < bundle.width:
            raise Shorter(
                f"the log has lost entries: {base}/tlog/{path} holds {len(found)} entries for"
                f" positions {bundle.first + 1}..{bundle.first + bundle.width} (entries were"
                " deleted)"
            )
        if len(found) != bundle.width:
            raise Malformed(f"{base}/tlog/{path} holds {len(found)} entries, not {bundle.width}")
        yield from found
        progress(bundle.first + bundle.width, size)


def _hash_tiles(
    base: str, size: int, tree: MemoryTree, keep: set[tuple[int, int]], problems: list[str]
) -> dict[tuple[int, int], bytes]:
    """Fetch every hash tile of the tree of `size` and check each holds the hashes of the `tree`
    rebuilt from the entries; the tiles in `keep` are returned, to compute proofs from."""
    kept: dict[tuple[int, int], bytes] = {}
    differ: list[str] = []
    for tile, data in fetch_tiles(base, tiles_of(size)):
        path, level = tile.path(), tile.level or 0
        if len(data) != tile.width * HASH_SIZE:
            raise Malformed(
                f"{base}/tlog/{path} is {len(data)} bytes, not {tile.width} hashes of {HASH_SIZE}"
            )
        rebuilt = tree.levels[HEIGHT * level][
            tile.first * HASH_SIZE : (tile.first + tile.width) * HASH_SIZE
        ]
        if data != rebuilt:
            differ.append(path)
        if (level, tile.index) in keep:
            kept[(level, tile.index)] = data
    if differ:
        more = f" and {len(differ) - 1} more" if len(differ) > 1 else ""
        problems.append(
            f"hash tile {differ[0]}{more} from {base}/tlog/ does not hold the hashes of the entries"
            " the log serves: its stored tree is not the tree of its entries"
        )
    return kept


def _tiles_for_proof(first: int, second: int) -> set[tuple[int, int]]:
    """The hash tiles a consistency proof from `first` to `second` reads."""
    wanted: set[tuple[int, int]] = set()

    def note(level: int, index: int) -> bytes:
        tile_level, rise = divmod(level, HEIGHT)
        wanted.add((tile_level, (index << rise) // WIDTH))
        return bytes(HASH_SIZE)

    consistency_path(note, first, second)
    return wanted


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
    """Verify the deployment (or mirror) at `url` against the pinned verifier `key` (and, if
    `quorum`, the checkpoint's cosignatures by `witnesses`). Raises `Unreachable`; everything the
    server says that does not hold, or does not parse, is a problem in the report."""
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
        note = _get(f"{base}/tlog/checkpoint").decode()
    except UnicodeDecodeError:
        raise Malformed(f"{base}/tlog/checkpoint is not UTF-8 text") from None
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

    audit = audit_log([note], _tile_entries(base, current.size, progress), key)
    report.problems.extend(audit.problems)
    if audit.tree.size != current.size:
        return
    since = previous.size if previous is not None else current.size
    tiles = _hash_tiles(
        base, current.size, audit.tree, _tiles_for_proof(since, current.size), report.problems
    )
    if previous is not None and audit.ok:
        # The proof as the tiles give it, the server's word, beside the rebuilt tree's own root.
        proof = consistency_path(TileHashes(tiles).read, previous.size, current.size)
        prefix = audit.tree.root(previous.size)
        report.problems.extend(kept_problems(state, previous, current, prefix, proof))
    if report.ok:
        keep(state, current.note, report.problems)
