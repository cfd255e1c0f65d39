"""The demo ledger: a realistic Shanghai dataset written into an empty ledger through the Ledger's own use
cases, so every event in it is one the application accepted (`mingzhang demo`, `make demo`).

It registers community foundations in subdistricts of all 16 districts (the rural towns flagged), a few
large foundations, graded service centres and community social organisations of every type and tier;
then, on a clock that runs from 2021-01-01 to 2024-12-31 as the log grows, it receives donations, awards
and pays grants, handles relief cases (with the emergency fast path, ratifications and a reversal), runs
pairings of the three kinds and mentor links, and designates leaders and observation points for
2021–2023. Because every date is the clock's date when the command is written, nothing is paid before
it was received or awarded; and each command is recorded on that date too (`recording_at`, Shanghai
office hours), so the log has a past that `?as_of=` can show. People are visibly fictitious and enter only through the vault.

It is deterministic for a seed (ids come from the seeded generator too; only the vault's per-use
references and salts are random, by design). Memory stays flat at any size: organisations are a few
thousand at most, and the grants, cases, pairings and links in progress are bounded pools. The generator
mirrors each fund's available balance, so it only asks what the ledger must accept; a refusal means the
generator is wrong, and is raised with what was being done.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import TextIO, TypeVar

from demo.places import (
    ACTIVITY_SUMMARIES,
    AREA_CODES,
    FUND_NAMES,
    LARGE_FOUNDATIONS,
    MENTOR_FOCUS,
    MENTOR_ROLES,
    ORGANIZATION_NAMES,
    PAIRING_GOALS,
    PROGRAMMES,
    SERVICE_CENTER_NAMES,
    SUBDISTRICTS,
    is_rural,
    place,
)
from domain.clock import SHANGHAI, recording_at
from domain.districts import DISTRICTS
from domain.errors import DomainError
from domain.foundations.codes import RELIEF_PURPOSES, RELIEF_REASONS
from domain.ids import USCC_ALPHABET, uscc_check_character
from domain.ledger import Ledger, Outcome
from domain.money import Money
from domain.organizations import GRADES, ORGANIZATION_TYPES, TIERS
from domain.pairing.pairing import MODES, RESULTS
from domain.privacy import PersonalData, id_card_check_character

START = date(2021, 1, 1)
END = date(2024, 12, 31)
DEMO_NAMESPACE = uuid.UUID("6d7a2d64-656d-6f2d-6c65-646765720000")
DESIGNATION_YEARS = (2021, 2022, 2023)
# Pools of work in progress: large enough to interleave many stories, small enough to keep memory flat.
POOL = 200
# Each command is recorded in Shanghai office hours of its story date, later the further the story is
# into that day.
OFFICE_OPENS = clock_time(9, 0)
OFFICE_DAY = timedelta(hours=8)
# The most story events one command writes (a funding activity: the activity and a transfer's two).
EVENTS_PER_COMMAND = 4
T = TypeVar("T")


class DemoError(RuntimeError):
    """The ledger refused a command the generator built: the generator is wrong."""


def fake_person(number: int) -> PersonalData:
    """The `number`-th fictitious person: a name that says so, an ID number in a range no real one uses
    (area code 999999 is no division of GB/T 2260) with a valid check character, a 1390000xxxx phone."""
    birth = date(1940, 1, 1) + timedelta(days=number * 37 % 25_000)
    first17 = f"999999{birth:%Y%m%d}{number % 1000:03d}"
    return PersonalData(
        name=f"测试居民{number:06d}（虚构）",
        id_card=first17 + id_card_check_character(first17),
        phone=f"1390000{number % 10_000:04d}",
        neighbourhood_committee="演示居委会（虚构）",
    )


@dataclass
class Org:
    id: uuid.UUID
    name: str
    district: str
    subdistrict: str
    rural: bool
    type: str = "charity"
    tier: str = "registered"
    roles: tuple[str, ...] = ()
    grade: int = 0  # index into GRADES + 1 for a graded service centre; 0 when not graded
    funds: list[uuid.UUID] = field(default_factory=list)  # general first, then special, relief


@dataclass
class GrantWork:
    id: uuid.UUID
    fund: uuid.UUID
    title: str
    awarded: int  # fen
    left: int  # fen still reserved for it
    instalments: int = 0
    stage: str = "awarded"  # awarded → paying → reported → rated


@dataclass
class CaseWork:
    id: uuid.UUID
    fund: uuid.UUID
    foundation: uuid.UUID
    emergency: bool
    requested: int
    stage: str = "opened"  # opened → fast_paid | approved
    approved: int = 0
    disbursed: int = 0
    fast: tuple[uuid.UUID, date] | None = None  # the fast-path disbursement and its date


@dataclass
class PairingWork:
    id: uuid.UUID
    kind: str
    lead: Org
    partner: Org
    goals: int
    activities: int
    stage: str = "proposed"  # proposed → half → active → evaluated
    done: int = 0


@dataclass
class LinkWork:
    id: uuid.UUID
    sessions: int
    done: int = 0


@dataclass
class DemoReport:
    events: int
    seconds: float
    people: int  # fictitious people put into the vault: fake_person(0) … fake_person(people - 1)
    counts: dict[str, int]


def pair_key(kind: str, first: Org, second: Org) -> tuple[str, str, str]:
    """The two organisations' one open place for a kind of pairing (as `PairingSlot` keeps it)."""
    low, high = sorted((str(first.id), str(second.id)))
    return kind, low, high


class Progress:
    """One line on stderr, redrawn at most twice a second: events written / N, events/s, ETA."""

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total, self.stream = total, stream
        self.started = self.shown = time.perf_counter()
        self.drawn = False

    def update(self, done: int, *, final: bool = False) -> None:
        now = time.perf_counter()
        if self.stream is None or (not final and now - self.shown < 0.5):
            return
        self.shown, self.drawn = now, not final
        rate = done / max(now - self.started, 1e-9)
        eta = max(self.total - done, 0) / rate if rate else 0.0
        width = 30
        filled = min(width, width * done // max(self.total, 1))
        bar = "#" * filled + "-" * (width - filled)
        print(
            f"\rdemo [{bar}] {done}/{self.total} events, {rate:,.0f} events/s, ETA {eta:,.0f} s ",
            end="\n" if final else "",
            file=self.stream,
            flush=True,
        )

    def close(self) -> None:
        """End a line left half drawn, so that whatever is printed next starts on its own line."""
        if self.stream is not None and self.drawn:
            print(file=self.stream, flush=True)
            self.drawn = False


class Demo:
    def __init__(
        self, ledger: Ledger, *, events: int, seed: int, progress: TextIO | None = None
    ) -> None:
        # Vault.put is not part of the ledger's vault protocol (the ledger only mints references).
        put = getattr(ledger.vault, "put", None)
        if put is None:
            msg = "the demo needs a ledger with a personal-data vault it can write to"
            raise DemoError(msg)
        self.put: Callable[[uuid.UUID, PersonalData], None] = put
        self.ledger, self.target = ledger, events
        self.rng = random.Random(seed)
        self.progress = Progress(events, progress)
        # The story's position: events written, less the USCC claims saved with registrations. The
        # calendar and the target count the story, so the dataset a seed makes (and the stored-format
        # fixture made from it) stays the one it was before claims existed; the claims are added.
        self.position = ledger.head()
        self.claims = 0
        self.people = 0
        self.counts: dict[str, int] = {}
        # Each fund's available fen, mirrored from each command, so only acceptable commands are built.
        self.available: dict[uuid.UUID, int] = {}
        self.community: list[Org] = []  # community foundations
        self.large: list[Org] = []  # large foundations (role `foundation`)
        self.centres: list[Org] = []  # service centres
        self.social: list[Org] = []  # community social organisations
        self.funds: list[uuid.UUID] = []  # the funds grants are paid from
        self.all_funds: list[uuid.UUID] = []
        self.relief_funds: list[tuple[uuid.UUID, Org]] = []
        self.grants: list[GrantWork] = []
        self.cases: list[CaseWork] = []
        self.pairings: list[PairingWork] = []
        self.open_pairs: set[tuple[str, str, str]] = set()
        self.links: list[LinkWork] = []
        self.named_donations: list[tuple[uuid.UUID, uuid.UUID]] = []  # (fund, donation)
        self.recent_donations: list[tuple[uuid.UUID, uuid.UUID, int]] = []
        self.nominated: dict[int, list[tuple[uuid.UUID, str]]] = {}
        # What happens on the calendar: nominations in March, selections in June of each year.
        self.calendar = [(date(y, m, 1), y) for y in DESIGNATION_YEARS for m in (3, 6)]
        # Fast-path payments by deadline (paid in date order, so the earliest first), and whether
        # they are being settled now.
        self.due: deque[tuple[date, CaseWork]] = deque()
        self.settling = False
        self.recorded: datetime | None = None  # the last command's recording time

    # --- plumbing --------------------------------------------------------------------------------

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    @property
    def today(self) -> date:
        """The clock: 2021-01-01 at an empty log, 2024-12-31 when the log reaches the target."""
        span = (END - START).days
        return START + timedelta(days=min(span, span * self.position // max(self.target, 1)))

    def recording_time(self) -> datetime:
        """When the next command is recorded: on the story's date (`today`), in Shanghai office
        hours, as far into them as the story is into that day, and always after the last command."""
        span, target = (END - START).days, max(self.target, 1)
        into_day = 0.0 if self.position >= target else (span * self.position % target) / target
        opens = datetime.combine(self.today, OFFICE_OPENS, SHANGHAI)
        moment = (opens + OFFICE_DAY * into_day).astimezone(UTC)
        if self.recorded is not None and moment <= self.recorded:
            moment = self.recorded + timedelta(milliseconds=1)
        if moment.microsecond == 0:
            # Stored with a fraction of a second, as the library's now always is (an ISO time
            # drops a zero fraction, and the stored-format test reads times in the stored form).
            moment += timedelta(microseconds=1)
        if moment > datetime.now(UTC):
            msg = f"the demo would record an event at {moment}, after this machine's now"
            raise DemoError(msg)
        self.recorded = moment
        return moment

    def do(
        self, action: str, command: Callable[..., Outcome[T]], *args: object, **kwargs: object
    ) -> T:
        """Run one of the Ledger's use cases; a refusal is the generator's bug, named with the action.
        Its events are recorded at the story's time (`recording_time`), all of them at the same."""
        moment = self.recording_time()
        try:
            with recording_at(lambda: moment):
                outcome = command(*args, **kwargs)
        except DomainError as error:
            raise DemoError(
                f"the ledger refused the demo's {action} at position {self.position}: {error}; "
                "the generator is wrong"
            ) from error
        self.position = max(self.position, outcome.position - self.claims)
        self.counts[action] = self.counts.get(action, 0) + 1
        self.progress.update(self.position)
        self.settle_due()
        return outcome.value

    def person(self) -> uuid.UUID:
        """A new fictitious person, put into the vault; only the subject id goes on."""
        subject = uuid.uuid5(DEMO_NAMESPACE, f"person/{self.people}/{self.new_id()}")
        self.put(subject, fake_person(self.people))
        self.people += 1
        return subject

    def yuan(self, low: int, high: int) -> int:
        """A plausible amount in fen between two amounts in yuan: log-uniform, mostly round."""
        value = int(low * (high / low) ** self.rng.random())
        roll = self.rng.random()
        if roll < 0.5:
            value = max(low, round(value, -2) if value >= 1000 else round(value, -1))
            return value * 100
        return value * 100 + (self.rng.randrange(100) if roll > 0.9 else 0)

    def uscc(self, district: str, kind: str) -> str:
        body = kind + AREA_CODES[district] + "".join(self.rng.choices(USCC_ALPHABET[:10], k=2))
        body += "".join(self.rng.choices(USCC_ALPHABET, k=17 - len(body)))
        return body + uscc_check_character(body)

    # --- organisations and funds -----------------------------------------------------------------

    def subdistricts(self, count: int) -> list[tuple[str, str]]:
        """`count` distinct subdistricts, the first of them one in each district."""
        every = [(d, s) for d in DISTRICTS for s in SUBDISTRICTS[d]]
        first = [(d, self.rng.choice(SUBDISTRICTS[d])) for d in DISTRICTS]
        rest = [p for p in every if p not in first]
        self.rng.shuffle(rest)
        return (first + rest)[: max(16, min(count, len(every)))]

    def register(
        self, name: str, district: str, subdistrict: str, *, type: str, tier: str, roles: list[str]
    ) -> Org:
        org = Org(self.new_id(), name, district, subdistrict, is_rural(district, subdistrict))
        org.type, org.tier, org.roles = type, tier, tuple(roles)
        # Only registered organisations have a USCC: 53 a foundation, 52 a private non-enterprise unit.
        code = "53" if roles and roles != ["service_center"] else "52"
        uscc = self.uscc(district, code) if tier == "registered" else None
        registered = date(self.rng.randrange(2012, 2021), self.rng.randrange(1, 13), 1)
        if uscc is not None:
            self.claims += (
                1  # saved with the organisation, so counted before `do` reads the position
            )
        self.do(
            "registration",
            self.ledger.register_organization,
            org.id,
            name=name,
            uscc=uscc,
            type=type,
            tier=tier,
            roles=roles,
            district=district,
            subdistrict=subdistrict,
            rural=org.rural,
            registered_on=registered,
        )
        return org

    def open_fund(self, holder: Org, kind: str) -> uuid.UUID:
        fund = self.new_id()
        name = self.rng.choice(FUND_NAMES[kind])
        if "community_foundation" in holder.roles:
            name = place(holder.subdistrict) + name
        self.do(
            "fund opening",
            self.ledger.open_fund,
            fund,
            foundation_id=holder.id,
            kind=kind,
            name=name,
            opened_on=self.today,
        )
        holder.funds.append(fund)
        self.available[fund] = 0
        self.all_funds.append(fund)
        if kind == "emergency_relief":
            self.relief_funds.append((fund, holder))
        else:
            self.funds.append(fund)
        return fund

    def evaluate_centre(self, centre: Org, grade: int) -> None:
        centre.grade = grade
        self.do(
            "grade evaluation",
            self.ledger.record_evaluation,
            centre.id,
            evaluation_id=self.new_id(),
            grade=GRADES[grade - 1],
            evaluated_on=self.today,
            evaluator=f"{DISTRICTS[centre.district]}社会组织评估委员会",
        )

    def setup(self) -> None:
        """The organisations and funds, more of them for a larger demo but a few thousand at most."""
        n = self.target
        for name, district, subdistrict in LARGE_FOUNDATIONS:
            org = self.register(
                name, district, subdistrict, type="charity", tier="registered", roles=["foundation"]
            )
            self.large.append(org)
            self.open_fund(org, "general")
            self.open_fund(org, "special")
        for district, subdistrict in self.subdistricts(n // 150):
            org = self.register(
                f"上海市{DISTRICTS[district]}{place(subdistrict)}社区基金会",
                district,
                subdistrict,
                type="charity",
                tier="registered",
                roles=["community_foundation"],
            )
            self.community.append(org)
            self.open_fund(org, "general")
            if self.rng.random() < 0.5:
                self.open_fund(org, "special")
            self.open_fund(org, "emergency_relief")
        for i, (district, subdistrict) in enumerate(self.subdistricts(n // 400)):
            ending = SERVICE_CENTER_NAMES[i % len(SERVICE_CENTER_NAMES)]
            centre = self.register(
                f"{DISTRICTS[district]}{place(subdistrict)}{ending}",
                district,
                subdistrict,
                type="community_affairs",
                tier="registered",
                roles=["service_center"],
            )
            self.centres.append(centre)
            self.evaluate_centre(centre, self.rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5)))
        # Community social organisations: the first twelve cover every type and tier; beyond the
        # subdistricts' number, further ones are named after a residential area (居民区) of the place.
        kinds = [(t, tier) for t in ORGANIZATION_TYPES for tier in TIERS]
        places = self.subdistricts(n // 60)
        for i in range(max(24, min(n // 60, 3000))):
            district, subdistrict = places[i % len(places)]
            type_, tier = kinds[i] if i < len(kinds) else self.rng.choice(kinds)
            area = f"第{i // len(places) + 1}居民区" if i >= len(places) else ""
            ending = self.rng.choice(ORGANIZATION_NAMES[type_, tier])
            self.social.append(
                self.register(
                    f"{place(subdistrict)}{area}{ending}",
                    district,
                    subdistrict,
                    type=type_,
                    tier=tier,
                    roles=[],
                )
            )

    # --- money in --------------------------------------------------------------------------------

    def donate(self, fund: uuid.UUID | None = None) -> None:
        fund = fund or self.rng.choice(self.all_funds)
        donation = self.new_id()
        roll = self.rng.random()
        subject, ref, publish = None, None, False
        if roll < 0.08:
            kind, amount = "person", self.yuan(200, 50_000)
            subject, publish = self.person(), self.rng.random() < 0.5
        elif roll < 0.25:
            kind, amount = "organization", self.yuan(5_000, 300_000)
            ref = str(self.rng.choice(self.social if self.rng.random() < 0.8 else self.large).id)
        else:
            kind, amount = "anonymous", self.yuan(20, 5_000)
        self.do(
            "donation",
            self.ledger.receive_donation,
            fund,
            donation_id=donation,
            amount=Money(amount),
            received_on=self.today,
            donor_kind=kind,
            donor_ref=ref,
            donor_subject_id=subject,
            publish_name=publish,
        )
        self.available[fund] += amount
        if publish and len(self.named_donations) < POOL:
            self.named_donations.append((fund, donation))
        self.recent_donations = [*self.recent_donations[-9:], (fund, donation, amount)]

    def withdraw_consent(self) -> bool:
        if not self.named_donations:
            return False
        fund, donation = self.named_donations.pop(self.rng.randrange(len(self.named_donations)))
        self.do(
            "consent withdrawal",
            self.ledger.withdraw_name_consent,
            fund,
            command_id=self.new_id(),
            donation_id=donation,
            withdrawn_on=self.today,
        )
        return True

    def reverse_donation(self) -> bool:
        """A donation recorded twice from one bank slip is corrected (更正说明)."""
        usable = [d for d in self.recent_donations if self.available[d[0]] >= d[2]]
        if not usable:
            return False
        fund, donation, amount = usable[-1]
        self.recent_donations.remove(usable[-1])
        self.do(
            "donation reversal",
            self.ledger.reverse_donation,
            fund,
            reversal_id=self.new_id(),
            donation_id=donation,
            reason="同一笔银行到账重复登记，予以冲正",
            reversed_on=self.today,
        )
        self.available[fund] -= amount
        return True

    def transfer(self) -> bool:
        """A foundation moves money from its general fund into its special fund."""
        for holder in self.rng.sample(self.community, min(8, len(self.community))):
            general = holder.funds[0]
            special = [f for f in holder.funds[1:] if f in self.available and f in self.funds]
            if special and self.available[general] >= 100_000:
                amount = self.available[general] // 300 * 100
                self.do(
                    "transfer",
                    self.ledger.transfer,
                    transfer_id=self.new_id(),
                    from_fund_id=general,
                    to_fund_id=special[0],
                    amount=Money(amount),
                    transferred_on=self.today,
                    purpose="划拨至专项基金",
                )
                self.available[general] -= amount
                self.available[special[0]] += amount
                return True
        return False

    # --- grants ----------------------------------------------------------------------------------

    def award(self) -> bool:
        if len(self.grants) >= POOL:
            return False
        fund = self.rng.choice(self.funds)
        if self.available[fund] < 1_000_000:  # less than 10,000 yuan free: nothing to grant yet
            return False
        amount = min(self.yuan(5_000, 200_000), self.available[fund] * 6 // 10 // 100 * 100)
        recipient = self.rng.choice(self.social + self.centres)
        programme, title, description = self.rng.choice(PROGRAMMES)
        title = f"{place(recipient.subdistrict)}{title}"
        grant = self.new_id()
        start = self.today + timedelta(days=14)
        self.do(
            "grant award",
            self.ledger.award_grant,
            grant,
            fund_id=fund,
            recipient_id=recipient.id,
            programme=programme,
            title=title,
            description=description,
            amount=Money(amount),
            awarded_on=self.today,
            planned_start=start,
            planned_end=start + timedelta(days=self.rng.choice((180, 365))),
        )
        self.available[fund] -= amount
        self.grants.append(GrantWork(grant, fund, title, amount, amount))
        return True

    def advance_grant(self) -> bool:
        if not self.grants:
            return False
        g = self.grants[self.rng.randrange(len(self.grants))]
        roll = self.rng.random()
        if g.stage in ("awarded", "paying") and roll < 0.04:
            self.end_grant(g, cancel=True)
        elif (
            g.stage == "paying"
            and roll < 0.07
            and g.left > 0  # a fully paid grant's reservation is settled: nothing to adjust
            and self.available[g.fund] >= g.awarded // 10
        ):
            extra = g.awarded // 10 // 100 * 100
            self.do(
                "grant amendment",
                self.ledger.amend_grant,
                g.id,
                command_id=self.new_id(),
                new_amount=Money(g.awarded + extra),
                reason="项目覆盖范围扩大，追加资助",
                amended_on=self.today,
            )
            g.awarded, g.left = g.awarded + extra, g.left + extra
            self.available[g.fund] -= extra
        elif g.stage in ("awarded", "paying") and g.left > 0 and g.instalments < 3:
            share = g.left if g.instalments == 2 else g.left * self.rng.choice((4, 5, 6)) // 10
            share = max(share // 100 * 100, min(g.left, 100))
            self.do(
                "grant instalment",
                self.ledger.pay_instalment,
                g.id,
                payment_id=self.new_id(),
                amount=Money(share),
                paid_on=self.today,
            )
            g.left -= share
            g.instalments += 1
            g.stage = "paying"
        elif g.stage in ("awarded", "paying"):
            self.do(
                "grant report",
                self.ledger.receive_grant_report,
                g.id,
                command_id=self.new_id(),
                summary=f"{g.title}结项报告：按计划完成服务",
                received_on=self.today,
            )
            g.stage = "reported"
        elif g.stage == "reported":
            rating = self.rng.choice((3, 4, 4, 5, 5))
            self.do(
                "grant feedback",
                self.ledger.record_grant_feedback,
                g.id,
                command_id=self.new_id(),
                rating=rating,
                summary="居民满意度调查：服务及时，希望继续开展",
                recorded_on=self.today,
            )
            g.stage = "rated"
        else:
            self.end_grant(g, cancel=False)
        return True

    def end_grant(self, g: GrantWork, *, cancel: bool) -> None:
        if cancel:
            self.do(
                "grant cancellation",
                self.ledger.cancel_grant,
                g.id,
                command_id=self.new_id(),
                reason="受资助方无法按期开展项目，经双方协商取消",
                cancelled_on=self.today,
            )
        else:
            self.do(
                "grant closure",
                self.ledger.close_grant,
                g.id,
                command_id=self.new_id(),
                outcome="项目目标达成，资金使用情况已公示",
                closed_on=self.today,
            )
        self.available[g.fund] += g.left  # what was still reserved is released
        self.grants.remove(g)

    # --- relief (救急难) ---------------------------------------------------------------------------

    def open_case(self) -> bool:
        if len(self.cases) >= POOL:
            return False
        fund, holder = self.rng.choice(self.relief_funds)
        case, emergency = self.new_id(), self.rng.random() < 0.4
        requested = self.yuan(1_000, 20_000)
        beneficiary = self.person()
        self.do(
            "relief case",
            self.ledger.open_relief_case,
            case,
            fund_id=fund,
            reason_code=self.rng.choice(list(RELIEF_REASONS)),
            purpose_code=self.rng.choice(list(RELIEF_PURPOSES)),
            subdistrict=holder.subdistrict,
            beneficiary_subject_id=beneficiary,
            requested_amount=Money(requested),
            emergency=emergency,
            opened_on=self.today,
        )
        self.cases.append(CaseWork(case, fund, holder.id, emergency, requested))
        return True

    def approvers(self, c: CaseWork) -> list[uuid.UUID]:
        """Two of the foundation's three relief committee members (ids, not people's data)."""
        members = [uuid.uuid5(DEMO_NAMESPACE, f"committee/{c.foundation}/{i}") for i in range(3)]
        return self.rng.sample(members, 2)

    def advance_case(self) -> bool:
        if not self.cases:
            return False
        c = self.cases[self.rng.randrange(len(self.cases))]
        roll = self.rng.random()
        if c.stage == "opened" and c.emergency:
            if self.available[c.fund] < c.requested:
                self.donate(c.fund)
                return True
            disbursement = self.new_id()
            self.do(
                "fast-path disbursement",
                self.ledger.disburse_relief,
                c.id,
                disbursement_id=disbursement,
                amount=Money(c.requested),
                paid_on=self.today,
            )
            self.available[c.fund] -= c.requested
            c.stage, c.fast, c.disbursed = "fast_paid", (disbursement, self.today), c.requested
            self.due.append((self.today + timedelta(days=self.ledger.ratification_days), c))
            self.settle_due()  # at once, if the calendar may pass the deadline by the next command
        elif c.stage == "opened" and roll < 0.08:
            self.do(
                "relief rejection",
                self.ledger.reject_relief_case,
                c.id,
                command_id=self.new_id(),
                reason="经核实不符合救急难救助条件",
                rejected_on=self.today,
            )
            self.cases.remove(c)
        elif c.stage == "opened":
            amount = c.requested if roll < 0.7 else c.requested * 8 // 10 // 100 * 100
            if self.available[c.fund] < amount:
                self.donate(c.fund)
                return True
            self.do(
                "relief approval",
                self.ledger.approve_relief_case,
                c.id,
                command_id=self.new_id(),
                amount=Money(amount),
                approvers=self.approvers(c),
                approved_on=self.today,
            )
            self.available[c.fund] -= amount
            c.stage, c.approved = "approved", amount
        elif c.stage == "fast_paid":
            self.settle_fast(c, roll)
        else:
            left = c.approved - c.disbursed
            part = left if roll < 0.6 or left < 100_000 else left // 2 // 100 * 100
            self.do(
                "relief disbursement",
                self.ledger.disburse_relief,
                c.id,
                disbursement_id=self.new_id(),
                amount=Money(part),
                paid_on=self.today,
            )
            c.disbursed += part
            if c.disbursed == c.approved:
                self.cases.remove(c)
        return True

    def settle_fast(self, c: CaseWork, roll: float) -> None:
        """A fast-path payment is reversed (the first, and about 3% after it) or ratified, today."""
        assert c.fast is not None
        disbursement, _ = c.fast
        # Settled before the command runs: the command settles what falls due after it (`do`).
        c.stage = "settled"
        self.cases.remove(c)
        if not self.counts.get("disbursement reversal") or roll < 0.03:
            self.do(
                "disbursement reversal",
                self.ledger.reverse_disbursement,
                c.id,
                reversal_id=self.new_id(),
                disbursement_id=disbursement,
                reason="经复核受助人已获得其他救助，款项退回基金",
                reversed_on=self.today,
            )
            self.available[c.fund] += c.disbursed
        else:
            self.do(
                "ratification",
                self.ledger.ratify_relief_case,
                c.id,
                command_id=self.new_id(),
                approvers=self.approvers(c),
                ratified_on=self.today,
            )

    def settle_due(self) -> None:
        """Settle the fast-path payments whose deadline the calendar may pass before the next command.

        A ratification is recorded on its own date, which must be within the deadline, and the
        calendar moves on with every event: so each payment is settled while its deadline is still
        ahead of the next command's date (the calendar moves at most `lookahead` days per command)."""
        if self.settling:
            return
        span = (END - START).days
        lookahead = timedelta(
            days=min(
                self.ledger.ratification_days,
                -(-span * EVENTS_PER_COMMAND // max(self.target, 1)),
            )
        )
        self.settling = True
        try:
            while self.due and self.due[0][0] - lookahead <= self.today:
                _, c = self.due.popleft()
                if c.stage == "fast_paid":
                    self.settle_fast(c, self.rng.random())
        finally:
            self.settling = False

    # --- pairings and mentor links ---------------------------------------------------------------

    def propose(self) -> bool:
        if len(self.pairings) >= POOL // 4:
            return False
        kinds = ("foundation_twinning", "service_center_partnership", "urban_rural")
        kind = kinds[self.counts.get("pairing proposal", 0) % 3]  # in turn, so all three appear
        rural = [o for o in self.community if o.rural] or [o for o in self.social if o.rural]
        if kind == "foundation_twinning":
            lead, partner = self.rng.choice(self.large), self.rng.choice(self.community)
        elif kind == "service_center_partnership" and len(self.centres) > 1:
            lead, partner = self.rng.sample(self.centres, 2)
            if lead.grade < partner.grade:
                lead, partner = partner, lead
        elif kind == "urban_rural" and rural:
            lead = self.rng.choice([o for o in self.community + self.centres if not o.rural])
            partner = self.rng.choice(rural)
        else:
            return False
        key = pair_key(kind, lead, partner)
        if key in self.open_pairs:
            return False
        pairing, mode = self.new_id(), None
        if kind == "service_center_partnership":
            mode = self.rng.choice(list(MODES))
        goals = self.rng.sample(PAIRING_GOALS, self.rng.randint(2, 4))
        start = self.today + timedelta(days=30)
        self.do(
            "pairing proposal",
            self.ledger.propose_pairing,
            pairing,
            kind=kind,
            mode=mode,
            lead_id=lead.id,
            partner_id=partner.id,
            goals=goals,
            planned_start=start,
            planned_end=start + timedelta(days=365),
            proposed_on=self.today,
        )
        self.open_pairs.add(key)
        self.pairings.append(
            PairingWork(pairing, kind, lead, partner, len(goals), self.rng.randint(2, 5))
        )
        return True

    def advance_pairing(self) -> bool:
        if not self.pairings:
            return False
        p = self.pairings[self.rng.randrange(len(self.pairings))]
        if p.stage in ("proposed", "half"):
            if self.rng.random() < 0.04:
                self.end_pairing(p, terminate=True)
                return True
            party = p.lead if p.stage == "proposed" else p.partner
            self.do(
                "pairing confirmation",
                self.ledger.confirm_pairing,
                p.id,
                command_id=self.new_id(),
                party_id=party.id,
                confirmed_on=self.today,
            )
            p.stage = "half" if p.stage == "proposed" else "active"
        elif p.stage == "active" and p.done < p.activities:
            self.pairing_activity(p)
            p.done += 1
        elif p.stage == "active":
            results = [
                (goal, self.rng.choice(RESULTS), "按计划推进并形成记录")
                for goal in range(1, p.goals + 1)
            ]
            before = after = None
            if p.kind == "service_center_partnership":
                before = GRADES[max(p.partner.grade, 1) - 1]
                p.partner.grade = min(5, max(p.partner.grade, 1) + (self.rng.random() < 0.5))
                after = GRADES[p.partner.grade - 1]
            self.do(
                "pairing evaluation",
                self.ledger.evaluate_pairing,
                p.id,
                command_id=self.new_id(),
                results=results,
                grade_before=before,
                grade_after=after,
                evaluated_on=self.today,
            )
            p.stage = "evaluated"
        else:
            self.end_pairing(p, terminate=False)
        return True

    def pairing_activity(self, p: PairingWork) -> None:
        transfer = None
        both_hold_funds = p.lead.funds and p.partner.funds
        if both_hold_funds and self.rng.random() < 0.35:
            source, destination = p.lead.funds[0], p.partner.funds[0]
            amount = min(self.yuan(10_000, 100_000), self.available[source] // 2 // 100 * 100)
            if amount >= 100_000:
                transfer = self.new_id()
                self.do(
                    "transfer",
                    self.ledger.transfer,
                    transfer_id=transfer,
                    from_fund_id=source,
                    to_fund_id=destination,
                    amount=Money(amount),
                    transferred_on=self.today,
                    purpose="结对资金支持",
                    pairing_id=p.id,
                )
                self.available[source] -= amount
                self.available[destination] += amount
        kind = "funding" if transfer else self.rng.choice(list(ACTIVITY_SUMMARIES)[:4])
        summary = self.rng.choice(ACTIVITY_SUMMARIES[kind])
        self.do(
            "pairing activity",
            self.ledger.record_pairing_activity,
            p.id,
            activity_id=self.new_id(),
            kind=kind,
            held_on=self.today,
            summary=summary,
            transfer_id=transfer,
        )

    def end_pairing(self, p: PairingWork, *, terminate: bool) -> None:
        if terminate:
            self.do(
                "pairing termination",
                self.ledger.terminate_pairing,
                p.id,
                command_id=self.new_id(),
                reason="一方负责人调整，双方同意提前终止",
                terminated_on=self.today,
            )
        else:
            self.do(
                "pairing conclusion",
                self.ledger.conclude_pairing,
                p.id,
                command_id=self.new_id(),
                summary="结对期满，主要目标已达成",
                concluded_on=self.today,
            )
        self.open_pairs.discard(pair_key(p.kind, p.lead, p.partner))
        self.pairings.remove(p)

    def start_link(self) -> bool:
        if len(self.links) >= POOL // 2:
            return False
        link, mentee = self.new_id(), self.rng.choice(self.social + self.community)
        focus = self.rng.choice(MENTOR_FOCUS)
        if self.rng.random() < 0.5:
            subject, publish = self.person(), self.rng.random() < 0.3
            role = self.rng.choice(MENTOR_ROLES)
            self.do(
                "mentor link",
                self.ledger.start_mentor_link,
                link,
                mentor_kind="person",
                mentor_subject_id=subject,
                role_label=role,
                publish_name=publish,
                mentee_id=mentee.id,
                focus=focus,
                started_on=self.today,
            )
        else:
            mentor = self.rng.choice(self.centres + self.large)
            if mentor.id == mentee.id:
                return False
            self.do(
                "mentor link",
                self.ledger.start_mentor_link,
                link,
                mentor_kind="organization",
                mentor_org_id=mentor.id,
                mentee_id=mentee.id,
                focus=focus,
                started_on=self.today,
            )
        self.links.append(LinkWork(link, self.rng.randint(2, 8)))
        return True

    def advance_link(self) -> bool:
        if not self.links:
            return False
        link = self.links[self.rng.randrange(len(self.links))]
        if link.done < link.sessions:
            hours = self.rng.choice(("1", "1.5", "2", "2.5", "3"))
            self.do(
                "mentoring session",
                self.ledger.record_mentoring_session,
                link.id,
                session_id=self.new_id(),
                held_on=self.today,
                hours=hours,
                topic=self.rng.choice(MENTOR_FOCUS),
            )
            link.done += 1
        else:
            self.do(
                "mentor link end",
                self.ledger.end_mentor_link,
                link.id,
                command_id=self.new_id(),
                outcome="带教期满，受带教组织已能独立运营",
                ended_on=self.today,
            )
            self.links.remove(link)
        return True

    # --- the registry over time ------------------------------------------------------------------

    def regrade(self) -> bool:
        centre = self.rng.choice(self.centres)
        self.evaluate_centre(centre, min(5, max(1, centre.grade + self.rng.choice((-1, 0, 1, 1)))))
        return True

    def reclassify(self) -> bool:
        org = self.rng.choice(self.social)
        if org.tier == "registered":
            return False
        tier = "registered" if org.tier == "activity_team" else "activity_team"
        self.do(
            "reclassification",
            self.ledger.reclassify_organization,
            org.id,
            command_id=self.new_id(),
            type=org.type,
            tier=tier,
            reason="按照社区社会组织分类管理要求重新认定",
            reclassified_on=self.today,
        )
        org.tier = tier
        return True

    def deregister(self) -> bool:
        """An activity group disbands; it leaves the pool, so nothing new is addressed to it."""
        groups = [i for i, o in enumerate(self.social) if o.tier == "activity_group"]
        if len(groups) < 6:  # keep every type and tier represented
            return False
        org = self.social.pop(self.rng.choice(groups))
        self.do(
            "deregistration",
            self.ledger.deregister_organization,
            org.id,
            command_id=self.new_id(),
            reason="活动小组成员减少，自行解散",
            deregistered_on=self.today,
        )
        return True

    # --- designations (带头人, 观察点) --------------------------------------------------------------

    def nominate_year(self, year: int) -> None:
        picked = self.rng.sample(self.community, min(len(self.community), 12))
        nominations: list[tuple[uuid.UUID, str]] = []
        for i, kind in enumerate(["leader"] * 6 + ["observation_point"] * 6):
            designation = self.new_id()
            as_person = kind == "leader" and i % 2 == 0
            subject = self.person() if as_person else None
            foundation = None if as_person else picked[i % len(picked)].id
            self.do(
                "nomination",
                self.ledger.nominate,
                designation,
                kind=kind,
                year=year,
                nominee_kind="person" if as_person else "foundation",
                nominee_org_id=foundation,
                nominee_subject_id=subject,
                nominating_body=f"{DISTRICTS[picked[i % len(picked)].district]}民政局",
                rationale="社区基金会运作规范，带动居民参与成效明显"
                if kind == "observation_point"
                else "长期投身社区公益，带头作用突出",
                nominated_on=self.today,
            )
            nominations.append((designation, kind))
        self.nominated[year] = nominations

    def select_year(self, year: int) -> None:
        limit = min(self.ledger.designations_max_per_year, 4)
        chosen: dict[str, int] = {}
        for designation, kind in self.nominated.pop(year, []):
            if chosen.get(kind, 0) >= limit:
                continue
            chosen[kind] = chosen.get(kind, 0) + 1
            self.do(
                "selection",
                self.ledger.select_designation,
                designation,
                command_id=self.new_id(),
                selected_on=self.today,
                selecting_body="上海市民政局",
            )
            if year == 2022 and chosen[kind] == 1 and kind == "leader":
                self.do(
                    "revocation",
                    self.ledger.revoke_designation,
                    designation,
                    command_id=self.new_id(),
                    reason="本人因工作调动申请退出",
                    revoked_on=self.today,
                )

    # --- the run ---------------------------------------------------------------------------------

    def step(self) -> None:
        """One piece of work, chosen by weight; work that cannot proceed yet becomes a donation."""
        actions: tuple[tuple[float, Callable[[], bool]], ...] = (
            (8, self.award),
            (14, self.advance_grant),
            (5, self.open_case),
            (7, self.advance_case),
            (2, self.propose),
            (6, self.advance_pairing),
            (1.5, self.start_link),
            (4, self.advance_link),
            (1, self.transfer),
            (0.5, self.regrade),
            (0.3, self.reclassify),
            (0.1, self.deregister),
            (0.3, self.withdraw_consent),
            (0.15, self.reverse_donation),
        )
        roll = self.rng.random() * 100
        for weight, action in actions:
            roll -= weight
            if roll < 0:
                if not action():
                    self.donate()
                return
        self.donate()  # the remaining ~50%

    def run(self) -> DemoReport:
        started = time.perf_counter()
        try:
            self.generate()
            self.progress.update(self.position, final=True)
        finally:
            self.progress.close()
        events = self.ledger.head()
        return DemoReport(events, time.perf_counter() - started, self.people, self.counts)

    def generate(self) -> None:
        self.setup()
        while self.position < self.target:
            while self.calendar and self.calendar[0][0] <= self.today:
                when, year = self.calendar.pop(0)
                if when.month == 3:
                    self.nominate_year(year)
                else:
                    self.select_year(year)
            self.step()


def fill(
    ledger: Ledger, *, events: int, seed: int, progress: TextIO | None = sys.stderr
) -> DemoReport:
    """Write the demo dataset into `ledger`, which must be empty; about `events` events."""
    if ledger.head() != 0:
        msg = f"the ledger already holds {ledger.head()} events; the demo fills only an empty one"
        raise DemoError(msg)
    return Demo(ledger, events=events, seed=seed, progress=progress).run()
