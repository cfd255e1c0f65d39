"""How values that are not plain JSON are stored: dates, `Money` and the immutable records aggregates keep.

Event fields are plain (ints of fen, strings, UUIDs, dates); records and `Money` appear in aggregate
state (so in snapshots) and records in the command index. Their names are part of the stored format:
each record class declares the name it is stored under (`STORED_AS`), fixed forever, so moving or
renaming a module or class changes nothing stored; a record type without one is refused.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.foundations.entries import RECORD_TYPES
from domain.foundations.grant import GRANT_RECORDS
from domain.foundations.relief import RELIEF_RECORDS
from domain.foundations.relief_statistics import STATISTICS_RECORDS
from domain.money import Money
from domain.organizations import Deregistration, Evaluation, Reclassification, Registration
from domain.pairing.designation import DESIGNATION_RECORDS
from domain.pairing.mentoring import MENTORING_RECORDS
from domain.pairing.pairing import PAIRING_RECORDS
from domain.subdistricts import SubdistrictAddition


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class MoneyAsFen(Transcoding):
    type = Money
    name = "money_fen"

    def encode(self, obj: Money) -> int:
        return obj.fen

    def decode(self, data: int) -> Money:
        return Money(data)


class RecordAsDict(Transcoding):
    """Any frozen dataclass record, field by field, under the name the record type declares."""

    def __init__(self, record_type: type) -> None:
        # Declared by the class itself, not inherited: a subclass is another record.
        name = vars(record_type).get("STORED_AS")
        if not isinstance(name, str) or not name:
            msg = (
                f"{record_type.__qualname__} declares no STORED_AS, the name its records are "
                'stored under (e.g. STORED_AS: ClassVar[str] = "mingzhang/entries.Donation")'
            )
            raise TypeError(msg)
        self.type = record_type
        self.name = name

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


ORGANIZATION_RECORDS: tuple[type, ...] = (
    Registration,
    Reclassification,
    Evaluation,
    Deregistration,
    SubdistrictAddition,
)


# Every record type the ledger stores, in the command index or inside an aggregate's state.
STORED_RECORDS: tuple[type, ...] = (
    *ORGANIZATION_RECORDS,
    *RECORD_TYPES,
    *GRANT_RECORDS,
    *RELIEF_RECORDS,
    *STATISTICS_RECORDS,
    *PAIRING_RECORDS,
    *MENTORING_RECORDS,
    *DESIGNATION_RECORDS,
)


def register_all(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    transcoder.register(MoneyAsFen())
    names: set[str] = set()
    for record_type in STORED_RECORDS:
        transcoding = RecordAsDict(record_type)
        if transcoding.name in names:
            msg = f"two record types are stored as {transcoding.name}"
            raise ValueError(msg)
        names.add(transcoding.name)
        transcoder.register(transcoding)
