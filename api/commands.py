"""How every write runs: as the calling key, honouring If-Match and Idempotency-Key, answering 201 for a
new write and 200 for a repeat, with the aggregate's version as the ETag.

A command with an id of its own in the body (a donation's `donation_id`) is idempotent by that id. A
command without one (close, approve, ratify...) takes its command id from the `Idempotency-Key` header;
without the header every call is a new command. Either way the ledger answers a repeat with the same
id and body with the original result, and a reuse with a different body with 409 `duplicate_command`.
A repeat's body, `ETag` and `position` are the first answer's: routes build the record `at_version`
the command left it (`Outcome.version`), not as other commands have left it since.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Annotated, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from fastapi import Header, Response

from api.auth import Principal
from api.errors import ApiError
from domain.ledger import Ledger, Outcome

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
ETAG = re.compile(r'^(W/)?"?([0-9]+)"?$')

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='apply only if the record is still at this version (its ETag, e.g. "7"); else 412',
    ),
]
IdempotencyKey = Annotated[
    uuid.UUID | None,
    Header(
        alias="Idempotency-Key",
        description="a UUID naming this command, for commands with no id of their own: a retry "
        "with the same key and body is answered with the original result",
    ),
]


def expected_version(if_match: str | None) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    found = ETAG.match(if_match.strip())
    if found is None:
        raise ApiError(
            422,
            "invalid_input",
            'If-Match: give the ETag of the record, such as "7"',
            "If-Match",
        )
    return int(found.group(2))


def command_id(idempotency_key: uuid.UUID | None) -> uuid.UUID:
    return idempotency_key or uuid.uuid4()


def execute(
    ledger: Ledger, who: Principal, if_match: str | None, run: Callable[[], Outcome[T]]
) -> Outcome[T]:
    with ledger.acting(who.key_id, expected_version=expected_version(if_match)):
        return run()


def answer(response: Response, outcome: Outcome[T], current_version: Callable[[], int]) -> int:
    """Set the status (201 new, 200 repeat) and the ETag; return the position for the body."""
    response.status_code = 201 if outcome.created else 200
    version = outcome.version if outcome.version is not None else current_version()
    response.headers["ETag"] = f'"{version}"'
    return outcome.position


def at_version(
    ledger: Ledger, aggregate_id: UUID, version: int, kind: type[A], left: object = None
) -> A:
    """The record as it stood at `version`, the one a command left (its `Outcome.version`): what the
    command's first answer showed, and so what a repeat of it shows again. `left` is the command's
    own copy (`Outcome.left`): when it is that record at that version it is the answer, and the
    record is not rebuilt a second time in the request."""
    if isinstance(left, kind) and left.id == aggregate_id and left.version == version:
        return left
    found = ledger.as_of(aggregate_id, version=version)
    if not isinstance(found, kind):
        msg = f"{aggregate_id} has no version {version} as a {kind.__name__}"
        raise LookupError(msg)
    return found
