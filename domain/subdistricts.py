"""Shanghai's subdistricts (街道, 镇 and 乡) per district: the closed list a subdistrict must come from.

A subdistrict is the finest place the public log carries (an organisation's, a relief case's), so it is
never free text: "半淞园路街道虚构路12弄3号601室" would publish an address. The official list ships in
`domain/places/shanghai-subdistricts.tsv` (source, date and licence in `domain/places/README.md`);
when the official list changes the admin adds a subdistrict, which is an `AddedSubdistrict` aggregate
with a deterministic id (uuid5 of its district and name), so a subdistrict is valid when it is on the
shipped list or was added, and always within the district it is checked against.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.checks import check_date, check_text
from domain.districts import DISTRICTS, check_district
from domain.errors import StateConflict, UnknownSubdistrict
from domain.events import LedgerAggregate
from domain.ids import MINGZHANG_NAMESPACE

LIST_FILE = Path(__file__).with_name("places") / "shanghai-subdistricts.tsv"
SUFFIXES = ("街道", "镇", "乡")


def _official() -> MappingProxyType[str, frozenset[str]]:
    by_district: dict[str, set[str]] = {code: set() for code in DISTRICTS}
    with LIST_FILE.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            by_district[row["district"]].add(row["name"])
    return MappingProxyType({code: frozenset(names) for code, names in by_district.items()})


OFFICIAL = _official()


def is_official(district: str, name: str) -> bool:
    return name in OFFICIAL.get(district, frozenset())


def added_subdistrict_id(district: str, name: str) -> UUID:
    """The one aggregate an added subdistrict can have: adding it twice is one command."""
    return uuid5(MINGZHANG_NAMESPACE, f"subdistrict/{district}/{name}")


def unknown_subdistrict(district: str, *, field: str) -> UnknownSubdistrict:
    # The value is not quoted: what was typed where a subdistrict belongs may be an address.
    return UnknownSubdistrict(
        f"{field} must be a subdistrict (街道/镇/乡) of {DISTRICTS.get(district, district)} on the "
        "official list, or one the admin added (POST /subdistricts)",
        field=field,
    )


@dataclass(frozen=True)
class SubdistrictAddition:
    STORED_AS: ClassVar[str] = "mingzhang/subdistricts.SubdistrictAddition"

    district: str
    name: str
    reason: str
    added_on: date

    @classmethod
    def validated(
        cls, *, district: str, name: str, reason: str, added_on: date
    ) -> SubdistrictAddition:
        checked = check_text(name, field="name", max_length=100)
        if not checked.endswith(SUFFIXES) or len(checked) <= 2 or " " in checked:
            raise UnknownSubdistrict(
                "name must be one subdistrict's official name, ending in 街道, 镇 or 乡",
                field="name",
            )
        return cls(
            check_district(district),
            checked,
            check_text(reason, field="reason"),
            check_date(added_on, field="added_on"),
        )

    def check_not_official(self) -> None:
        if is_official(self.district, self.name):
            raise StateConflict(
                f"name: {self.name} is already on the official list of {DISTRICTS[self.district]}",
                field="name",
            )


class AddedSubdistrict(LedgerAggregate):
    """A subdistrict the admin added to the shipped list, when the official list changed."""

    TOPIC = "mingzhang/AddedSubdistrict"

    class Created(LedgerAggregate.Created):
        TOPIC = "mingzhang/AddedSubdistrict.Created"

    @classmethod
    def add(cls, record: SubdistrictAddition) -> AddedSubdistrict:
        record.check_not_official()
        return cls(
            id=added_subdistrict_id(record.district, record.name),
            district=record.district,
            name=record.name,
            reason=record.reason,
            added_on=record.added_on,
        )

    class SubdistrictAdded(Created):
        """A subdistrict of a district, valid from now on besides the shipped list."""

        TOPIC = "mingzhang/AddedSubdistrict.SubdistrictAdded"
        district: str
        name: str
        reason: str
        added_on: date

    @event(SubdistrictAdded)
    def __init__(self, id: UUID, district: str, name: str, reason: str, added_on: date) -> None:
        self.district = district
        self.name = name
