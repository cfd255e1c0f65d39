"""Refuse request bodies above MINGZHANG_MAX_BODY_BYTES with a 413, before they are read into memory:
by the declared Content-Length when there is one, else by counting as the body streams in (a chunked
body has no length to declare). A path matching one of `wider` has its own limit instead: the
console's spreadsheet upload, which counts its file itself and says beside the file input when it is
too large (`api/console/routes/imports.py`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response


class BodyLimit:
    def __init__(
        self, app: ASGIApp, limit: int, wider: Sequence[tuple[re.Pattern[str], int]] = ()
    ) -> None:
        self.app, self.limit, self.wider = app, limit, tuple(wider)

    def limit_of(self, path: str) -> int:
        for pattern, limit in self.wider:
            if pattern.match(path):
                return limit
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        seen, refused = 0, False

        async def counted() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Answer now, and tell the app the client has gone: an exception raised here
                    # would reach FastAPI's body reader, which turns any error into its own 400.
                    refused = True
                    await self._refuse(scope, receive, send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def unless_refused(message: Message) -> None:
            # the 413 is the answer; whatever the app makes of the disconnect is not
            if not refused:
                await send(message)

        try:
            await self.app(scope, counted, unless_refused)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = error_response(
            413, "body_too_large", f"the request body is over the limit of {limit} bytes"
        )
        await response(scope, receive, send)
