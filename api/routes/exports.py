"""`/exports`: the public disclosure as files to download, no key needed. `/exports/360giving.json` is
every grant, relief disbursement and pairing funding as a 360Giving 1.4.3 data package
(`projections.disclosure.giving360`), streamed a page of rows at a time, naming the checkpoint that
was the latest when it began.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import LedgerDep
from api.errors import ApiError, ErrorBody
from projections.disclosure import giving360
from projections.transparency import latest_checkpoint
from storage.viewdb import ViewDB

router = APIRouter(prefix="/exports", tags=["exports"])

JSON_DESCRIPTION = """Every grant, every relief disbursement and every pairing's funding as one
[360Giving 1.4.3](https://standard.threesixtygiving.org/) data package, valid against its package
schema, as a download (`Content-Disposition: attachment`). Organisations are `CN-USC-` + their USCC
(`360G-mingzhang-org-` + their id without one); a relief disbursement is a grant to an individual:
"Individual Recipient" under a fresh id per disbursement, its public purpose code, its reason's
public category as a classification, located no finer than the subdistrict; a reversed one (or a
reversed transfer) has `amountDisbursed` 0. Funding in a 大小牵小手 pairing is `regrantType` FRG030
(match funding). Amounts are exact decimal yuan. The top-level `checkpoint` (size, hex root, signed
note) is the latest signed checkpoint when the export began. 404 `nothing_to_export` while the
ledger holds no grant, disbursement or pairing funding (a package needs at least one)."""


def nothing_to_export() -> ApiError:
    return ApiError(
        404,
        "nothing_to_export",
        "the ledger holds no grant, relief disbursement or pairing funding yet:"
        " a 360Giving package needs at least one",
    )


@router.get(
    "/360giving.json",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "the 360Giving data package",
        },
        404: {"model": ErrorBody, "description": "`nothing_to_export`"},
    },
    summary="The disclosure as a 360Giving 1.4.3 data package (JSON download)",
    description=JSON_DESCRIPTION,
)
def giving360_json(request: Request, ledger: LedgerDep) -> Any:
    db: ViewDB = request.app.state.views
    checkpoint = latest_checkpoint(db)
    pieces = giving360.package(db, today=ledger.today(), checkpoint=checkpoint)
    if pieces is None:
        raise nothing_to_export()
    size = checkpoint.size if checkpoint is not None else 0
    return StreamingResponse(
        (piece.encode() for piece in pieces),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="mingzhang-360giving-{size}.json"'},
    )
