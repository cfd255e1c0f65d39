"""`GET /exports/360giving.json` and `.xlsx` over HTTP: the package of a ledger with grants, relief (one payment
reversed) and a 大小牵小手 pairing's match funding (one transfer reversed) is valid against the
360Giving package schema, validated offline; organisations carry their USCC or a stable fallback; no
recipient id of a disbursement says anything about the case or the person, and nothing from the vault
appears in the bytes; amounts are the read model's, exactly; match funding is FRG030. The spreadsheet
opens with a grants sheet of the same rows. The demo ledger's package holds each of its grants and
disbursements once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import openpyxl
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from api.app import create_app
from api.routes.exports import XLSX
from demo.generator import fake_person, fill
from domain.ledger import Ledger
from domain.money import Money
from domain.standards import CODELISTS, GRANT_SCHEMA, PACKAGE_SCHEMA
from projections.disclosure import giving360, reader
from projections.disclosure.giving360 import Yuan
from projections.pagination import Page, PageRequest
from projections.transparency import latest_checkpoint
from storage.database import Database
from storage.viewdb import ViewDB
from tests.api.conftest import ON_BOTH, Api, refused, settings_for
from tests.support import (
    DAY,
    VALID_USCC,
    award,
    donate,
    open_fund,
    person,
    register,
    relief_case,
)

# The package schema's items point at the 1.4.2 grant schema by URL; it is served from the local copy.
GRANT_SCHEMA_URL = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"
BENEFICIARY = {
    "name": "测试受助人戊（虚构）",
    "id_card": "11010519491231002X",
    "phone": "13600003333",
}


def package_validator() -> Draft202012Validator:
    def load(path: Path) -> Any:
        return json.loads(path.read_text(encoding="utf-8"))

    grant = DRAFT202012.create_resource(load(GRANT_SCHEMA))
    # Only the local copy is registered and no retrieve function is given, so a reference to any
    # other URL fails instead of being fetched.
    registry: Registry[Any] = Registry().with_resource(GRANT_SCHEMA_URL, grant)
    return Draft202012Validator(
        load(PACKAGE_SCHEMA),
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def views_of(client: TestClient) -> ViewDB:
    views: ViewDB = client.app.state.views  # type: ignore[attr-defined]
    return views


def settled(client: TestClient, ledger: Ledger) -> None:
    runner = client.app.state.runner  # type: ignore[attr-defined]
    for view in ("disclosure", "transparency"):
        assert runner.wait_for(view, ledger.head(), timeout=60), f"the {view} view did not catch up"


def download(client: TestClient) -> tuple[Any, bytes, dict[str, Any]]:
    """The answer, its bytes, and the package read with exact decimals."""
    answer = client.get("/exports/360giving.json")
    assert answer.status_code == 200, answer.text
    package = json.loads(answer.content, parse_float=Decimal)
    return answer, answer.content, package


def by_id(package: dict[str, Any]) -> dict[str, dict[str, Any]]:
    grants = {g["id"]: g for g in package["grants"]}
    assert len(grants) == len(package["grants"]), "a grant id repeats"
    return grants


def yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def vault_references(ledger: Ledger) -> set[str]:
    """Every reference to a person and every commitment the log holds (the person behind each is in
    the vault). A `donor_ref`, `mentor_ref` or `nominee_ref` names a person only when its `…_kind`
    says so; otherwise it is an organisation's public id."""
    found: set[str] = set()
    for notification in ledger.recorder.select_notifications(1, 1_000_000):
        fields = vars(ledger.mapper.to_domain_event(notification))
        for name, value in fields.items():
            kind = fields.get(name.removesuffix("_ref") + "_kind", "person")
            if value is None or not name.endswith(("_ref", "_commitment")) or kind != "person":
                continue
            found.update({str(value), getattr(value, "hex", str(value))})
    return found


def story(api: Api) -> dict[str, UUID]:
    """A community foundation (no USCC) paid by a large foundation (with one) in a 大小牵小手
    pairing, one of two transfers reversed; a grant with an instalment; emergency relief of two
    payments to one person, one reversed."""
    ledger, foundation = api.ledger, api.foundation
    big = register(
        ledger,
        name="某大型基金会",
        roles=["foundation"],
        uscc=VALID_USCC,
        district="huangpu",
        subdistrict="外滩街道",
    )
    centre = register(ledger, name="花木睦邻中心", roles=["service_center"], subdistrict="花木街道")
    general = open_fund(ledger, foundation, name="社区发展基金")
    relief = open_fund(ledger, foundation, kind="emergency_relief", name="暖心基金")
    big_fund = open_fund(ledger, big, name="大型基金会专项基金")
    donate(ledger, general, "5000")
    donate(ledger, relief, "2000")
    donate(ledger, big_fund, "100000")
    grant = award(ledger, general, centre, "3000.50")
    ledger.pay_instalment(grant, payment_id=uuid4(), amount=Money.yuan("1000.25"), paid_on=DAY)
    beneficiary = person(
        ledger, BENEFICIARY["name"], id_card=BENEFICIARY["id_card"], phone=BENEFICIARY["phone"]
    )
    case = relief_case(ledger, relief, beneficiary, emergency=True)
    paid, mistaken = uuid4(), uuid4()
    ledger.disburse_relief(
        case, disbursement_id=paid, amount=Money.yuan("600"), paid_on=date(2024, 3, 5)
    )
    ledger.disburse_relief(
        case, disbursement_id=mistaken, amount=Money.yuan("100.10"), paid_on=date(2024, 3, 9)
    )
    ledger.reverse_disbursement(
        case,
        reversal_id=uuid4(),
        disbursement_id=mistaken,
        reason="误付",
        reversed_on=date(2024, 3, 10),
    )
    pairing = uuid4()
    ledger.propose_pairing(
        pairing,
        kind="foundation_twinning",
        lead_id=big,
        partner_id=foundation,
        goals=["联合募捐"],
        planned_start=DAY,
        planned_end=date(2024, 12, 31),
        proposed_on=DAY,
    )
    for party in (big, foundation):
        ledger.confirm_pairing(pairing, command_id=uuid4(), party_id=party, confirmed_on=DAY)
    transfers = []
    for amount in ("20000", "5000.05"):
        transfer = uuid4()
        ledger.transfer(
            transfer_id=transfer,
            from_fund_id=big_fund,
            to_fund_id=general,
            amount=Money.yuan(amount),
            transferred_on=DAY,
            purpose="结对资金支持",
            pairing_id=pairing,
        )
        ledger.record_pairing_activity(
            pairing,
            activity_id=uuid4(),
            kind="funding",
            held_on=DAY,
            summary="大型基金会配套资金支持社区项目",
            transfer_id=transfer,
        )
        transfers.append(transfer)
    ledger.reverse_transfer(
        big_fund, reversal_id=uuid4(), transfer_id=transfers[1], reason="重复划拨", reversed_on=DAY
    )
    settled(api.client, ledger)
    return {
        "big": big,
        "centre": centre,
        "grant": grant,
        "case": case,
        "beneficiary": beneficiary,
        "paid": paid,
        "mistaken": mistaken,
        "pairing": pairing,
        "matched": transfers[0],
        "undone": transfers[1],
    }


@pytest.fixture
def told(api: Api) -> dict[str, UUID]:
    return story(api)


@ON_BOTH
def test_the_package_is_valid_against_the_360giving_package_schema_offline(
    api: Api, told: dict[str, UUID]
) -> None:
    _, _, package = download(api.client)
    errors = [e.message for e in package_validator().iter_errors(package)]
    assert errors == []
    assert len(package["grants"]) == 1 + 2 + 2  # the grant, both payments, both transfers
    assert package["version"] == "1.4"


def test_the_validator_used_refuses_what_the_standard_refuses(
    api: Api, told: dict[str, UUID]
) -> None:
    """So the validity above means something: the same package with a grant missing its funder,
    or with an amount written as a string, fails."""
    _, _, package = download(api.client)
    validator = package_validator()
    del package["grants"][0]["fundingOrganization"]
    assert not validator.is_valid(package)
    _, _, package = download(api.client)
    package["grants"][0]["awardDate"] = "1 March 2024"
    assert not validator.is_valid(package)


def test_the_package_is_a_public_attachment_naming_the_checkpoint_it_was_made_at(
    api: Api, told: dict[str, UUID]
) -> None:
    answer, _, package = download(api.client)  # no key
    checkpoint = latest_checkpoint(views_of(api.client))
    assert checkpoint is not None
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="mingzhang-360giving-{checkpoint.size}.json"'
    )
    assert package["checkpoint"] == {
        "size": checkpoint.size,
        "root": checkpoint.root.hex(),
        "note": checkpoint.note,
    }
    assert package["checkpoint"]["note"] == api.client.get("/transparency/checkpoint").text


def test_organisations_are_cn_usc_by_their_uscc_or_a_stable_fallback(
    api: Api, told: dict[str, UUID]
) -> None:
    grants = by_id(download(api.client)[2])
    matched = grants[f"360G-mingzhang-transfer-{told['matched']}"]
    assert matched["fundingOrganization"][0]["id"] == f"CN-USC-{VALID_USCC}"
    assert matched["fundingOrganization"][0]["name"] == "某大型基金会"
    assert matched["fundingOrganization"][0]["location"] == [
        {"name": "上海市黄浦区外滩街道", "countryCode": "CN"}
    ]
    community = f"360G-mingzhang-org-{api.foundation}"
    assert matched["recipientOrganization"][0]["id"] == community
    grant = grants[f"360G-mingzhang-grant-{told['grant']}"]
    assert grant["fundingOrganization"][0]["id"] == community
    assert grant["recipientOrganization"][0]["id"] == f"360G-mingzhang-org-{told['centre']}"
    assert grant["recipientOrganization"][0]["location"][0]["name"] == "上海市浦东新区花木街道"
    assert by_id(download(api.client)[2]) == grants  # the same ids next time


def test_each_disbursement_has_its_own_recipient_id_that_names_neither_case_nor_person(
    api: Api, told: dict[str, UUID]
) -> None:
    grants = by_id(download(api.client)[2])
    recipients = [
        grants[f"360G-mingzhang-relief-{told[d]}"]["recipientIndividual"]
        for d in ("paid", "mistaken")
    ]
    assert {r["name"] for r in recipients} == {"Individual Recipient"}
    ids = [r["id"] for r in recipients]
    assert ids[0] != ids[1], "two payments of one case are linked by their recipient"
    forbidden = vault_references(api.ledger) | {
        str(told["case"]),
        told["case"].hex,
        str(told["beneficiary"]),
        told["beneficiary"].hex,
    }
    assert any(len(f) >= 32 for f in forbidden)  # the case has a reference in the log
    for recipient_id in ids:
        assert not [f for f in forbidden if f in recipient_id], recipient_id


def test_no_value_from_the_vault_appears_anywhere_in_the_package(
    api: Api, told: dict[str, UUID]
) -> None:
    _, raw, _ = download(api.client)
    secrets = set(BENEFICIARY.values()) | vault_references(api.ledger)
    secrets |= {str(told["case"]), str(told["beneficiary"]), told["beneficiary"].hex}
    forms = {form for s in secrets for form in (s.encode(), json.dumps(s).strip('"').encode())}
    assert [form for form in forms if form in raw] == []


def test_amounts_are_the_read_models_to_the_fen(api: Api, told: dict[str, UUID]) -> None:
    grants = by_id(download(api.client)[2])
    views, today = views_of(api.client), api.ledger.today()
    for row in reader.grants(views, page=PageRequest(500)).items:
        record = grants[f"360G-mingzhang-grant-{row.grant_id}"]
        assert (record["amountAwarded"], record["amountDisbursed"]) == (
            yuan(row.awarded_fen),
            yuan(row.paid_fen),
        )
    assert grants[f"360G-mingzhang-grant-{told['grant']}"]["amountDisbursed"] == Decimal("1000.25")
    for relief in reader.relief(views, page=PageRequest(500), today=today).items:
        record = grants[f"360G-mingzhang-relief-{relief.disbursement_id}"]
        assert record["amountAwarded"] == yuan(relief.amount_fen)
    for funding in reader.pairing_funding(views, PageRequest(500)).items:
        record = grants[f"360G-mingzhang-transfer-{funding.transfer_id}"]
        assert record["amountAwarded"] == yuan(funding.amount_fen)
    assert grants[f"360G-mingzhang-transfer-{told['undone']}"]["amountAwarded"] == Decimal(
        "5000.05"
    )


def test_a_reversed_payment_or_transfer_shows_nothing_disbursed(
    api: Api, told: dict[str, UUID]
) -> None:
    grants = by_id(download(api.client)[2])
    paid = grants[f"360G-mingzhang-relief-{told['paid']}"]
    mistaken = grants[f"360G-mingzhang-relief-{told['mistaken']}"]
    assert (paid["amountAwarded"], paid["amountDisbursed"]) == (Decimal("600.00"),) * 2
    assert (mistaken["amountAwarded"], mistaken["amountDisbursed"]) == (
        Decimal("100.10"),
        Decimal("0.00"),
    )
    assert "reversed" in mistaken["description"]
    assert "reversed" not in paid["description"]
    undone = grants[f"360G-mingzhang-transfer-{told['undone']}"]
    assert undone["amountDisbursed"] == Decimal("0.00")


def test_relief_says_only_what_the_public_log_holds_down_to_the_subdistrict(
    api: Api, told: dict[str, UUID]
) -> None:
    grants = by_id(download(api.client)[2])
    record = grants[f"360G-mingzhang-relief-{told['paid']}"]
    assert record["toIndividualsDetails"] == {"grantPurpose": ["GTIP170"]}
    assert record["classifications"] == [
        {"vocabulary": "mingzhang-relief-reason-category", "code": "emergency", "title": "突发事件"}
    ]
    assert record["beneficiaryLocation"] == [
        {"name": "上海市浦东新区陆家嘴街道", "countryCode": "CN"}
    ]
    assert "GTIR100" not in str(record)  # the reason's code stays in the vault


def test_match_funding_in_a_twinning_pairing_is_frg030_and_other_grants_have_no_regrant_type(
    api: Api, told: dict[str, UUID]
) -> None:
    grants = by_id(download(api.client)[2])
    for transfer in ("matched", "undone"):
        record = grants[f"360G-mingzhang-transfer-{told[transfer]}"]
        assert record["regrantType"] == "FRG030"
        assert record["title"] == "大小牵小手结对资金"
    assert record["amountAwarded"] == Decimal("5000.05")
    others = [g for key, g in grants.items() if "-transfer-" not in key]
    assert others
    assert all("regrantType" not in g for g in others)


def test_funding_in_another_kind_of_pairing_is_a_grant_without_a_regrant_type(api: Api) -> None:
    ledger = api.ledger
    rural = register(ledger, name="崇明某社区基金会", district="chongming", rural=True)
    ours, theirs = open_fund(ledger, api.foundation), open_fund(ledger, rural)
    donate(ledger, ours, "1000")
    pairing = uuid4()
    ledger.propose_pairing(
        pairing,
        kind="urban_rural",
        lead_id=api.foundation,
        partner_id=rural,
        goals=["品牌项目落地"],
        planned_start=DAY,
        planned_end=date(2024, 12, 31),
        proposed_on=DAY,
    )
    for party in (api.foundation, rural):
        ledger.confirm_pairing(pairing, command_id=uuid4(), party_id=party, confirmed_on=DAY)
    transfer = uuid4()
    ledger.transfer(
        transfer_id=transfer,
        from_fund_id=ours,
        to_fund_id=theirs,
        amount=Money.yuan("300"),
        transferred_on=DAY,
        purpose="结对资金支持",
    )
    ledger.record_pairing_activity(
        pairing,
        activity_id=uuid4(),
        kind="funding",
        held_on=DAY,
        summary="品牌项目落地资金",
        transfer_id=transfer,
    )
    settled(api.client, ledger)
    (record,) = download(api.client)[2]["grants"]
    assert record["id"] == f"360G-mingzhang-transfer-{transfer}"
    assert "regrantType" not in record
    assert record["recipientOrganization"][0]["id"] == f"360G-mingzhang-org-{rural}"


def test_the_package_read_a_row_at_a_time_is_the_package_read_in_pages(
    api: Api, told: dict[str, UUID]
) -> None:
    """Walking every list one row per page (so every cursor is followed) loses and repeats nothing."""
    views, today = views_of(api.client), api.ledger.today()
    checkpoint = latest_checkpoint(views)
    one_by_one = giving360.package(views, today=today, checkpoint=checkpoint, limit=1)
    paged = giving360.package(views, today=today, checkpoint=checkpoint)
    assert one_by_one is not None
    assert paged is not None
    pieces = list(one_by_one)
    assert len(pieces) == 1 + 2 + 2 + 1  # each record its own piece, then the closing one
    assert "".join(pieces) == "".join(paged)
    assert "".join(pieces).encode() == download(api.client)[1]


def test_a_ledger_with_nothing_to_export_says_so(api: Api) -> None:
    settled(api.client, api.ledger)
    answer = api.client.get("/exports/360giving.json")
    refused(api, answer, 404, "nothing_to_export", None)


@pytest.mark.parametrize("fen", [0, 1, 99, 100, 123_456, 10**15 + 7])
def test_an_amount_is_written_as_the_exact_decimal_of_its_fen(fen: int) -> None:
    assert Decimal(Yuan(fen).text()) * 100 == fen
    whole, cents = Yuan(fen).text().split(".")
    assert (int(whole), len(cents)) == (fen // 100, 2)


def test_the_spreadsheet_opens_with_a_grants_sheet_holding_the_packages_rows(
    api: Api, told: dict[str, UUID]
) -> None:
    answer = api.client.get("/exports/360giving.xlsx")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    header, *rows = book["grants"].iter_rows(values_only=True)
    sheet = [dict(zip(header, row, strict=True)) for row in rows]
    grants = by_id(download(api.client)[2])
    assert {row["Identifier"] for row in sheet} == set(grants)
    for row in sheet:
        record = grants[str(row["Identifier"])]
        assert row["Title"] == record["title"]
        assert Decimal(str(row["Amount Awarded"])) == record["amountAwarded"]
        assert Decimal(str(row["Amount Disbursed"])) == record["amountDisbursed"]
        assert row["For Regrant Type"] == record.get("regrantType")
        individual = record.get("recipientIndividual", {})
        assert row["Recipient Ind:Identifier"] == individual.get("id")
        assert row["Recipient Ind:Name"] == individual.get("name")
    funders = {row[0]: row[1] for row in book["Funding Org"].iter_rows(min_row=2, values_only=True)}
    assert funders == {key: g["fundingOrganization"][0]["id"] for key, g in grants.items()}


def test_a_ledger_with_nothing_to_export_has_no_spreadsheet_either(api: Api) -> None:
    settled(api.client, api.ledger)
    refused(api, api.client.get("/exports/360giving.xlsx"), 404, "nothing_to_export", None)


# --- the demo ledger ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Ledger, int]]:
    folder = tmp_path_factory.mktemp("demo360")
    app = create_app(settings_for(Database.parse(f"sqlite:///{folder / 'ledger.sqlite'}"), folder))
    with TestClient(app) as client:
        ledger: Ledger = app.state.ledger
        report = fill(ledger, events=1500, seed=7, progress=None)
        settled(client, ledger)
        yield client, ledger, report.people


def test_the_demo_ledgers_package_is_valid_and_holds_each_grant_and_disbursement_once(
    demo: tuple[TestClient, Ledger, int],
) -> None:
    client, ledger, _ = demo
    _, _, package = download(client)
    assert [e.message for e in package_validator().iter_errors(package)] == []
    grants = by_id(package)
    views = views_of(client)
    found = all_rows(lambda db, page: reader.grants(db, page=page), views)
    expected = {f"360G-mingzhang-grant-{g.grant_id}" for g in found}
    relief = all_rows(lambda db, page: reader.relief(db, page=page, today=ledger.today()), views)
    expected |= {f"360G-mingzhang-relief-{r.disbursement_id}" for r in relief}
    funding = all_rows(lambda db, page: reader.pairing_funding(db, page), views)
    expected |= {f"360G-mingzhang-transfer-{f.transfer_id}" for f in funding}
    assert set(grants) == expected
    assert any(r.reversed for r in relief)
    assert any(g.get("regrantType") == "FRG030" for g in grants.values())


def codelist(name: str) -> set[str]:
    with (CODELISTS / f"{name}.csv").open(encoding="utf-8", newline="") as rows:
        return {row["Code"] for row in csv.DictReader(rows)}


def test_the_demo_packages_coded_fields_hold_codes_of_the_standards_codelists(
    demo: tuple[TestClient, Ledger, int],
) -> None:
    """The schema leaves codelists open to a validator; the standard closes these ones."""
    grants = download(demo[0])[2]["grants"]
    regrants = {g["regrantType"] for g in grants if "regrantType" in g}
    purposes = {
        p for g in grants for p in g.get("toIndividualsDetails", {}).get("grantPurpose", [])
    }
    assert regrants == {"FRG030"}
    assert regrants <= codelist("regrantType")
    assert purposes
    assert purposes <= codelist("grantToIndividualsPurpose")
    assert {g["currency"] for g in grants} <= codelist("currency")


def test_no_demo_persons_data_appears_in_the_package(
    demo: tuple[TestClient, Ledger, int],
) -> None:
    client, ledger, people = demo
    assert people > 0
    _, raw, _ = download(client)
    secrets = vault_references(ledger)
    for number in range(people):
        data = fake_person(number)
        secrets |= {v for v in (data.name, data.id_card, data.phone) if v}
    secrets.add("演示居委会（虚构）")
    forms = {form for s in secrets for form in (s.encode(), json.dumps(s).strip('"').encode())}
    assert [form for form in forms if form in raw] == []


def all_rows(read: Callable[[ViewDB, PageRequest], Page[Any]], views: ViewDB) -> list[Any]:
    rows: list[Any] = []
    page = PageRequest(500)
    while True:
        found = read(views, page)
        rows.extend(found.items)
        if found.next_cursor is None:
            return rows
        page = PageRequest(500, found.next_cursor)
