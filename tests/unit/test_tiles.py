"""C2SP tlog-tiles: tile paths spelled as the spec spells them (and nothing else parsed), the tiles a
tree of any size has (the spec's worked examples), entry bundles, and the one property that makes tiles
worth serving: a verifier holding only the tiles of a tree computes the roots and proofs
`transparency.tlog` computes from the whole layout."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transparency.merkle import leaf_hash
from transparency.tiles import (
    EntryTooLarge,
    Tile,
    TileHashes,
    entry_bundle,
    entry_bundles_of,
    hash_tile,
    index_path,
    parse_entry_bundle,
    parse_tile_path,
    tiles_of,
    width_at,
)
from transparency.tlog import MemoryTree, consistency_path, inclusion_path, range_root

VECTORS = json.loads(
    (Path(__file__).parents[1] / "vectors" / "tlog-tiles.json").read_text(encoding="utf-8")
)


def tree_of(size: int) -> MemoryTree:
    tree = MemoryTree()
    tree.extend(leaf_hash(hashlib.sha256(i.to_bytes(4, "big")).digest()) for i in range(size))
    return tree


def cut(tree: MemoryTree) -> dict[tuple[int, int], bytes]:
    """Every hash tile of `tree`, as a server cuts them from its stored layout."""
    return {
        (tile.level or 0, tile.index): hash_tile(tree.node, tile) for tile in tiles_of(tree.size)
    }


@pytest.mark.parametrize("case", VECTORS["paths"])
def test_index_paths_are_the_specs_examples(case: dict[str, object]) -> None:
    assert index_path(int(str(case["index"]))) == case["path"]


@pytest.mark.parametrize("case", VECTORS["trees"], ids=lambda case: str(case["size"]))
def test_the_tiles_of_a_tree_are_the_specs_worked_examples(case: dict[str, object]) -> None:
    size = int(str(case["size"]))
    tiles = tiles_of(size)
    expected = case["tiles"]
    assert isinstance(expected, list)
    assert sorted({t.level for t in tiles if t.level is not None}) == [e["level"] for e in expected]
    for level in expected:
        at = [t for t in tiles if t.level == level["level"]]
        assert len([t for t in at if t.full]) == level["full"]
        partial = [t.width for t in at if not t.full]
        assert partial == ([] if level["partial"] is None else [level["partial"]])


def test_a_tree_of_70000_lists_its_tiles_by_path() -> None:
    paths = [t.path() for t in tiles_of(70000)]
    assert paths[:2] == ["tile/0/000", "tile/0/001"]
    assert paths[272:] == [
        "tile/0/272",
        "tile/0/273.p/112",
        "tile/1/000",
        "tile/1/001.p/17",
        "tile/2/000.p/1",
    ]
    assert [t.path() for t in entry_bundles_of(70000)][-2:] == [
        "tile/entries/272",
        "tile/entries/273.p/112",
    ]


@pytest.mark.parametrize(
    ("path", "tile"),
    [
        ("tile/0/000", Tile(0, 0)),
        ("tile/0/001.p/5", Tile(0, 1, 5)),
        ("tile/5/x123/x456/078", Tile(5, 123456078)),
        ("tile/63/x001/x234/067.p/255", Tile(63, 1234067, 255)),
        ("tile/entries/x001/x234/067", Tile(None, 1234067)),
        ("tile/entries/273.p/112", Tile(None, 273, 112)),
    ],
)
def test_a_tile_path_parses_to_its_tile_and_back(path: str, tile: Tile) -> None:
    assert parse_tile_path(path) == tile
    assert tile.path() == path


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/1",  # not three digits
        "tile/0/0001",
        "tile/00/000",  # a level with a leading zero
        "tile/64/000",  # above level 63
        "tile/-1/000",
        "tile/0/x000/001",  # 1 is 001: one spelling per tile
        "tile/0/123/456",  # every element but the last starts with x
        "tile/0/x123",  # ... and the last does not
        "tile/0/000.p/0",  # empty tiles are never served
        "tile/0/000.p/256",  # a width of 256 is the full tile
        "tile/0/000.p/05",
        "tile/0/000.p",
        "tile/0/",
        "tile/data/000",
        "tiles/0/000",
        "tile/0/000/",
        "tile/0/٠٠٠",  # Arabic-Indic digits are digits to Python's int(), not to the spec
    ],
)
def test_a_path_not_spelled_as_the_spec_spells_it_is_refused(path: str) -> None:
    with pytest.raises(ValueError, match="tile"):
        parse_tile_path(path)


def test_a_tile_of_a_level_covers_256_to_the_level_hashes_of_leaves() -> None:
    assert Tile(0, 0).covers == 256
    assert Tile(1, 1, 17).covers == (256 + 17) * 256
    assert Tile(2, 0, 1).covers == 65536
    assert width_at(0, 273, 70000) == 112
    assert width_at(0, 274, 70000) == 0
    assert width_at(1, 0, 70000) == 256


def test_entry_bundles_prefix_each_entry_with_its_uint16_length() -> None:
    entries = [b"", b"a", bytes(range(256)) * 3, b"\xff" * 0xFFFF]
    bundle = entry_bundle(entries)
    assert bundle[:5] == b"\x00\x00\x00\x01a"
    assert bundle[5:7] == (768).to_bytes(2, "big")
    assert parse_entry_bundle(bundle) == entries


def test_an_entry_longer_than_a_uint16_can_say_is_refused_not_cut() -> None:
    with pytest.raises(EntryTooLarge):
        entry_bundle([b"\x00" * 0x10000])


@pytest.mark.parametrize("bundle", [b"\x00", b"\x00\x02a", b"\x00\x01ab\x00"])
def test_a_bundle_whose_lengths_run_past_its_end_is_refused(bundle: bytes) -> None:
    with pytest.raises(ValueError, match="bundle"):
        parse_entry_bundle(bundle)


def test_a_full_tile_above_level_0_holds_the_roots_of_the_full_tiles_below() -> None:
    tree = tree_of(65536 + 300)
    tiles = cut(tree)
    assert len(tiles[(1, 0)]) == 256 * 32
    assert tiles[(1, 0)][:32] == tree.root(256)
    assert tiles[(2, 0)] == tree.root(65536)
    # The partial level-0 tile's 44 leaves are never hashed upward: level 1 stops at 256 + 1.
    assert len(tiles[(1, 1)]) == 32


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_hashes_read_from_the_tiles_alone_give_the_same_roots_and_proofs(
    data: st.DataObject,
) -> None:
    size = data.draw(st.one_of(st.integers(1, 1100), st.integers(65530, 66100)), label="size")
    tree = tree_of(size)
    tiles = TileHashes(cut(tree))
    first = data.draw(st.integers(0, size), label="first")
    index = data.draw(st.integers(0, size - 1), label="index")
    assert range_root(tiles.read, 0, size) == tree.root()
    assert range_root(tiles.read, 0, first) == tree.root(first)
    assert inclusion_path(tiles.read, index, size) == tree.inclusion_path(index, size)
    assert consistency_path(tiles.read, first, size) == tree.consistency_proof(first, size)


def test_a_hash_whose_tile_is_missing_is_a_key_error_naming_the_tile() -> None:
    tiles = cut(tree_of(600))
    del tiles[(1, 0)]  # the root of 600 reads leaves 0..511 from level 1, not from level 0
    with pytest.raises(KeyError, match="level 1, index 0"):
        range_root(TileHashes(tiles).read, 0, 600)
