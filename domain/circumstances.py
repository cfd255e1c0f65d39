"""A relief case's circumstances: the detailed 360Giving reason codes, which the public log holds only
as a commitment.

The codes are few (twelve), so a commitment to them is a secret only while its salt is: HMAC-SHA-256
under a random salt of the canonical JSON of the sorted codes, the salt and the codes kept in the vault
with the case's reference (and deleted with the person). An auditor or the privacy officer given the
salt and the codes recomputes the commitment from the public event; no one else can tell which of the
twelve it hides.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable


def canonical_codes(codes: Iterable[str]) -> bytes:
    """The bytes a reason commitment is computed over: the sorted codes as a JSON list."""
    return json.dumps(sorted(codes), separators=(",", ":")).encode()


def reason_commitment(salt: bytes, codes: Iterable[str]) -> str:
    return hmac.new(salt, canonical_codes(codes), hashlib.sha256).hexdigest()


def verify_reason_commitment(salt: bytes, codes: Iterable[str], claimed: str) -> bool:
    return hmac.compare_digest(reason_commitment(salt, codes), claimed)
