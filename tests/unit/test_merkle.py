"""RFC 6962 / 9162 Merkle functions against the published vectors, every mutation of them, the
recursive definitions up to 64 leaves, and trees beyond 2^32 leaves."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from transparency.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
    split_point,
    verify_consistency,
    verify_inclusion,
)

# A copy of the published vectors, kept with the tests (tests/vectors/README.md says where from).
VECTORS_FILE = Path(__file__).resolve().parents[1] / "vectors" / "rfc6962-merkle.json"


@pytest.fixture(scope="module")
def vectors() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(VECTORS_FILE.read_text())
    return loaded


def leaves(vectors: dict[str, Any]) -> list[bytes]:
    return [leaf_hash(bytes.fromhex(h)) for h in vectors["leaves_hex"]]


def roots(vectors: dict[str, Any]) -> list[bytes]:
    return [bytes.fromhex(h) for h in vectors["roots_by_size"]]


def test_the_primitives_match(vectors: dict[str, Any]) -> None:
    primitives = vectors["primitives"]
    assert EMPTY_ROOT.hex() == primitives["empty_tree"]
    assert leaf_hash(b"").hex() == primitives["leaf_hash_of_empty"]
    assert leaf_hash(b"L123456").hex() == primitives["leaf_hash_of_ascii_L123456"]


def test_the_root_of_every_prefix_matches(vectors: dict[str, Any]) -> None:
    hashes = leaves(vectors)
    assert [root_hash(hashes[:n]) for n in range(len(hashes) + 1)] == roots(vectors)


def test_every_published_inclusion_proof_is_produced_and_verified(
    vectors: dict[str, Any],
) -> None:
    hashes, by_size = leaves(vectors), roots(vectors)
    for case in vectors["inclusion_proofs"]:
        index, size = case["leaf_index"], case["tree_size"]
        path = [bytes.fromhex(h) for h in case["path"]]
        assert inclusion_proof(index, hashes[:size]) == path
        assert verify_inclusion(index, size, hashes[index], path, by_size[size])


def test_every_published_consistency_proof_is_produced_and_verified(
    vectors: dict[str, Any],
) -> None:
    hashes, by_size = leaves(vectors), roots(vectors)
    for case in vectors["consistency_proofs"]:
        first, second = case["first"], case["second"]
        path = [bytes.fromhex(h) for h in case["path"]]
        assert consistency_proof(first, hashes[:second]) == path
        assert verify_consistency(first, second, by_size[first], by_size[second], path)


def flipped(proof: list[bytes]) -> list[list[bytes]]:
    """Every proof that differs from `proof` in exactly one bit."""
    out = []
    for i, h in enumerate(proof):
        for bit in range(len(h) * 8):
            changed = bytearray(h)
            changed[bit // 8] ^= 1 << (bit % 8)
            out.append([*proof[:i], bytes(changed), *proof[i + 1 :]])
    return out


def test_no_mutation_of_an_inclusion_proof_verifies(vectors: dict[str, Any]) -> None:
    hashes, by_size = leaves(vectors), roots(vectors)
    for case in vectors["inclusion_proofs"]:
        index, size = case["leaf_index"], case["tree_size"]
        path = [bytes.fromhex(h) for h in case["path"]]
        leaf, root = hashes[index], by_size[size]
        for bad in flipped(path):
            assert not verify_inclusion(index, size, leaf, bad, root)
        for bad in ([*path[:-1]], [*path, path[0]], [path[0], *path], path[1:]):
            assert not verify_inclusion(index, size, leaf, bad, root)
        # An off-by-one size names another tree, with its own root: the proof must not verify there
        # unless it is also that tree's proof (a shape two sizes can share; the signed root decides).
        for other in (size - 1, size + 1):
            if index < other <= len(hashes):
                same = inclusion_proof(index, hashes[:other]) == path
                assert verify_inclusion(index, other, leaf, path, by_size[other]) == same
        assert not verify_inclusion(index + 1, size, leaf, path, root)
        assert not verify_inclusion(index, size, leaf, path, by_size[size - 1])
        assert not verify_inclusion(index, size, hashes[(index + 1) % size], path, root)


def test_no_mutation_of_a_consistency_proof_verifies(vectors: dict[str, Any]) -> None:
    by_size = roots(vectors)
    for case in vectors["consistency_proofs"]:
        first, second = case["first"], case["second"]
        path = [bytes.fromhex(h) for h in case["path"]]
        r1, r2 = by_size[first], by_size[second]
        for bad in flipped(path):
            assert not verify_consistency(first, second, r1, r2, bad)
        for bad in (path[:-1], [*path, path[0]], path[1:]):
            assert not verify_consistency(first, second, r1, r2, bad)
        assert not verify_consistency(first, second, r2, r1, path)  # swapped roots
        for a, b in (
            (first - 1, second),
            (first + 1, second),
            (first, second - 1),
            (first, second + 1),
        ):
            # Another pair of sizes names other trees, with their own roots: the proof must not
            # verify there unless it is also their proof.
            if 0 < a < b < len(by_size):
                same = consistency_proof(a, leaves(vectors)[:b]) == path
                assert verify_consistency(a, b, by_size[a], by_size[b], path) == same


@pytest.mark.parametrize(
    "junk",
    [None, b"short", [b"x" * 31], ["not bytes"], 3],
)
def test_malformed_input_is_refused_not_raised(vectors: dict[str, Any], junk: object) -> None:
    hashes, by_size = leaves(vectors), roots(vectors)
    assert not verify_inclusion(0, 8, hashes[0], junk, by_size[8])  # type: ignore[arg-type]
    assert not verify_consistency(3, 8, by_size[3], by_size[8], junk)  # type: ignore[arg-type]
    assert not verify_inclusion(-1, 8, hashes[0], [], by_size[8])
    assert not verify_inclusion(0, 8, b"x", [], by_size[8])
    assert not verify_consistency(8, 3, by_size[8], by_size[3], [])


def test_the_verifiers_agree_with_the_recursive_definitions_up_to_64_leaves() -> None:
    hashes = [leaf_hash(i.to_bytes(2, "big")) for i in range(64)]
    for size in range(1, 65):
        root = root_hash(hashes[:size])
        for index in range(size):
            assert verify_inclusion(
                index, size, hashes[index], inclusion_proof(index, hashes[:size]), root
            )
        for first in range(0, size + 1):
            proof = consistency_proof(first, hashes[:size])
            assert verify_consistency(first, size, root_hash(hashes[:first]), root, proof)
            if 0 < first < size:
                assert not verify_consistency(
                    first,
                    size,
                    root_hash(hashes[: first - 1] or hashes[:1]) if first > 1 else hashes[1],
                    root,
                    proof,
                )


# Trees of 2^32 identical leaves and more: every subtree of a given size has the same root, so roots and
# proofs follow from sizes alone (memoised), and the verifiers get proofs of about 32 hashes.
SAME = leaf_hash(b"same")


@cache
def uniform_root(n: int) -> bytes:
    if n == 1:
        return SAME
    k = split_point(n)
    return node_hash(uniform_root(k), uniform_root(n - k))


def uniform_path(m: int, n: int) -> list[bytes]:
    if n == 1:
        return []
    k = split_point(n)
    if m < k:
        return [*uniform_path(m, k), uniform_root(n - k)]
    return [*uniform_path(m - k, n - k), uniform_root(k)]


def uniform_subproof(m: int, n: int, complete: bool) -> list[bytes]:
    if m == n:
        return [] if complete else [uniform_root(n)]
    k = split_point(n)
    if m <= k:
        return [*uniform_subproof(m, k, complete), uniform_root(n - k)]
    return [*uniform_subproof(m - k, n - k, False), uniform_root(k)]


@pytest.mark.parametrize(
    ("index", "size"), [(0, 2**32 + 5), (2**32 + 4, 2**32 + 5), (123_456_789, 2**40 + 1)]
)
def test_inclusion_verifies_in_trees_beyond_two_to_the_32(index: int, size: int) -> None:
    proof = uniform_path(index, size)
    assert len(proof) <= 41
    assert verify_inclusion(index, size, SAME, proof, uniform_root(size))
    same = uniform_path(index, size + 1) == proof
    assert verify_inclusion(index, size + 1, SAME, proof, uniform_root(size + 1)) == same
    assert not verify_inclusion(index, size, SAME, proof[:-1], uniform_root(size))


def test_consistency_verifies_across_two_to_the_32() -> None:
    first, second = 2**32 - 1, 2**32 + 5
    proof = uniform_subproof(first, second, True)
    assert verify_consistency(first, second, uniform_root(first), uniform_root(second), proof)
    assert not verify_consistency(first, second, uniform_root(second), uniform_root(first), proof)


def test_the_empty_tree_root_is_the_hash_of_nothing() -> None:
    assert root_hash([]) == hashlib.sha256(b"").digest()
    assert verify_consistency(0, 5, EMPTY_ROOT, uniform_root(5), [])
