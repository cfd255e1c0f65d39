"""`/audit`: the auditor's reads (auditor key only). The log's events in position order, one
aggregate's events, an aggregate as it stood at a version or a moment, and the disclosure as it stood
at a past position or moment, rebuilt by the same view code from the log cut there.

Events and states are turned into JSON field by field; fields holding a commitment are left out, so no
audit answer carries anything derived from a person's data (the log holds no personal data itself).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request

from api.auth import Auditor
from api.deps import LedgerDep
from api.errors import ApiError, ErrorBody
from api.schemas.audit import AggregateState, AuditEvent, AuditEvents, AuditHistory, DisclosureAsOf
from api.schemas.common import yuan
from api.schemas.disclosure import foundation_public, fund_public
from domain.ledger import recorded_at
from domain.money import Money
from projections.disclosure import DisclosureView, reader
from projections.history import positions_of
from projections.pagination import every_row
from projections.runner import PositionBeyondHead, build_as_of, position_at
from storage.viewdb import ViewDB

router = APIRouter(prefix="/audit", tags=["audit"])
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 422)
}
MAX_EVENTS = 1000
# With `actor`, one request reads at most this many events of the log looking for the key's: a key that
# caused few events must not make one request read the whole log. Its page may be short; `next_after`
# says where the next one starts.
MAX_SCANNED = 10 * MAX_EVENTS
MAX_POSITION = 2**62
EVENT_ATTRIBUTES = ("timestamp", "originator_id", "originator_version", "actor")
STATE_ATTRIBUTES = ("_id", "_version", "_created_on", "_modified_on", "_pending_events")

Position = Annotated[int, Query(ge=0, le=MAX_POSITION)]
Moment = Annotated[
    datetime | None,
    Query(description="an ISO 8601 time with its offset, e.g. 2024-06-30T23:59:59+08:00"),
]


def withheld(key: object) -> bool:
    return "commitment" in str(key)


def plain(value: Any) -> Any:
    """A value of an event or an aggregate's state as JSON, commitments left out."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Money):
        return yuan(value.fen)
    if isinstance(value, Enum):
        return plain(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not withheld(f.name)
        }
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items() if not withheld(k)}
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def audit_event(event: Any, position: int | None) -> AuditEvent:
    fields = {k: v for k, v in vars(event).items() if k not in EVENT_ATTRIBUTES}
    return AuditEvent(
        position=position,
        leaf_index=None if position is None else position - 1,
        originator_id=event.originator_id,
        originator_version=event.originator_version,
        topic=type(event).TOPIC,
        recorded_at=recorded_at(event),
        actor=event.actor,
        fields=plain(fields),
    )


def aware(moment: datetime, field: str) -> datetime:
    # The log records times in UTC; a time without an offset would be a guess.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ApiError(
            422,
            "invalid_input",
            f"{field}: give the time with its offset, e.g. 2024-06-30T23:59:59+08:00",
            field,
        )
    return moment


@router.get(
    "/events",
    response_model=AuditEvents,
    responses=ERRORS,
    summary="The log's events in position order, after a position",
)
def events(
    ledger: LedgerDep,
    who: Auditor,
    after: Position = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_EVENTS)] = 100,
    actor: Annotated[
        str | None,
        Query(
            pattern="^[0-9a-f]{32}$",
            description="only the events this API key caused: its key id (32 hex digits, as "
            "`GET /keys` and `GET /keys/me` give it)",
        ),
    ] = None,
) -> AuditEvents:
    head = ledger.head()
    items: list[AuditEvent] = []
    read_to, scanned = after, 0
    while read_to < head and len(items) < limit and scanned < MAX_SCANNED:
        batch = limit if actor is None else MAX_EVENTS
        notifications = ledger.recorder.select_notifications(read_to + 1, batch, stop=head)
        if not notifications:
            break
        for notification in notifications:
            read_to, scanned = notification.id, scanned + 1
            event: Any = ledger.mapper.to_domain_event(notification)
            if actor is None or event.actor == actor:
                items.append(audit_event(event, notification.id))
            if len(items) == limit or scanned == MAX_SCANNED:
                break
    return AuditEvents(items=items, next_after=read_to if read_to < head else None)


@router.get(
    "/aggregates/{aggregate_id}/history",
    response_model=AuditHistory,
    responses=ERRORS,
    summary="Every event of one aggregate, oldest first",
)
def history(aggregate_id: UUID, ledger: LedgerDep, who: Auditor, request: Request) -> AuditHistory:
    found = ledger.history(aggregate_id)
    if not found:
        raise ApiError(
            404,
            "unknown_aggregate",
            f"aggregate_id: the log has no events of {aggregate_id}",
            "aggregate_id",
        )
    views: ViewDB = request.app.state.views
    # Versions the history view has not indexed yet have no position.
    positions = positions_of(views, aggregate_id)
    items = [audit_event(e, positions.get(e.originator_version)) for e in found]
    return AuditHistory(aggregate_id=aggregate_id, items=items)


@router.get(
    "/aggregates/{aggregate_id}",
    response_model=AggregateState,
    responses=ERRORS,
    summary="An aggregate as it stood at a version or at a moment (give exactly one)",
)
def as_of(
    aggregate_id: UUID,
    ledger: LedgerDep,
    who: Auditor,
    version: Annotated[int | None, Query(ge=1, le=MAX_POSITION)] = None,
    as_of: Moment = None,
) -> AggregateState:
    if (version is None) == (as_of is None):
        raise ApiError(
            422, "invalid_input", "version: give exactly one of version and as_of", "version"
        )
    moment = None if as_of is None else aware(as_of, "as_of")
    found = ledger.as_of(aggregate_id, version=version, moment=moment)
    if found is None:
        field = "version" if version is not None else "as_of"
        raise ApiError(
            404, "not_yet", f"{field}: {aggregate_id} did not exist then (or does not exist)", field
        )
    if version is not None and found.version < version:
        raise ApiError(
            404,
            "not_yet",
            f"version: {aggregate_id} is at version {found.version}, not yet {version}",
            "version",
        )
    state = {k: v for k, v in vars(found).items() if k not in STATE_ATTRIBUTES}
    return AggregateState(
        aggregate_id=found.id,
        type=type(found).__name__,
        version=found.version,
        created_on=found.created_on,
        modified_on=found.modified_on,
        state=plain(state),
    )


@router.get(
    "/disclosure",
    response_model=DisclosureAsOf,
    responses=ERRORS,
    summary="The disclosure's foundations and funds as they stood at a position or a moment",
)
def disclosure_as_of(
    ledger: LedgerDep,
    who: Auditor,
    as_of: Moment = None,
    position: Annotated[int | None, Query(ge=0, le=MAX_POSITION)] = None,
) -> DisclosureAsOf:
    if (position is None) == (as_of is None):
        raise ApiError(
            422, "invalid_input", "position: give exactly one of position and as_of", "position"
        )
    if as_of is not None:
        position = position_at(ledger, aware(as_of, "as_of"))
    assert position is not None
    try:
        db = build_as_of(ledger, [DisclosureView()], position=position)
    except PositionBeyondHead:
        raise ApiError(
            422,
            "invalid_input",
            f"position: {position} is beyond the log's head {ledger.head()}",
            "position",
        ) from None
    try:
        foundations = every_row(lambda page: reader.foundations(db, None, page))
        found = [foundation_public(row) for row in foundations]
        funds = every_row(lambda page: reader.funds(db, reader.NO_FILTERS, page))
        fund_rows = [fund_public(row) for row in funds]
    finally:
        db.close()
    return DisclosureAsOf(position=position, foundations=found, funds=fund_rows)
