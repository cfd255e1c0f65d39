"""`Ledger`: the one eventsourcing application, and so the one totally ordered log of every event.

Every aggregate saves into this application, so every event gets one global position (the notification
id), which is also its leaf index in the transparency log. This module is the core: construction,
`acting`, reading (`head`, `applied`, `as_of`, `history`) and the one way a command is carried out
(`_run`/`_attempt`/`_stamp`, with `_get`, `_entry`, `_mint`). The use cases are composed in by family,
each beside its aggregates (organisations in `domain/organization_use_cases.py`, funds, grants and relief
in `domain/foundations/*_use_cases.py`, pairings, mentor links and designations in
`domain/pairing/*_use_cases.py`). A use case is short: validate the command into a record, get the
aggregates, run one command, save them together with the command's row in the command index. Each
returns an `Outcome`: the command's plain result and the log position it wrote, so readers can wait for
their own writes.

Idempotency lives here, once for every command: a command whose id is already in the index is a repeat
when its record equals the stored one (nothing is written, the stored result is returned) and a
`DuplicateCommandError` otherwise. Concurrency is optimistic: two writers that change one aggregate, or
use one command id, at once collide when saving, and the loser reloads and decides again (so a payment
is re-checked against the new balance, and a command applied meanwhile is recognised as a repeat).
"""

from __future__ import annotations

import contextlib
import contextvars
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Generic, TypeVar, cast
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProjectorFunction,
    Repository,
)
from eventsourcing.domain import (
    Aggregate,
    DomainEventProtocol,
    TDomainEvent,
    TMutableOrImmutableAggregate,
)
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, JSONTranscoder
from eventsourcing.utils import EnvType

from domain.clock import Clock, shanghai_today
from domain.command_index import CommandIndex, CommandRow
from domain.errors import (
    ConcurrentModification,
    DuplicateCommandError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    UnknownEntry,
)
from domain.events import LedgerEvent
from domain.foundations.entries import Transfer
from domain.foundations.fund import Fund
from domain.foundations.fund_use_cases import FundUseCases
from domain.foundations.grant_use_cases import GrantUseCases
from domain.foundations.relief_use_cases import ReliefUseCases
from domain.organization_use_cases import OrganizationUseCases
from domain.pairing.designation import DEFAULT_MAX_PER_YEAR
from domain.pairing.designation_use_cases import DesignationUseCases
from domain.pairing.mentoring_use_cases import MentoringUseCases
from domain.pairing.pairing_use_cases import PairingUseCases
from domain.privacy import Minted, NewPerson, PersonalDataVault
from domain.transcodings import register_all

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
E = TypeVar("E")

FUND_SNAPSHOT_INTERVAL = 100
MAX_ATTEMPTS = 12
# Commands addressed to the same aggregate take turns within a process (a lock per stripe of ids), so
# threads of one server do not spend their optimistic retries on each other; other processes still
# meet through the version check.
LOCK_STRIPES = 64
# Aggregates kept between commands (an LRU): a few thousand funds and organisations at most, each a few
# kilobytes; a command then reads only the events since the cached version instead of rebuilding.
AGGREGATE_CACHE_SIZE = 5000


def project(
    aggregate: TMutableOrImmutableAggregate | None, events: Iterable[TDomainEvent]
) -> TMutableOrImmutableAggregate | None:
    """The library's `project_aggregate` without its `assert isinstance(event, CanMutateProtocol)`:
    that protocol is runtime-checkable, so the check walks the protocol's members for every event
    replayed (a third of a command's time in a profile). Every event in this log is an aggregate
    event of ours (`LedgerEvent`), which has `mutate`."""
    for event in events:
        aggregate = cast(Any, event).mutate(aggregate)
    return aggregate


class LedgerRepository(Repository[UUID]):
    """The library's repository with `project` as its projector, and with a get of one aggregate at a
    time per stripe of ids within the process. The library fast-forwards a cached aggregate in place
    under a lock but deep-copies it for the caller after releasing it, so a concurrent get of the same
    aggregate could otherwise copy it half fast-forwarded."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._get_locks = [threading.Lock() for _ in range(LOCK_STRIPES)]

    def get(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: ProjectorFunction[TMutableOrImmutableAggregate, TDomainEvent] = project,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> TMutableOrImmutableAggregate:
        if version is not None or self.cache is None:
            return super().get(aggregate_id, version=version, projector_func=projector_func)
        with self._get_locks[hash(aggregate_id) % LOCK_STRIPES]:
            return super().get(
                aggregate_id,
                projector_func=projector_func,
                fastforward_skipping=fastforward_skipping,
                deepcopy_from_cache=deepcopy_from_cache,
            )


def recorded_at(event: object) -> datetime:
    """When an event was recorded (the library's `timestamp`, which every stored event has)."""
    moment: datetime = cast(Any, event).timestamp
    return moment


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a command did. `created` is False when it was a repeat and nothing new was written.
    `version` is the addressed aggregate's version as the command left it and `position` the log
    position of the command's last event, for a repeat as for the first write, so a repeat can be
    answered exactly as the first answer was (None and the log head only for a repeat of a command
    whose events cannot be found, which an honest log does not have). `left` is the addressed
    aggregate as a new command left it (at `version`): the command's own copy, never the cache's, so
    an answer can show it without loading it again; None for a repeat."""

    value: T
    position: int
    created: bool
    version: int | None = None
    left: Aggregate | None = None


def _names(event: object, some_id: UUID) -> bool:
    """Whether one of the event's own fields holds this id (a donation's `donation_id`, a command's
    `command_id`, a reservation's `reservation_id`...)."""
    return any(
        value == some_id
        for name, value in vars(event).items()
        if name not in ("originator_id", "originator_version", "timestamp")
    )


@dataclass(frozen=True)
class Acting:
    """Who is acting (an API key id; None for the operator's own tools) and, optionally, the version
    the caller expects the addressed aggregate to be at (HTTP If-Match)."""

    actor: str | None = None
    expected_version: int | None = None


# Set per request by `Ledger.acting`; a context variable, so concurrent requests in threads don't mix.
_acting: contextvars.ContextVar[Acting] = contextvars.ContextVar(
    "acting",
    default=Acting(),  # noqa: B039 - frozen, so sharing it is safe
)


@dataclass(frozen=True)
class Applied:
    """A command found in the index: the aggregate it was addressed to and the record it produced."""

    aggregate_id: UUID
    record: object


class Ledger(
    Application[UUID],
    GrantUseCases,
    ReliefUseCases,
    PairingUseCases,
    FundUseCases,
    MentoringUseCases,
    DesignationUseCases,
    OrganizationUseCases,
):
    """The one log, and the core every use case runs through. The use cases themselves are composed
    in from their families, beside their aggregates (see `domain/use_cases.py`); `Application` comes
    first so that nothing a family declares can shadow the library's own members."""

    name = "Ledger"
    env: ClassVar[dict[str, str]] = {
        # Seconds a writer waits for PostgreSQL's table lock before giving up, instead of forever.
        "POSTGRES_LOCK_TIMEOUT": "5",
        "ORIGINATOR_ID_TYPE": "uuid",
        # The library's aggregate cache. Fast-forward: every get reads the events stored since the
        # cached version, so several processes on one store (API workers) stay correct. Gets return
        # a deep copy (the library's default, kept on purpose), so a command refused after changing
        # its copy leaves the cached aggregate as it was.
        "AGGREGATE_CACHE_MAXSIZE": str(AGGREGATE_CACHE_SIZE),
        "AGGREGATE_CACHE_FASTFORWARD": "y",
        "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",
    }
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Fund: FUND_SNAPSHOT_INTERVAL}
    snapshotting_projectors: ClassVar[dict[type[Any], ProjectorFunction[Any, Any]]] = {
        Fund: project
    }
    # Projections read the log in sections; ten (the library default) would mean a query per ten events.
    log_section_size = 1000

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        vault: PersonalDataVault | None = None,
        ratification_days: int = 7,
        designations_max_per_year: int = DEFAULT_MAX_PER_YEAR,
        clock: Clock = shanghai_today,
    ) -> None:
        self.vault = vault
        self.clock = clock
        self._stripes = [threading.Lock() for _ in range(LOCK_STRIPES)]
        self._fund_owners: dict[UUID, UUID] = {}
        self.ratification_days = ratification_days
        self.designations_max_per_year = designations_max_per_year
        super().__init__(env)

    def close(self) -> None:
        """Close the event store and the vault the ledger was given (its connection would
        otherwise stay open until the process ends)."""
        super().close()
        if self.vault is not None:
            self.vault.close()

    def construct_env(self, name: str, env: EnvType | None = None) -> Any:
        environment = super().construct_env(name, env)
        # In eventsourcing 9.5.6 the database-function insert path drops the table lock that keeps
        # notification ids gap-free and in commit order, which the transparency log depends on.
        environment["POSTGRES_ENABLE_DB_FUNCTIONS"] = "n"
        return environment

    def construct_repository(self) -> Repository[UUID]:
        # Built as the library builds it (the same settings read from the environment), then given
        # the library's cache, so AGGREGATE_CACHE_MAXSIZE means what the library documents.
        library = super().construct_repository()
        repository = LedgerRepository(
            event_store=library.event_store,
            snapshot_store=library.snapshot_store,
            fastforward=library.fastforward,
            fastforward_skipping=library.fastforward_skipping,
            deepcopy_from_cache=library.deepcopy_from_cache,
        )
        repository.cache = library.cache
        return repository

    def construct_recorder(self) -> ApplicationRecorder:
        recorder = super().construct_recorder()
        if not isinstance(recorder, CommandIndex):
            msg = (
                f"the Ledger needs a recorder that keeps the command index, got {type(recorder)}; "
                "build its environment with storage.database.Database.eventsourcing_env()"
            )
            raise TypeError(msg)
        self.command_index: CommandIndex = recorder
        return recorder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_all(transcoder)

    @contextlib.contextmanager
    def acting(self, actor: str | None, *, expected_version: int | None = None) -> Iterator[None]:
        """Commands inside record `actor` in every event they cause (as the event's `actor`), and
        are refused with PreconditionFailed if the addressed aggregate is not at `expected_version`."""
        token = _acting.set(Acting(actor, expected_version))
        try:
            yield
        finally:
            _acting.reset(token)

    # --- reading ---------------------------------------------------------------------------------

    def today(self) -> date:
        """Today in Shanghai, by the ledger's clock (see `domain/clock.py`)."""
        return self.clock()

    def head(self) -> int:
        """The position of the last event in the log (0 when the log is empty)."""
        return self.recorder.max_notification_id() or 0

    def as_of(
        self, aggregate_id: UUID, *, version: int | None = None, moment: datetime | None = None
    ) -> Aggregate | None:
        """An aggregate as it stood at a version, or at a recording time (None if it did not exist yet)."""
        if moment is not None:
            versions = [
                e.originator_version
                for e in self.events.get(aggregate_id)
                if recorded_at(e) <= moment
            ]
            if not versions:
                return None
            version = versions[-1]
        try:
            found: Aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            return None
        return found

    def history(self, aggregate_id: UUID) -> list[DomainEventProtocol[UUID]]:
        """Every stored event of one aggregate, oldest first."""
        return list(self.events.get(aggregate_id))

    def applied(self, command_id: UUID) -> Applied | None:
        """The command with this id, if the ledger has applied it."""
        row = self.command_index.select_command(command_id)
        if row is None:
            return None
        return Applied(row.aggregate_id, self.mapper.transcoder.decode(row.record))

    # --- vault references for the people a command names -----------------------------------------

    def _mint(
        self,
        subject_id: UUID | None,
        use_id: UUID,
        *,
        field: str,
        person: NewPerson | None = None,
    ) -> Minted:
        """The one way personal data enters the ledger: a reference for this use, of a subject
        already in the vault or of a person given in the command (entered now). Its one undo is
        `forgets_references_of_refused_commands`, which discards both if the command is refused."""
        if self.vault is None:
            msg = "this Ledger has no personal-data vault; construct it with vault=…"
            raise RuntimeError(msg)
        if (person is None) == (subject_id is None):
            raise InvalidInput(
                f"{field}: give either the person or the subject_id of one in the vault",
                field=field,
            )
        try:
            if person is not None:
                return self.vault.mint_for_person(person, use_id)
            assert subject_id is not None
            return self.vault.mint_reference(subject_id, use_id)
        except NotFound as error:
            raise type(error)(f"{field}: {error.message}", field=field) from None

    def _mint_for_person(
        self,
        kind: str,
        subject_id: UUID | None,
        use_id: UUID,
        *,
        field: str,
        person: NewPerson | None = None,
    ) -> Minted | None:
        """A reference for a party that may be a person (a donor, mentor or nominee): minted only
        when it is one, given as a vault subject or in the command; an organisation is named by
        its own id."""
        if kind == "person" and (subject_id is not None or person is not None):
            return self._mint(subject_id, use_id, field=field, person=person)
        if subject_id is not None or person is not None:
            raise InvalidInput(f"{field}: only for a party of kind person, not {kind}", field=field)
        return None

    # --- the one way commands are carried out ----------------------------------------------------

    def _run(
        self,
        command_id: UUID,
        target: UUID,
        request: T,
        act: Callable[[], tuple[T, Sequence[Aggregate]]],
    ) -> Outcome[T]:
        """Repeat check → get → command → save with the command's index row; again from the top
        when another writer changed an aggregate, or used the command id, first."""
        with self._stripes[hash(target) % LOCK_STRIPES]:
            return self._attempt(command_id, target, request, act)

    def _attempt(
        self,
        command_id: UUID,
        target: UUID,
        request: T,
        act: Callable[[], tuple[T, Sequence[Aggregate]]],
    ) -> Outcome[T]:
        for attempt in range(MAX_ATTEMPTS):
            earlier = self.applied(command_id)
            if earlier is not None:
                if earlier.record != request or earlier.aggregate_id != target:
                    raise DuplicateCommandError(
                        f"id {command_id} was already used for a different "
                        f"{type(earlier.record).__name__}; choose a new id",
                        field="id",
                    )
                result: T = earlier.record  # equal to the request, so a T
                written = self._written(command_id, target)
                if written is None:
                    return Outcome(result, self.head(), created=False)
                return Outcome(result, written[1], created=False, version=written[0])
            value, touched = act()
            aggregates = list({a.id: a for a in touched}.values())
            self._stamp(target, aggregates)
            row = CommandRow(command_id, target, self.mapper.transcoder.encode(value))
            try:
                recordings = self.save(*aggregates, commands=[row])
            except IntegrityError:
                # Lost a race: back off a little, reload, decide again.
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
                continue
            left = next((a for a in aggregates if a.id == target), None)
            version = None if left is None else left.version
            return Outcome(
                value, recordings[-1].notification.id, created=True, version=version, left=left
            )
        raise ConcurrentModification(
            f"the command could not be applied after {MAX_ATTEMPTS} attempts because other writers "
            "kept changing the same records; try again"
        )

    def _written(self, command_id: UUID, target: UUID) -> tuple[int, int] | None:
        """The version of `target` that a command left, and the log position of its last event.

        The command's event on `target` is the first that names the command's id (a creation's is
        the aggregate's first event; a later reversal also names the id, so the first one counts).
        Its position is read by the event's key from the recorder. A command saves its target first
        and then the other aggregates it changed (the fund behind a grant...), in one transaction,
        so at adjacent positions: the events that follow, each on another aggregate, are the
        command's until one starts a command of its own (it is the event of the aggregate that
        some command id it names was addressed to)."""
        events = self.events.get(target)
        mine = next((e for e in events if command_id == target or _names(e, command_id)), None)
        if mine is None:
            return None
        position = self.command_index.position_of(mine.originator_id, mine.originator_version)
        if position is None:
            return None
        seen, last, version = {target}, position, mine.originator_version
        for notification in self.recorder.select_notifications(position + 1, 16):
            following = self.mapper.to_domain_event(notification)
            # A command may write two events on one aggregate (an instalment reversed on an active
            # grant, then its award restored; on the fund, the payment reversed, then reserved
            # again): the second names this command's id and starts no other command (a
            # donation's reversal, right after it, names the donation but starts a command).
            if _names(following, command_id) and not self._starts_a_command(
                following, other_than=command_id
            ):
                seen.add(following.originator_id)
                last = notification.id
                if following.originator_id == target:
                    version = following.originator_version
                continue
            if following.originator_id in seen or self._starts_a_command(following):
                break
            seen.add(following.originator_id)
            last = notification.id
        return version, last

    def _starts_a_command(
        self, event: DomainEventProtocol[UUID], *, other_than: UUID | None = None
    ) -> bool:
        """Whether the event is a command's own (a command's other than `other_than`), on the
        aggregate that command was addressed to."""
        # A field naming the aggregate itself (a transfer's `to_fund_id`) is no command of it, but
        # a creation is addressed by the new aggregate's own id.
        ids = [v for v in vars(event).values() if isinstance(v, UUID) and v != event.originator_id]
        if event.originator_version == 1:
            ids.append(event.originator_id)
        for some_id in ids:
            if some_id == other_than:
                continue
            found = self.command_index.select_command(some_id)
            if found is not None and found.aggregate_id == event.originator_id:
                return True
        return False

    def _stamp(self, target: UUID, aggregates: Sequence[Aggregate]) -> None:
        """Check the caller's expected version, and write the actor into every new event. The actor
        is declared on every event (`LedgerEvent.actor`) but set here, because it belongs to every
        event alike and to no aggregate's state; stored events keep it, and decoding puts it back."""
        acting = _acting.get()
        for aggregate in aggregates:
            pending = aggregate.pending_events
            if aggregate.id == target and acting.expected_version is not None:
                before = aggregate.version - len(pending)
                if before != acting.expected_version:
                    raise PreconditionFailed(
                        f"If-Match: the record is at version {before}, not "
                        f"{acting.expected_version}; read it again",
                        field="If-Match",
                    )
            for event in pending:
                if not isinstance(event, LedgerEvent):
                    msg = f"{type(event).__qualname__} is not a LedgerEvent, so it has no actor"
                    raise TypeError(msg)
                event.record_actor(acting.actor)

    def _entry(
        self, entry_id: UUID, kind: type[E], owner_id: UUID, *, field: str, owner: str = "fund"
    ) -> E:
        """The record of an earlier command on this fund (a donation, transfer or reservation), or on
        this grant or relief case (an instalment, a disbursement): an id that names none is unknown."""
        found = self.applied(entry_id)
        record = None if found is None else found.record
        on_this_owner = found is not None and (
            owner_id in (record.from_fund_id, record.to_fund_id)
            if isinstance(record, Transfer)
            else found.aggregate_id == owner_id
        )
        if not isinstance(record, kind) or not on_this_owner:
            raise UnknownEntry(
                f"{field}: {owner} {owner_id} has no {kind.__name__.lower()} {entry_id}",
                field=field,
            )
        return record

    def _get(self, aggregate_id: UUID, kind: type[A], error: type[NotFound], field: str) -> A:
        aggregate: object = None
        with contextlib.suppress(AggregateNotFoundError):
            aggregate = self.repository.get(aggregate_id)
        if not isinstance(aggregate, kind):
            raise error(f"{field}: no {kind.__name__.lower()} {aggregate_id}", field=field)
        return aggregate
