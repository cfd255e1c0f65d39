"""The disclosure as a 360Giving 1.4.3 data package (`/exports/360giving.json`), read from the
disclosure view through `reader.py` a keyset page at a time and yielded in pieces, so the whole
ledger streams in bounded memory. Every grant becomes a 360Giving grant between two organisations;
every relief disbursement an individual grant as the standard's privacy guidance has it (recipient
"Individual Recipient" under a fresh identifier per disbursement, generic text, the public purpose
code, location no finer than the subdistrict); every pairing's funding activity a grant of the
transfer it names, marked `regrantType` FRG030 (match funding) in a 大小牵小手 pairing. Organisations
are `CN-USC-` + their USCC, or `360G-mingzhang-org-` + their id when they have none. Amounts are
written as exact decimal yuan from fen, never through a float. The package names the checkpoint that
was the latest when it began (a top-level `checkpoint`, which the package schema permits); nothing
here reads the vault, so no person's name or reference can reach it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from uuid import UUID, uuid5

from domain.districts import DISTRICTS
from domain.foundations.codes import RELIEF_CATEGORIES
from domain.pairing.pairing import PAIRING_KINDS
from projections.disclosure import reader
from projections.disclosure.rows import GrantRow, OrganizationRow, PairingFundingRow, ReliefRow
from projections.pagination import Page, PageRequest
from projections.transparency import Checkpoint
from storage.viewdb import ViewDB

T = TypeVar("T")
PREFIX = "360G-mingzhang"
VERSION = "1.4"  # the standard's major.minor, as the package's `version` is written
# Rows per read. Peak memory is a page and its records (measured with tracemalloc on the demo: 1.2 MB
# at 5,000 events, 1.8 MB at 20,000, 3.2 MB at 80,000, where the reader's bounded cache of parsed ids
# has filled; 1.9, 5.7 and 7.8 MB with pages of 500, for no gain in time worth having).
PAGE = PageRequest(100)
# Recipient ids of individuals are uuid5 of this namespace and the disbursement: stable from one
# export to the next, and unrelated to the case, the person or their vault reference.
INDIVIDUALS = UUID("0f5d9c1e-8a3b-5e7a-9c2d-360a1b2c3d4e")
INDIVIDUAL_RECIPIENT = "Individual Recipient"
MATCH_FUNDING = "FRG030"
MATCHED_KIND = "foundation_twinning"  # 大小牵小手
RELIEF_VOCABULARY = "mingzhang-relief-reason-category"


@dataclass(frozen=True)
class Yuan:
    """An amount in fen, written into the JSON as an exact decimal number of yuan (1234.50)."""

    fen: int

    def text(self) -> str:
        sign = "-" if self.fen < 0 else ""
        whole, cents = divmod(abs(self.fen), 100)
        return f"{sign}{whole}.{cents:02d}"


def encode(value: Any) -> str:
    """`value` as JSON (UTF-8 text, Chinese kept as it is), with `Yuan` as a number."""
    if isinstance(value, Yuan):
        return value.text()
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{json.dumps(k)}:{encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(encode(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


# --- identifiers -------------------------------------------------------------------------------------


def organization_identifier(organization: OrganizationRow) -> str:
    """`CN-USC-` + the USCC (org-id.guide's list for China), or the ledger's own stable id."""
    if organization.uscc:
        return f"CN-USC-{organization.uscc}"
    return f"{PREFIX}-org-{organization.organization_id}"


def individual_identifier(disbursement_id: UUID) -> str:
    """A recipient id per disbursement: two disbursements of one case have different ones."""
    return f"{PREFIX}-IND-{uuid5(INDIVIDUALS, str(disbursement_id))}"


# --- records -----------------------------------------------------------------------------------------


def _place(district: str, subdistrict: str) -> dict[str, Any]:
    return {"name": f"上海市{DISTRICTS.get(district, district)}{subdistrict}", "countryCode": "CN"}


def _organization(organizations: Mapping[UUID, OrganizationRow], key: UUID) -> dict[str, Any]:
    found = organizations.get(key)
    if found is None:  # the view registers every party before its rows; kept total all the same
        return {"id": f"{PREFIX}-org-{key}", "name": str(key)}
    return {
        "id": organization_identifier(found),
        "name": found.name,
        "location": [_place(found.district, found.subdistrict)],
    }


def grant_record(row: GrantRow, organizations: Mapping[UUID, OrganizationRow]) -> dict[str, Any]:
    """A grant to an organisation: awarded after amendments, disbursed net of reversals."""
    return {
        "id": f"{PREFIX}-grant-{row.grant_id}",
        "title": row.title,
        "description": f"{row.programme}：{row.title}",
        "currency": "CNY",
        "amountAwarded": Yuan(row.awarded_fen),
        "amountDisbursed": Yuan(row.paid_fen),
        "awardDate": row.awarded_on.isoformat(),
        "plannedDates": [
            {"startDate": row.planned_start.isoformat(), "endDate": row.planned_end.isoformat()}
        ],
        "recipientOrganization": [_organization(organizations, row.recipient_id)],
        "fundingOrganization": [_organization(organizations, row.foundation_id)],
        "grantProgramme": [{"title": row.programme}],
    }


def relief_record(row: ReliefRow, organizations: Mapping[UUID, OrganizationRow]) -> dict[str, Any]:
    """A relief disbursement as a grant to an individual. A reversed one keeps the amount it was
    made for and shows nothing disbursed: the money came back to the fund."""
    foundation = organizations.get(row.foundation_id)
    district = foundation.district if foundation is not None else ""
    description = "救急难：向个人发放的临时救助（Emergency relief paid to an individual）"
    if row.reversed:
        description += "；已更正撤销，款项已退回（reversed: the payment was returned）"
    return {
        "id": f"{PREFIX}-relief-{row.disbursement_id}",
        "title": "救急难临时救助（Emergency relief payment）",
        "description": description,
        "currency": "CNY",
        "amountAwarded": Yuan(row.amount_fen),
        "amountDisbursed": Yuan(0 if row.reversed else row.amount_fen),
        "awardDate": row.paid_on.isoformat(),
        "recipientIndividual": {
            "id": individual_identifier(row.disbursement_id),
            "name": INDIVIDUAL_RECIPIENT,
        },
        # The public log holds the purpose code and only a category of the reason (the GTIR code
        # itself stays in the vault), so no primaryGrantReason: the category is a classification.
        "toIndividualsDetails": {"grantPurpose": [row.purpose_code]},
        "beneficiaryLocation": [_place(district, row.subdistrict)],
        "fundingOrganization": [_organization(organizations, row.foundation_id)],
        "classifications": [
            {
                "vocabulary": RELIEF_VOCABULARY,
                "code": row.reason_category,
                "title": RELIEF_CATEGORIES.get(row.reason_category, row.reason_category),
            }
        ],
    }


def funding_record(
    row: PairingFundingRow, organizations: Mapping[UUID, OrganizationRow]
) -> dict[str, Any]:
    """A pairing's funding: the transfer from one party's fund to the other's, as a grant; match
    funding (FRG030) in a 大小牵小手 pairing. A reversed transfer shows nothing disbursed."""
    record: dict[str, Any] = {
        "id": f"{PREFIX}-transfer-{row.transfer_id}",
        "title": f"{PAIRING_KINDS.get(row.pairing_kind, row.pairing_kind)}结对资金",
        "description": row.summary,
        "currency": "CNY",
        "amountAwarded": Yuan(row.amount_fen),
        "amountDisbursed": Yuan(0 if row.reversed else row.amount_fen),
        "awardDate": row.transferred_on.isoformat(),
        "recipientOrganization": [_organization(organizations, row.to_foundation_id)],
        "fundingOrganization": [_organization(organizations, row.from_foundation_id)],
    }
    if row.pairing_kind == MATCHED_KIND:
        record["regrantType"] = MATCH_FUNDING
    return record


# --- the package -------------------------------------------------------------------------------------


def _pages(read: Callable[[PageRequest], Page[T]], limit: int) -> Iterator[tuple[T, ...]]:
    page = PageRequest(limit)
    while True:
        found = read(page)
        if found.items:
            yield found.items
        if found.next_cursor is None:
            return
        page = PageRequest(limit, found.next_cursor)


def _records(
    db: ViewDB,
    rows: Iterable[tuple[T, ...]],
    parties: Callable[[T], Iterable[UUID]],
    build: Callable[[T, Mapping[UUID, OrganizationRow]], dict[str, Any]],
) -> Iterator[list[dict[str, Any]]]:
    # The organisations a page names are read with it, so memory holds one page and its parties.
    for page in rows:
        organizations = reader.organizations_by_id(db, {p for row in page for p in parties(row)})
        yield [build(row, organizations) for row in page]


def records(db: ViewDB, *, today: date, limit: int = PAGE.limit) -> Iterator[list[dict[str, Any]]]:
    """Every 360Giving grant of the disclosure, `limit` rows at a time: grants, relief, pairing
    funding."""
    yield from _records(
        db,
        _pages(lambda page: reader.grants(db, page=page), limit),
        lambda row: (row.recipient_id, row.foundation_id),
        grant_record,
    )
    yield from _records(
        db,
        _pages(lambda page: reader.relief(db, page=page, today=today), limit),
        lambda row: (row.foundation_id,),
        relief_record,
    )
    yield from _records(
        db,
        _pages(lambda page: reader.pairing_funding(db, page), limit),
        lambda row: (row.from_foundation_id, row.to_foundation_id),
        funding_record,
    )


def metadata(checkpoint: Checkpoint | None, issued: date) -> dict[str, Any]:
    """The package's own fields: its version, title, description, date and identifier (the
    standard requires none but `grants`), and the checkpoint it was made at."""
    size = checkpoint.size if checkpoint is not None else 0
    return {
        "version": VERSION,
        "title": "明账 Mingzhang：资助与救急难 360Giving 数据包",
        "description": (
            "Every grant, every relief disbursement (as grants to individuals) and every pairing's"
            " funding recorded in the Mingzhang ledger, read from its public disclosure. The"
            " checkpoint is the ledger's latest signed checkpoint when the export began: verify it"
            " with `mingzhang verify --url`."
        ),
        "issued": issued.isoformat(),
        "identifier": f"mingzhang-360giving-{size}",
        "checkpoint": None
        if checkpoint is None
        else {"size": checkpoint.size, "root": checkpoint.root.hex(), "note": checkpoint.note},
    }


def package(
    db: ViewDB, *, today: date, checkpoint: Checkpoint | None, limit: int = PAGE.limit
) -> Iterator[str] | None:
    """The package as pieces of JSON text (one per page of `limit` rows), or None when the disclosure holds
    nothing to export (the standard asks for at least one grant). The first page is read here, so
    the caller knows which before it answers."""
    pages = records(db, today=today, limit=limit)
    first = next(pages, None)
    if first is None:
        return None
    head = encode(metadata(checkpoint, today))
    return _pieces(head[:-1] + ',"grants":[', first, pages)


def _pieces(
    head: str, first: list[dict[str, Any]], rest: Iterator[list[dict[str, Any]]]
) -> Iterator[str]:
    yield head + ",".join(encode(record) for record in first)
    for page in rest:
        yield "," + ",".join(encode(record) for record in page)
    yield "]}"
