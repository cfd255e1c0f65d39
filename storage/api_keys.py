"""API keys: who may call the HTTP API, in which role, for which foundation.

A key is `mzk_<key id>_<secret>`. Only SHA-256 of the secret is stored (the secret is 32 random bytes,
so a slow hash would add nothing), beside the key id, its role, the foundation a staff key is bound to,
and when it was created and revoked. Keys are never deleted: a revoked key stays listed, so the key id
that events record as their actor always leads somewhere. No names are kept here either.

Stored in `api_keys` beside the views (a SQLite file of its own next to the log, or the PostgreSQL
schema), through the same small SQL layer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from storage.viewdb import ViewDB

ROLES = ("admin", "staff", "auditor", "privacy_officer")
PREFIX = "mzk"

DDL = (
    "CREATE TABLE IF NOT EXISTS api_keys (key_id TEXT PRIMARY KEY, role TEXT NOT NULL,"
    " foundation_id TEXT, secret_sha256 TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)"
)


class KeyRefused(ValueError):
    """A key request that cannot be honoured (unknown role, staff without a foundation...)."""


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    role: str
    foundation_id: UUID | None
    created_at: str
    revoked_at: str | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeys:
    def __init__(self, db: ViewDB, *, create: bool = True) -> None:
        self.db = db
        if create:  # not on a read-only replica, whose primary created the table
            db.execute(DDL)

    def create(self, role: str, foundation_id: UUID | None = None) -> tuple[ApiKey, str]:
        """A new key and its token, which is shown once and never stored."""
        key, token = self.issue(uuid4().hex, role, foundation_id)
        assert token is not None  # a fresh random id names no key yet
        return key, token

    def issue(
        self, key_id: str, role: str, foundation_id: UUID | None = None
    ) -> tuple[ApiKey, str | None]:
        """The key `key_id` (chosen by the caller: the console's form makes it its command id, so a
        double click or a reload issues one key, not two): a new key and its token, or, when that id
        was issued before, that key and None, since its token was shown once and is kept nowhere."""
        if role not in ROLES:
            msg = f"role must be one of {', '.join(ROLES)}, not {role!r}"
            raise KeyRefused(msg)
        if (role == "staff") != (foundation_id is not None):
            msg = "a staff key is bound to one foundation (--foundation); other roles to none"
            raise KeyRefused(msg)
        secret = secrets.token_urlsafe(32)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        founded = None if foundation_id is None else str(foundation_id)
        with self.db.transaction():
            # Two sends at once: one row wins, and the secret stored tells each which it was.
            self.db.execute(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (key_id) DO NOTHING",
                (key_id, role, founded, _digest(secret), now),
            )
            rows = self.db.execute("SELECT secret_sha256 FROM api_keys WHERE key_id = ?", (key_id,))
        key = self.get(key_id)
        assert key is not None
        if not hmac.compare_digest(str(rows[0][0]), _digest(secret)):
            return key, None
        return key, f"{PREFIX}_{key_id}_{secret}"

    def authenticate(self, token: str) -> ApiKey | None:
        """The live key this token belongs to, or None (malformed, unknown, wrong secret, revoked)."""
        prefix, _, rest = token.partition("_")
        key_id, _, secret = rest.partition("_")
        if prefix != PREFIX or not key_id or not secret:
            return None
        rows = self.db.execute(
            "SELECT secret_sha256, revoked_at FROM api_keys WHERE key_id = ?", (key_id,)
        )
        if not rows or rows[0][1] is not None:
            return None
        if not hmac.compare_digest(rows[0][0], _digest(secret)):
            return None
        return self.get(key_id)

    def get(self, key_id: str) -> ApiKey | None:
        rows = self.db.execute(
            "SELECT key_id, role, foundation_id, created_at, revoked_at FROM api_keys WHERE key_id = ?",
            (key_id,),
        )
        return _key(rows[0]) if rows else None

    def list(self) -> list[ApiKey]:
        rows = self.db.execute(
            "SELECT key_id, role, foundation_id, created_at, revoked_at FROM api_keys"
            " ORDER BY created_at, key_id"
        )
        return [_key(row) for row in rows]

    def revoke(self, key_id: str) -> ApiKey:
        key = self.get(key_id)
        if key is None:
            msg = f"no key {key_id}"
            raise KeyRefused(msg)
        if key.revoked_at is None:
            now = datetime.now(UTC).isoformat(timespec="seconds")
            with self.db.transaction():
                self.db.execute(
                    "UPDATE api_keys SET revoked_at = ? WHERE key_id = ?", (now, key_id)
                )
        revoked = self.get(key_id)
        assert revoked is not None
        return revoked


def _key(row: tuple[object, ...]) -> ApiKey:
    key_id, role, foundation, created, revoked = row
    return ApiKey(
        str(key_id),
        str(role),
        None if foundation is None else UUID(str(foundation)),
        str(created),
        None if revoked is None else str(revoked),
    )
