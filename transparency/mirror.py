"""Copying a deployment's log, as C2SP tlog-tiles, into a folder any static web server can serve
(`mingzhang mirror URL DIR`).

The folder is laid out exactly as the URLs: `DIR/tlog/checkpoint`, `DIR/tlog/tile/<L>/<N>[.p/<W>]`,
`DIR/tlog/tile/entries/<N>[.p/<W>]`, so `python -m http.server -d DIR` (or nginx, or an object
store) serves it and `mingzhang verify --url` verifies it as it verifies the origin. The mirror
trusts nothing and checks nothing beyond shapes: the verifier does the checking. It is incremental: a
tile already in the folder is never fetched again (every tile path names immutable bytes, a partial
`.p/<W>` as much as a full one), and each file is written to a temporary name and renamed, the
checkpoint last, so the folder never offers a checkpoint whose tiles are not all there. Older partial
tiles are kept: clients on an older checkpoint still need them. Standard library and `transparency`.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from transparency.log_audit import parse_checkpoint_body
from transparency.merkle import HASH_SIZE
from transparency.remote import Unreachable, fetch_tiles, get_bytes
from transparency.tiles import Tile, entry_bundles_of, tiles_of


@dataclass
class MirrorReport:
    """What a run did: the tree size of the checkpoint copied, the tiles fetched and those kept."""

    size: int
    fetched: int
    already: int


class MirrorError(Exception):
    """The origin answered something that is not a log of tiles (one line, for the CLI)."""


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _checkpoint_size(note: bytes, url: str) -> int:
    """The size the checkpoint's text says. Unverified: the mirror copies, the verifier checks."""
    try:
        text, separator, _ = note.decode().rpartition("\n\n")
        if not separator:
            raise ValueError("it has no signature lines")
        return parse_checkpoint_body(text + "\n")[1]
    except (UnicodeDecodeError, ValueError) as error:
        raise MirrorError(f"{url} is not a checkpoint: {error}") from None


def _fits(tile: Tile, data: bytes) -> bool:
    return tile.entries or len(data) == tile.width * HASH_SIZE


def _there(path: Path, tile: Tile) -> bool:
    return path.is_file() and (tile.entries or path.stat().st_size == tile.width * HASH_SIZE)


def mirror(
    url: str, folder: Path, progress: Callable[[int, int], None] = lambda done, total: None
) -> MirrorReport:
    """Copy the log at `url` into `folder`. Raises `Unreachable` (the origin cannot be reached, or
    answers other than 200), `transparency.remote.Withheld` (a tile the checkpoint covers refused),
    `MirrorError`, `OSError`."""
    base = url.rstrip("/")
    if urllib.parse.urlparse(base).scheme not in ("http", "https") or "?" in base:
        raise Unreachable(f"{url} is not an http:// or https:// address")
    note = get_bytes(f"{base}/tlog/checkpoint")
    size = _checkpoint_size(note, f"{base}/tlog/checkpoint")
    root = folder / "tlog"
    tiles = [*entry_bundles_of(size), *tiles_of(size)]
    wanted = [tile for tile in tiles if not _there(root / tile.path(), tile)]
    already = len(tiles) - len(wanted)
    for done, (tile, data) in enumerate(fetch_tiles(base, wanted), start=already + 1):
        if not _fits(tile, data):
            msg = f"{base}/tlog/{tile.path()} is {len(data)} bytes, not {tile.width} hashes"
            raise MirrorError(msg)
        _write(root / tile.path(), data)
        progress(done, len(tiles))
    _write(root / "checkpoint", note)
    return MirrorReport(size, len(wanted), already)
