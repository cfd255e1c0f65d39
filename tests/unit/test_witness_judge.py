"""The witness's decision (`transparency.witness.judge`) as invariants: every honest extension of what
it cosigned passes, every history that differs in an entry it already cosigned is refused."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from transparency.merkle import EMPTY_ROOT
from transparency.tlog import MemoryTree
from transparency.witness import Witnessed, judge


def tree_of(leaves: list[bytes]) -> MemoryTree:
    tree = MemoryTree()
    for leaf in leaves:
        tree.append_data(leaf)
    return tree


def witnessed(tree: MemoryTree, size: int) -> Witnessed | None:
    return Witnessed(size, tree.root(size), "") if size else None


sizes = st.integers(min_value=0, max_value=70).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@given(sizes)
def test_an_honest_extension_is_cosigned(old_and_new: tuple[int, int]) -> None:
    old, new = old_and_new
    tree = tree_of([f"entry {i}".encode() for i in range(new)])
    proof = tree.consistency_proof(old, new) if old else []
    assert judge(old, proof, new, tree.root(new), witnessed(tree, old)) is None


@given(sizes, st.data())
def test_a_history_that_changed_a_cosigned_entry_is_refused(
    old_and_new: tuple[int, int], data: st.DataObject
) -> None:
    old, new = old_and_new
    if old == 0:
        return  # nothing cosigned yet: any tree is a first view
    leaves = [f"entry {i}".encode() for i in range(new)]
    honest = tree_of(leaves)
    changed = data.draw(st.integers(min_value=0, max_value=old - 1))
    leaves[changed] = b"rewritten"
    fork = tree_of(leaves)
    # The fork's own proof from `old`, against the root the witness cosigned at `old`.
    proof = fork.consistency_proof(old, new)
    answer = judge(old, proof, new, fork.root(new), witnessed(honest, old))
    assert answer is not None
    assert answer.status == 422


@given(sizes)
def test_a_smaller_tree_or_a_stale_old_size_is_never_cosigned(old_and_new: tuple[int, int]) -> None:
    old, new = old_and_new
    tree = tree_of([f"entry {i}".encode() for i in range(new + 1)])
    last = witnessed(tree, new + 1)
    proof = tree.consistency_proof(old, new) if old else []
    answer = judge(old, proof, new, tree.root(new), last)
    assert answer is not None
    assert (answer.status, answer.body) == (409, f"{new + 1}\n")
    above = judge(new + 1, [], new, tree.root(new), last)
    assert above is not None
    assert above.status == 400


def test_the_empty_tree_has_the_empty_root() -> None:
    assert judge(0, [], 0, EMPTY_ROOT, None) is None
    refused = judge(0, [], 0, bytes(32), None)
    assert refused is not None
    assert refused.status == 422
