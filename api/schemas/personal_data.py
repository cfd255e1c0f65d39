"""What the privacy officer reads and writes (`/personal-data`): a subject's data as the vault holds
it, an erasure, and the proof that lets a person check a commitment in the public log themselves.
These are the only answers of the API that carry personal data."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Command


class PersonalDataOut(BaseModel):
    subject_id: UUID
    name: str = Field(examples=["测试人员甲（虚构）"])
    id_card: str | None = Field(description="居民身份证号 (GB 11643)")
    phone: str | None
    address: str | None
    neighbourhood_committee: str | None = Field(description="居委会 / 村委会")


class Erased(BaseModel):
    subject_id: UUID
    erased_on: date = Field(description="when the data was erased (by this call or an earlier one)")
    already_erased: bool = Field(description="true when an earlier call had erased it")


class CommitmentProof(BaseModel):
    """Everything needed to recompute a commitment from the public log:
    `HMAC-SHA-256(key = bytes.fromhex(salt_hex), message = canonical_data as UTF-8)`, in hex."""

    reference: UUID = Field(description="the reference the event carries (e.g. its donor_ref)")
    salt_hex: str = Field(description="the reference's random salt, hex (32 bytes)")
    canonical_data: str = Field(
        description="the data as committed: JSON with sorted keys, no spaces, UTF-8, nulls kept",
        examples=[
            '{"address":null,"id_card":null,"name":"测试人员甲（虚构）",'
            '"neighbourhood_committee":null,"phone":null}'
        ],
    )
    commitment: str = Field(description="hex; equal to the commitment in the event")
    algorithm: str = "HMAC-SHA-256(salt, canonical_data)"


class SubjectFound(BaseModel):
    subject_id: UUID = Field(description="the vault subject behind the public reference")


class FindByIdCard(Command):
    """Sent in the body, so the ID number is never in a URL or an access log."""

    id_card: str = Field(
        description="居民身份证号 (GB 11643); a lower-case x is accepted",
        examples=["11010519491231002X"],
    )


class SubjectsFound(BaseModel):
    subject_ids: list[UUID] = Field(
        description="the subjects with this ID number (found by a blind index, nothing decrypted)"
    )


class SubjectUse(BaseModel):
    reference: UUID = Field(
        description="the reference minted for this use (e.g. a donation's donor_ref)"
    )
    position: int | None = Field(
        description="the log position of the event that carries it (null: minted for a command not "
        "in the log, for instance one still being written)"
    )
    commitment_field: str | None = Field(
        description="the event's field holding this use's commitment", examples=["donor_commitment"]
    )


class SubjectUses(BaseModel):
    subject_id: UUID
    uses: list[SubjectUse] = Field(description="oldest first")
