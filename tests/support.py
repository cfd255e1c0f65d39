"""Small builders for tests: a registered foundation, an open fund, a donation, with sensible defaults."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from domain.ledger import Ledger
from domain.money import Money
from domain.subdistricts import OFFICIAL
from storage.vault import Vault

VALID_USCC = "91110000600037341L"  # a published code whose check character is right
DAY = date(2024, 3, 1)
# Pudong's official subdistricts, for a test that needs several distinct real ones.
PUDONG = sorted(OFFICIAL["pudong"])


def register(ledger: Ledger, **overrides: Any) -> UUID:
    organization_id: UUID = overrides.pop("organization_id", uuid4())
    fields: dict[str, Any] = {
        "name": "陆家嘴社区基金会",
        "uscc": None,
        "type": "charity",
        "tier": "registered",
        "roles": ["community_foundation"],
        "district": "pudong",
        "subdistrict": "陆家嘴街道",
        "rural": False,
        "registered_on": date(2019, 6, 1),
    }
    fields.update(overrides)
    if "district" in overrides and "subdistrict" not in overrides:
        # A subdistrict comes from the district's official list: its first one.
        fields["subdistrict"] = min(OFFICIAL[fields["district"]])
    ledger.register_organization(organization_id, **fields)
    return organization_id


def open_fund(ledger: Ledger, foundation_id: UUID | None = None, **overrides: Any) -> UUID:
    fund_id: UUID = overrides.pop("fund_id", uuid4())
    fields: dict[str, Any] = {
        "kind": "general",
        "name": "社区发展基金",
        "opened_on": date(2020, 1, 1),
    }
    fields.update(overrides)
    ledger.open_fund(fund_id, foundation_id=foundation_id or register(ledger), **fields)
    return fund_id


def donate(ledger: Ledger, fund_id: UUID, yuan: str, **overrides: Any) -> UUID:
    donation_id: UUID = overrides.pop("donation_id", uuid4())
    fields: dict[str, Any] = {
        "amount": Money.yuan(yuan),
        "received_on": DAY,
        "donor_kind": "anonymous",
    }
    fields.update(overrides)
    ledger.receive_donation(fund_id, donation_id=donation_id, **fields)
    return donation_id


def funded(ledger: Ledger, yuan: str = "1000.00", **overrides: Any) -> UUID:
    fund_id = open_fund(ledger, **overrides)
    donate(ledger, fund_id, yuan)
    return fund_id


class refused:  # noqa: N801 - reads as a sentence: `with refused(ledger, InsufficientFunds, "amount"):`
    """Assert a command raises `error` naming `field`, and that the log did not grow."""

    def __init__(self, ledger: Ledger, error: type[Exception], field: str | None) -> None:
        self.ledger, self.error, self.field = ledger, error, field

    def __enter__(self) -> refused:
        self.head = self.ledger.head()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: Any
    ) -> bool:
        assert kind is not None, f"expected {self.error.__name__}, but the command was accepted"
        assert isinstance(value, self.error), f"expected {self.error.__name__}, got {value!r}"
        field = getattr(value, "field", None)
        assert field == self.field, f"field {field!r} != {self.field!r}"
        if self.field:
            assert self.field in str(value), f"message does not name {self.field}: {value}"
        assert self.ledger.head() == self.head, "a refused command left an event behind"
        return True


def assert_sound(ledger: Ledger, *fund_ids: UUID) -> None:
    from domain.foundations.invariants import fund_invariant_violations

    for fund_id in fund_ids:
        assert fund_invariant_violations(ledger.get_fund(fund_id), ledger.history(fund_id)) == []


def reserve(ledger: Ledger, fund_id: UUID, yuan: str, **overrides: Any) -> UUID:
    reservation_id: UUID = overrides.pop("reservation_id", uuid4())
    fields: dict[str, Any] = {"amount": Money.yuan(yuan), "reserved_on": DAY, "purpose": "grant"}
    fields.update(overrides)
    ledger.reserve(fund_id, reservation_id=reservation_id, **fields)
    return reservation_id


def pay(ledger: Ledger, fund_id: UUID, yuan: str, **overrides: Any) -> UUID:
    """A payment from the available balance, or against `reservation_id=` when given."""
    payment_id: UUID = overrides.pop("payment_id", uuid4())
    fields: dict[str, Any] = {"amount": Money.yuan(yuan), "paid_on": DAY, "purpose": "payment"}
    fields.update(overrides)
    ledger.pay(fund_id, payment_id=payment_id, **fields)
    return payment_id


# Every name, ID number, phone and subject id put into a vault by the suite; the `ledger` fixture checks
# after each test that none of them appears in any stored event (tests/conftest.py).
PUT_INTO_VAULTS: set[str] = set()


def vault_of(ledger: Ledger) -> Vault:
    """The ledger's vault as the suite builds it: the ledger knows only the `PersonalDataVault`
    protocol it mints through; the tests also put, read, prove and erase."""
    assert isinstance(ledger.vault, Vault), "this ledger was built without a storage vault"
    return ledger.vault


def person(ledger: Ledger, name: str = "王芳", *, owner: UUID | None = None, **fields: Any) -> UUID:
    """Put a person into the ledger's vault; returns their subject id. Over HTTP only the `owner`
    foundation's staff may use them."""
    from domain.privacy import PersonalData

    subject_id = uuid4()
    data = PersonalData.validated(name=name, **fields)
    vault_of(ledger).put(subject_id, data, owner=None if owner is None else str(owner))
    PUT_INTO_VAULTS.update(v for v in (data.name, data.id_card, data.phone, str(subject_id)) if v)
    PUT_INTO_VAULTS.add(subject_id.hex)
    return subject_id


def stored_bytes(ledger: Ledger) -> list[bytes]:
    """The stored state of every event in the log, as the database holds it."""
    return [n.state for n in ledger.recorder.select_notifications(1, 1_000_000)]


def personal_data_in(ledger: Ledger) -> list[str]:
    """Which of the values the suite put into vaults appear in this ledger's stored events, raw or
    JSON-escaped."""
    found = []
    states = stored_bytes(ledger)
    for secret in PUT_INTO_VAULTS:
        forms = {secret.encode(), json.dumps(secret).strip('"').encode()}
        if any(form in state for state in states for form in forms):
            found.append(secret)
    return found


def award(ledger: Ledger, fund_id: UUID, recipient_id: UUID, yuan: str, **overrides: Any) -> UUID:
    grant_id: UUID = overrides.pop("grant_id", uuid4())
    fields: dict[str, Any] = {
        "programme": "社区营造",
        "title": "楼组自治项目",
        "description": "支持居民楼组开展自治活动",
        "amount": Money.yuan(yuan),
        "awarded_on": DAY,
        "planned_start": DAY,
        "planned_end": date(2024, 12, 31),
    }
    fields.update(overrides)
    ledger.award_grant(grant_id, fund_id=fund_id, recipient_id=recipient_id, **fields)
    return grant_id


def relief_case(ledger: Ledger, fund_id: UUID, subject_id: UUID, **overrides: Any) -> UUID:
    case_id: UUID = overrides.pop("case_id", uuid4())
    fields: dict[str, Any] = {
        "reason_code": "GTIR100",
        "purpose_code": "GTIP170",
        "subdistrict": "陆家嘴街道",
        "requested_amount": Money.yuan("3000"),
        "emergency": False,
        "opened_on": DAY,
    }
    fields.update(overrides)
    ledger.open_relief_case(case_id, fund_id=fund_id, beneficiary_subject_id=subject_id, **fields)
    return case_id
