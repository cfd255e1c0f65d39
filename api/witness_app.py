"""The witness's own HTTP app (`mingzhang witness serve`): C2SP tlog-witness over a `Witness`.

A separate app from `api.app`, sharing nothing with the ledger (no database, settings or keys of a
deployment), so that a witness run at a district 民政局 or by an auditor is its own process with its
own key and state file. It lives in `api/` because it is HTTP only: every decision is
`transparency.witness`'s, and the answers (plain text, the spec's status codes) are passed through as
they are, not in the ledger API's JSON error body, because tlog-witness clients expect the spec's.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from transparency.witness import MAX_BODY_BYTES, Answer, Witness

ADD_CHECKPOINT = (
    "C2SP tlog-witness add-checkpoint. Body: `old <size>`, up to 63 base64 consistency-proof lines,"
    " a blank line, the log's signed checkpoint. 200: one cosignature/v1 line. 400: a body that"
    " does not parse, or an old size above the checkpoint's. 403: no valid signature by a key this"
    " witness trusts for the origin. 404: an origin this witness does not witness. 409: the old"
    " size is not the size last cosigned; the body (text/x.tlog.size) is that size. 422: the"
    " consistency proof does not verify, or the same size with another root."
)


def _response(answer: Answer) -> Response:
    # The content type as given: Starlette would add "; charset=utf-8" to a text/* media type, and
    # tlog-witness.md names the 409's exactly (text/x.tlog.size).
    return Response(
        answer.body.encode(),
        status_code=answer.status,
        headers={"Content-Type": answer.content_type},
    )


def create_witness_app(witness: Witness) -> FastAPI:
    app = FastAPI(
        title="Mingzhang witness",
        description=f"A tlog-witness cosigning as {witness.key.text}",
        docs_url=None,
        redoc_url=None,
    )

    @app.post(
        "/add-checkpoint",
        description=ADD_CHECKPOINT,
        response_class=Response,
        responses={
            200: {"content": {"text/plain": {}}},
            409: {"content": {"text/x.tlog.size": {}}},
        },
    )
    async def add_checkpoint(request: Request) -> Response:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                return Response("the body is too large\n", status_code=413)
        # SQLite waits for the write lock: off the event loop.
        return _response(await run_in_threadpool(witness.add_checkpoint, body))

    @app.get(
        "/{origin_hash}/checkpoint",
        description="The last checkpoint cosigned for the log whose origin has this lowercase hex"
        " SHA-256, with the log's signature and this witness's cosignature; 404 if none.",
        response_class=Response,
    )
    async def checkpoint(origin_hash: str) -> Response:
        return _response(await run_in_threadpool(witness.checkpoint, origin_hash))

    @app.get(
        "/", description="This witness's cosignature/v1 verifier key.", response_class=Response
    )
    async def key() -> Response:
        return Response(witness.key.text + "\n", media_type="text/plain; charset=utf-8")

    return app
