"""The ledger's use cases for the registry of organisations: register, reclassify, evaluate, deregister.

`OrganizationUseCases` is one family of `Ledger`'s methods (composed in `domain/ledger.py`); the rules
are the `Organization` aggregate's (`domain/organizations.py`). Other families look organisations up
with `get_organization`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.dates import FIRST_REGISTRATION, check_plausible
from domain.errors import UnknownOrganization
from domain.organizations import (
    Deregistration,
    Evaluation,
    Organization,
    Reclassification,
    Registration,
    UsccClaim,
    claim_id,
)
from domain.subdistricts import (
    AddedSubdistrict,
    SubdistrictAddition,
    added_subdistrict_id,
    is_official,
    unknown_subdistrict,
)
from domain.use_cases import UseCases

if TYPE_CHECKING:
    from domain.ledger import Outcome


class OrganizationUseCases(UseCases):
    """The registry of organisations."""

    def get_organization(
        self, organization_id: UUID, *, field: str = "organization_id"
    ) -> Organization:
        return self._get(organization_id, Organization, UnknownOrganization, field)

    def register_organization(
        self,
        organization_id: UUID,
        *,
        name: str,
        uscc: str | None,
        type: str,
        tier: str,
        roles: Iterable[str],
        district: str,
        subdistrict: str,
        rural: bool,
        registered_on: date,
    ) -> Outcome[Registration]:
        record = Registration.validated(
            name=name,
            uscc=uscc,
            type=type,
            tier=tier,
            roles=roles,
            district=district,
            subdistrict=subdistrict,
            rural=rural,
            registered_on=registered_on,
        )

        def act() -> tuple[Registration, list[Aggregate]]:
            self.check_subdistrict(record.district, record.subdistrict)
            check_plausible(
                record.registered_on,
                field="registered_on",
                today=self.today(),
                floor=FIRST_REGISTRATION,
            )
            organization = Organization.register(organization_id, record)
            if record.uscc is None:
                return record, [organization]
            return record, [organization, self._claim(record.uscc, organization_id)]

        return self._run(organization_id, organization_id, record, act)

    def check_subdistrict(self, district: str, name: str, *, field: str = "subdistrict") -> None:
        """`name` is a subdistrict of `district`: on the shipped official list, or added by the admin."""
        if is_official(district, name):
            return
        with contextlib.suppress(AggregateNotFoundError):
            if isinstance(
                self.repository.get(added_subdistrict_id(district, name)), AddedSubdistrict
            ):
                return
        raise unknown_subdistrict(district, field=field)

    def add_subdistrict(
        self, *, district: str, name: str, reason: str, added_on: date
    ) -> Outcome[SubdistrictAddition]:
        """Add a subdistrict the official list gained; the same addition again is a repeat."""
        record = SubdistrictAddition.validated(
            district=district, name=name, reason=reason, added_on=added_on
        )
        subdistrict_id = added_subdistrict_id(record.district, record.name)

        def act() -> tuple[SubdistrictAddition, list[Aggregate]]:
            check_plausible(record.added_on, field="added_on", today=self.today())
            return record, [AddedSubdistrict.add(record)]

        return self._run(subdistrict_id, subdistrict_id, record, act)

    def _claim(self, uscc: str, organization_id: UUID) -> UsccClaim:
        """A new claim of `uscc` for the organisation, or the refusal naming who holds it."""
        existing: object = None
        with contextlib.suppress(AggregateNotFoundError):
            existing = self.repository.get(claim_id(uscc))
        if isinstance(existing, UsccClaim):
            existing.check_names(organization_id)
        return UsccClaim.claim(uscc, organization_id)

    def reclassify_organization(
        self,
        organization_id: UUID,
        *,
        command_id: UUID,
        type: str,
        tier: str,
        reason: str,
        reclassified_on: date,
    ) -> Outcome[Reclassification]:
        record = Reclassification.validated(
            type=type, tier=tier, reason=reason, reclassified_on=reclassified_on
        )

        def act() -> tuple[Reclassification, list[Aggregate]]:
            org = self.get_organization(organization_id)
            org.check_dated(record.reclassified_on, field="reclassified_on", today=self.today())
            return org.reclassify(command_id, record), [org]

        return self._run(command_id, organization_id, record, act)

    def record_evaluation(
        self,
        organization_id: UUID,
        *,
        evaluation_id: UUID,
        grade: str,
        evaluated_on: date,
        evaluator: str,
    ) -> Outcome[Evaluation]:
        record = Evaluation.validated(grade=grade, evaluated_on=evaluated_on, evaluator=evaluator)

        def act() -> tuple[Evaluation, list[Aggregate]]:
            org = self.get_organization(organization_id)
            org.check_dated(record.evaluated_on, field="evaluated_on", today=self.today())
            return org.record_evaluation(evaluation_id, record), [org]

        return self._run(evaluation_id, organization_id, record, act)

    def deregister_organization(
        self, organization_id: UUID, *, command_id: UUID, reason: str, deregistered_on: date
    ) -> Outcome[Deregistration]:
        record = Deregistration.validated(reason=reason, deregistered_on=deregistered_on)

        def act() -> tuple[Deregistration, list[Aggregate]]:
            org = self.get_organization(organization_id)
            org.check_dated(record.deregistered_on, field="deregistered_on", today=self.today())
            return org.deregister(command_id, record), [org]

        return self._run(command_id, organization_id, record, act)
