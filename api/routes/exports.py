"""`/exports`: the public disclosure as files to download, no key needed. `/exports/360giving.json` is
every grant, relief disbursement and pairing funding as a 360Giving 1.4.3 data package
(`projections.disclosure.giving360`), streamed a page of rows at a time, naming the checkpoint that
was the latest when it began; `/exports/360giving.xlsx` is the same package as a spreadsheet, made
from that JSON by flattentool (360Giving's own converter) against the local copy of the standard's
schema, never the network.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import flattentool
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from api.deps import LedgerDep
from api.errors import ApiError, ErrorBody
from domain.standards import GRANT_SCHEMA
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DESCRIPTION = """The package of `/exports/360giving.json` as the 360Giving spreadsheet
(XLSX), converted by flattentool with the standard's own column titles: a `grants` sheet, one row per
grant, and one sheet per repeated part (Recipient Org, Funding Org, Beneficiary Location,
Classifications, Planned Dates...), each row naming its grant's Identifier. Made whole before it is
sent (flattentool writes a file), so it takes longer than the JSON for a large ledger."""


@router.get(
    "/360giving.xlsx",
    response_class=FileResponse,
    responses={
        200: {"content": {XLSX: {}}, "description": "the 360Giving spreadsheet"},
        404: {"model": ErrorBody, "description": "`nothing_to_export`"},
    },
    summary="The disclosure as the 360Giving spreadsheet (XLSX download)",
    description=XLSX_DESCRIPTION,
)
def giving360_xlsx(request: Request, ledger: LedgerDep) -> Any:
    db: ViewDB = request.app.state.views
    checkpoint = latest_checkpoint(db)
    pieces = giving360.package(db, today=ledger.today(), checkpoint=checkpoint)
    if pieces is None:
        raise nothing_to_export()
    folder = Path(tempfile.mkdtemp(prefix="mingzhang-360giving-"))
    try:
        package = folder / "package.json"
        with package.open("w", encoding="utf-8") as out:
            out.writelines(pieces)
        workbook = folder / "package.xlsx"
        with warnings.catch_warnings():
            # flattentool warns that the schema's transaction fields have no title, which is true
            # of the standard's schema and changes nothing in the sheets it writes.
            warnings.simplefilter("ignore")
            flattentool.flatten(
                str(package),
                schema=str(GRANT_SCHEMA),
                output_name=str(workbook),
                output_format="xlsx",
                main_sheet_name="grants",
                root_list_path="grants",
                use_titles=True,
            )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    size = checkpoint.size if checkpoint is not None else 0
    return FileResponse(
        workbook,
        media_type=XLSX,
        filename=f"mingzhang-360giving-{size}.xlsx",
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
