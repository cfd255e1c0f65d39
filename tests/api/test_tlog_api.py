"""`/tlog/`, the log as C2SP tlog-tiles: the tiles of the signed tree hold exactly the hashes the
`/transparency` proofs are built from, entry bundles the leaves those hashes hash, full tiles are
immutable with an ETag and partial ones short-lived, and anything beyond the signed tree or not
spelled as the spec spells it is a 404 that no cache keeps."""

from __future__ import annotations

import base64
import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.tlog import FullTiles
from storage.database import Database
from tests.api.conftest import ON_EVERY_BACKEND, settings_for
from tests.support import donate, open_fund, register
from transparency.merkle import leaf_hash
from transparency.signed_note import open_note
from transparency.tiles import Tile, TileHashes, parse_entry_bundle, split_hashes, tiles_of
from transparency.tlog import inclusion_path, range_root

SIZE = 2 + 256 + 3  # a foundation, a fund, then donations: one full tile and a partial of 5


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp_path = tmp_path_factory.mktemp("tlog")
    database = Database("sqlite", sqlite_path=str(tmp_path / "ledger.sqlite"))
    app = create_app(settings_for(database, tmp_path))
    with TestClient(app) as test_client:
        ledger = app.state.ledger
        fund_id = open_fund(ledger, register(ledger))
        for _ in range(SIZE - 2):
            donate(ledger, fund_id, "1")
        assert app.state.runner.wait_for("transparency", ledger.head(), timeout=30)
        yield test_client


def signed_size(client: TestClient) -> int:
    key = client.get("/transparency/public-key").text.strip()
    return int(open_note(client.get("/tlog/checkpoint").text, key).splitlines()[1])


def test_the_checkpoint_is_the_signed_note_as_text_cached_for_seconds(client: TestClient) -> None:
    answer = client.get("/tlog/checkpoint")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.headers["cache-control"] == "public, max-age=5"
    assert answer.text == client.get("/transparency/checkpoint").text
    assert signed_size(client) == SIZE


def test_the_tiles_hold_the_hashes_the_proofs_are_built_from(client: TestClient) -> None:
    assert [t.path() for t in tiles_of(SIZE)] == ["tile/0/000", "tile/0/001.p/5", "tile/1/000.p/1"]
    tiles = {}
    for tile in tiles_of(SIZE):
        answer = client.get(f"/tlog/{tile.path()}")
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/octet-stream"
        assert len(answer.content) == 32 * tile.width
        tiles[(tile.level or 0, tile.index)] = answer.content
    level0 = split_hashes(tiles[(0, 0)] + tiles[(0, 1)])
    for index in (0, 1, 255, 256, SIZE - 1):
        proof = client.get(
            "/transparency/proofs/inclusion", params={"index": index, "size": SIZE}
        ).json()
        assert level0[index].hex() == proof["leaf_hash"]
        assert [h.hex() for h in inclusion_path(TileHashes(tiles).read, index, SIZE)] == proof[
            "proof"
        ]
        assert range_root(TileHashes(tiles).read, 0, SIZE).hex() == proof["root"]
    # Level 1 holds the root of the full level-0 tile, and nothing of the partial one.
    consistency = client.get(
        "/transparency/proofs/consistency", params={"first": 256, "second": SIZE}
    ).json()
    assert tiles[(1, 0)].hex() == consistency["first_root"]


def test_entry_bundles_hold_the_leaves_the_level_0_tiles_hash(client: TestClient) -> None:
    full = client.get("/tlog/tile/entries/000")
    partial = client.get("/tlog/tile/entries/001.p/5")
    assert full.headers["content-type"] == partial.headers["content-type"]
    assert full.headers["content-type"] == "application/octet-stream"
    entries = parse_entry_bundle(full.content) + parse_entry_bundle(partial.content)
    assert len(entries) == SIZE
    hashes = split_hashes(
        client.get("/tlog/tile/0/000").content + client.get("/tlog/tile/0/001.p/5").content
    )
    assert [leaf_hash(e) for e in entries] == hashes
    old = client.get("/transparency/entries", params={"start": 250, "end": SIZE}).json()
    assert [base64.b64decode(leaf) for leaf in old["leaves"]] == entries[250:]


@pytest.mark.parametrize("path", ["tile/0/000", "tile/entries/000"])
def test_a_full_tile_is_immutable_with_an_etag(client: TestClient, path: str) -> None:
    answer = client.get(f"/tlog/{path}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in answer.headers
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    etag = answer.headers["etag"]
    assert etag == f'"{hashlib.sha256(answer.content).hexdigest()[:32]}"'
    again = client.get(
        f"/tlog/{path}", headers={"If-None-Match": etag, "Accept-Encoding": "identity"}
    )
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["etag"] == etag


@pytest.mark.parametrize("path", ["tile/entries/000", "tile/entries/001.p/5"])
def test_entry_bundles_are_gzipped_for_clients_that_ask(client: TestClient, path: str) -> None:
    plain = client.get(f"/tlog/{path}", headers={"Accept-Encoding": "identity"})
    assert plain.headers["vary"] == "Accept-Encoding"
    for asked in ("gzip", "br, gzip;q=0.5", "*"):
        answer = client.get(f"/tlog/{path}", headers={"Accept-Encoding": asked})
        assert answer.headers["content-encoding"] == "gzip"
        assert answer.headers["vary"] == "Accept-Encoding"
        assert int(answer.headers["content-length"]) < len(plain.content)
        assert answer.content == plain.content  # as decoded by the client
    refused = client.get(f"/tlog/{path}", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers
    if path == "tile/entries/000":
        gzipped = client.get(f"/tlog/{path}", headers={"Accept-Encoding": "gzip"})
        assert gzipped.headers["etag"] != plain.headers["etag"]


def test_hash_tiles_are_sent_as_they_are(client: TestClient) -> None:
    answer = client.get("/tlog/tile/0/000", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in answer.headers
    assert "vary" not in answer.headers


@pytest.mark.parametrize("path", ["tile/0/001.p/5", "tile/1/000.p/1", "tile/entries/001.p/5"])
def test_a_partial_tile_is_cached_briefly_and_has_no_etag(client: TestClient, path: str) -> None:
    answer = client.get(f"/tlog/{path}")
    assert answer.headers["cache-control"] == "public, max-age=60"
    assert "etag" not in answer.headers


def test_a_narrower_partial_tile_of_the_signed_tree_is_the_first_hashes(client: TestClient) -> None:
    # Served to a client still on an older checkpoint, whose partial tile was narrower.
    narrow = client.get("/tlog/tile/0/001.p/2")
    assert narrow.content == client.get("/tlog/tile/0/001.p/5").content[:64]


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/001",  # the full tile the signed tree does not reach yet
        "tile/0/001.p/6",  # wider than the signed tree
        "tile/0/002.p/1",
        "tile/1/000",
        "tile/2/000.p/1",
        "tile/entries/001",
        "tile/entries/001.p/6",
        "tile/0/1",  # malformed
        "tile/0/x000/000",
        "tile/00/000",
        "tile/64/000",
        "tile/0/000.p/256",
        "tile/0/000.p/0",
        "tile/entries/",
        "tile/0/",
        "tile/x/000",
        "tile/0/-01",
    ],
)
def test_a_tile_beyond_the_signed_tree_or_malformed_is_a_404_no_cache_keeps(
    client: TestClient, path: str
) -> None:
    answer = client.get(f"/tlog/{path}")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "unknown_tile"
    assert answer.headers["cache-control"] == "no-store"


def test_the_routes_are_described_in_the_openapi(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("/tlog/checkpoint", "/tlog/tile/entries/{path}", "/tlog/tile/{level}/{path}"):
        assert route in paths
        assert paths[route]["get"]["description"]
    assert (
        "application/octet-stream"
        in (paths["/tlog/tile/{level}/{path}"]["get"]["responses"]["200"]["content"])
    )


@pytest.fixture
def small(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    """Seven events, signed, on a SQLite file a test may damage behind the server's back."""
    database = Database("sqlite", sqlite_path=str(tmp_path / "ledger.sqlite"))
    app = create_app(settings_for(database, tmp_path))
    with TestClient(app) as test_client:
        ledger = app.state.ledger
        fund_id = open_fund(ledger, register(ledger))
        for _ in range(5):
            donate(ledger, fund_id, "1")
        assert app.state.runner.wait_for("transparency", ledger.head(), timeout=15)
        yield test_client, tmp_path / "ledger.sqlite"


def test_a_tile_the_stores_can_no_longer_cut_is_a_503_never_a_short_tile(
    small: tuple[TestClient, Path],
) -> None:
    client, path = small
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM stored_events WHERE rowid = 3")
    with sqlite3.connect(path.with_name("ledger.views.sqlite")) as views:
        views.execute("DELETE FROM tlog_hashes WHERE level = 0 AND idx = 4")
    for tile in ("tile/entries/000.p/7", "tile/0/000.p/7"):
        answer = client.get(f"/tlog/{tile}")
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "log_unavailable"
        assert answer.headers["cache-control"] == "no-store"
    # What the stores still hold is served: the first two entries and the first four hashes.
    assert len(parse_entry_bundle(client.get("/tlog/tile/entries/000.p/2").content)) == 2
    assert len(client.get("/tlog/tile/0/000.p/4").content) == 4 * 32


def test_a_full_tile_once_served_is_served_from_memory(client: TestClient) -> None:
    first = client.get("/tlog/tile/0/000")
    held = client.app.state.full_tiles  # type: ignore[attr-defined]
    assert held.get(Tile(0, 0)) == (first.content, first.headers["etag"])
    again = client.get("/tlog/tile/0/000")
    assert (again.content, again.headers["etag"]) == (first.content, first.headers["etag"])
    # Partial tiles are superseded as the log grows: never held.
    client.get("/tlog/tile/0/001.p/5")
    assert held.get(Tile(0, 1, 5)) is None


def test_the_tiles_held_in_memory_stay_within_their_limit() -> None:
    held = FullTiles(limit=3 * 8192)
    for index in range(5):
        held.put(Tile(0, index), bytes([index]) * 8192)
    assert [held.get(Tile(0, i)) is not None for i in range(5)] == [False, False, True, True, True]
    assert held.held == 3 * 8192


@ON_EVERY_BACKEND
def test_on_every_backend_the_tiles_are_the_stored_tree(
    backend_database: Database, tmp_path: Path
) -> None:
    app = create_app(settings_for(backend_database, tmp_path))
    with TestClient(app) as client:
        ledger = app.state.ledger
        fund_id = open_fund(ledger, register(ledger))
        for _ in range(5):
            donate(ledger, fund_id, "1")
        assert app.state.runner.wait_for("transparency", ledger.head(), timeout=15)
        entries = parse_entry_bundle(client.get("/tlog/tile/entries/000.p/7").content)
        hashes = split_hashes(client.get("/tlog/tile/0/000.p/7").content)
        assert [leaf_hash(e) for e in entries] == hashes
        for index in range(7):
            proof = client.get(
                "/transparency/proofs/inclusion", params={"index": index, "size": 7}
            ).json()
            assert proof["leaf_hash"] == hashes[index].hex()
        assert client.get("/tlog/tile/0/000.p/8").status_code == 404
