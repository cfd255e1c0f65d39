"""The ratification deadline is seen: emergency payments made before approval (the fast path) that
await ratification are listed over HTTP by deadline, each marked overdue or not on the ledger's today
(MINGZHANG_TODAY fixes it for a served process), for staff of their foundation and for auditors
citywide; `mingzhang overdue` prints the overdue ones, one line each, with no person in them.

The deadline is the first fast-path payment's date plus MINGZHANG_RATIFICATION_DAYS (7 by default); a
case is overdue once that day has passed with a payment still neither ratified nor reversed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from cli.compose import open_ledger
from cli.main import main
from domain.ledger import Ledger
from storage.database import Database
from tests.api.conftest import ON_BOTH, Api, refused
from tests.api.test_disclosure_api import settled
from tests.deployments import deployment
from tests.support import donate, open_fund, person, register, relief_case
from tests.unit.test_relief import APPROVERS, yuan
from transparency.signed_note import Signer

TODAY = date(2024, 3, 20)
NAME, ID_CARD, PHONE = "测试受助人己（虚构）", "11010519491231002X", "13900004444"


@pytest.fixture
def api(
    backend_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Api]:
    """The API as `mingzhang serve` builds it from the environment, with MINGZHANG_TODAY=TODAY."""
    monkeypatch.setenv("MINGZHANG_TODAY", TODAY.isoformat())
    signer = Signer.generate("mingzhang.test/ledger")
    app = create_app(deployment(monkeypatch, backend_database, signer, tmp_path))
    with TestClient(app) as client:
        ledger: Ledger = app.state.ledger
        foundation = register(ledger, name="陆家嘴社区基金会")
        found = Api(client, ledger, app.state.keys, foundation)
        found.headers = {
            "staff": found.bearer("staff", foundation),
            "auditor": found.bearer("auditor"),
            "admin": found.bearer("admin"),
            "privacy_officer": found.bearer("privacy_officer"),
        }
        yield found


def relief_fund(ledger: Ledger, foundation: UUID) -> UUID:
    fund = open_fund(ledger, foundation, kind="emergency_relief", name="暖心基金")
    donate(ledger, fund, "20000")
    return fund


def paid_first(ledger: Ledger, fund: UUID, paid_on: date) -> tuple[UUID, UUID]:
    """An emergency case paid before approval on `paid_on`: the case and the disbursement."""
    beneficiary = person(ledger, name=NAME, id_card=ID_CARD, phone=PHONE)
    case_id = relief_case(ledger, fund, beneficiary, emergency=True, opened_on=paid_on)
    disbursement = uuid4()
    ledger.disburse_relief(
        case_id, disbursement_id=disbursement, amount=yuan("500"), paid_on=paid_on
    )
    return case_id, disbursement


def awaiting(api: Api, holder: str = "staff", **params: str) -> list[dict[str, object]]:
    answer = api.client.get(
        "/relief-cases/awaiting-ratification", params=params, headers=api.headers[holder]
    )
    assert answer.status_code == 200, answer.text
    for secret in (NAME, ID_CARD, PHONE):
        assert secret not in answer.text
    items: list[dict[str, object]] = answer.json()["items"]
    return items


@ON_BOTH
def test_staff_see_their_payments_awaiting_ratification_by_deadline_marked_overdue_or_not(
    api: Api,
) -> None:
    fund = relief_fund(api.ledger, api.foundation)
    late, _ = paid_first(api.ledger, fund, TODAY - timedelta(days=10))  # deadline 3 days ago
    due_today, _ = paid_first(api.ledger, fund, TODAY - timedelta(days=7))  # deadline today
    recent, _ = paid_first(api.ledger, fund, TODAY - timedelta(days=1))
    ratified, _ = paid_first(api.ledger, fund, TODAY - timedelta(days=20))
    api.ledger.ratify_relief_case(
        ratified, command_id=uuid4(), approvers=APPROVERS, ratified_on=TODAY
    )
    settled(api)
    rows = awaiting(api)
    assert [row["case_id"] for row in rows] == [str(late), str(due_today), str(recent)]
    assert [(row["overdue"], row["days_overdue"]) for row in rows] == [
        (True, 3),
        (False, 0),
        (False, 0),
    ]
    assert rows[0]["ratify_by"] == (TODAY - timedelta(days=3)).isoformat()
    assert rows[0]["foundation_id"] == str(api.foundation)
    assert rows[0]["awaiting_ratification"] == 1


def test_a_reversed_payment_no_longer_awaits_ratification(api: Api) -> None:
    fund = relief_fund(api.ledger, api.foundation)
    case_id, disbursement = paid_first(api.ledger, fund, TODAY - timedelta(days=10))
    api.ledger.reverse_disbursement(
        case_id, reversal_id=uuid4(), disbursement_id=disbursement, reason="误付", reversed_on=TODAY
    )
    settled(api)
    assert awaiting(api) == []


@ON_BOTH
def test_staff_see_only_their_foundations_and_the_auditor_sees_them_citywide(api: Api) -> None:
    other = register(api.ledger, name="花木社区基金会", subdistrict="花木街道")
    api.headers["other"] = api.bearer("staff", other)
    mine, _ = paid_first(api.ledger, relief_fund(api.ledger, api.foundation), date(2024, 3, 1))
    theirs, _ = paid_first(api.ledger, relief_fund(api.ledger, other), date(2024, 3, 2))
    settled(api)
    assert [row["case_id"] for row in awaiting(api)] == [str(mine)]
    assert [row["case_id"] for row in awaiting(api, "other")] == [str(theirs)]
    assert [row["case_id"] for row in awaiting(api, "auditor")] == [str(mine), str(theirs)]
    assert [row["case_id"] for row in awaiting(api, "auditor", foundation_id=str(other))] == [
        str(theirs)
    ]
    answer = api.client.get("/relief-cases/awaiting-ratification", headers=api.admin)
    refused(api, answer, 403, "forbidden", None)


def test_the_awaiting_list_walks_page_by_page_in_deadline_order(api: Api) -> None:
    fund = relief_fund(api.ledger, api.foundation)
    cases = [paid_first(api.ledger, fund, date(2024, 3, 1 + i % 4))[0] for i in range(7)]
    settled(api)
    rows, cursor = [], None
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        answer = api.client.get(
            "/relief-cases/awaiting-ratification", params=params, headers=api.staff
        ).json()
        rows.extend(answer["items"])
        if (cursor := answer["next_cursor"]) is None:
            break
    assert sorted(row["case_id"] for row in rows) == sorted(str(c) for c in cases)
    keys = [(row["ratify_by"], row["case_id"]) for row in rows]
    assert keys == sorted(keys)


# --- the command line --------------------------------------------------------------------------------


def test_mingzhang_overdue_prints_each_overdue_case_on_one_line_without_a_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = Database("sqlite", sqlite_path=str(tmp_path / "ledger.sqlite"))
    settings = deployment(monkeypatch, database, Signer.generate("mingzhang.test/ledger"), tmp_path)
    ledger = open_ledger(settings)
    foundation = register(ledger)
    fund = relief_fund(ledger, foundation)
    later, _ = paid_first(ledger, fund, TODAY - timedelta(days=9))  # 2 days overdue
    first, _ = paid_first(ledger, fund, TODAY - timedelta(days=12))  # 5 days overdue
    paid_first(ledger, fund, TODAY - timedelta(days=7))  # due today: not overdue
    ledger.close()
    monkeypatch.setenv("MINGZHANG_TODAY", TODAY.isoformat())
    assert main(["overdue"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{first}\t{foundation}\t{TODAY - timedelta(days=5)}\t5",
        f"{later}\t{foundation}\t{TODAY - timedelta(days=2)}\t2",
    ]
    assert f"2 overdue on {TODAY}" in err
    for secret in (NAME, ID_CARD, PHONE):
        assert secret not in out + err


def test_mingzhang_overdue_prints_nothing_when_nothing_is_overdue_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = Database("sqlite", sqlite_path=str(tmp_path / "ledger.sqlite"))
    settings = deployment(monkeypatch, database, Signer.generate("mingzhang.test/ledger"), tmp_path)
    ledger = open_ledger(settings)
    paid_first(ledger, relief_fund(ledger, register(ledger)), TODAY)
    ledger.close()
    monkeypatch.setenv("MINGZHANG_TODAY", TODAY.isoformat())
    assert main(["overdue"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert f"0 overdue on {TODAY}" in err
