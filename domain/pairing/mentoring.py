"""`MentorLink` (带教 / 以老带新): a mentor, a person or an organisation, working with a mentee organisation.

A mentor who is a person is an individual: only a vault reference minted for this link and its
commitment enter events. The public sees the role label staff choose ("资深社工 / senior social worker"),
and the name only if the person consented (`publish_name`, withdrawable later by a new event, as for
donors). Sessions record date, duration and topic; the link ends with an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import event

from domain.checks import check_choice, check_date, check_text, check_uuid
from domain.dates import Dated
from domain.errors import AlreadyReversed, InvalidChoice, InvalidText, LinkEnded, SelfPairing
from domain.events import LedgerAggregate, LedgerEvent
from domain.privacy import Minted

MENTOR_KINDS = ("person", "organization")
MAX_SESSION_MINUTES = 24 * 60


@dataclass(frozen=True)
class LinkStart:
    STORED_AS: ClassVar[str] = "mingzhang/mentoring.LinkStart"

    mentor_kind: str
    mentor_ref: UUID  # an organisation's id, or a person's per-link vault reference
    mentor_commitment: str | None
    role_label: str | None
    publish_name: bool
    mentee_id: UUID
    focus: str
    started_on: date

    @classmethod
    def validated(
        cls,
        *,
        mentor_kind: str,
        mentor_org_id: UUID | None,
        mentor_person: Minted | None,
        role_label: str | None,
        publish_name: bool,
        mentee_id: UUID,
        focus: str,
        started_on: date,
    ) -> LinkStart:
        check_choice(mentor_kind, MENTOR_KINDS, field="mentor_kind")
        if not isinstance(publish_name, bool):
            raise InvalidChoice("publish_name must be true or false", field="publish_name")
        if mentor_kind == "person":
            if mentor_person is None or mentor_org_id is not None:
                raise InvalidChoice(
                    "a person mentor is given by mentor_subject_id only", field="mentor_subject_id"
                )
            label = check_text(role_label or "", field="role_label", max_length=50)
            ref, committed = mentor_person.reference, mentor_person.commitment
        else:
            if mentor_org_id is None or mentor_person is not None or role_label is not None:
                raise InvalidChoice(
                    "an organisation mentor is given by mentor_org_id only", field="mentor_org_id"
                )
            ref, committed, label = check_uuid(mentor_org_id, field="mentor_org_id"), None, None
        if ref == check_uuid(mentee_id, field="mentee_id"):
            raise SelfPairing("mentee_id: an organisation cannot mentor itself", field="mentee_id")
        return cls(
            mentor_kind,
            ref,
            committed,
            label,
            publish_name,
            mentee_id,
            check_text(focus, field="focus", max_length=200),
            check_date(started_on, field="started_on"),
        )


@dataclass(frozen=True)
class Session:
    STORED_AS: ClassVar[str] = "mingzhang/mentoring.Session"

    held_on: date
    minutes: int
    topic: str

    @classmethod
    def validated(cls, *, held_on: date, hours: str | Decimal, topic: str) -> Session:
        try:
            minutes = Decimal(str(hours)) * 60 if not isinstance(hours, float) else None
        except InvalidOperation:
            minutes = None
        if (
            minutes is None
            or minutes != minutes.to_integral_value()
            or not 0 < minutes <= MAX_SESSION_MINUTES
        ):
            raise InvalidText(
                f"hours must be a decimal number of hours in whole minutes, more than 0 and at most 24, "
                f"got {hours!r}",
                field="hours",
            )
        return cls(
            check_date(held_on, field="held_on"),
            int(minutes),
            check_text(topic, field="topic", max_length=200),
        )


@dataclass(frozen=True)
class LinkEnd:
    STORED_AS: ClassVar[str] = "mingzhang/mentoring.LinkEnd"

    outcome: str
    ended_on: date

    @classmethod
    def validated(cls, *, outcome: str, ended_on: date) -> LinkEnd:
        return cls(
            check_text(outcome, field="outcome", multiline=True),
            check_date(ended_on, field="ended_on"),
        )


MENTORING_RECORDS: tuple[type, ...] = (LinkStart, Session, LinkEnd)


class MentorLink(LedgerAggregate, Dated):
    TOPIC = "mingzhang/MentorLink"
    BEGAN = "the mentor link started"

    class Created(LedgerAggregate.Created):
        """Base of the creation event; `Started` is the one recorded."""

        TOPIC = "mingzhang/MentorLink.Created"

    @classmethod
    def start(cls, link_id: UUID, start: LinkStart) -> MentorLink:
        return cls(
            id=link_id,
            mentor_kind=start.mentor_kind,
            mentor_ref=start.mentor_ref,
            mentor_commitment=start.mentor_commitment,
            role_label=start.role_label,
            publish_name=start.publish_name,
            mentee_id=start.mentee_id,
            focus=start.focus,
            started_on=start.started_on,
        )

    class Started(Created):
        """Mentoring began."""

        TOPIC = "mingzhang/MentorLink.Started"
        mentor_kind: str
        mentor_ref: UUID
        mentor_commitment: str | None
        role_label: str | None
        publish_name: bool
        mentee_id: UUID
        focus: str
        started_on: date

    @event(Started)
    def __init__(
        self,
        id: UUID,
        mentor_kind: str,
        mentor_ref: UUID,
        mentor_commitment: str | None,
        role_label: str | None,
        publish_name: bool,
        mentee_id: UUID,
        focus: str,
        started_on: date,
    ) -> None:
        self.mentor_kind = mentor_kind
        self.mentee_id = mentee_id
        self.started_on = started_on
        self.publish_name = publish_name
        self.minutes = 0
        self.ended: LinkEnd | None = None

    @property
    def began_on(self) -> date:
        return self.started_on

    def check_running(self) -> None:
        if self.ended is not None:
            raise LinkEnded(
                f"link_id: mentor link {self.id} ended on {self.ended.ended_on}", field="link_id"
            )

    def record_session(self, session_id: UUID, session: Session) -> Session:
        self.check_running()
        self._session_held(
            session_id=session_id,
            held_on=session.held_on,
            minutes=session.minutes,
            topic=session.topic,
        )
        return session

    class SessionHeld(LedgerEvent):
        """A session."""

        TOPIC = "mingzhang/MentorLink.SessionHeld"
        session_id: UUID
        held_on: date
        minutes: int
        topic: str

    @event(SessionHeld)
    def _session_held(self, session_id: UUID, held_on: date, minutes: int, topic: str) -> None:
        self.minutes += minutes

    def withdraw_name_consent(self, command_id: UUID, withdrawn_on: date) -> date:
        if not self.publish_name:
            raise AlreadyReversed(
                f"link_id: mentor link {self.id} has no consent to withdraw", field="link_id"
            )
        self._name_consent_withdrawn(command_id=command_id, withdrawn_on=withdrawn_on)
        return withdrawn_on

    class NameConsentWithdrawn(LedgerEvent):
        """The person mentor no longer agrees to be named."""

        TOPIC = "mingzhang/MentorLink.NameConsentWithdrawn"
        command_id: UUID
        withdrawn_on: date

    @event(NameConsentWithdrawn)
    def _name_consent_withdrawn(self, command_id: UUID, withdrawn_on: date) -> None:
        self.publish_name = False

    def end(self, command_id: UUID, end: LinkEnd) -> LinkEnd:
        self.check_running()
        self._ended(command_id=command_id, outcome=end.outcome, ended_on=end.ended_on)
        return end

    class Ended(LedgerEvent):
        """Mentoring ended."""

        TOPIC = "mingzhang/MentorLink.Ended"
        command_id: UUID
        outcome: str
        ended_on: date

    @event(Ended)
    def _ended(self, command_id: UUID, outcome: str, ended_on: date) -> None:
        self.ended = LinkEnd(outcome, ended_on)
