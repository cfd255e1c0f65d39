"""The read-only mode of an API process on a hot standby (`MINGZHANG_READ_ONLY=true`): every request
that could change something (any method but GET, HEAD and OPTIONS) is refused before its route runs,
with 503 `read_only` and no `Retry-After`, because trying again here can never succeed: the client
sends the command to the primary. docs/SCALING.md shows such a replica serving the public pages and
the JSON reads.
"""

from __future__ import annotations

from fastapi import Request

from api.errors import ApiError

READS = frozenset({"GET", "HEAD", "OPTIONS"})


def refuse_writes(request: Request) -> None:
    if request.method not in READS:
        raise ApiError(
            503,
            "read_only",
            "this server is a read-only replica; send commands to the primary",
        )
