"""How values that are not plain JSON are stored: dates, `Money` and the immutable records aggregates keep.

Event fields are plain (ints of fen, strings, UUIDs, dates); records and `Money` appear only in aggregate
state, so these transcodings matter for snapshots. Their names are part of the stored format: never rename.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.foundations.entries import RECORD_TYPES
from domain.foundations.grant import GRANT_RECORDS
from domain.foundations.relief import RELIEF_RECORDS
from domain.money import Money
from domain.organizations import Deregistration, Evaluation, Reclassification, Registration
from domain.pairing.designation import DESIGNATION_RECORDS
from domain.pairing.mentoring import MENTORING_RECORDS
from domain.pairing.pairing import PAIRING_RECORDS


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
    """Any frozen dataclass record, field by field."""

    def __init__(self, record_type: type) -> None:
        self.type = record_type
        # e.g. "mingzhang/grant.Ending": the module keeps two records of one name apart.
        self.name = f"mingzhang/{record_type.__module__.rsplit('.', 1)[-1]}.{record_type.__name__}"

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


ORGANIZATION_RECORDS: tuple[type, ...] = (
    Registration,
    Reclassification,
    Evaluation,
    Deregistration,
)


def register_all(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    transcoder.register(MoneyAsFen())
    names: set[str] = set()
    for record_type in (
        *ORGANIZATION_RECORDS,
        *RECORD_TYPES,
        *GRANT_RECORDS,
        *RELIEF_RECORDS,
        *PAIRING_RECORDS,
        *MENTORING_RECORDS,
        *DESIGNATION_RECORDS,
    ):
        transcoding = RecordAsDict(record_type)
        assert transcoding.name not in names, f"two records are stored as {transcoding.name}"
        names.add(transcoding.name)
        transcoder.register(transcoding)
