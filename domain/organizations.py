"""The registry of community social organisations (社区社会组织): register, reclassify, grade, deregister.

An organisation has a type (公益慈善类, 生活服务类, 社区事务类, 文体活动类), a tier (registered social
organisation, mass activity team or community activity group), roles that say what it may do in the ledger
(a `foundation` or `community_foundation` may open funds; a `service_center` is graded 1A–5A), a district
from Shanghai's closed list, a subdistrict (街道/镇), and a rural flag that the plan's targets count.
Reclassification is an event with a reason, because the plan asks to re-label existing organisations.
A USCC names one organisation: `UsccClaim` (id uuid5 of the code) is created with the organisation that
registers it, in one commit, so a second registration of the code, even a concurrent one, is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.checks import check_choice, check_date, check_text, check_uuid
from domain.dates import Dated
from domain.districts import check_district
from domain.errors import DuplicateUSCC, InvalidChoice, OrganizationDeregistered, RoleMismatch
from domain.events import LedgerAggregate, LedgerEvent
from domain.ids import MINGZHANG_NAMESPACE, validate_uscc

ORGANIZATION_TYPES = MappingProxyType(
    {
        "charity": "公益慈善类",
        "life_services": "生活服务类",
        "community_affairs": "社区事务类",
        "culture_sports": "文体活动类",
    }
)
TIERS = MappingProxyType(
    {
        "registered": "注册社会组织",
        "activity_team": "群众活动团队",
        "activity_group": "社区活动小组",
    }
)
ROLES = MappingProxyType(
    {
        "community_foundation": "社区基金会",
        "foundation": "基金会",
        "service_center": "社区社会组织服务中心",
    }
)
GRADES = ("1A", "2A", "3A", "4A", "5A")
FUND_HOLDER_ROLES = ("community_foundation", "foundation")


@dataclass(frozen=True)
class Registration:
    STORED_AS: ClassVar[str] = "mingzhang/organizations.Registration"

    name: str
    uscc: str | None
    type: str
    tier: str
    roles: tuple[str, ...]
    district: str
    subdistrict: str
    rural: bool
    registered_on: date

    def __post_init__(self) -> None:
        # Stored state comes back from JSON with a list; the record always holds a sorted tuple.
        object.__setattr__(self, "roles", tuple(sorted(self.roles)))

    @classmethod
    def validated(
        cls,
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
    ) -> Registration:
        if not isinstance(rural, bool):
            raise InvalidChoice("rural must be true or false", field="rural")
        return cls(
            name=check_text(name, field="name", max_length=200),
            uscc=None if uscc is None else validate_uscc(uscc),
            type=check_choice(type, ORGANIZATION_TYPES, field="type"),
            tier=check_choice(tier, TIERS, field="tier"),
            roles=check_roles(roles),
            district=check_district(district),
            subdistrict=check_text(subdistrict, field="subdistrict", max_length=100),
            rural=rural,
            registered_on=check_date(registered_on, field="registered_on"),
        )


@dataclass(frozen=True)
class Reclassification:
    STORED_AS: ClassVar[str] = "mingzhang/organizations.Reclassification"

    type: str
    tier: str
    reason: str
    reclassified_on: date

    @classmethod
    def validated(
        cls,
        *,
        type: str,
        tier: str,
        reason: str,
        reclassified_on: date,
    ) -> Reclassification:
        return cls(
            check_choice(type, ORGANIZATION_TYPES, field="type"),
            check_choice(tier, TIERS, field="tier"),
            check_text(reason, field="reason"),
            check_date(reclassified_on, field="reclassified_on"),
        )


@dataclass(frozen=True)
class Evaluation:
    STORED_AS: ClassVar[str] = "mingzhang/organizations.Evaluation"

    grade: str
    evaluated_on: date
    evaluator: str

    @classmethod
    def validated(cls, *, grade: str, evaluated_on: date, evaluator: str) -> Evaluation:
        return cls(
            check_choice(grade, GRADES, field="grade"),
            check_date(evaluated_on, field="evaluated_on"),
            check_text(evaluator, field="evaluator", max_length=200),
        )


@dataclass(frozen=True)
class Deregistration:
    STORED_AS: ClassVar[str] = "mingzhang/organizations.Deregistration"

    reason: str
    deregistered_on: date

    @classmethod
    def validated(cls, *, reason: str, deregistered_on: date) -> Deregistration:
        return cls(
            check_text(reason, field="reason"),
            check_date(deregistered_on, field="deregistered_on"),
        )


def check_roles(roles: Iterable[str]) -> tuple[str, ...]:
    if isinstance(roles, str):
        raise InvalidChoice("roles must be a list of roles, not one string", field="roles")
    return tuple(sorted({check_choice(r, ROLES, field="roles") for r in roles}))


class Organization(LedgerAggregate, Dated):
    TOPIC = "mingzhang/Organization"
    BEGAN = "the organisation was registered"

    class Created(LedgerAggregate.Created):
        """Base of the creation event; `Registered` is the one recorded."""

        TOPIC = "mingzhang/Organization.Created"

    @classmethod
    def register(cls, organization_id: UUID, registration: Registration) -> Organization:
        return cls(
            id=check_uuid(organization_id, field="id"),
            name=registration.name,
            uscc=registration.uscc,
            type=registration.type,
            tier=registration.tier,
            roles=list(registration.roles),
            district=registration.district,
            subdistrict=registration.subdistrict,
            rural=registration.rural,
            registered_on=registration.registered_on,
        )

    class Registered(Created):
        """Entered into the registry."""

        TOPIC = "mingzhang/Organization.Registered"
        name: str
        uscc: str | None
        type: str
        tier: str
        roles: list[str]
        district: str
        subdistrict: str
        rural: bool
        registered_on: date

    @event(Registered)
    def __init__(
        self,
        id: UUID,
        name: str,
        uscc: str | None,
        type: str,
        tier: str,
        roles: list[str],
        district: str,
        subdistrict: str,
        rural: bool,
        registered_on: date,
    ) -> None:
        self.registration = Registration(
            name, uscc, type, tier, tuple(roles), district, subdistrict, rural, registered_on
        )
        self.type = type
        self.tier = tier
        self.grade: str | None = None
        self.deregistration: Deregistration | None = None

    @property
    def name(self) -> str:
        return self.registration.name

    @property
    def began_on(self) -> date:
        return self.registration.registered_on

    @property
    def roles(self) -> tuple[str, ...]:
        return self.registration.roles

    @property
    def district(self) -> str:
        return self.registration.district

    @property
    def is_active(self) -> bool:
        return self.deregistration is None

    # --- rules -----------------------------------------------------------------------------------

    def check_active(self, *, field: str = "organization_id") -> None:
        if self.deregistration is not None:
            raise OrganizationDeregistered(
                f"{field}: organisation {self.id} was deregistered on "
                f"{self.deregistration.deregistered_on}; it accepts no further changes",
                field=field,
            )

    def check_has_role(self, roles: Iterable[str], *, field: str, doing: str) -> None:
        wanted = tuple(roles)
        if not set(wanted) & set(self.roles):
            raise RoleMismatch(
                f"{field}: only an organisation with the role {' or '.join(wanted)} may {doing}; "
                f"{self.name!r} has {', '.join(self.roles) or 'no role'}",
                field=field,
            )

    # --- commands: the ledger validates the record and guarantees idempotency; these apply rules ---

    def reclassify(self, command_id: UUID, record: Reclassification) -> Reclassification:
        self.check_active()
        self._reclassified(
            command_id=command_id,
            type=record.type,
            tier=record.tier,
            reason=record.reason,
            reclassified_on=record.reclassified_on,
        )
        return record

    class Reclassified(LedgerEvent):
        """Re-labelled (type and tier) with a reason."""

        TOPIC = "mingzhang/Organization.Reclassified"
        command_id: UUID
        type: str
        tier: str
        reason: str
        reclassified_on: date

    @event(Reclassified)
    def _reclassified(
        self, command_id: UUID, type: str, tier: str, reason: str, reclassified_on: date
    ) -> None:
        self.type = type
        self.tier = tier

    def record_evaluation(self, evaluation_id: UUID, record: Evaluation) -> Evaluation:
        self.check_active()
        self.check_has_role(("service_center",), field="organization_id", doing="be graded")
        self._evaluated(
            evaluation_id=evaluation_id,
            grade=record.grade,
            evaluated_on=record.evaluated_on,
            evaluator=record.evaluator,
        )
        return record

    class Evaluated(LedgerEvent):
        """A service centre's evaluation grade."""

        TOPIC = "mingzhang/Organization.Evaluated"
        evaluation_id: UUID
        grade: str
        evaluated_on: date
        evaluator: str

    @event(Evaluated)
    def _evaluated(
        self, evaluation_id: UUID, grade: str, evaluated_on: date, evaluator: str
    ) -> None:
        self.grade = grade

    def deregister(self, command_id: UUID, record: Deregistration) -> Deregistration:
        self.check_active()
        self._deregistered(
            command_id=command_id, reason=record.reason, deregistered_on=record.deregistered_on
        )
        return record

    class Deregistered(LedgerEvent):
        """Left the registry; no further changes."""

        TOPIC = "mingzhang/Organization.Deregistered"
        command_id: UUID
        reason: str
        deregistered_on: date

    @event(Deregistered)
    def _deregistered(self, command_id: UUID, reason: str, deregistered_on: date) -> None:
        self.deregistration = Deregistration(reason, deregistered_on)


def claim_id(uscc: str) -> UUID:
    """The one claim a USCC can have."""
    return uuid5(MINGZHANG_NAMESPACE, f"uscc-claim/{uscc}")


class UsccClaim(LedgerAggregate):
    """Which organisation a USCC (统一社会信用代码) names: the code is a legal entity's, for good.

    Created with the organisation that registers the code and saved with it, so two concurrent
    registrations of one code both try to create version 1 of the same claim; the second collides,
    is re-checked against the first, and refused. The claim outlives a deregistration: the code still
    names the entity that was registered. Organisations registered before claims existed (before
    2026-12-01) hold none; the first registration of such a code since then takes its claim."""

    TOPIC = "mingzhang/UsccClaim"

    class Created(LedgerAggregate.Created):
        TOPIC = "mingzhang/UsccClaim.Created"

    @classmethod
    def claim(cls, uscc: str, organization_id: UUID) -> UsccClaim:
        return cls(id=claim_id(uscc), uscc=uscc, organization_id=organization_id)

    class Claimed(Created):
        """The USCC names this organisation (same commit as its `Registered`)."""

        TOPIC = "mingzhang/UsccClaim.Claimed"
        uscc: str
        organization_id: UUID

    @event(Claimed)
    def __init__(self, id: UUID, uscc: str, organization_id: UUID) -> None:
        self.uscc = uscc
        self.organization_id = organization_id

    def check_names(self, organization_id: UUID) -> None:
        if self.organization_id != organization_id:
            raise DuplicateUSCC(
                f"uscc: {self.uscc} is already registered to organisation {self.organization_id}; "
                "a USCC names one organisation",
                field="uscc",
            )
