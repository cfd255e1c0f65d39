"""Who is calling: bearer API keys (see `storage/api_keys.py`) and the role each route needs.

Roles: `admin` registers organisations and issues keys; `staff` writes for the one foundation its key is
bound to; `auditor` reads the audit endpoints; `privacy_officer` reads and erases personal data. Public
reads need no key. A missing, malformed, unknown or revoked key is a 401; a key whose role or foundation
may not do what it asks is a 403. Routes state what they need with the `Annotated` aliases below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from storage.api_keys import ApiKeys

bearer = HTTPBearer(auto_error=False, description="an API key: `Authorization: Bearer mzk_…`")


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: str
    foundation_id: UUID | None


def keys_of(request: Request) -> ApiKeys:
    keys: ApiKeys = request.app.state.keys
    return keys


async def get_keys(request: Request) -> ApiKeys:
    return keys_of(request)


def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        header = request.headers.get("authorization")
        message = (
            "Authorization: an API key is required (Bearer mzk_…)"
            if header is None
            else "Authorization: use the form 'Bearer <key>'"
        )
        raise ApiError(401, "unauthenticated", message, "Authorization")
    key = keys_of(request).authenticate(credentials.credentials.strip())
    if key is None:
        raise ApiError(
            401, "invalid_key", "Authorization: the key is unknown or revoked", "Authorization"
        )
    return Principal(key.key_id, key.role, key.foundation_id)


def role(*allowed: str) -> object:
    async def dependency(who: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if who.role not in allowed:
            raise ApiError(
                403,
                "forbidden",
                f"a {who.role} key may not do this; it takes a key of role {' or '.join(allowed)}",
            )
        return who

    return Depends(dependency)


AnyKey = Annotated[Principal, Depends(get_principal)]
Admin = Annotated[Principal, role("admin")]
Staff = Annotated[Principal, role("staff")]
StaffOrAdmin = Annotated[Principal, role("staff", "admin")]
Auditor = Annotated[Principal, role("auditor")]
StaffOrAuditor = Annotated[Principal, role("staff", "auditor")]
AdminOrAuditor = Annotated[Principal, role("admin", "auditor")]
PrivacyOfficer = Annotated[Principal, role("privacy_officer")]


def check_foundation(who: Principal, *foundation_ids: UUID) -> None:
    """A staff key acts only for its own foundation: one of `foundation_ids` must be it."""
    if who.role == "staff" and who.foundation_id not in foundation_ids:
        raise ApiError(
            403,
            "wrong_foundation",
            f"this staff key is bound to foundation {who.foundation_id}; the record belongs to "
            f"{' / '.join(str(f) for f in foundation_ids)}",
        )


def scope_of(who: Principal, asked: UUID | None, field: str = "foundation_id") -> UUID | None:
    """The foundation a list is scoped to: a staff key's own (asking for another's is a 403), or for
    a citywide reader (auditor) the one `asked` for, None meaning every foundation."""
    if who.role != "staff":
        return asked
    if asked is not None and asked != who.foundation_id:
        raise ApiError(
            403,
            "wrong_foundation",
            f"{field}: this staff key is bound to foundation {who.foundation_id} and lists only "
            "its records",
            field,
        )
    return who.foundation_id
