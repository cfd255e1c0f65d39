"""The ledger's use cases for pairings (结对): propose (taking the one open place between two
organisations), confirm, record activities, evaluate, conclude or terminate (freeing the place).

`PairingUseCases` is one family of `Ledger`'s methods (composed in `domain/ledger.py`); the rules are the
`Pairing` and `PairingSlot` aggregates' (`domain/pairing/pairing.py`). It builds on `FundUseCases`
because a funding activity's transfer must run between the two parties' funds.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.errors import RoleMismatch, UnknownEntry, UnknownPairing
from domain.foundations.entries import Transfer
from domain.foundations.fund_use_cases import FundUseCases
from domain.pairing.pairing import Activity, Confirmation, Pairing, PairingSlot, Proposal, slot_id
from domain.pairing.pairing import Ending as PairingEnding
from domain.pairing.pairing import Evaluation as PairingEvaluation

if TYPE_CHECKING:
    from domain.ledger import Outcome


class PairingUseCases(FundUseCases):
    """Pairings between two organisations."""

    def get_pairing(self, pairing_id: UUID) -> Pairing:
        return self._get(pairing_id, Pairing, UnknownPairing, "pairing_id")

    def propose_pairing(
        self,
        pairing_id: UUID,
        *,
        kind: str,
        mode: str | None = None,
        lead_id: UUID,
        partner_id: UUID,
        goals: list[str],
        planned_start: date,
        planned_end: date,
        proposed_on: date,
    ) -> Outcome[Proposal]:
        """Propose a pairing; it holds the one open place for its kind between the two organisations."""
        record = Proposal.validated(
            kind=kind,
            mode=mode,
            lead_id=lead_id,
            partner_id=partner_id,
            goals=goals,
            planned_start=planned_start,
            planned_end=planned_end,
            proposed_on=proposed_on,
        )

        def act() -> tuple[Proposal, list[Aggregate]]:
            lead = self.get_organization(lead_id, field="lead_id")
            partner = self.get_organization(partner_id, field="partner_id")
            for party in (lead, partner):
                party.check_dated(record.proposed_on, field="proposed_on", today=self.today())
            pairing = Pairing.propose(pairing_id, record, lead, partner)
            slot = self._slot(kind, lead_id, partner_id)
            slot.take(pairing_id)
            return record, [pairing, slot]

        return self._run(pairing_id, pairing_id, record, act)

    def confirm_pairing(
        self, pairing_id: UUID, *, command_id: UUID, party_id: UUID, confirmed_on: date
    ) -> Outcome[Confirmation]:
        record = Confirmation.validated(party_id=party_id, confirmed_on=confirmed_on)

        def act() -> tuple[Confirmation, list[Aggregate]]:
            pairing = self.get_pairing(pairing_id)
            pairing.check_dated(record.confirmed_on, field="confirmed_on", today=self.today())
            return pairing.confirm(command_id, record), [pairing]

        return self._run(command_id, pairing_id, record, act)

    def record_pairing_activity(
        self,
        pairing_id: UUID,
        *,
        activity_id: UUID,
        kind: str,
        held_on: date,
        summary: str,
        transfer_id: UUID | None = None,
    ) -> Outcome[Activity]:
        """Record an activity; a funding activity names the fund transfer that carried the money,
        which must run between the two parties' funds."""
        record = Activity.validated(
            kind=kind, held_on=held_on, summary=summary, transfer_id=transfer_id
        )

        def act() -> tuple[Activity, list[Aggregate]]:
            pairing = self.get_pairing(pairing_id)
            pairing.check_dated(record.held_on, field="held_on", today=self.today())
            if transfer_id is not None:
                self._check_transfer_between(transfer_id, pairing)
            return pairing.record_activity(activity_id, record), [pairing]

        return self._run(activity_id, pairing_id, record, act)

    def evaluate_pairing(
        self,
        pairing_id: UUID,
        *,
        command_id: UUID,
        results: list[tuple[int, str, str]],
        grade_before: str | None = None,
        grade_after: str | None = None,
        evaluated_on: date,
    ) -> Outcome[PairingEvaluation]:
        """Evaluate each goal (by its number, from 1): met, partly or not_met, with a note."""
        record = PairingEvaluation.validated(
            results=results,
            grade_before=grade_before,
            grade_after=grade_after,
            evaluated_on=evaluated_on,
        )

        def act() -> tuple[PairingEvaluation, list[Aggregate]]:
            pairing = self.get_pairing(pairing_id)
            pairing.check_dated(record.evaluated_on, field="evaluated_on", today=self.today())
            return pairing.evaluate(command_id, record), [pairing]

        return self._run(command_id, pairing_id, record, act)

    def conclude_pairing(
        self, pairing_id: UUID, *, command_id: UUID, summary: str, concluded_on: date
    ) -> Outcome[PairingEnding]:
        ending = PairingEnding.validated(how="concluded", text=summary, ended_on=concluded_on)
        return self._end_pairing(pairing_id, command_id, ending)

    def terminate_pairing(
        self, pairing_id: UUID, *, command_id: UUID, reason: str, terminated_on: date
    ) -> Outcome[PairingEnding]:
        ending = PairingEnding.validated(how="terminated", text=reason, ended_on=terminated_on)
        return self._end_pairing(pairing_id, command_id, ending)

    def _end_pairing(
        self, pairing_id: UUID, command_id: UUID, ending: PairingEnding
    ) -> Outcome[PairingEnding]:
        def act() -> tuple[PairingEnding, list[Aggregate]]:
            pairing = self.get_pairing(pairing_id)
            pairing.check_dated(ending.ended_on, field=f"{ending.how}_on", today=self.today())
            pairing.end(command_id, ending)
            slot = self._slot(pairing.kind, pairing.lead_id, pairing.partner_id)
            slot.free(pairing_id)
            return ending, [pairing, slot]

        return self._run(command_id, pairing_id, ending, act)

    def _slot(self, kind: str, first: UUID, second: UUID) -> PairingSlot:
        key = slot_id(kind, first, second)
        try:
            slot: PairingSlot = self.repository.get(key)
        except AggregateNotFoundError:
            slot = PairingSlot(id=key)
        return slot

    def _check_transfer_between(self, transfer_id: UUID, pairing: Pairing) -> None:
        """A funding activity's transfer runs between the two parties' funds and, if it names a
        pairing, names this one."""
        found = self.applied(transfer_id)
        if found is None or not isinstance(found.record, Transfer):
            raise UnknownEntry(
                f"transfer_id: the ledger has no fund transfer {transfer_id}", field="transfer_id"
            )
        transfer = found.record
        owners = {
            self.get_fund(transfer.from_fund_id).foundation_id,
            self.get_fund(transfer.to_fund_id).foundation_id,
        }
        if owners != set(pairing.parties) or transfer.pairing_id not in (None, pairing.id):
            raise RoleMismatch(
                f"transfer_id: transfer {transfer_id} does not run between the two parties' funds "
                "for this pairing",
                field="transfer_id",
            )
