"""`/subdistricts`: the admin adds a subdistrict (街道/镇/乡) when Shanghai's official list gains one;
every subdistrict an organisation or a relief case names must be on the shipped list or added here."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.auth import Admin
from api.commands import answer, execute
from api.deps import LedgerDep
from api.errors import ERRORS
from api.schemas.subdistricts import AddSubdistrict, SubdistrictWritten
from domain.subdistricts import added_subdistrict_id

router = APIRouter(prefix="/subdistricts", tags=["subdistricts"])


@router.post(
    "",
    status_code=201,
    response_model=SubdistrictWritten,
    responses=ERRORS,
    summary="Add a subdistrict the official list gained (admin); the same addition again is a 200",
)
def add(
    body: AddSubdistrict, ledger: LedgerDep, who: Admin, response: Response
) -> SubdistrictWritten:
    outcome = execute(ledger, who, None, lambda: ledger.add_subdistrict(**body.model_dump()))
    position = answer(response, outcome, lambda: 1)
    record = outcome.value
    return SubdistrictWritten(
        position=position,
        subdistrict_id=str(added_subdistrict_id(record.district, record.name)),
        district=record.district,
        name=record.name,
        reason=record.reason,
        added_on=record.added_on,
    )
