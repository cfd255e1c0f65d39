"""Leaf data decodes back into exactly the stored event it was made from, and anything that is not
leaf data is a `ValueError` saying what is wrong, never a wrong event."""

from __future__ import annotations

import struct
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transparency.leaf import leaf_data, parse_leaf_data


@given(
    originator_id=st.text(max_size=40),
    version=st.integers(min_value=0, max_value=2**64 - 1),
    topic=st.text(max_size=60),
    state=st.binary(max_size=200),
)
def test_leaf_data_round_trips(originator_id: str, version: int, topic: str, state: bytes) -> None:
    data = leaf_data(originator_id, version, topic, state)
    assert parse_leaf_data(data) == (originator_id, version, topic, state)


def test_a_real_event_round_trips() -> None:
    ident = str(uuid4())
    state = '{"name":"社区发展基金","amount":{"fen":100}}'.encode()
    data = leaf_data(ident, 3, "mingzhang/Fund.DonationReceived", state)
    assert parse_leaf_data(data) == (ident, 3, "mingzhang/Fund.DonationReceived", state)


GOOD = leaf_data("id", 1, "topic", b"{}")


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "format version 0x01, not nothing"),
        (b"\x02" + GOOD[1:], "not 0x02"),
        (GOOD[:-1], "ends inside the state"),
        (GOOD[:3], "ends inside the length of the originator id"),
        (GOOD + b"x", "1 bytes after the state"),
        (b"\x01" + struct.pack(">I", 2) + b"\xff\xfe" + GOOD[7:], "originator id is not UTF-8"),
        (b"\x01" + struct.pack(">I", 99) + b"id", "ends inside the originator id"),
    ],
)
def test_malformed_leaf_data_is_refused_naming_the_problem(data: bytes, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_leaf_data(data)
