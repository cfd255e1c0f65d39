"""The one-pass walk `verify_local` recomputes the tree with gives the same roots and stored-layout
hashes as the recursive RFC 9162 definitions in `projections.merkle`, whatever the sizes and however the
leaves arrive in sections."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from projections.merkle import leaf_hash, root_hash
from projections.verify import TreeWalk


def leaves(n: int) -> list[bytes]:
    return [leaf_hash(hashlib.sha256(i.to_bytes(4, "big")).digest()) for i in range(n)]


@given(
    st.integers(min_value=0, max_value=300).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.integers(min_value=0, max_value=n)),
            st.lists(st.integers(min_value=1, max_value=64), min_size=1),
        )
    )
)
def test_one_pass_roots_are_the_roots_of_the_prefixes(
    case: tuple[int, list[int], list[int]],
) -> None:
    n, sizes, sections = case
    hashes = leaves(n)
    walk = TreeWalk(sizes)
    start, turn = 0, 0
    while start < n:  # fed in uneven sections, as the log's pages arrive
        step = sections[turn % len(sections)]
        walk.extend(hashes[start : start + step])
        start, turn = start + step, turn + 1
    assert walk.size == n
    assert walk.roots == {size: root_hash(hashes[:size]) for size in sizes}


@given(st.integers(min_value=0, max_value=200))
def test_the_walk_holds_every_perfect_subtree_of_the_tlog_layout(n: int) -> None:
    hashes = leaves(n)
    walk = TreeWalk()
    walk.extend(hashes)
    for level, packed in enumerate(walk.levels):
        width = 1 << level
        assert len(packed) == 32 * (n // width)
        for index in range(n // width):
            assert walk.node(level, index) == root_hash(hashes[index * width : (index + 1) * width])
