"""The tlog layout and `MemoryTree`: however the leaves arrive, the tree held in memory has the
hashes of every perfect subtree, and the roots and proofs read from it are the ones the recursive
RFC 9162 definitions in `transparency.merkle` give, for every size."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from transparency.merkle import consistency_proof, inclusion_proof, leaf_hash, root_hash
from transparency.tlog import MemoryTree, perfect_subtrees


def leaves(n: int) -> list[bytes]:
    return [leaf_hash(hashlib.sha256(i.to_bytes(4, "big")).digest()) for i in range(n)]


@given(
    st.integers(min_value=0, max_value=300).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.integers(min_value=1, max_value=64), min_size=1)
        )
    )
)
def test_roots_of_every_prefix_are_the_rfc_roots_however_the_leaves_arrive(
    case: tuple[int, list[int]],
) -> None:
    n, sections = case
    hashes = leaves(n)
    tree = MemoryTree()
    start, turn = 0, 0
    while start < n:  # fed in uneven sections, as the log's pages arrive
        step = sections[turn % len(sections)]
        tree.extend(hashes[start : start + step])
        start, turn = start + step, turn + 1
    assert tree.size == n
    for size in range(n + 1):
        assert tree.root(size) == root_hash(hashes[:size])


@given(st.integers(min_value=0, max_value=200))
def test_the_tree_holds_every_perfect_subtree_of_the_tlog_layout(n: int) -> None:
    hashes = leaves(n)
    tree = MemoryTree()
    for leaf in hashes:
        tree.append(leaf)
    for level, packed in enumerate(tree.levels):
        width = 1 << level
        assert len(packed) == 32 * (n // width)
        for index in range(n // width):
            assert tree.node(level, index) == root_hash(hashes[index * width : (index + 1) * width])
    covered = [(level, index) for level, index in perfect_subtrees(n)]
    assert sum(1 << level for level, _ in covered) == n


def test_proofs_from_the_tree_are_the_rfc_proofs_up_to_40_leaves() -> None:
    hashes = leaves(40)
    tree = MemoryTree()
    tree.extend(hashes)
    for second in range(1, 41):
        for index in range(second):
            assert tree.inclusion_path(index, second) == inclusion_proof(index, hashes[:second])
        for first in range(second + 1):
            assert tree.consistency_proof(first, second) == consistency_proof(
                first, hashes[:second]
            )
