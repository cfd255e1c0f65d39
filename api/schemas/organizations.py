"""Organisation registry commands (admin) and the organisation as answered."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Command, Written
from api.schemas.vocabularies import District, Grade, OrganizationType, Role, Tier


class RegisterOrganization(Command):
    organization_id: Annotated[UUID, Field(description="chosen by the client")]
    name: Annotated[str, Field(examples=["陆家嘴社区基金会"])]
    uscc: Annotated[
        str | None,
        Field(description="统一社会信用代码 (GB 32100-2015)", examples=["91110000600037341L"]),
    ] = None
    type: Annotated[
        OrganizationType,
        Field(examples=["charity"], description="community social organisation type"),
    ]
    tier: Annotated[Tier, Field(examples=["registered"])]
    roles: Annotated[list[Role], Field(examples=[["community_foundation"]])]
    district: Annotated[
        District, Field(examples=["pudong"], description="one of Shanghai's 16 districts")
    ]
    subdistrict: Annotated[
        str,
        Field(
            examples=["陆家嘴街道"],
            description="a 街道/镇/乡 of the district, on the official list or added "
            "(POST /subdistricts); else 422 unknown_subdistrict",
        ),
    ]
    rural: bool = False
    registered_on: date


class Reclassify(Command):
    type: Annotated[OrganizationType, Field(examples=["charity"])]
    tier: Annotated[Tier, Field(examples=["registered"])]
    reason: Annotated[str, Field(examples=["备案转登记"])]
    reclassified_on: date


class Evaluate(Command):
    evaluation_id: UUID
    grade: Annotated[Grade, Field(examples=["4A"])]
    evaluated_on: date
    evaluator: Annotated[str, Field(examples=["浦东新区民政局"])]


class Deregister(Command):
    reason: str
    deregistered_on: date


class OrganizationOut(BaseModel):
    organization_id: UUID
    name: str
    uscc: str | None
    type: str
    tier: str
    roles: list[str]
    district: str
    subdistrict: str
    rural: bool
    registered_on: date
    grade: str | None
    deregistered_on: date | None
    version: int


class OrganizationWritten(OrganizationOut, Written):
    pass
