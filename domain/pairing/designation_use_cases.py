"""The ledger's use cases for yearly designations (带头人, 观察点): nominate, select (within the
year's limit), revoke, and how many are selected in a year.

`DesignationUseCases` is one family of `Ledger`'s methods (composed in `domain/ledger.py`); the rules
are the `Designation` and `DesignationYear` aggregates' (`domain/pairing/designation.py`). It builds on
`OrganizationUseCases` because an organisation nominee must be an active fund holder.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.dates import check_plausible
from domain.errors import UnknownDesignation
from domain.organization_use_cases import OrganizationUseCases
from domain.organizations import FUND_HOLDER_ROLES
from domain.pairing.designation import (
    DESIGNATION_KINDS,
    Designation,
    DesignationYear,
    Nomination,
    Revocation,
    Selection,
    year_id,
)
from domain.privacy import NewPerson
from domain.use_cases import forgets_references_of_refused_commands

if TYPE_CHECKING:
    from domain.ledger import Outcome


class DesignationUseCases(OrganizationUseCases):
    """Yearly designations (带头人, 观察点)."""

    # How many of a kind may be selected in a year; the Ledger is constructed with it.
    designations_max_per_year: int

    def get_designation(self, designation_id: UUID) -> Designation:
        return self._get(designation_id, Designation, UnknownDesignation, "designation_id")

    @forgets_references_of_refused_commands("designation_id")
    def nominate(
        self,
        designation_id: UUID,
        *,
        kind: str,
        year: int,
        nominee_kind: str,
        nominee_org_id: UUID | None = None,
        nominee_subject_id: UUID | None = None,
        nominee_person: NewPerson | None = None,
        nominating_body: str,
        rationale: str,
        nominated_on: date,
    ) -> Outcome[Nomination]:
        minted = self._mint_for_person(
            nominee_kind,
            nominee_subject_id,
            designation_id,
            field="nominee_subject_id",
            person=nominee_person,
        )
        record = Nomination.validated(
            kind=kind,
            year=year,
            nominee_kind=nominee_kind,
            nominee_org_id=nominee_org_id,
            nominee_person=minted,
            nominating_body=nominating_body,
            rationale=rationale,
            nominated_on=nominated_on,
        )

        def act() -> tuple[Nomination, list[Aggregate]]:
            today = self.today()
            check_plausible(record.nominated_on, field="nominated_on", today=today)
            if nominee_org_id is not None:
                nominee = self.get_organization(nominee_org_id, field="nominee_org_id")
                nominee.check_active(field="nominee_org_id")
                nominee.check_dated(record.nominated_on, field="nominated_on", today=today)
                nominee.check_has_role(
                    FUND_HOLDER_ROLES, field="nominee_org_id", doing="be designated"
                )
            return record, [Designation.nominate(designation_id, record)]

        return self._run(designation_id, designation_id, record, act)

    def select_designation(
        self, designation_id: UUID, *, command_id: UUID, selected_on: date, selecting_body: str
    ) -> Outcome[Selection]:
        record = Selection.validated(selected_on=selected_on, selecting_body=selecting_body)

        def act() -> tuple[Selection, list[Aggregate]]:
            designation = self.get_designation(designation_id)
            designation.check_dated(record.selected_on, field="selected_on", today=self.today())
            year = self._designation_year(designation.kind, designation.year)
            designation.select(command_id, record, year, self.designations_max_per_year)
            return record, [designation, year]

        return self._run(command_id, designation_id, record, act)

    def revoke_designation(
        self, designation_id: UUID, *, command_id: UUID, reason: str, revoked_on: date
    ) -> Outcome[Revocation]:
        record = Revocation.validated(reason=reason, revoked_on=revoked_on)

        def act() -> tuple[Revocation, list[Aggregate]]:
            designation = self.get_designation(designation_id)
            designation.check_dated(record.revoked_on, field="revoked_on", today=self.today())
            year = self._designation_year(designation.kind, designation.year)
            designation.revoke(command_id, record, year)
            return record, [designation, year]

        return self._run(command_id, designation_id, record, act)

    def designations_selected(self, year: int) -> dict[str, int]:
        """How many of each kind are selected (and not revoked) for a year."""
        return {
            kind: len(self._designation_year(kind, year).selected) for kind in DESIGNATION_KINDS
        }

    def _designation_year(self, kind: str, year: int) -> DesignationYear:
        key = year_id(kind, year)
        try:
            found: DesignationYear = self.repository.get(key)
        except AggregateNotFoundError:
            found = DesignationYear(id=key, kind=kind, year=year)
        return found
