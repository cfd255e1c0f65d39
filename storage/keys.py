"""Secret keys from configuration, or generated on first run into ./var/ with 0600 permissions.

A generated key is fine on a laptop; production must set the variable (and back the key up: without the
vault's master key, the vault's data cannot be read).
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import sys
from pathlib import Path

KEY_BYTES = 32


def decode_key(text: str, *, variable: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{variable} must be base64 of {KEY_BYTES} random bytes") from None
    if len(key) != KEY_BYTES:
        raise ValueError(f"{variable} must be base64 of {KEY_BYTES} random bytes, got {len(key)}")
    return key


def load_or_create_key(configured: str | None, path: Path, *, variable: str) -> bytes:
    if configured:
        return decode_key(configured, variable=variable)
    if path.exists():
        return decode_key(path.read_text(), variable=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(base64.b64encode(key).decode() + "\n")
    print(
        f"mingzhang: warning: {variable} is not set; generated a key into {path} (0600). "
        "Production must set it and keep a backup.",
        file=sys.stderr,
    )
    return key
