"""RFC 6962 / RFC 9162 Merkle tree hashing, proofs and their verification: pure functions, standard
library only, no I/O, so any verifier can import this one file on its own.

Leaf hash = SHA-256(0x00 ‖ data); node hash = SHA-256(0x01 ‖ left ‖ right); the empty tree's root is
SHA-256(""). `root_hash`, `inclusion_proof` and `consistency_proof` follow the recursive definitions of
RFC 9162 §2.1 (MTH, PATH, PROOF); the two verifiers follow §2.1.3.2 and §2.1.4.2 and return False —
never raise — for any malformed proof, wrong size, index out of range or wrong root. Sizes are plain
integers, so trees of 2^32 leaves and beyond verify with proofs of about 32 hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than n (n ≥ 2): where MTH splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def root_hash(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over already-hashed leaves; the empty tree is SHA-256("")."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = split_point(n)
    return node_hash(root_hash(leaf_hashes[:k]), root_hash(leaf_hashes[k:]))


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(index, D[n]), index 0-based."""
    n = len(leaf_hashes)
    if not 0 <= index < n:
        msg = f"index {index} is outside a tree of {n} leaves"
        raise ValueError(msg)
    if n == 1:
        return []
    k = split_point(n)
    if index < k:
        return [*inclusion_proof(index, leaf_hashes[:k]), root_hash(leaf_hashes[k:])]
    return [*inclusion_proof(index - k, leaf_hashes[k:]), root_hash(leaf_hashes[:k])]


def consistency_proof(first: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PROOF(first, D[n]) for n = len(leaf_hashes); empty when first is 0 or n."""
    n = len(leaf_hashes)
    if not 0 <= first <= n:
        msg = f"first size {first} is outside 0..{n}"
        raise ValueError(msg)
    if first in (0, n):
        return []
    return _subproof(first, leaf_hashes, complete=True)


def _subproof(m: int, leaf_hashes: Sequence[bytes], *, complete: bool) -> list[bytes]:
    n = len(leaf_hashes)
    if m == n:
        return [] if complete else [root_hash(leaf_hashes)]
    k = split_point(n)
    if m <= k:
        return [*_subproof(m, leaf_hashes[:k], complete=complete), root_hash(leaf_hashes[k:])]
    return [*_subproof(m - k, leaf_hashes[k:], complete=False), root_hash(leaf_hashes[:k])]


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does `proof` show the leaf hash at `index` in the tree of `size` with `root`?"""
    if not (_is_size(index) and _is_size(size) and _is_hash(leaf) and _is_hash(root)):
        return False
    if not isinstance(proof, Sequence) or not all(_is_hash(p) for p in proof):
        return False
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of size `second` an append-only extension of size `first`?"""
    if not (
        _is_size(first) and _is_size(second) and _is_hash(first_root) and _is_hash(second_root)
    ):
        return False
    if not isinstance(proof, Sequence) or not all(_is_hash(p) for p in proof):
        return False
    if first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # first is a power of two: its root is the first node
        path = [first_root, *path]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
