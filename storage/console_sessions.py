"""The staff console's sessions: a signed-in browser, beside the API keys it was opened with.

Signing in to `/console` exchanges an API key for a session, so the key itself is typed once and never
kept by the browser. The session id (32 random bytes) lives in the browser's cookie only; this table
keeps SHA-256 of it (a random id needs no slow hash), the key it speaks for, its CSRF token (the
synchroniser token every console form carries, useless without the cookie), when it began and when it
expires, and when it was ended by signing out. Nothing here is an event: a session is not a fact about
a foundation's money, and the log is published whole.

A session is live while it is not ended, not past `expires_at`, and its key is not revoked: `live`
checks all three on every request, so revoking a key (`mingzhang keys revoke`, `POST /keys/{id}/revoke`)
ends its sessions at their next request, in whichever process revoked it. Stored in `console_sessions`
in the keys' database (`storage.api_keys`), through the same small SQL layer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from storage.api_keys import ApiKey, ApiKeys

DDL = (
    "CREATE TABLE IF NOT EXISTS console_sessions (session_sha256 TEXT PRIMARY KEY,"
    " key_id TEXT NOT NULL, csrf_token TEXT NOT NULL, created_at TEXT NOT NULL,"
    " expires_at TEXT NOT NULL, ended_at TEXT)"
)
KEPT_AFTER = timedelta(days=1)  # how long an ended or expired session's row is kept
INDEX = "CREATE INDEX IF NOT EXISTS console_sessions_by_key ON console_sessions (key_id)"


@dataclass(frozen=True)
class Session:
    """A live session: the key it speaks for (its role and foundation) and its CSRF token."""

    key: ApiKey
    csrf_token: str
    expires_at: datetime


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class ConsoleSessions:
    def __init__(self, keys: ApiKeys, *, create: bool = True) -> None:
        self.keys = keys
        self.db = keys.db
        if create:  # not on a read-only replica, whose primary created the table
            self.db.execute(DDL)
            self.db.execute(INDEX)

    def open(self, key: ApiKey, lasts: timedelta) -> tuple[str, Session]:
        """A new session for `key` (already authenticated): its id, for the cookie only, and it."""
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = _now()
        expires = now + lasts
        with self.db.transaction():
            # Sessions over for a day are of no use to anyone (nothing here is a record): the
            # table holds the sessions of about a day, however long the service runs.
            self.db.execute(
                "DELETE FROM console_sessions WHERE expires_at < ? OR ended_at < ?",
                ((now - KEPT_AFTER).isoformat(timespec="seconds"),) * 2,
            )
            self.db.execute(
                "INSERT INTO console_sessions VALUES (?, ?, ?, ?, ?, NULL)",
                (
                    _digest(session_id),
                    key.key_id,
                    csrf,
                    now.isoformat(timespec="seconds"),
                    expires.isoformat(timespec="seconds"),
                ),
            )
        return session_id, Session(key, csrf, expires)

    def live(self, session_id: str | None) -> Session | None:
        """The session this cookie names, if it is still live: not ended, not expired, and its key
        not revoked (a session found dead for either of the last two is ended here and now)."""
        if not session_id:
            return None
        digest = _digest(session_id)
        rows = self.db.execute(
            "SELECT key_id, csrf_token, expires_at, ended_at FROM console_sessions"
            " WHERE session_sha256 = ?",
            (digest,),
        )
        if not rows or rows[0][3] is not None:
            return None
        key_id, csrf, expires_text, _ = rows[0]
        expires = datetime.fromisoformat(str(expires_text))
        key = self.keys.get(str(key_id))
        if key is None or key.revoked_at is not None or expires <= _now():
            self._end(digest)
            return None
        return Session(key, str(csrf), expires)

    def end(self, session_id: str | None) -> None:
        """Sign out: the session is over at once (an unknown or ended one is left as it is)."""
        if session_id:
            self._end(_digest(session_id))

    def _end(self, digest: str) -> None:
        with self.db.transaction():
            self.db.execute(
                "UPDATE console_sessions SET ended_at = ? WHERE session_sha256 = ?"
                " AND ended_at IS NULL",
                (_now().isoformat(timespec="seconds"), digest),
            )


def same_token(given: str | None, expected: str) -> bool:
    """Whether a form's CSRF token is the session's, compared in constant time."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())
