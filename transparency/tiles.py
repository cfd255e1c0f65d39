"""C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the log as static tiles, pure functions over the
tlog layout of `transparency.tlog`.

A tile at level L, index N holds up to 256 consecutive hashes of tree level 8·L (so the tlog layout's
stored level 8·L *is* tile level L), from hash N·256; a full tile holds 256 and is immutable, a partial
one (`.p/<W>`, 1 ≤ W ≤ 255) is the right edge of a tree whose size is not a multiple, and is never
hashed into the level above. Entry bundles (`tile/entries/...`) hold the leaf data of the level-0
tile's leaves, each prefixed by its length as a big-endian uint16. This module names tiles
(`Tile`, `parse_tile_path`), lists the tiles of a tree (`tiles_of`), cuts a tile's bytes from a
`read(level, index)` function (`hash_tile`), and reads any tlog hash back out of tiles
(`TileHashes`), so a verifier holding only tiles computes the same roots and proofs. Standard library
and `transparency` only.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from transparency.merkle import HASH_SIZE, node_hash
from transparency.tlog import Read

HEIGHT = 8
WIDTH = 1 << HEIGHT  # hashes in a full tile
MAX_LEVEL = 63
MAX_ENTRY = 0xFFFF  # the largest entry a uint16 length prefix can carry
_ELEMENT = re.compile(r"x?[0-9]{3}\Z")
_DECIMAL = re.compile(r"(0|[1-9][0-9]*)\Z")


class EntryTooLarge(ValueError):
    """An entry longer than an entry bundle's uint16 length prefix can say."""


@dataclass(frozen=True)
class Tile:
    """A tile's coordinates: `level` (None for an entry bundle, which sits over level-0 tile
    `index`), `index` within the level, and `width`, the hashes (or entries) it holds, 1..256."""

    level: int | None
    index: int
    width: int = WIDTH

    @property
    def full(self) -> bool:
        return self.width == WIDTH

    @property
    def entries(self) -> bool:
        return self.level is None

    @property
    def hash_level(self) -> int:
        """The tlog level whose hashes this tile holds (level 0 for an entry bundle's leaves)."""
        return HEIGHT * (self.level or 0)

    @property
    def first(self) -> int:
        """The index, within `hash_level`, of the tile's first hash."""
        return self.index * WIDTH

    @property
    def covers(self) -> int:
        """The tree size this tile's last hash needs: every leaf under it."""
        return (self.first + self.width) << self.hash_level

    def path(self) -> str:
        """`tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`, N in 3-digit `x`-prefixed groups."""
        where = "entries" if self.level is None else str(self.level)
        suffix = "" if self.full else f".p/{self.width}"
        return f"tile/{where}/{index_path(self.index)}{suffix}"


def index_path(index: int) -> str:
    """1234067 → `x001/x234/067`: three digits per path element, all but the last prefixed by `x`."""
    if index < 0:
        msg = f"a tile index is not negative: {index}"
        raise ValueError(msg)
    groups = [f"{index % 1000:03d}"]
    while index >= 1000:
        index //= 1000
        groups.append(f"x{index % 1000:03d}")
    return "/".join(reversed(groups))


def parse_tile_path(path: str) -> Tile:
    """The tile a `tile/...` path names; `ValueError` for any path not spelled exactly as `Tile.path`
    spells it (a level above 63 or with a leading zero, a width of 0 or 256, `x000/001` for 1, …)."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "tile":
        raise ValueError("a tile path starts tile/<level>/ or tile/entries/")
    level: int | None = None
    if parts[1] != "entries":
        if not _DECIMAL.match(parts[1]) or int(parts[1]) > MAX_LEVEL:
            raise ValueError("a tile level is a decimal number from 0 to 63")
        level = int(parts[1])
    elements, width = parts[2:], WIDTH
    if len(elements) >= 2 and elements[-2].endswith(".p"):
        if not _DECIMAL.match(elements[-1]) or not 1 <= int(elements[-1]) < WIDTH:
            raise ValueError("a partial tile's width is a decimal number from 1 to 255")
        width = int(elements[-1])
        elements = [*elements[:-2], elements[-2].removesuffix(".p")]
    if not all(_ELEMENT.match(element) for element in elements):
        raise ValueError("a tile index is written in 3-digit path elements")
    index = 0
    for element in elements:
        index = index * 1000 + int(element.removeprefix("x"))
    tile = Tile(level, index, width)
    if tile.path() != path:  # one spelling per tile: `x` placement, no leading `x000/`
        raise ValueError("the tile path is not in its canonical form")
    return tile


def width_at(level: int, index: int, size: int) -> int:
    """How many hashes tile (`level`, `index`) holds in a tree of `size` leaves: 256 when full, 0
    when the tree does not reach it."""
    return max(0, min(WIDTH, (size >> (HEIGHT * level)) - index * WIDTH))


def tiles_of(size: int) -> list[Tile]:
    """Every hash tile of a tree of `size` leaves, level by level: the full ones, then the level's
    partial one if the level's count is not a multiple of 256. Entry bundles mirror level 0
    (`entry_bundles_of`)."""
    out: list[Tile] = []
    level = 0
    while size >> (HEIGHT * level):
        count = size >> (HEIGHT * level)
        out.extend(Tile(level, n) for n in range(count // WIDTH))
        if count % WIDTH:
            out.append(Tile(level, count // WIDTH, count % WIDTH))
        level += 1
    return out


def entry_bundles_of(size: int) -> list[Tile]:
    """The entry bundles of a tree of `size` leaves: one over each level-0 tile."""
    return [Tile(None, t.index, t.width) for t in tiles_of(size) if t.level == 0]


def hash_tile(read: Read, tile: Tile) -> bytes:
    """The bytes of hash tile `tile`: its `width` hashes of tlog level 8·L, read from the layout."""
    if tile.level is None:
        raise ValueError("an entry bundle holds entries, not hashes")
    return b"".join(read(tile.hash_level, tile.first + i) for i in range(tile.width))


def entry_bundle(entries: Iterable[bytes]) -> bytes:
    """Entries as a bundle: each a big-endian uint16 length, then its bytes."""
    out = bytearray()
    for number, entry in enumerate(entries):
        if len(entry) > MAX_ENTRY:
            msg = (
                f"entry {number} of the bundle is {len(entry)} bytes; an entry bundle's uint16"
                f" length carries at most {MAX_ENTRY}"
            )
            raise EntryTooLarge(msg)
        out += struct.pack(">H", len(entry)) + entry
    return bytes(out)


def parse_entry_bundle(data: bytes) -> list[bytes]:
    """The entries of a bundle; `ValueError` if a length runs past the end."""
    entries: list[bytes] = []
    at = 0
    while at < len(data):
        if at + 2 > len(data):
            raise ValueError(f"the entry bundle ends inside a length prefix at byte {at}")
        (length,) = struct.unpack_from(">H", data, at)
        at += 2
        if at + length > len(data):
            msg = f"entry {len(entries)} of the bundle runs past its end ({length} bytes at {at})"
            raise ValueError(msg)
        entries.append(data[at : at + length])
        at += length
    return entries


def split_hashes(data: bytes) -> list[bytes]:
    """A hash tile's bytes as its hashes; `ValueError` unless a whole number of 32-byte hashes."""
    if len(data) % HASH_SIZE:
        msg = f"a hash tile of {len(data)} bytes is not a whole number of {HASH_SIZE}-byte hashes"
        raise ValueError(msg)
    return [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


def _perfect_root(hashes: list[bytes]) -> bytes:
    while len(hashes) > 1:
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


class TileHashes:
    """Any tlog hash (level, index) read out of hash tiles, keyed by (tile level, tile index): a hash
    of level 8·L + r is the root of 2^r consecutive hashes of one tile of level L, hashed here.

    `read` fits every function of `transparency.tlog`; a hash whose tile is missing, or too narrow,
    raises `KeyError` naming the tile. Holding only the tiles of a tree, it gives that tree's roots
    and proofs: what a verifier working from a mirror computes with.
    """

    def __init__(self, tiles: Mapping[tuple[int, int], bytes]) -> None:
        self.tiles = tiles

    def read(self, level: int, index: int) -> bytes:
        tile_level, rise = divmod(level, HEIGHT)
        first = index << rise  # the first tile-level hash under this node
        tile_index, offset = divmod(first, WIDTH)
        data = self.tiles.get((tile_level, tile_index))
        end = (offset + (1 << rise)) * HASH_SIZE
        if data is None or len(data) < end:
            msg = f"no tile at level {tile_level}, index {tile_index} holding hash {offset + (1 << rise) - 1}"
            raise KeyError(msg)
        return _perfect_root(split_hashes(data[offset * HASH_SIZE : end]))
