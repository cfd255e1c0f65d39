"""`Designation`: the yearly selection of community-foundation leaders (带头人) and observation points (观察点).

The city and district civil-affairs bureaus nominate, then select; a selection can be revoked with a
public reason. The plan expects 3–5 of each kind a year: selecting beyond the configured maximum is
refused, and fewer than the minimum shows as a gap in the indicators. The count lives in a
`DesignationYear` aggregate per kind and year, saved with each selection and revocation, so two
selections at once cannot both take the last place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.checks import check_choice, check_date, check_text, check_uuid
from domain.dates import Dated
from domain.errors import AlreadyReversed, InvalidChoice, StateConflict, YearlyMaximumReached
from domain.events import LedgerAggregate, LedgerEvent
from domain.ids import MINGZHANG_NAMESPACE
from domain.privacy import Minted

DESIGNATION_KINDS = MappingProxyType({"leader": "带头人", "observation_point": "观察点"})
NOMINEE_KINDS = ("person", "foundation")
DEFAULT_MAX_PER_YEAR = 5
DEFAULT_MIN_PER_YEAR = 3


@dataclass(frozen=True)
class Nomination:
    STORED_AS: ClassVar[str] = "mingzhang/designation.Nomination"

    kind: str
    year: int
    nominee_kind: str
    nominee_ref: UUID  # a foundation's id, or a person's per-designation vault reference
    nominee_commitment: str | None
    nominating_body: str
    rationale: str
    nominated_on: date

    @classmethod
    def validated(
        cls,
        *,
        kind: str,
        year: int,
        nominee_kind: str,
        nominee_org_id: UUID | None,
        nominee_person: Minted | None,
        nominating_body: str,
        rationale: str,
        nominated_on: date,
    ) -> Nomination:
        check_choice(kind, DESIGNATION_KINDS, field="kind")
        check_choice(nominee_kind, NOMINEE_KINDS, field="nominee_kind")
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            raise InvalidChoice(f"year must be a year such as 2024, got {year!r}", field="year")
        if kind == "observation_point" and nominee_kind != "foundation":
            raise InvalidChoice(
                "nominee_kind: an observation point is a foundation, not a person",
                field="nominee_kind",
            )
        if nominee_kind == "person":
            if nominee_person is None or nominee_org_id is not None:
                raise InvalidChoice(
                    "a person nominee is given by nominee_subject_id only",
                    field="nominee_subject_id",
                )
            ref, committed = nominee_person.reference, nominee_person.commitment
        else:
            if nominee_org_id is None or nominee_person is not None:
                raise InvalidChoice(
                    "a foundation nominee is given by nominee_org_id only", field="nominee_org_id"
                )
            ref, committed = check_uuid(nominee_org_id, field="nominee_org_id"), None
        return cls(
            kind,
            year,
            nominee_kind,
            ref,
            committed,
            check_text(nominating_body, field="nominating_body", max_length=200),
            check_text(rationale, field="rationale", multiline=True),
            check_date(nominated_on, field="nominated_on"),
        )


@dataclass(frozen=True)
class Selection:
    STORED_AS: ClassVar[str] = "mingzhang/designation.Selection"

    selected_on: date
    selecting_body: str

    @classmethod
    def validated(cls, *, selected_on: date, selecting_body: str) -> Selection:
        return cls(
            check_date(selected_on, field="selected_on"),
            check_text(selecting_body, field="selecting_body", max_length=200),
        )


@dataclass(frozen=True)
class Revocation:
    STORED_AS: ClassVar[str] = "mingzhang/designation.Revocation"

    reason: str
    revoked_on: date

    @classmethod
    def validated(cls, *, reason: str, revoked_on: date) -> Revocation:
        return cls(check_text(reason, field="reason"), check_date(revoked_on, field="revoked_on"))


DESIGNATION_RECORDS: tuple[type, ...] = (Nomination, Selection, Revocation)


class Designation(LedgerAggregate, Dated):
    TOPIC = "mingzhang/Designation"
    BEGAN = "the designation was nominated"

    class Created(LedgerAggregate.Created):
        """Base of the creation event; `Nominated` is the one recorded."""

        TOPIC = "mingzhang/Designation.Created"

    @classmethod
    def nominate(cls, designation_id: UUID, nomination: Nomination) -> Designation:
        return cls(
            id=designation_id,
            kind=nomination.kind,
            year=nomination.year,
            nominee_kind=nomination.nominee_kind,
            nominee_ref=nomination.nominee_ref,
            nominee_commitment=nomination.nominee_commitment,
            nominating_body=nomination.nominating_body,
            rationale=nomination.rationale,
            nominated_on=nomination.nominated_on,
        )

    class Nominated(Created):
        """Nominated by a civil-affairs bureau."""

        TOPIC = "mingzhang/Designation.Nominated"
        kind: str
        year: int
        nominee_kind: str
        nominee_ref: UUID
        nominee_commitment: str | None
        nominating_body: str
        rationale: str
        nominated_on: date

    @event(Nominated)
    def __init__(
        self,
        id: UUID,
        kind: str,
        year: int,
        nominee_kind: str,
        nominee_ref: UUID,
        nominee_commitment: str | None,
        nominating_body: str,
        rationale: str,
        nominated_on: date,
    ) -> None:
        self.kind = kind
        self.year = year
        self.status = "nominated"
        self.nominated_on = nominated_on

    @property
    def began_on(self) -> date:
        return self.nominated_on

    def select(
        self, command_id: UUID, selection: Selection, year: DesignationYear, maximum: int
    ) -> Selection:
        if self.status != "nominated":
            raise StateConflict(
                f"designation_id: designation {self.id} is {self.status}, not nominated",
                field="designation_id",
            )
        year.take(self.id, maximum)
        self._selected(
            command_id=command_id,
            selected_on=selection.selected_on,
            selecting_body=selection.selecting_body,
        )
        return selection

    class Selected(LedgerEvent):
        """Selected."""

        TOPIC = "mingzhang/Designation.Selected"
        command_id: UUID
        selected_on: date
        selecting_body: str

    @event(Selected)
    def _selected(self, command_id: UUID, selected_on: date, selecting_body: str) -> None:
        self.status = "selected"

    def revoke(self, command_id: UUID, revocation: Revocation, year: DesignationYear) -> Revocation:
        if self.status == "revoked":
            raise AlreadyReversed(
                f"designation_id: designation {self.id} is already revoked", field="designation_id"
            )
        if self.status == "selected":
            year.release(self.id)
        self._revoked(
            command_id=command_id, reason=revocation.reason, revoked_on=revocation.revoked_on
        )
        return revocation

    class Revoked(LedgerEvent):
        """Revoked with a public reason."""

        TOPIC = "mingzhang/Designation.Revoked"
        command_id: UUID
        reason: str
        revoked_on: date

    @event(Revoked)
    def _revoked(self, command_id: UUID, reason: str, revoked_on: date) -> None:
        self.status = "revoked"


def year_id(kind: str, year: int) -> UUID:
    return uuid5(MINGZHANG_NAMESPACE, f"designation-year/{kind}/{year}")


class DesignationYear(LedgerAggregate):
    """The designations of one kind selected in one year (and not revoked), against the maximum."""

    TOPIC = "mingzhang/DesignationYear"

    class Created(LedgerAggregate.Created):
        TOPIC = "mingzhang/DesignationYear.Created"

    class Opened(Created):
        """The count of one kind's selections in one year."""

        TOPIC = "mingzhang/DesignationYear.Opened"
        kind: str
        year: int

    @event(Opened)
    def __init__(self, id: UUID, kind: str, year: int) -> None:
        self.kind = kind
        self.year = year
        self.selected: list[UUID] = []

    def take(self, designation_id: UUID, maximum: int) -> None:
        if len(self.selected) >= maximum:
            raise YearlyMaximumReached(
                f"designation_id: {len(self.selected)} {self.kind} designations are already selected "
                f"for {self.year}; the maximum is {maximum}",
                field="designation_id",
            )
        self._counted(designation_id=designation_id)

    class Counted(LedgerEvent):
        """A selection counted (same commit as `Selected`)."""

        TOPIC = "mingzhang/DesignationYear.Counted"
        designation_id: UUID

    @event(Counted)
    def _counted(self, designation_id: UUID) -> None:
        self.selected = [*self.selected, designation_id]

    def release(self, designation_id: UUID) -> None:
        self._uncounted(designation_id=designation_id)

    class Uncounted(LedgerEvent):
        """A revoked selection no longer counts."""

        TOPIC = "mingzhang/DesignationYear.Uncounted"
        designation_id: UUID

    @event(Uncounted)
    def _uncounted(self, designation_id: UUID) -> None:
        self.selected = [d for d in self.selected if d != designation_id]
