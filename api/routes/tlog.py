"""The log as C2SP tlog-tiles (https://c2sp.org/tlog-tiles) under `/tlog/`: the latest signed
checkpoint, hash tiles `tile/<L>/<N>[.p/<W>]` and entry bundles `tile/entries/<N>[.p/<W>]`, static
resources any web cache, object store or folder can mirror (`mingzhang mirror`), from which a verifier
computes every root and proof itself.

Tiles are cut from the transparency view's stored tree (tile level L is stored level 8·L) and the event
store, not recomputed per request (and full ones, which never change, kept in memory, 32 MiB at most), and only within the largest signed tree: a tile beyond it, or a
path not spelled as the spec spells it, is a 404 `unknown_tile` that no cache keeps. Full tiles never
change and are served `immutable` for a year with an ETag; partial ones are superseded as the log
grows, so caches keep them for a minute; the checkpoint for a few seconds. Entry bundles are gzipped
for clients that ask, as the spec recommends. A tile the server should
have but cannot cut (a hash or an event missing from its stores) is a 503 `log_unavailable`, as for the
proofs of `/transparency`.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import threading
from collections import OrderedDict
from typing import Any

from fastapi import APIRouter, Request, Response

from api.deps import LedgerDep
from api.errors import ErrorBody, error_response
from api.routes.transparency import ViewsDep, published_checkpoint
from projections.transparency import (
    InconsistentLog,
    MissingEntries,
    signed_size,
    stored_entry_bundle,
    stored_tile,
)
from storage.viewdb import ViewDB
from transparency.tiles import EntryTooLarge, Tile, parse_tile_path

router = APIRouter(prefix="/tlog", tags=["tlog"])
log = logging.getLogger("mingzhang.api")

CHECKPOINT_CACHE = "public, max-age=5"
FULL_CACHE = "public, max-age=31536000, immutable"
PARTIAL_CACHE = "public, max-age=60"
NO_STORE = {"Cache-Control": "no-store"}
IDENTITY, GZIP = "identity", "gzip"
OCTETS = "application/octet-stream"

TILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {OCTETS: {}}, "description": "the tile's bytes"},
    304: {"description": "If-None-Match named the full tile's ETag"},
    404: {
        "model": ErrorBody,
        "description": "`unknown_tile`: a malformed path, or a tile beyond the largest signed tree",
    },
    503: {
        "model": ErrorBody,
        "description": "`log_unavailable`: the server's stores lack a hash or event this tile holds",
    },
}


class FullTiles:
    """The full tiles served lately, their bytes and ETag, up to `limit` bytes in all, least
    recently served out first. A full tile's bytes never change once its tree is signed, so a tile
    asked again (the verifier's, the mirror's, the next cache's) is not read from the stores again;
    the signed size is still read per request, so nothing beyond the signed tree is served."""

    def __init__(self, limit: int = 32 * 1024 * 1024) -> None:
        self.limit, self.held = limit, 0
        self.tiles: OrderedDict[tuple[Tile, str], tuple[bytes, str]] = OrderedDict()
        self.lock = threading.Lock()  # sync routes run in a thread pool

    def get(self, tile: Tile, encoding: str = IDENTITY) -> tuple[bytes, str] | None:
        with self.lock:
            found = self.tiles.get((tile, encoding))
            if found is not None:
                self.tiles.move_to_end((tile, encoding))
            return found

    def put(self, tile: Tile, body: bytes, encoding: str = IDENTITY) -> tuple[bytes, str]:
        """`body` as sent in `encoding`; its ETag is of those bytes, so each encoding has its own."""
        entry = (body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
        with self.lock:
            if (tile, encoding) not in self.tiles:
                self.tiles[(tile, encoding)] = entry
                self.held += len(body)
            while self.held > self.limit and self.tiles:
                _, (old, _) = self.tiles.popitem(last=False)
                self.held -= len(old)
        return entry


def full_tiles(request: Request) -> FullTiles:
    state = request.app.state
    if not hasattr(state, "full_tiles"):
        state.full_tiles = FullTiles()
    cache: FullTiles = state.full_tiles
    return cache


def _unknown(message: str) -> Response:
    return error_response(404, "unknown_tile", message, **NO_STORE)


def _unavailable(error: Exception) -> Response:
    log.error("cannot cut a tile: %s", error)
    return error_response(
        503,
        "log_unavailable",
        "the server cannot cut this tile from its stores; the operator's log says why",
        **NO_STORE,
    )


def _signed_tile(path: str, views: ViewDB) -> Tile | Response:
    try:
        tile = parse_tile_path(path)
    except ValueError as error:
        return _unknown(f"{path} is not a tile path: {error}")
    size = signed_size(views)
    if tile.covers > size:
        return _unknown(f"{tile.path()} is beyond the largest signed tree (size {size})")
    return tile


def accepts_gzip(request: Request) -> bool:
    """Whether Accept-Encoding names gzip (or `*`) without `q=0`."""
    for offer in request.headers.get("accept-encoding", "").lower().split(","):
        name, *parameters = (part.strip() for part in offer.split(";"))
        refused = any(
            p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in parameters
        )
        if name in (GZIP, "*") and not refused:
            return True
    return False


def _encoded(headers: dict[str, str], encoding: str | None) -> dict[str, str]:
    """Entry bundles are sent compressed to whoever asks (hash tiles are random bytes: they do not
    compress), so caches must key them on Accept-Encoding."""
    if encoding is None:
        return headers
    extra = {"Vary": "Accept-Encoding"}
    if encoding == GZIP:
        extra["Content-Encoding"] = GZIP
    return {**headers, **extra}


def _tile_response(
    tile: Tile, body: bytes, request: Request, encoding: str | None = None
) -> Response:
    if encoding == GZIP:
        body = gzip.compress(body, mtime=0)  # mtime 0: the same bytes, and ETag, every time
    if not tile.full:
        headers = _encoded({"Cache-Control": PARTIAL_CACHE}, encoding)
        return Response(body, media_type=OCTETS, headers=headers)
    held = full_tiles(request).put(tile, body, encoding or IDENTITY)
    return _full_response(held, request, encoding)


def _full_response(
    entry: tuple[bytes, str], request: Request, encoding: str | None = None
) -> Response:
    body, etag = entry
    headers = _encoded({"Cache-Control": FULL_CACHE, "ETag": etag}, encoding)
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=OCTETS, headers=headers)


@router.get(
    "/checkpoint",
    summary="The latest signed checkpoint (C2SP tlog-checkpoint)",
    description="The checkpoint `/transparency/checkpoint` publishes (the largest tree signed, or"
    " with witnesses configured the largest their quorum cosigned, with their cosignature/v1"
    " lines), as `text/plain; charset=utf-8`, cached for at most 5 seconds; 404 before there is"
    " one.",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}, 404: {"description": "nothing signed yet"}},
)
def checkpoint(request: Request, views: ViewsDep) -> Response:
    found, missing = published_checkpoint(request.app.state.settings, views)
    if found is None:
        return Response(
            missing,
            status_code=404,
            media_type="text/plain; charset=utf-8",
            headers=NO_STORE,
        )
    return Response(
        found.note,
        media_type="text/plain; charset=utf-8",
        headers={"Cache-Control": CHECKPOINT_CACHE},
    )


@router.get(
    "/tile/entries/{path:path}",
    summary="An entry bundle: the leaf data of a level-0 tile's leaves",
    description="`<N>` or `<N>.p/<W>` as in C2SP tlog-tiles (N in 3-digit groups, `x001/x234/067`):"
    " the leaf data (docs/TRANSPARENCY.md) of leaves 256·N to 256·N + W - 1, each after its length as"
    " a big-endian uint16. Full bundles are immutable (cached a year, with an ETag). Sent with"
    " `Content-Encoding: gzip` to a client whose Accept-Encoding names gzip (`Vary: Accept-Encoding`).",
    response_class=Response,
    responses=TILE_RESPONSES,
)
def entries(path: str, views: ViewsDep, ledger: LedgerDep, request: Request) -> Response:
    tile = _signed_tile(f"tile/entries/{path}", views)
    if isinstance(tile, Response):
        return tile
    encoding = GZIP if accepts_gzip(request) else IDENTITY
    held = full_tiles(request).get(tile, encoding)
    if held is not None:
        return _full_response(held, request, encoding)
    try:
        body = stored_entry_bundle(ledger.recorder, tile)
    except (MissingEntries, EntryTooLarge) as error:
        return _unavailable(error)
    return _tile_response(tile, body, request, encoding)


@router.get(
    "/tile/{level}/{path:path}",
    summary="A hash tile: 256 (or, partial, W) hashes of tree level 8·L",
    description="`<L>/<N>[.p/<W>]` as in C2SP tlog-tiles: hashes 256·N to 256·N + W - 1 of tree level"
    " 8·L (at level 0 the leaf hashes; above, the roots of full tiles of the level below). Full tiles"
    " are immutable (cached a year, with an ETag); partial tiles for a minute.",
    response_class=Response,
    responses=TILE_RESPONSES,
)
def hashes(level: str, path: str, views: ViewsDep, request: Request) -> Response:
    tile = _signed_tile(f"tile/{level}/{path}", views)
    if isinstance(tile, Response):
        return tile
    held = full_tiles(request).get(tile)
    if held is not None:
        return _full_response(held, request)
    try:
        body = stored_tile(views, tile)
    except InconsistentLog as error:
        return _unavailable(error)
    return _tile_response(tile, body, request)
