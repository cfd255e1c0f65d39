"""A demo ledger for benchmarks: foundations, funds, donations, grants, instalments and relief cases.

`build(n)` makes roughly `n` events on the in-memory store through the real application (so every
event is one the ledger would accept), and `copy_into(ledger, target)` writes the same stored events into
another store in bulk, preserving their order — quicker than running the commands again there.
"""

from __future__ import annotations

import functools
import random
import sys
import time
import uuid
from datetime import date, timedelta

from eventsourcing.persistence import StoredEvent

from domain.ledger import Ledger
from domain.money import Money
from domain.privacy import PersonalData
from domain.subdistricts import OFFICIAL
from storage.database import Database

DAY = date(2024, 1, 1)
PUDONG = sorted(OFFICIAL["pudong"])  # subdistricts come from the official list


def build(events: int, *, seed: int = 7) -> Ledger:
    rng = random.Random(seed)
    database = Database("memory")
    ledger = Ledger(env=database.eventsourcing_env(), vault=database.open_vault(bytes(32)))
    foundations: list[uuid.UUID] = []
    funds: list[uuid.UUID] = []
    relief_funds: list[uuid.UUID] = []
    recipients: list[uuid.UUID] = []
    for i in range(20):
        foundation = uuid.uuid4()
        ledger.register_organization(
            foundation,
            name=f"社区基金会{i}",
            uscc=None,
            type="charity",
            tier="registered",
            roles=["community_foundation"],
            district="pudong",
            subdistrict=PUDONG[i % len(PUDONG)],
            rural=False,
            registered_on=DAY,
        )
        foundations.append(foundation)
        for kind in ("general", "special", "emergency_relief"):
            fund = uuid.uuid4()
            ledger.open_fund(fund, foundation_id=foundation, kind=kind, name=kind, opened_on=DAY)
            (relief_funds if kind == "emergency_relief" else funds).append(fund)
        recipient = uuid.uuid4()
        ledger.register_organization(
            recipient,
            name=f"社区组织{i}",
            uscc=None,
            type="life_services",
            tier="registered",
            roles=["service_center"],
            district="pudong",
            subdistrict=PUDONG[i % len(PUDONG)],
            rural=False,
            registered_on=DAY,
        )
        recipients.append(recipient)
    beneficiary = uuid.uuid4()
    assert ledger.vault is not None
    ledger.vault.put(beneficiary, PersonalData.validated(name="受助人"))  # type: ignore[attr-defined]
    while ledger.head() < events:
        roll = rng.random()
        when = DAY + timedelta(days=rng.randrange(365))
        fund = rng.choice(funds + relief_funds)
        if roll < 0.8:
            ledger.receive_donation(
                fund,
                donation_id=uuid.uuid4(),
                amount=Money(rng.randrange(100, 100_000)),
                received_on=when,
                donor_kind="anonymous",
            )
        elif roll < 0.9 and fund in funds:
            grant = uuid.uuid4()
            index = funds.index(fund) // 2
            try:
                ledger.award_grant(
                    grant,
                    fund_id=fund,
                    recipient_id=recipients[(index + 1) % 20],
                    programme="p",
                    title="t",
                    description="d",
                    amount=Money(50_000),
                    awarded_on=when,
                    planned_start=when,
                    planned_end=when,
                )
                ledger.pay_instalment(
                    grant, payment_id=uuid.uuid4(), amount=Money(20_000), paid_on=when
                )
            except Exception:
                continue
        elif fund in relief_funds:
            case = uuid.uuid4()
            ledger.open_relief_case(
                case,
                fund_id=fund,
                reason_code="GTIR010",
                purpose_code="GTIP070",
                subdistrict=PUDONG[0],
                beneficiary_subject_id=beneficiary,
                requested_amount=Money(30_000),
                emergency=True,
                opened_on=when,
            )
            try:
                ledger.disburse_relief(
                    case, disbursement_id=uuid.uuid4(), amount=Money(30_000), paid_on=when
                )
            except Exception:
                continue
    return ledger


@functools.lru_cache(maxsize=2)
def shared(events: int) -> Ledger:
    """`build(events)` once per `python -m bench` process: the benches only read the demo (they copy
    it into their own stores), and building 100,000 events takes about a minute on the 2 cores."""
    began = time.perf_counter()
    found = build(events)
    print(
        f"# demo ledger of {events:,} events built in {time.perf_counter() - began:.0f} s",
        file=sys.stderr,
    )
    return found


def copy_into(
    source: Ledger, target: Ledger, *, batch: int = 2000, upto: int | None = None
) -> None:
    """Copy the source's events in order; with `upto`, only its first `upto` (a prefix of a log is
    a log: a ledger of that size)."""
    position = 0
    while notifications := source.recorder.select_notifications(
        position + 1, batch if upto is None else min(batch, upto - position)
    ):
        target.recorder.insert_events(
            [
                StoredEvent(n.originator_id, n.originator_version, n.topic, n.state)
                for n in notifications
            ]
        )
        position = notifications[-1].id
        if upto is not None and position >= upto:
            return
