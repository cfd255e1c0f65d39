"""What every benchmark starts from: a ledger with one registered foundation and one open fund."""

from __future__ import annotations

import uuid
from datetime import date

from domain.ledger import Ledger
from domain.money import Money


def open_bench_fund(ledger: Ledger) -> uuid.UUID:
    foundation, fund = uuid.uuid4(), uuid.uuid4()
    ledger.register_organization(
        foundation,
        name="bench",
        uscc=None,
        type="charity",
        tier="registered",
        roles=["community_foundation"],
        district="huangpu",
        subdistrict="外滩街道",
        rural=False,
        registered_on=date(2020, 1, 1),
    )
    ledger.open_fund(
        fund, foundation_id=foundation, kind="general", name="f", opened_on=date(2020, 1, 1)
    )
    return fund


def donate_once(ledger: Ledger, fund: uuid.UUID) -> None:
    ledger.receive_donation(
        fund,
        donation_id=uuid.uuid4(),
        amount=Money(100),
        received_on=date(2024, 1, 1),
        donor_kind="anonymous",
    )
