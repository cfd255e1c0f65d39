"""`UseCases`: the base of every family of the ledger's use cases, and the part of the core they call.

The use cases are grouped by the aggregates they serve (`domain/organization_use_cases.py`,
`domain/foundations/{fund,grant,relief}_use_cases.py`, `domain/pairing/{pairing,mentoring,designation}_use_cases.py`)
and composed into the one `Ledger` application in `domain/ledger.py`, which holds the core (the command
index, `_run`/`_attempt`/`_stamp`, `_get`, `_entry`, `_mint`). A family extends the families whose
aggregates it loads (a grant reserves in a fund, so `GrantUseCases` extends `FundUseCases`) and, at the
root, this base. The core is declared here for the type checker only: a family then imports nothing of
`domain/ledger.py` at run time (which imports the families, so there is no cycle), no stand-in here can
shadow `Application.repository` or the core's methods in `Ledger`'s method resolution order, and mypy
checks `Ledger`'s implementations against these declarations. A base class rather than a `Protocol` as
each method's `self` type, so the families' methods keep a plain `self` and call one another
(`self.get_fund`) with nothing declared twice. `forgets_references_of_refused_commands` is here, not in
the core, because the families apply it when their classes are defined.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar
from uuid import UUID

from domain.privacy import PersonalDataVault

if TYPE_CHECKING:
    from eventsourcing.application import Repository
    from eventsourcing.domain import Aggregate

    from domain.errors import NotFound
    from domain.ledger import Applied, Outcome
    from domain.privacy import Minted, NewPerson

T = TypeVar("T")
A = TypeVar("A", bound="Aggregate")
E = TypeVar("E")
P = ParamSpec("P")
R = TypeVar("R")


class UseCases:
    """What a use case may call of the ledger besides other families' use cases."""

    vault: PersonalDataVault | None

    if TYPE_CHECKING:

        @property
        def repository(self) -> Repository[UUID]: ...

        def applied(self, command_id: UUID) -> Applied | None: ...

        def today(self) -> date: ...

        def _run(
            self,
            command_id: UUID,
            target: UUID,
            request: T,
            act: Callable[[], tuple[T, Sequence[Aggregate]]],
        ) -> Outcome[T]: ...

        def _get(
            self, aggregate_id: UUID, kind: type[A], error: type[NotFound], field: str
        ) -> A: ...

        def _entry(
            self, entry_id: UUID, kind: type[E], owner_id: UUID, *, field: str, owner: str = "fund"
        ) -> E: ...

        def _mint(
            self,
            subject_id: UUID | None,
            use_id: UUID,
            *,
            field: str,
            person: NewPerson | None = None,
        ) -> Minted: ...

        def _mint_for_person(
            self,
            kind: str,
            subject_id: UUID | None,
            use_id: UUID,
            *,
            field: str,
            person: NewPerson | None = None,
        ) -> Minted | None: ...


U = TypeVar("U", bound=UseCases)


def forgets_references_of_refused_commands(
    use_argument: str,
) -> Callable[[Callable[Concatenate[U, P], R]], Callable[Concatenate[U, P], R]]:
    """For a use case that mints a vault reference before the ledger decides: if the command ends
    refused (or fails) and was never recorded, the reference minted for it is removed again, so the
    vault keeps no copy of a person's data for a use that never happened."""

    def wrap(method: Callable[Concatenate[U, P], R]) -> Callable[Concatenate[U, P], R]:
        signature = inspect.signature(method)

        def run(self: U, /, *args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return method(self, *args, **kwargs)
            except Exception:
                use_id = signature.bind(self, *args, **kwargs).arguments[use_argument]
                if self.vault is not None and self.applied(use_id) is None:
                    self.vault.discard_use(use_id)
                raise

        functools.update_wrapper(run, method)
        return run

    return wrap
