"""The log's leaves: how one stored event becomes the bytes the Merkle tree hashes.

Leaf i is the i-th committed event. Its data is a versioned, length-prefixed encoding of what the event
store holds for it (originator id, version, topic, stored state), so anyone holding the stored events can
recompute every leaf hash; docs/TRANSPARENCY.md gives the layout byte by byte. Changing it would make a
new log, so the format carries a version byte.
"""

from __future__ import annotations

import struct
from typing import Any

from transparency.merkle import leaf_hash

LEAF_FORMAT_VERSION = 1


def leaf_data(originator_id: str, version: int, topic: str, state: bytes) -> bytes:
    """0x01 ‖ u32 len ‖ originator id (UTF-8) ‖ u64 version ‖ u32 len ‖ topic ‖ u32 len ‖ state."""
    ident, name = originator_id.encode(), topic.encode()
    return (
        bytes([LEAF_FORMAT_VERSION])
        + struct.pack(">I", len(ident))
        + ident
        + struct.pack(">Q", version)
        + struct.pack(">I", len(name))
        + name
        + struct.pack(">I", len(state))
        + state
    )


def parse_leaf_data(data: bytes) -> tuple[str, int, str, bytes]:
    """The inverse of `leaf_data`: (originator id, version, topic, state), or `ValueError` naming what
    is wrong (unknown format version, a length running past the end, bytes left over, not UTF-8)."""
    if not data or data[0] != LEAF_FORMAT_VERSION:
        found = f"0x{data[0]:02x}" if data else "nothing"
        msg = f"leaf data starts with format version 0x{LEAF_FORMAT_VERSION:02x}, not {found}"
        raise ValueError(msg)
    at = 1

    def take(count: int, what: str) -> bytes:
        nonlocal at
        if at + count > len(data):
            msg = f"leaf data ends inside the {what} (needs {count} bytes at offset {at})"
            raise ValueError(msg)
        part = data[at : at + count]
        at += count
        return part

    def text(what: str) -> str:
        (length,) = struct.unpack(">I", take(4, f"length of the {what}"))
        try:
            return take(length, what).decode()
        except UnicodeDecodeError:
            raise ValueError(f"the leaf's {what} is not UTF-8") from None

    originator_id = text("originator id")
    (version,) = struct.unpack(">Q", take(8, "version"))
    topic = text("topic")
    (length,) = struct.unpack(">I", take(4, "length of the state"))
    state = take(length, "state")
    if at != len(data):
        msg = f"leaf data has {len(data) - at} bytes after the state"
        raise ValueError(msg)
    return originator_id, version, topic, state


def stored_leaf_hash(notification: Any) -> bytes:
    return leaf_hash(
        leaf_data(
            str(notification.originator_id),
            notification.originator_version,
            notification.topic,
            bytes(notification.state),
        )
    )
