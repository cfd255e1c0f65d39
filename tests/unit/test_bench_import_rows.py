"""What the bulk-import bench (bench/bulk_import.py) COPYs as its baseline: the same rows, column
by column, that the import writes from a bundle's entries; and how the HTTP bench reads a server's
peak memory (bench/http.py)."""

from __future__ import annotations

import uuid

import pytest

from bench.bulk_import import copy_rows, row_bytes
from bench.http import peak_kib
from transparency.bundle import stored_event
from transparency.leaf import leaf_data


def entry(version: int, state: bytes, ident: uuid.UUID) -> bytes:
    return leaf_data(str(ident), version, "domain.events:DonationReceived", state)


def test_a_row_is_the_stored_event_the_import_would_insert() -> None:
    ident = uuid.uuid4()
    data = entry(3, b'{"amount":"100"}', ident)
    event = stored_event(data)
    assert copy_rows([data]) == [(ident, 3, "domain.events:DonationReceived", b'{"amount":"100"}')]
    assert (event.originator_id, event.originator_version) == (ident, 3)


def test_rows_keep_the_bundle_order() -> None:
    idents = [uuid.uuid4() for _ in range(5)]
    rows = copy_rows(entry(i + 1, b"{}", ident) for i, ident in enumerate(idents))
    assert [row[0] for row in rows] == idents
    assert [row[1] for row in rows] == [1, 2, 3, 4, 5]


def test_the_rows_bytes_count_the_uuid_the_version_the_topic_and_the_state() -> None:
    rows = copy_rows([entry(1, b"12345", uuid.uuid4()), entry(2, "金额".encode(), uuid.uuid4())])
    topic = len(b"domain.events:DonationReceived")
    assert row_bytes(rows) == (16 + 8 + topic + 5) + (16 + 8 + topic + 6)


def test_an_entry_that_is_not_an_event_is_refused_as_the_import_refuses_it() -> None:
    with pytest.raises(ValueError, match="UUID"):
        copy_rows([leaf_data("not-a-uuid", 1, "t", b"{}")])


STATUS = "Name:\tmingzhang\nVmPeak:\t  612340 kB\nVmHWM:\t  145220 kB\nVmRSS:\t  140000 kB\n"


def test_a_servers_peak_is_its_vmhwm_in_kib() -> None:
    assert peak_kib(STATUS) == 145_220


def test_a_status_without_vmhwm_is_refused() -> None:
    with pytest.raises(ValueError, match="VmHWM"):
        peak_kib("Name:\tzombie\nState:\tZ (zombie)\n")
