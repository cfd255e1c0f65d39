"""The admin's addition of a subdistrict the official list gained, and its answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from api.schemas.common import Command, Written
from api.schemas.vocabularies import District


class AddSubdistrict(Command):
    district: Annotated[
        District, Field(examples=["pudong"], description="one of Shanghai's 16 districts")
    ]
    name: Annotated[
        str,
        Field(
            examples=["新设街道"],
            description="the official name, ending in 街道, 镇 or 乡 (at most 100 characters)",
        ),
    ]
    reason: Annotated[
        str, Field(examples=["区划调整：2025年新设街道"], description="public: why it was added")
    ]
    added_on: date


class SubdistrictWritten(Written):
    subdistrict_id: Annotated[
        str, Field(description="uuid5 of the district and name: adding it again is a repeat")
    ]
    district: str
    name: str
    reason: str
    added_on: date
