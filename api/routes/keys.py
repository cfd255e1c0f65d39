"""`/keys`: the admin issues, lists and revokes API keys over HTTP (the first admin key comes from
`mingzhang keys create --role admin`). A new key's token is in the answer once and stored nowhere.
Any key may ask who it is (`/keys/me`): its id, role and foundation, never its secret."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.auth import Admin, AnyKey, get_keys
from api.deps import LedgerDep
from api.errors import ERRORS, ApiError
from api.schemas.common import Command
from storage.api_keys import ApiKey, ApiKeys, KeyRefused

router = APIRouter(prefix="/keys", tags=["keys"])
KeysDep = Annotated[ApiKeys, Depends(get_keys)]


class CreateKey(Command):
    role: Literal["admin", "staff", "auditor", "privacy_officer"]
    foundation_id: Annotated[
        UUID | None, Field(description="required for staff: the foundation the key writes for")
    ] = None


class KeyOut(BaseModel):
    key_id: str = Field(description="the key's id: what events record as their `actor`")
    role: str
    foundation_id: UUID | None = Field(description="the organisation a staff key is bound to")
    created_at: str
    revoked_at: str | None


class NewKey(KeyOut):
    token: str = Field(description="the key itself: shown this once, stored only as a hash")


def key_out(key: ApiKey) -> KeyOut:
    return KeyOut(
        key_id=key.key_id,
        role=key.role,
        foundation_id=key.foundation_id,
        created_at=key.created_at,
        revoked_at=key.revoked_at,
    )


@router.post(
    "", status_code=201, response_model=NewKey, responses=ERRORS, summary="Issue an API key (admin)"
)
def create_key(body: CreateKey, keys: KeysDep, ledger: LedgerDep, who: Admin) -> NewKey:
    if body.foundation_id is not None:
        ledger.get_organization(body.foundation_id, field="foundation_id")
    try:
        key, token = keys.create(body.role, body.foundation_id)
    except KeyRefused as error:
        raise ApiError(422, "invalid_input", f"foundation_id: {error}", "foundation_id") from None
    return NewKey(**key_out(key).model_dump(), token=token)


@router.get(
    "", response_model=list[KeyOut], responses=ERRORS, summary="Every key, revoked ones too (admin)"
)
def list_keys(keys: KeysDep, who: Admin) -> list[KeyOut]:
    return [key_out(key) for key in keys.list()]


@router.get(
    "/me",
    response_model=KeyOut,
    responses=ERRORS,
    summary="Who this key is: its id, role and foundation (any key; never the secret)",
)
def who_am_i(keys: KeysDep, who: AnyKey) -> KeyOut:
    # Authentication found the key a moment ago; it is read again for its dates.
    key = keys.get(who.key_id)
    assert key is not None
    return key_out(key)


@router.post(
    "/{key_id}/revoke",
    response_model=KeyOut,
    responses=ERRORS,
    summary="Revoke a key at once (admin); it stays listed",
)
def revoke_key(key_id: str, keys: KeysDep, who: Admin) -> KeyOut:
    if keys.get(key_id) is None:
        raise ApiError(404, "unknown_key", f"key_id: no key {key_id}", "key_id")
    return key_out(keys.revoke(key_id))
