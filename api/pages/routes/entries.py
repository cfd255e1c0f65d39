"""`/entries/{index}` and `/verify`: one log entry in words with its inclusion proof against the signed
checkpoint (recomputed in the browser by `static/proof.js` when JavaScript is on), and the checkpoint,
the verifier key, the witnesses that cosign it (what each last cosigned) and the command that checks
the whole ledger.

The proof is read from the live transparency view whatever day the page is shown as of: the stored
tree only grows, so a proof against the checkpoint shown (`page.checkpoint`, that day's when
`?as_of` is given) is the same one. The page holds no leaf data: the script fetches it from the public
`/transparency/entries` (same origin), so no vault reference is written into the page's HTML even in
the encoded form the log publishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from api.errors import ApiError
from api.pages import describe
from api.pages.context import PageContext, PageDep
from api.pages.i18n import translate
from api.pages.render import cached, render
from api.routes.transparency import MAX_POSITION, unavailable
from domain.events import LedgerEvent
from domain.ledger import Ledger
from projections.cosignatures import last_cosigned
from projections.disclosure import reader
from projections.history import business_date
from projections.transparency import Checkpoint, InconsistentLog, inclusion_path
from storage.viewdb import ViewDB
from transparency.leaf import leaf_data
from transparency.merkle import leaf_hash

router = APIRouter(tags=["pages"], include_in_schema=False)


@dataclass(frozen=True)
class Proof:
    """An entry's inclusion proof against a signed checkpoint, hex, as the page prints it."""

    size: int
    leaf_hash: str
    path: tuple[str, ...]
    root: str


def verifier_key(request: Request) -> str:
    key: str = request.app.state.runner.views["transparency"].signer.verifier_key()
    return key


def proof_of(views: ViewDB, index: int, leaf: bytes, checkpoint: Checkpoint | None) -> Proof | None:
    """The proof that leaf `index` is in the checkpoint's tree; None when no checkpoint covers it."""
    if checkpoint is None or index >= checkpoint.size:
        return None
    try:
        path = inclusion_path(views, index, checkpoint.size)
    except InconsistentLog as error:
        raise unavailable(error) from None
    return Proof(
        size=checkpoint.size,
        leaf_hash=leaf_hash(leaf).hex(),
        path=tuple(h.hex() for h in path),
        root=checkpoint.root.hex(),
    )


def named_in(db: ViewDB, descriptions: list[describe.Description]) -> dict[Any, describe.Named]:
    organizations, funds = describe.ids_named(descriptions)
    return describe.names(
        reader.organizations_by_id(db, organizations), reader.funds_by_id(db, funds)
    )


def script_data(
    page: PageContext, index: int, proof: Proof, checkpoint: Checkpoint, key: str
) -> dict[str, Any]:
    """What `static/proof.js` checks, as the page's non-executable JSON data block."""

    return {
        "index": index,
        "size": proof.size,
        "leaf_url": f"/transparency/entries?start={index}&end={index + 1}",
        "tiles": "/tlog/",  # where proof.js reads the entry bundle and hash tiles from
        "leaf_hash": proof.leaf_hash,
        "path": list(proof.path),
        "note": checkpoint.note,
        "key": key,
        "messages": {
            name: translate(page.lang, f"entry.{name}")
            for name in (
                "check.running",
                "check.valid",
                "check.invalid",
                "check.failed",
                "check.insecure",
                "signature.valid",
                "signature.invalid",
                "signature.unsupported",
            )
        },
    }


@router.get("/entries/{index}")
def entry(
    request: Request,
    page: PageDep,
    index: Annotated[int, Path(ge=0, le=MAX_POSITION, description="the leaf index: position − 1")],
) -> Response:
    if (kept := cached(request, page)) is not None:
        return kept
    ledger: Ledger = request.app.state.ledger
    head = ledger.head()
    if index >= head:
        raise ApiError(
            404, "unknown_entry", f"index: no entry {index}; the log holds {head} entries", "index"
        )
    (notification,) = ledger.recorder.select_notifications(index + 1, 1)
    event = ledger.mapper.to_domain_event(notification)
    assert isinstance(event, LedgerEvent)  # every event the ledger stores is one
    leaf = leaf_data(
        str(notification.originator_id),
        notification.originator_version,
        notification.topic,
        bytes(notification.state),
    )
    views: ViewDB = request.app.state.views
    checkpoint = page.checkpoint
    proof = proof_of(views, index, leaf, checkpoint)
    description = describe.describe(event)
    named = named_in(page.db, [description])
    key = verifier_key(request)
    return render(
        request,
        page,
        "entry.html",
        index=index,
        position=index + 1,
        topic=notification.topic,
        aggregate_id=notification.originator_id,
        version=notification.originator_version,
        recorded_at=event.timestamp,
        business_date=business_date(event),
        actor=event.actor,
        description=description,
        sentence=describe.sentence(description, page.lang, named),
        named=named,
        leaf_hash=leaf_hash(leaf).hex(),
        proof=proof,
        checkpoint=checkpoint,
        verifier_key=key,
        data=script_data(page, index, proof, checkpoint, key)
        if proof is not None and checkpoint is not None
        else None,
    )


@router.get("/verify")
def verify(request: Request, page: PageDep) -> Response:
    key = verifier_key(request)
    base = str(request.base_url).rstrip("/")
    settings = request.app.state.settings
    witnesses = last_cosigned(request.app.state.views, settings.witness_list)
    command = f"mingzhang verify --url {base} --key '{key}' --views"
    if witnesses:
        quorum = settings.witness_quorum or len(witnesses)
        command += "".join(f" --witness '{w.witness.key.text}'" for w in witnesses)
        command += f" --quorum {quorum}"
    return render(
        request,
        page,
        "verify.html",
        # A cosignature arrives after its checkpoint: the page's ETag must change with it.
        tag=";".join(f"{w.size}" for w in witnesses),
        checkpoint=page.checkpoint,
        verifier_key=key,
        command=command,
        base=base,
        witnesses=witnesses,
        cosigned_at=lambda timestamp: datetime.fromtimestamp(timestamp, UTC),
    )
