"""`Pairing` (结对): two organisations working together under one of the plan's three programmes.

- `foundation_twinning` (大小牵小手): a large foundation (`foundation` role) with a community foundation;
- `service_center_partnership` (牵手计划): two service centres, in a mode — `strong_weak` 以强带弱,
  `old_new` 以老带新 or `large_small` 以大带小 — and the partner's grade is evaluated before and after;
- `urban_rural` (品牌组织到郊区落地): a central-district organisation brought to a rural-flagged one.

Lifecycle: proposed → confirmed by each party → active → activities (training, visits, resource sharing,
joint projects, funding backed by a fund transfer between the parties) → evaluated per goal →
concluded, or terminated early with a public reason. A pairing is *open* from its proposal until it is
concluded or terminated; at most one open pairing of a kind joins the same two organisations (the
`PairingSlot` below, saved in the same transaction, enforces it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.checks import check_choice, check_date, check_text, check_uuid
from domain.dates import Dated
from domain.errors import (
    DuplicatePairing,
    InvalidChoice,
    InvalidDate,
    InvalidText,
    RoleMismatch,
    SelfPairing,
    StateConflict,
)
from domain.events import LedgerAggregate, LedgerEvent
from domain.ids import MINGZHANG_NAMESPACE
from domain.organizations import GRADES, Organization

PAIRING_KINDS = MappingProxyType(
    {
        "foundation_twinning": "大小牵小手",
        "service_center_partnership": "牵手计划",
        "urban_rural": "品牌组织到郊区落地",
    }
)
MODES = MappingProxyType(
    {"strong_weak": "以强带弱", "old_new": "以老带新", "large_small": "以大带小"}
)
ACTIVITY_KINDS = ("training", "visit", "resource_sharing", "joint_project", "funding")
RESULTS = ("met", "partly", "not_met")
MAX_GOALS = 10


@dataclass(frozen=True)
class Proposal:
    STORED_AS: ClassVar[str] = "mingzhang/pairing.Proposal"

    kind: str
    mode: str | None
    lead_id: UUID
    partner_id: UUID
    goals: tuple[str, ...]
    planned_start: date
    planned_end: date
    proposed_on: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "goals", tuple(self.goals))

    @classmethod
    def validated(
        cls,
        *,
        kind: str,
        mode: str | None,
        lead_id: UUID,
        partner_id: UUID,
        goals: Sequence[str],
        planned_start: date,
        planned_end: date,
        proposed_on: date,
    ) -> Proposal:
        check_choice(kind, PAIRING_KINDS, field="kind")
        if kind == "service_center_partnership":
            check_choice(mode or "", MODES, field="mode")
        elif mode is not None:
            raise InvalidChoice(
                f"mode is only for a service_center_partnership, not {kind}", field="mode"
            )
        if check_uuid(lead_id, field="lead_id") == check_uuid(partner_id, field="partner_id"):
            raise SelfPairing(
                f"partner_id: an organisation cannot pair with itself ({lead_id})",
                field="partner_id",
            )
        if isinstance(goals, str) or not 1 <= len(goals) <= MAX_GOALS:
            raise InvalidText(
                f"goals must be a list of 1 to {MAX_GOALS} short texts", field="goals"
            )
        start, end = (
            check_date(planned_start, field="planned_start"),
            check_date(planned_end, field="planned_end"),
        )
        if end < start:
            raise InvalidDate("planned_end must not be before planned_start", field="planned_end")
        return cls(
            kind,
            mode,
            lead_id,
            partner_id,
            tuple(check_text(g, field="goals", max_length=200) for g in goals),
            start,
            end,
            check_date(proposed_on, field="proposed_on"),
        )


def check_roles_fit(kind: str, lead: Organization, partner: Organization) -> None:
    """The roles the plan expects of each side of each kind of pairing."""
    if kind == "foundation_twinning":
        lead.check_has_role(("foundation",), field="lead_id", doing="lead a foundation twinning")
        partner.check_has_role(
            ("community_foundation",), field="partner_id", doing="be twinned with a foundation"
        )
    elif kind == "service_center_partnership":
        lead.check_has_role(
            ("service_center",), field="lead_id", doing="lead a service-centre partnership"
        )
        partner.check_has_role(
            ("service_center",), field="partner_id", doing="join a service-centre partnership"
        )
    elif lead.registration.rural:
        raise RoleMismatch(
            "lead_id: an urban_rural pairing is led by an organisation that is not flagged rural",
            field="lead_id",
        )
    elif not partner.registration.rural:
        raise RoleMismatch(
            "partner_id: an urban_rural pairing brings its lead to a rural-flagged partner",
            field="partner_id",
        )


@dataclass(frozen=True)
class Confirmation:
    STORED_AS: ClassVar[str] = "mingzhang/pairing.Confirmation"

    party_id: UUID
    confirmed_on: date

    @classmethod
    def validated(cls, *, party_id: UUID, confirmed_on: date) -> Confirmation:
        return cls(
            check_uuid(party_id, field="party_id"), check_date(confirmed_on, field="confirmed_on")
        )


@dataclass(frozen=True)
class Activity:
    STORED_AS: ClassVar[str] = "mingzhang/pairing.Activity"

    kind: str
    held_on: date
    summary: str
    transfer_id: UUID | None

    @classmethod
    def validated(
        cls, *, kind: str, held_on: date, summary: str, transfer_id: UUID | None
    ) -> Activity:
        check_choice(kind, ACTIVITY_KINDS, field="kind")
        if (kind == "funding") != (transfer_id is not None):
            raise InvalidText(
                "transfer_id is required for a funding activity and only for one",
                field="transfer_id",
            )
        return cls(
            kind,
            check_date(held_on, field="held_on"),
            check_text(summary, field="summary", multiline=True),
            None if transfer_id is None else check_uuid(transfer_id, field="transfer_id"),
        )


@dataclass(frozen=True)
class GoalResult:
    STORED_AS: ClassVar[str] = "mingzhang/pairing.GoalResult"

    goal: int  # 1-based number of the goal in the proposal
    result: str
    note: str


@dataclass(frozen=True)
class Evaluation:
    STORED_AS: ClassVar[str] = "mingzhang/pairing.Evaluation"

    results: tuple[GoalResult, ...]
    grade_before: str | None
    grade_after: str | None
    evaluated_on: date

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "results",
            tuple(r if isinstance(r, GoalResult) else GoalResult(**r) for r in self.results),
        )

    @classmethod
    def validated(
        cls,
        *,
        results: Sequence[tuple[int, str, str]],
        grade_before: str | None,
        grade_after: str | None,
        evaluated_on: date,
    ) -> Evaluation:
        if isinstance(results, str) or not results:
            raise InvalidText("results must list at least one goal's result", field="results")
        checked = []
        for goal, result, note in results:
            if isinstance(goal, bool) or not isinstance(goal, int):
                raise InvalidChoice(f"goal must be a goal's number, got {goal!r}", field="goal")
            checked.append(
                GoalResult(
                    goal,
                    check_choice(result, RESULTS, field="result"),
                    check_text(note, field="note", multiline=True),
                )
            )
        for grade, field in ((grade_before, "grade_before"), (grade_after, "grade_after")):
            if grade is not None:
                check_choice(grade, GRADES, field=field)
        return cls(
            tuple(checked),
            grade_before,
            grade_after,
            check_date(evaluated_on, field="evaluated_on"),
        )


@dataclass(frozen=True)
class Ending:
    STORED_AS: ClassVar[str] = "mingzhang/pairing.Ending"

    how: str  # concluded | terminated
    text: str
    ended_on: date

    @classmethod
    def validated(cls, *, how: str, text: str, ended_on: date) -> Ending:
        field = "summary" if how == "concluded" else "reason"
        return cls(
            how,
            check_text(text, field=field, multiline=how == "concluded"),
            check_date(ended_on, field=f"{how}_on"),
        )


PAIRING_RECORDS: tuple[type, ...] = (
    Proposal,
    Confirmation,
    Activity,
    GoalResult,
    Evaluation,
    Ending,
)


class Pairing(LedgerAggregate, Dated):
    TOPIC = "mingzhang/Pairing"
    BEGAN = "the pairing was proposed"

    class Created(LedgerAggregate.Created):
        """Base of the creation event; `Proposed` is the one recorded."""

        TOPIC = "mingzhang/Pairing.Created"

    @classmethod
    def propose(
        cls, pairing_id: UUID, proposal: Proposal, lead: Organization, partner: Organization
    ) -> Pairing:
        lead.check_active(field="lead_id")
        partner.check_active(field="partner_id")
        check_roles_fit(proposal.kind, lead, partner)
        return cls(
            id=pairing_id,
            kind=proposal.kind,
            mode=proposal.mode,
            lead_id=proposal.lead_id,
            partner_id=proposal.partner_id,
            goals=list(proposal.goals),
            planned_start=proposal.planned_start,
            planned_end=proposal.planned_end,
            proposed_on=proposal.proposed_on,
        )

    class Proposed(Created):
        """A pairing proposed (大小牵小手, 牵手计划, urban-rural)."""

        TOPIC = "mingzhang/Pairing.Proposed"
        kind: str
        mode: str | None
        lead_id: UUID
        partner_id: UUID
        goals: list[str]
        planned_start: date
        planned_end: date
        proposed_on: date

    @event(Proposed)
    def __init__(
        self,
        id: UUID,
        kind: str,
        mode: str | None,
        lead_id: UUID,
        partner_id: UUID,
        goals: list[str],
        planned_start: date,
        planned_end: date,
        proposed_on: date,
    ) -> None:
        self.kind = kind
        self.lead_id = lead_id
        self.proposed_on = proposed_on
        self.partner_id = partner_id
        self.goal_count = len(goals)
        self.confirmed_by: list[UUID] = []
        self.evaluated = False
        self.ending: Ending | None = None

    @property
    def began_on(self) -> date:
        return self.proposed_on

    @property
    def parties(self) -> tuple[UUID, UUID]:
        return self.lead_id, self.partner_id

    @property
    def status(self) -> str:
        if self.ending is not None:
            return self.ending.how
        return "active" if len(self.confirmed_by) == 2 else "proposed"

    def check_status(self, *allowed: str, doing: str) -> None:
        if self.status not in allowed:
            raise StateConflict(
                f"pairing_id: pairing {self.id} is {self.status}; cannot {doing}",
                field="pairing_id",
            )

    def confirm(self, command_id: UUID, confirmation: Confirmation) -> Confirmation:
        self.check_status("proposed", doing="confirm it")
        if confirmation.party_id not in self.parties:
            raise RoleMismatch(
                f"party_id: {confirmation.party_id} is not a party to pairing {self.id}",
                field="party_id",
            )
        if confirmation.party_id in self.confirmed_by:
            raise StateConflict(
                f"party_id: {confirmation.party_id} has already confirmed pairing {self.id}",
                field="party_id",
            )
        self._confirmed(
            command_id=command_id,
            party_id=confirmation.party_id,
            confirmed_on=confirmation.confirmed_on,
        )
        return confirmation

    class Confirmed(LedgerEvent):
        """One party confirmed; active once both have."""

        TOPIC = "mingzhang/Pairing.Confirmed"
        command_id: UUID
        party_id: UUID
        confirmed_on: date

    @event(Confirmed)
    def _confirmed(self, command_id: UUID, party_id: UUID, confirmed_on: date) -> None:
        self.confirmed_by = [*self.confirmed_by, party_id]

    def record_activity(self, activity_id: UUID, activity: Activity) -> Activity:
        self.check_status("active", doing="record an activity")
        self._activity_recorded(
            activity_id=activity_id,
            kind=activity.kind,
            held_on=activity.held_on,
            summary=activity.summary,
            transfer_id=activity.transfer_id,
        )
        return activity

    class ActivityRecorded(LedgerEvent):
        """Training, visit, resource sharing, joint project or funding (with its fund transfer)."""

        TOPIC = "mingzhang/Pairing.ActivityRecorded"
        activity_id: UUID
        kind: str
        held_on: date
        summary: str
        transfer_id: UUID | None

    @event(ActivityRecorded)
    def _activity_recorded(
        self, activity_id: UUID, kind: str, held_on: date, summary: str, transfer_id: UUID | None
    ) -> None:
        pass  # public record through the event; no rule depends on past activities

    def evaluate(self, command_id: UUID, evaluation: Evaluation) -> Evaluation:
        self.check_status("active", doing="evaluate it")
        for result in evaluation.results:
            if not 1 <= result.goal <= self.goal_count:
                raise InvalidChoice(
                    f"goal: pairing {self.id} has goals 1 to {self.goal_count}, not {result.goal}",
                    field="goal",
                )
        needs_grades = self.kind == "service_center_partnership"
        has_both = evaluation.grade_before is not None and evaluation.grade_after is not None
        has_any = evaluation.grade_before is not None or evaluation.grade_after is not None
        if (needs_grades and not has_both) or (not needs_grades and has_any):
            raise InvalidChoice(
                "grade_before and grade_after are required for a service_center_partnership, "
                "and only for one",
                field="grade_before",
            )
        self._evaluated(
            command_id=command_id,
            results=[[r.goal, r.result, r.note] for r in evaluation.results],
            grade_before=evaluation.grade_before,
            grade_after=evaluation.grade_after,
            evaluated_on=evaluation.evaluated_on,
        )
        return evaluation

    class Evaluated(LedgerEvent):
        """Evaluation per goal; grades for service-centre partnerships."""

        TOPIC = "mingzhang/Pairing.Evaluated"
        command_id: UUID
        results: list[list[object]]
        grade_before: str | None
        grade_after: str | None
        evaluated_on: date

    @event(Evaluated)
    def _evaluated(
        self,
        command_id: UUID,
        results: list[list[object]],
        grade_before: str | None,
        grade_after: str | None,
        evaluated_on: date,
    ) -> None:
        self.evaluated = True

    def end(self, command_id: UUID, ending: Ending) -> Ending:
        if ending.how == "concluded":
            self.check_status("active", doing="conclude it")
            self._concluded(
                command_id=command_id, summary=ending.text, concluded_on=ending.ended_on
            )
        else:
            self.check_status("proposed", "active", doing="terminate it")
            self._terminated(
                command_id=command_id, reason=ending.text, terminated_on=ending.ended_on
            )
        return ending

    class Concluded(LedgerEvent):
        """Finished."""

        TOPIC = "mingzhang/Pairing.Concluded"
        command_id: UUID
        summary: str
        concluded_on: date

    @event(Concluded)
    def _concluded(self, command_id: UUID, summary: str, concluded_on: date) -> None:
        self.ending = Ending("concluded", summary, concluded_on)

    class Terminated(LedgerEvent):
        """Ended early, with a public reason."""

        TOPIC = "mingzhang/Pairing.Terminated"
        command_id: UUID
        reason: str
        terminated_on: date

    @event(Terminated)
    def _terminated(self, command_id: UUID, reason: str, terminated_on: date) -> None:
        self.ending = Ending("terminated", reason, terminated_on)


def slot_id(kind: str, first: UUID, second: UUID) -> UUID:
    """One slot per kind and unordered pair of organisations."""
    low, high = sorted((str(first), str(second)))
    return uuid5(MINGZHANG_NAMESPACE, f"pairing-slot/{kind}/{low}/{high}")


class PairingSlot(LedgerAggregate):
    """Which pairing, if any, holds the one open place for a kind between two organisations.

    Saved with the pairing whose lifecycle moves it, so two concurrent proposals collide on the slot's
    version and the second is re-checked (and refused) instead of both succeeding."""

    TOPIC = "mingzhang/PairingSlot"

    class Created(LedgerAggregate.Created):
        TOPIC = "mingzhang/PairingSlot.Created"

    class Opened(Created):
        """The place for one open pairing of a kind between two organisations."""

        TOPIC = "mingzhang/PairingSlot.Opened"

    @event(Opened)
    def __init__(self, id: UUID) -> None:
        self.holder: UUID | None = None

    def take(self, pairing_id: UUID) -> None:
        if self.holder is not None:
            raise DuplicatePairing(
                f"partner_id: pairing {self.holder} of this kind between these two organisations "
                "is still open; conclude or terminate it first",
                field="partner_id",
            )
        self._taken(pairing_id=pairing_id)

    class Taken(LedgerEvent):
        """A proposal holds the place (same commit as `Proposed`)."""

        TOPIC = "mingzhang/PairingSlot.Taken"
        pairing_id: UUID

    @event(Taken)
    def _taken(self, pairing_id: UUID) -> None:
        self.holder = pairing_id

    def free(self, pairing_id: UUID) -> None:
        if self.holder == pairing_id:
            self._freed(pairing_id=pairing_id)

    class Freed(LedgerEvent):
        """The pairing ended (same commit as `Concluded`/`Terminated`)."""

        TOPIC = "mingzhang/PairingSlot.Freed"
        pairing_id: UUID

    @event(Freed)
    def _freed(self, pairing_id: UUID) -> None:
        self.holder = None
