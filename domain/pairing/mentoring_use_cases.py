"""The ledger's use cases for mentor links (带教): start, record sessions, withdraw a person
mentor's name consent, end.

`MentoringUseCases` is one family of `Ledger`'s methods (composed in `domain/ledger.py`); the rules are
the `MentorLink` aggregate's (`domain/pairing/mentoring.py`). It builds on `OrganizationUseCases`
because the mentee (and an organisation mentor) must be active organisations.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.checks import check_date
from domain.errors import UnknownMentorLink
from domain.organization_use_cases import OrganizationUseCases
from domain.pairing.mentoring import LinkEnd, LinkStart, MentorLink, Session
from domain.privacy import NewPerson
from domain.use_cases import forgets_references_of_refused_commands

if TYPE_CHECKING:
    from domain.ledger import Outcome


class MentoringUseCases(OrganizationUseCases):
    """Mentor links (带教)."""

    def get_mentor_link(self, link_id: UUID) -> MentorLink:
        return self._get(link_id, MentorLink, UnknownMentorLink, "link_id")

    @forgets_references_of_refused_commands("link_id")
    def start_mentor_link(
        self,
        link_id: UUID,
        *,
        mentor_kind: str,
        mentor_org_id: UUID | None = None,
        mentor_subject_id: UUID | None = None,
        mentor_person: NewPerson | None = None,
        role_label: str | None = None,
        publish_name: bool = False,
        mentee_id: UUID,
        focus: str,
        started_on: date,
    ) -> Outcome[LinkStart]:
        """Start mentoring; a person mentor enters as a reference minted for this link."""
        minted = self._mint_for_person(
            mentor_kind, mentor_subject_id, link_id, field="mentor_subject_id", person=mentor_person
        )
        record = LinkStart.validated(
            mentor_kind=mentor_kind,
            mentor_org_id=mentor_org_id,
            mentor_person=minted,
            role_label=role_label,
            publish_name=publish_name,
            mentee_id=mentee_id,
            focus=focus,
            started_on=started_on,
        )

        def act() -> tuple[LinkStart, list[Aggregate]]:
            mentee = self.get_organization(mentee_id, field="mentee_id")
            mentee.check_active(field="mentee_id")
            today = self.today()
            mentee.check_dated(record.started_on, field="started_on", today=today)
            if mentor_org_id is not None:
                mentor = self.get_organization(mentor_org_id, field="mentor_org_id")
                mentor.check_active(field="mentor_org_id")
                mentor.check_dated(record.started_on, field="started_on", today=today)
            return record, [MentorLink.start(link_id, record)]

        return self._run(link_id, link_id, record, act)

    def record_mentoring_session(
        self, link_id: UUID, *, session_id: UUID, held_on: date, hours: str | Decimal, topic: str
    ) -> Outcome[Session]:
        record = Session.validated(held_on=held_on, hours=hours, topic=topic)

        def act() -> tuple[Session, list[Aggregate]]:
            link = self.get_mentor_link(link_id)
            link.check_dated(record.held_on, field="held_on", today=self.today())
            return link.record_session(session_id, record), [link]

        return self._run(session_id, link_id, record, act)

    def withdraw_mentor_name_consent(
        self, link_id: UUID, *, command_id: UUID, withdrawn_on: date
    ) -> Outcome[date]:
        """The person mentor no longer agrees to be named in public."""
        check_date(withdrawn_on, field="withdrawn_on")

        def act() -> tuple[date, list[Aggregate]]:
            link = self.get_mentor_link(link_id)
            link.check_dated(withdrawn_on, field="withdrawn_on", today=self.today())
            return link.withdraw_name_consent(command_id, withdrawn_on), [link]

        return self._run(command_id, link_id, withdrawn_on, act)

    def end_mentor_link(
        self, link_id: UUID, *, command_id: UUID, outcome: str, ended_on: date
    ) -> Outcome[LinkEnd]:
        record = LinkEnd.validated(outcome=outcome, ended_on=ended_on)

        def act() -> tuple[LinkEnd, list[Aggregate]]:
            link = self.get_mentor_link(link_id)
            link.check_dated(record.ended_on, field="ended_on", today=self.today())
            return link.end(command_id, record), [link]

        return self._run(command_id, link_id, record, act)
