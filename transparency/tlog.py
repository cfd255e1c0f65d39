"""The tlog layout: a Merkle tree kept as the hashes of its perfect subtrees, (level L, index K) being
the root of the 2^L leaves from leaf K·2^L. About two hashes per leaf; the root at any size and any
RFC 9162 proof read O(log n) of them.

The recursions here take a `read(level, index)` function, so one piece of code serves every place the
layout is kept: the transparency view's table (`projections/transparency.py`, which batches the reads
into one query) and `MemoryTree`, the same layout in memory, which local verification, remote
verification and bundle checks rebuild from the leaves. Standard library and `transparency.merkle` only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from transparency.merkle import EMPTY_ROOT, HASH_SIZE, leaf_hash, node_hash, split_point

Read = Callable[[int, int], bytes]


def perfect_subtrees(size: int) -> list[tuple[int, int]]:
    """(level, index) of the perfect subtrees that make up a tree of `size` leaves, left to right."""
    out, start = [], 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            out.append((level, start >> level))
            start += 1 << level
    return out


def range_root(read: Read, start: int, size: int) -> bytes:
    """MTH of the `size` leaves from `start`, split as RFC 9162 splits them."""
    if size == 0:
        return EMPTY_ROOT
    level = size.bit_length() - 1
    if size == 1 << level and start % size == 0:
        return read(level, start >> level)
    k = split_point(size)
    return node_hash(range_root(read, start, k), range_root(read, start + k, size - k))


def inclusion_path(read: Read, index: int, size: int, start: int = 0) -> list[bytes]:
    """PATH(index, D[size]), RFC 9162 §2.1.3.1."""
    if size == 1:
        return []
    k = split_point(size)
    if index < k:
        return [*inclusion_path(read, index, k, start), range_root(read, start + k, size - k)]
    return [*inclusion_path(read, index - k, size - k, start + k), range_root(read, start, k)]


def consistency_path(read: Read, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[second]), RFC 9162 §2.1.4.1."""
    if first in (0, second):
        return []
    return _subproof(read, first, second, 0, complete=True)


def _subproof(read: Read, m: int, n: int, start: int, *, complete: bool) -> list[bytes]:
    if m == n:
        return [] if complete else [range_root(read, start, n)]
    k = split_point(n)
    if m <= k:
        return [
            *_subproof(read, m, k, start, complete=complete),
            range_root(read, start + k, n - k),
        ]
    return [*_subproof(read, m - k, n - k, start + k, complete=False), range_root(read, start, k)]


class MemoryTree:
    """Leaf hashes appended in order; `levels[L]` holds (L, 0), (L, 1), … packed 32 bytes apiece.

    Appending keeps the compact range (the roots of the perfect subtrees so far) as a stack: a leaf that
    completes subtrees merges them, and every merged node is appended to its level. Every node is
    hashed once, so rebuilding a tree of a million leaves costs what hashing them costs, about 64
    bytes per leaf.
    """

    def __init__(self) -> None:
        self.size = 0
        self.levels: list[bytearray] = [bytearray()]
        self._stack: list[bytes] = []

    def append_data(self, data: bytes) -> None:
        self.extend([leaf_hash(data)])

    def append(self, leaf: bytes) -> None:
        self.extend([leaf])

    def extend(self, leaves: Iterable[bytes]) -> None:
        # A tight loop: at 1,000,000 leaves every attribute lookup here costs about a tenth of a second.
        sha256, levels, stack = hashlib.sha256, self.levels, self._stack
        size, level0 = self.size, self.levels[0]
        for leaf in leaves:
            level0 += leaf
            node, index, level = leaf, size, 0
            while index & 1:  # this leaf completes the subtree whose left half is on the stack
                node = sha256(b"\x01" + stack.pop() + node).digest()
                index >>= 1
                level += 1
                if level == len(levels):
                    levels.append(bytearray())
                levels[level] += node
            stack.append(node)
            size += 1
        self.size = size

    def node(self, level: int, index: int) -> bytes:
        return bytes(self.levels[level][index * HASH_SIZE : (index + 1) * HASH_SIZE])

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (default: all)."""
        size = self.size if size is None else size
        if not 0 <= size <= self.size:
            msg = f"size {size} is outside 0..{self.size}"
            raise ValueError(msg)
        return range_root(self.node, 0, size)

    def inclusion_path(self, index: int, size: int) -> list[bytes]:
        if not 0 <= index < size <= self.size:
            msg = f"index {index} and size {size} are not within 0..{self.size} in order"
            raise ValueError(msg)
        return inclusion_path(self.node, index, size)

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        if not 0 <= first <= second <= self.size:
            msg = f"sizes {first} and {second} are not within 0..{self.size} in order"
            raise ValueError(msg)
        return consistency_path(self.node, first, second)
