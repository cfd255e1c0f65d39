"""Public transparency endpoints: the latest and past signed checkpoints, the verifier key, inclusion
and consistency proofs, and the leaf data of a range of entries. No key needed: anyone can verify.

Sizes refer to the tree the transparency view has built and signed; a request beyond it, an index at or
past the size, or a first size above the second is a 422 naming the parameter. A proof the stored tree
cannot give (a hash it needs is missing) is a 503 `log_unavailable`, and the operator's log names the
hash: the request is fine, the server's tree is not.
"""

from __future__ import annotations

import base64
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field

from api.deps import LedgerDep
from api.errors import ApiError, ErrorBody
from api.settings import Settings
from projections.cosignatures import cosigned_note, served_checkpoint
from projections.transparency import (
    Checkpoint,
    InconsistentLog,
    TransparencyView,
    checkpoint_signed_at,
    consistency_path,
    inclusion_path,
    root_at,
    signed_size,
    stored_hash,
)
from storage.viewdb import ViewDB
from transparency.leaf import leaf_data

router = APIRouter(prefix="/transparency", tags=["transparency"])
log = logging.getLogger("mingzhang.api")
# Sizes and positions beyond any log this could hold; a larger number is a 422, not a database error.
MAX_POSITION = 2**62
MAX_ENTRIES = 1000


async def get_views(request: Request) -> ViewDB:
    views: ViewDB = request.app.state.views
    return views


async def get_transparency(request: Request) -> TransparencyView:
    view: TransparencyView = request.app.state.runner.views["transparency"]
    return view


ViewsDep = Annotated[ViewDB, Depends(get_views)]
TransparencyDep = Annotated[TransparencyView, Depends(get_transparency)]


class InclusionProof(BaseModel):
    index: int
    size: int
    leaf_hash: str = Field(description="hex")
    proof: list[str] = Field(description="hex hashes, RFC 9162 PATH order")
    root: str = Field(description="hex")


class ConsistencyProof(BaseModel):
    first: int
    second: int
    proof: list[str] = Field(description="hex hashes, RFC 9162 PROOF order")
    first_root: str
    second_root: str


class Entries(BaseModel):
    start: int
    end: int
    leaves: list[str] = Field(description="base64 leaf data (docs/TRANSPARENCY.md), one per entry")


UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {
        "model": ErrorBody,
        "description": "`log_unavailable`: the server's stored tree lacks a hash this proof needs",
    }
}


def unavailable(error: InconsistentLog) -> ApiError:
    """The 503 for a proof the stored tree cannot give. The operator is told which hash is missing
    (sizes and indices only); the client is told no more than that one is."""
    log.error("cannot build a transparency proof: %s", error)
    return ApiError(
        503,
        "log_unavailable",
        "the server cannot build this proof: its stored tree is missing a hash;"
        " the operator's log names it",
    )


def refuse(field: str, message: str) -> JSONResponse:
    return JSONResponse(
        status_code=422,
        content={"error": {"code": "invalid_input", "message": message, "field": field}},
    )


@router.get(
    "/checkpoint",
    response_class=PlainTextResponse,
    summary="The latest signed checkpoint",
    description="The latest signed checkpoint, with the cosignature/v1 lines of the witnesses that"
    " cosigned it (C2SP tlog-cosignature). With witnesses configured (MINGZHANG_WITNESSES), the"
    " latest checkpoint cosigned by MINGZHANG_WITNESS_QUORUM of them (default all), which trails"
    " the latest signed by about one MINGZHANG_WITNESS_INTERVAL_SECONDS; 404 until one is.",
    responses={404: {"description": "No checkpoint signed yet (or, with witnesses, cosigned)"}},
)
def checkpoint(request: Request, views: ViewsDep) -> Any:
    found, missing = published_checkpoint(request.app.state.settings, views)
    if found is None:
        return PlainTextResponse(missing, status_code=404)
    return PlainTextResponse(found.note)


def published_checkpoint(settings: Settings, views: ViewDB) -> tuple[Checkpoint | None, str]:
    """The checkpoint this deployment publishes (here and as `/tlog/checkpoint`), its note with its
    cosignatures; or None and why there is none yet."""
    witnesses = [w.key for w in settings.witness_list]
    found = served_checkpoint(views, witnesses, settings.witness_quorum)
    if found is not None:
        return found, ""
    if witnesses:
        needed = settings.witness_quorum or len(witnesses)
        return None, f"no checkpoint has been cosigned by {needed} of the witnesses yet\n"
    return None, "no checkpoint has been signed yet\n"


@router.get(
    "/checkpoints", response_class=PlainTextResponse, summary="The checkpoint signed at a size"
)
def checkpoint_at(views: ViewsDep, size: Annotated[int, Query(ge=0, le=MAX_POSITION)]) -> Any:
    found = checkpoint_signed_at(views, size)
    if found is None:
        return PlainTextResponse(f"no checkpoint was signed at size {size}\n", status_code=404)
    return PlainTextResponse(cosigned_note(views, found.note))


@router.get(
    "/public-key", response_class=PlainTextResponse, summary="The checkpoints' verifier key"
)
def public_key(view: TransparencyDep) -> str:
    return view.signer.verifier_key() + "\n"


@router.get(
    "/proofs/inclusion",
    response_model=InclusionProof,
    summary="Proof that entry I is in the tree of size N",
    responses=UNAVAILABLE,
)
def inclusion(
    views: ViewsDep,
    index: Annotated[int, Query(ge=0, le=MAX_POSITION)],
    size: Annotated[int, Query(ge=1, le=MAX_POSITION)],
) -> Any:
    if size > signed_size(views):
        return refuse("size", f"size must be at most {signed_size(views)}, the largest signed tree")
    if index >= size:
        return refuse("index", f"index must be less than size {size}")
    try:
        return InclusionProof(
            index=index,
            size=size,
            leaf_hash=stored_hash(views, 0, index).hex(),
            proof=[h.hex() for h in inclusion_path(views, index, size)],
            root=root_at(views, size).hex(),
        )
    except InconsistentLog as error:
        raise unavailable(error) from None


@router.get(
    "/proofs/consistency",
    response_model=ConsistencyProof,
    summary="Proof that tree N extends tree M",
    responses=UNAVAILABLE,
)
def consistency(
    views: ViewsDep,
    first: Annotated[int, Query(ge=0, le=MAX_POSITION)],
    second: Annotated[int, Query(ge=0, le=MAX_POSITION)],
) -> Any:
    if second > signed_size(views):
        return refuse(
            "second", f"second must be at most {signed_size(views)}, the largest signed tree"
        )
    if first > second:
        return refuse("first", "first must not be greater than second")
    try:
        return ConsistencyProof(
            first=first,
            second=second,
            proof=[h.hex() for h in consistency_path(views, first, second)],
            first_root=root_at(views, first).hex(),
            second_root=root_at(views, second).hex(),
        )
    except InconsistentLog as error:
        raise unavailable(error) from None


@router.get("/entries", response_model=Entries, summary="Leaf data of entries [start, end)")
def entries(
    ledger: LedgerDep,
    start: Annotated[int, Query(ge=0, le=MAX_POSITION)],
    end: Annotated[int, Query(ge=0, le=MAX_POSITION)],
) -> Any:
    if end < start:
        return refuse("end", "end must not be less than start")
    if end - start > MAX_ENTRIES:
        return refuse("end", f"at most {MAX_ENTRIES} entries per request")
    if end > ledger.head():
        return refuse("end", f"end must be at most {ledger.head()}, the log's size")
    notifications = (
        ledger.recorder.select_notifications(start + 1, end - start) if end > start else []
    )
    data = [
        leaf_data(str(n.originator_id), n.originator_version, n.topic, bytes(n.state))
        for n in notifications
    ]
    return Entries(start=start, end=end, leaves=[base64.b64encode(d).decode() for d in data])
