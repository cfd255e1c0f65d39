"""Pairing (结对), mentor-link (带教) and designation (带头人, 观察点) commands and the records as answered.

Closed lists (kinds, modes, results) are plain strings here, described as enums generated from the
domain's lists (`api/schemas/vocabularies.py`), and checked by the domain, which names the field and
the allowed values in its 422 `invalid_choice`; only the kinds that decide where personal data goes
(`mentor_kind`, `nominee_kind`) are literals, because the API routes a person to the vault by them.
A person mentor or nominee is a `Person` (vault only) or the `subject_id` of one already in the vault;
the answers carry neither their data nor their vault references.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.people import Person
from api.schemas.common import MULTILINE, Command, Written
from api.schemas.vocabularies import (
    ActivityKind,
    DesignationKind,
    GoalResultCode,
    Grade,
    PairingKind,
    PairingMode,
)

# --- pairings ------------------------------------------------------------------------------------


class ProposePairing(Command):
    pairing_id: Annotated[UUID, Field(description="chosen by the client")]
    kind: Annotated[PairingKind, Field(examples=["foundation_twinning"])]
    mode: Annotated[
        PairingMode | None,
        Field(
            examples=["strong_weak"],
            description="for a service_center_partnership only",
        ),
    ] = None
    lead_id: Annotated[UUID, Field(description="the leading organisation")]
    partner_id: Annotated[UUID, Field(description="the organisation it works with")]
    goals: Annotated[
        list[str], Field(examples=[["建立项目管理制度", "培训社工 3 名"]], description="1 to 10")
    ]
    planned_start: date
    planned_end: date
    proposed_on: date


class ConfirmPairing(Command):
    party_id: Annotated[
        UUID | None,
        Field(
            description="the confirming party; it is the key's foundation, so it may be left out "
            "(if given, it must be that foundation)"
        ),
    ] = None
    confirmed_on: date


class RecordActivity(Command):
    activity_id: UUID
    kind: Annotated[ActivityKind, Field(examples=["training"])]
    held_on: date
    summary: Annotated[str, Field(examples=["项目管理培训，半天"], description=MULTILINE)]
    transfer_id: Annotated[
        UUID | None,
        Field(
            description="for a funding activity only: the fund transfer that carried the money, "
            "between the two parties' funds"
        ),
    ] = None


class GoalResult(Command):
    goal: Annotated[int, Field(description="the goal's number in the proposal, from 1")]
    result: Annotated[GoalResultCode, Field(examples=["met"])]
    note: Annotated[str, Field(examples=["制度已建立并运行"], description=MULTILINE)]


class EvaluatePairing(Command):
    results: list[GoalResult]
    grade_before: Annotated[
        Grade | None,
        Field(examples=["2A"], description="for a service_center_partnership: the partner's grade"),
    ] = None
    grade_after: Annotated[Grade | None, Field(examples=["3A"])] = None
    evaluated_on: date


class ConcludePairing(Command):
    summary: Annotated[str, Field(examples=["目标均已达成"], description=MULTILINE)]
    concluded_on: date


class TerminatePairing(Command):
    reason: Annotated[str, Field(examples=["合作方注销"], description="shown on the public page")]
    terminated_on: date


class PairingOut(BaseModel):
    pairing_id: UUID
    kind: str
    mode: str | None
    lead_id: UUID
    partner_id: UUID
    goals: list[str]
    planned_start: date
    planned_end: date
    proposed_on: date
    status: Annotated[
        str, Field(description="proposed, active (both confirmed), concluded or terminated")
    ]
    confirmed_by: list[UUID]
    evaluated: bool
    ended_on: date | None
    version: int


class PairingWritten(PairingOut, Written):
    pass


class PairingStepWritten(Written):
    """What a command on a pairing did: its id (the activity's, or the command's), the pairing now."""

    id: UUID
    pairing: PairingOut


# --- mentor links --------------------------------------------------------------------------------


class StartMentorLink(Command):
    link_id: Annotated[UUID, Field(description="chosen by the client")]
    mentor_kind: Literal["person", "organization"]
    mentor_org_id: Annotated[UUID | None, Field(description="for an organisation mentor")] = None
    mentor: Annotated[
        Person | None,
        Field(description="for a person mentor: goes to the vault, never to the log"),
    ] = None
    mentor_subject_id: Annotated[
        UUID | None,
        Field(description="for a person mentor already in the vault, instead of mentor"),
    ] = None
    role_label: Annotated[
        str | None,
        Field(
            examples=["资深社工"],
            description="for a person mentor: what the public sees instead of the name",
        ),
    ] = None
    publish_name: Annotated[
        bool, Field(description="a person mentor consents to be named on the public page")
    ] = False
    mentee_id: UUID
    focus: Annotated[str, Field(examples=["项目申报与财务管理"])]
    started_on: date


class RecordSession(Command):
    session_id: UUID
    held_on: date
    hours: Annotated[
        str,
        Field(
            examples=["1.5"],
            description="a decimal string of hours in whole minutes, more than 0, at most 24",
        ),
    ]
    topic: Annotated[str, Field(examples=["年度预算编制"])]


class WithdrawMentorConsent(Command):
    withdrawn_on: date


class EndMentorLink(Command):
    outcome: Annotated[
        str, Field(examples=["受带教机构已能独立完成项目申报"], description=MULTILINE)
    ]
    ended_on: date


class MentorLinkOut(BaseModel):
    link_id: UUID
    mentor_kind: str
    mentor_org_id: Annotated[
        UUID | None, Field(description="an organisation mentor; a person is never named here")
    ]
    role_label: str | None
    publish_name: bool
    mentee_id: UUID
    focus: str
    started_on: date
    minutes: Annotated[
        int, Field(examples=[270], description="the sessions' time so far, in minutes (exact)")
    ]
    ended_on: date | None
    version: int


class MentorLinkWritten(MentorLinkOut, Written):
    pass


class MentorLinkStepWritten(Written):
    id: UUID
    mentor_link: MentorLinkOut


# --- designations --------------------------------------------------------------------------------


class Nominate(Command):
    designation_id: Annotated[UUID, Field(description="chosen by the client")]
    kind: Annotated[DesignationKind, Field(examples=["leader"])]
    year: Annotated[int, Field(examples=[2024])]
    nominee_kind: Literal["person", "foundation"]
    nominee_org_id: Annotated[UUID | None, Field(description="for a foundation nominee")] = None
    nominee: Annotated[
        Person | None,
        Field(description="for a person nominee: goes to the vault, never to the log"),
    ] = None
    nominee_subject_id: Annotated[
        UUID | None,
        Field(description="for a person nominee already in the vault, instead of nominee"),
    ] = None
    nominating_body: Annotated[str, Field(examples=["浦东新区民政局"])]
    rationale: Annotated[str, Field(description=MULTILINE)]
    nominated_on: date


class SelectDesignation(Command):
    selected_on: date
    selecting_body: Annotated[str, Field(examples=["上海市民政局"])]


class RevokeDesignation(Command):
    reason: Annotated[str, Field(description="shown on the public page")]
    revoked_on: date


class DesignationOut(BaseModel):
    designation_id: UUID
    kind: str
    year: int
    nominee_kind: str
    nominee_org_id: Annotated[
        UUID | None, Field(description="a foundation nominee; a person is never named here")
    ]
    nominating_body: str
    rationale: str
    nominated_on: date
    status: Annotated[str, Field(description="nominated, selected or revoked")]
    version: int


class DesignationWritten(DesignationOut, Written):
    pass


class DesignationStepWritten(Written):
    id: UUID
    designation: DesignationOut
