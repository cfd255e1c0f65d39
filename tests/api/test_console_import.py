"""The console's spreadsheet import over HTTP (issue 17; the 10,000-row run is tests/browser/
test_console_import.py): the templates read back with their headers and the foundation's funds, a
CSV or XLSX file's rows are previewed and then recorded, exactly those and once however often the
file is imported, a bad row is refused with its row number, column and reason while the others are
recorded, another foundation's fund is refused, and an upload without the session's CSRF token, or
too large, or unreadable, writes nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import stat
import time
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from api.app import create_app
from api.console.imports import command_id, record
from api.console.spreadsheets import COLUMNS
from api.pages.i18n import MESSAGES
from storage.database import Database
from tests.api.conftest import ON_BOTH, Api, settings_for
from tests.api.test_console import TOKEN, caught_up, signed_in, staff_key
from tests.support import donate, open_fund, register

DONATION_HEADER = [c.header for c in COLUMNS["donations"]]
GRANT_HEADER = [c.header for c in COLUMNS["grants"]]
IMPORT_ID = re.compile(r"/imports/(donations|grants)/([A-Za-z0-9_-]{20,})$")


def base(api: Api, kind: str = "donations", foundation: UUID | None = None) -> str:
    return f"/console/foundations/{foundation or api.foundation}/imports/{kind}"


def token_of(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = TOKEN.search(page.text)
    assert found is not None
    return found.group(1)


def csv_bytes(rows: list[list[str]], header: list[str] = DONATION_HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # as Excel writes "CSV UTF-8"


def xlsx_bytes(rows: list[list[Any]], header: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(
    api: Api, content: bytes, *, kind: str = "donations", token: str | None = None, name: str = "f"
) -> Any:
    path = base(api, kind)
    sent = token_of(api.client, path) if token is None else token
    return api.client.post(
        path,
        data={"csrf_token": sent},
        files={"file": (name, content, "application/octet-stream")},
        follow_redirects=False,
    )


def previewed(api: Api, content: bytes, kind: str = "donations") -> tuple[str, str]:
    """The upload's preview page and its address."""
    answer = upload(api, content, kind=kind)
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert IMPORT_ID.search(location), location
    page = api.client.get(location)
    assert page.status_code == 200, page.text
    return location, page.text


def recorded(api: Api, location: str, preview: str) -> str:
    """Confirm the preview, and the result page once the import is done."""
    found = TOKEN.search(preview)
    assert found is not None
    answer = api.client.post(location, data={"csrf_token": found.group(1)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = api.client.get(location)
        assert page.status_code == 200, page.text
        text: str = page.text
        if 'id="import-live"' not in text:  # the recording page's moving part
            return text
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def counts(result: str) -> tuple[int, int, int]:
    found = re.findall(r"<dd[^>]*>([\d,]+)</dd>", result)
    recorded_, already, refused = (int(n.replace(",", "")) for n in found[:3])
    return recorded_, already, refused


def refusals(page: str) -> list[tuple[int, str, str]]:
    """(row, column, reason code) of each refused row the page lists."""
    rows = re.findall(
        r'<td data-label="[^"]*" class="num">(\d+)</td>\s*<td data-label="[^"]*">(?:<code>([a-z_]+)</code>|—)</td>\s*<td data-label="[^"]*"><span><code>([a-z_]+)</code>',
        page,
    )
    return [(int(row), column, code) for row, column, code in rows]


def balance(api: Api, fund: UUID) -> int:
    fen: int = api.ledger.get_fund(fund).balance.fen
    return fen


def kept_files(api: Api) -> list[Path]:
    """What the imports' private folder holds (it is made at the first upload that reaches it)."""
    folder: Path = api.client.app.state.console_imports.folder  # type: ignore[attr-defined]
    return list(folder.iterdir()) if folder.exists() else []


def test_the_templates_read_back_with_their_headers_and_the_foundations_funds(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation, name="社区发展基金")
    centre = register(api.ledger, name="花木睦邻中心", roles=["service_center"])
    signed_in(api.client, staff_key(api))
    caught_up(api)
    for kind, header in (("donations", DONATION_HEADER), ("grants", GRANT_HEADER)):
        answer = api.client.get(f"{base(api, kind)}/template.xlsx")
        assert answer.status_code == 200
        book = load_workbook(io.BytesIO(answer.content), read_only=True)
        first = [c.value for c in next(book.worksheets[0].iter_rows())]
        assert first == header
        assert first[0] == "基金编号 fund"
        funds = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
        assert funds == [["基金编号 fund", "名称 name"], [str(fund), "社区发展基金"]]
        if kind == "grants":
            listed = [row[0].value for row in book.worksheets[2].iter_rows()]
            assert str(centre) in listed
        answer = api.client.get(f"{base(api, kind)}/template.csv")
        assert answer.status_code == 200
        assert answer.content.startswith(b"\xef\xbb\xbf")
        assert next(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")))) == header
    page = api.client.get(base(api))
    assert str(fund) in page.text
    assert "个人捐赠者不经表格导入" in page.text


@ON_BOTH
def test_a_csv_import_records_exactly_its_rows(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    giver = register(api.ledger, name="某某公益服务社", roles=["service_center"])
    signed_in(api.client, staff_key(api))
    caught_up(api)
    content = csv_bytes(
        [
            [str(fund), "100.00", "2024-03-01", "anonymous", "", "否"],
            [str(fund), "250.50", "2024-03-02", "organization", str(giver), "是"],
            ["", "", "", "", "", ""],  # an empty row, as Excel leaves them
            [str(fund), "9", "2024-03-03", "anonymous", "", ""],
        ]
    )
    head = api.ledger.head()
    location, preview = previewed(api, content)
    assert "3 行将被记录，0 行被拒绝" in preview
    assert "250.50" in preview
    assert "社区发展基金" in preview  # the fund's name, not its id
    assert api.ledger.head() == head  # a preview records nothing
    result = recorded(api, location, preview)
    assert counts(result) == (3, 0, 0)
    assert balance(api, fund) == 10000 + 25050 + 900
    # Each row's donation id comes from the file's bytes and its row number (row 5: the empty
    # row 4 is passed over, and still counted as Excel numbers it).
    sha = hashlib.sha256(content).hexdigest()
    donations = {getattr(e, "donation_id", None) for e in api.ledger.history(fund)}
    assert {command_id(sha, row) for row in (2, 3, 5)} <= donations
    assert not kept_files(api)  # the file is deleted once recorded
    folder = api.client.app.state.console_imports.folder  # type: ignore[attr-defined]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # the uploads' folder is private


def test_a_csv_saved_as_gbk_by_a_chinese_excel_records_its_rows(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    giver = register(api.ledger, name="某某公益服务社", roles=["service_center"])
    signed_in(api.client, staff_key(api))
    caught_up(api)
    utf8 = csv_bytes(
        [
            [str(fund), "100.00", "2024-03-01", "anonymous", "", "否"],
            [str(fund), "250.50", "2024-03-02", "organization", str(giver), "是"],
        ]
    )
    content = utf8.decode("utf-8-sig").encode("gbk")  # Excel's plain "CSV" on a Chinese Windows
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    location, preview = previewed(api, content)
    assert "2 行将被记录，0 行被拒绝" in preview
    assert counts(recorded(api, location, preview)) == (2, 0, 0)
    assert balance(api, fund) == 10000 + 25050


def test_an_xlsx_import_of_grants_records_its_rows_with_number_and_date_cells(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    donate(api.ledger, fund, "5000.00")
    centre = register(api.ledger, name="花木睦邻中心", roles=["service_center"])
    signed_in(api.client, staff_key(api))
    caught_up(api)
    rows = [
        [
            str(fund),
            str(centre),
            "社区营造",
            f"睦邻点{n}",
            "每周活动",
            1200.5,
            date(2024, 4, n),
            date(2024, 5, 1),
            date(2024, 12, 31),
        ]
        for n in (1, 2)
    ]
    content = xlsx_bytes(rows, GRANT_HEADER)
    location, preview = previewed(api, content, "grants")
    assert "睦邻点1" in preview
    assert "花木睦邻中心" in preview
    result = recorded(api, location, preview)
    assert counts(result) == (2, 0, 0)
    assert api.ledger.get_fund(fund).reserved.fen == 2 * 120050
    sha = hashlib.sha256(content).hexdigest()
    grant = api.ledger.get_grant(command_id(sha, 2))  # row 2: the first after the header
    assert grant.title == "睦邻点1"


def test_importing_the_same_file_twice_records_nothing_new(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    content = csv_bytes(
        [[str(fund), f"{n}.00", "2024-03-01", "anonymous", "", ""] for n in (1, 2, 3)]
    )
    location, preview = previewed(api, content)
    assert counts(recorded(api, location, preview)) == (3, 0, 0)
    head = api.ledger.head()
    location, preview = previewed(api, content)
    assert counts(recorded(api, location, preview)) == (0, 3, 0)
    assert api.ledger.head() == head
    assert balance(api, fund) == 600


def test_bad_rows_are_refused_with_their_row_and_column_and_the_others_recorded(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    content = csv_bytes(
        [
            [str(fund), "10.00", "2024-03-01", "anonymous", "", ""],  # row 2
            ["00000000-0000-4000-8000-000000000000", "10.00", "2024-03-01", "anonymous", "", ""],
            [str(fund), "abc", "2024-03-01", "anonymous", "", ""],  # row 4
            [str(fund), "10.00", "2024-13-01", "anonymous", "", ""],  # row 5
            [str(fund), "-5.00", "2024-03-01", "anonymous", "", ""],  # row 6
            [str(fund), "10.00", "2024-03-01", "person", "", ""],  # row 7
            [str(fund), "10.00", "2024-03-01", "anonymous", "", "也许"],  # row 8
            [str(fund), "20.00", "2024-03-02", "anonymous", "", ""],  # row 9
        ]
    )
    location, preview = previewed(api, content)
    assert "2 行将被记录，6 行被拒绝" in preview
    found = refusals(preview)
    assert [(row, column) for row, column, _ in found] == [
        (3, "fund"),
        (4, "amount"),
        (5, "received_on"),
        (6, "amount"),
        (7, "donor_kind"),
        (8, "publish_name"),
    ]
    assert found[0][2] == "unknown_fund"
    assert found[1][2] == "invalid_amount"
    assert found[2][2] == "invalid_date"
    result = recorded(api, location, preview)
    assert counts(result) == (2, 0, 6)
    assert balance(api, fund) == 3000


def test_another_foundations_fund_in_a_row_is_refused(api: Api) -> None:
    ours = open_fund(api.ledger, api.foundation)
    other = register(api.ledger, name="外滩社区基金会", district="huangpu")
    theirs = open_fund(api.ledger, other)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    content = csv_bytes(
        [
            [str(theirs), "10.00", "2024-03-01", "anonymous", "", ""],
            [str(ours), "10.00", "2024-03-01", "anonymous", "", ""],
        ]
    )
    location, preview = previewed(api, content)
    assert refusals(preview) == [(2, "fund", "wrong_foundation")]
    assert counts(recorded(api, location, preview)) == (1, 0, 1)
    assert balance(api, theirs) == 0
    assert balance(api, ours) == 1000
    # Nor may its staff open their import pages.
    assert api.client.get(base(api, foundation=other)).status_code == 403


def test_a_forged_upload_without_the_csrf_token_is_refused_with_nothing_written(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    head = api.ledger.head()
    content = csv_bytes([[str(fund), "10.00", "2024-03-01", "anonymous", "", ""]])
    for token in ("", "not-this-sessions"):
        answer = upload(api, content, token=token)
        assert answer.status_code == 403
        assert "csrf_refused" in answer.text
    assert api.ledger.head() == head
    assert not kept_files(api)
    # Confirming an import without the token is refused too.
    location, _ = previewed(api, content)
    answer = api.client.post(location, data={"csrf_token": "no"}, follow_redirects=False)
    assert answer.status_code == 403
    time.sleep(0.2)
    assert api.ledger.head() == head


def test_an_unreadable_file_is_refused_beside_the_file_input(api: Api) -> None:
    open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    cases = {
        b"PK\x03\x04 not really a zip": "not a readable XLSX file",
        b"\xd0\xcf\x11\xe0 old excel": "(.xls)",
        b"\xff\xfe\x00\x00 fund,amount\n": "neither UTF-8 nor GBK",
        csv_bytes([], header=["fund", "amount"]): "lacks the columns",
        csv_bytes([], header=[*DONATION_HEADER, "colour"]): "colour",
    }
    for content, reason in cases.items():
        answer = upload(api, content)
        assert answer.status_code == 422, answer.text
        error = re.search(r'<p class="field-error" id="file-error">(.*?)</p>', answer.text, re.S)
        assert error is not None, answer.text
        assert reason in error.group(1)
        assert 'aria-invalid="true"' in answer.text
    assert not kept_files(api)


def test_only_the_key_that_uploaded_an_import_sees_it(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    location, _ = previewed(
        api, csv_bytes([[str(fund), "1.00", "2024-03-01", "anonymous", "", ""]])
    )
    other = TestClient(api.client.app)
    signed_in(other, staff_key(api))
    assert other.get(location).status_code == 404
    assert other.get(f"{location}/progress").status_code == 404


def test_the_progress_of_an_import_is_its_counts_only(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    content = csv_bytes(
        [
            [str(fund), "1.00", "2024-03-01", "anonymous", "", ""],
            [str(fund), "abc", "2024-03-01", "anonymous", "", ""],
        ]
    )
    location, preview = previewed(api, content)
    before = api.client.get(f"{location}/progress")
    assert before.status_code == 200
    assert before.headers["cache-control"] == "no-store"
    assert before.json() == {
        "state": "previewed",
        "done": 0,
        "rows": 2,
        "recorded": 0,
        "already": 0,
        "refused": 0,
    }
    recorded(api, location, preview)
    after = api.client.get(f"{location}/progress").json()
    assert after == {
        "state": "done",
        "done": 2,
        "rows": 2,
        "recorded": 1,
        "already": 0,
        "refused": 1,
    }


@pytest.fixture
def small_limit(backend_database: Database, tmp_path: Path) -> Any:
    app = create_app(settings_for(backend_database, tmp_path, console_import_max_bytes=65536))
    with TestClient(app) as client:
        foundation = register(app.state.ledger, name="陆家嘴社区基金会")
        yield Api(client, app.state.ledger, app.state.keys, foundation)


def test_a_file_over_the_limit_is_refused_beside_the_file_input(small_limit: Api) -> None:
    api = small_limit
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    head = api.ledger.head()
    rows = [
        [str(fund), "1.00", "2024-03-01", "anonymous", "", ""]
    ] * 1500  # about 100 KB: over the 64 KB limit, under twice it
    answer = upload(api, csv_bytes(rows))
    assert answer.status_code == 413
    error = re.search(r'<p class="field-error" id="file-error">(.*?)</p>', answer.text, re.S)
    assert error is not None
    assert "file_too_large" in error.group(1)
    assert api.ledger.head() == head
    assert not kept_files(api)


def test_every_string_the_import_pages_build_a_key_for_is_translated() -> None:
    # The templates build these keys from a kind, a column or a reason, which the scan of literal
    # keys (tests/pages/test_translations.py) cannot see.
    built = [f"console.import.{kind}.title" for kind in COLUMNS]
    built += [f"console.import.column.{c.name}" for kind in COLUMNS for c in COLUMNS[kind]]
    built += [f"console.import.stopped.{reason}" for reason in ("failed", "revoked")]
    assert [key for key in built if key not in MESSAGES] == []


def test_revoking_the_key_stops_its_import_with_nothing_more_recorded(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    content = csv_bytes([[str(fund), "1.00", "2024-03-01", "anonymous", "", ""]] * 3)
    location, _ = previewed(api, content)
    imports = api.client.app.state.console_imports  # type: ignore[attr-defined]
    made = imports.imports[IMPORT_ID.search(location).group(2)]  # type: ignore[union-attr]
    head = api.ledger.head()
    api.keys.revoke(made.who.key_id)
    record(api.ledger, made, imports.key_revoked)  # what the import's thread runs
    assert made.state == "stopped"
    assert made.stopped_because == "revoked"
    assert api.ledger.head() == head


def test_an_upload_of_two_files_is_refused_and_leaves_nothing(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    one = csv_bytes([[str(fund), "1.00", "2024-03-01", "anonymous", "", ""]])
    answer = api.client.post(
        base(api),
        data={"csrf_token": token_of(api.client, base(api))},
        files=[("file", ("a.csv", one, "text/csv")), ("file", ("b.csv", one, "text/csv"))],
    )
    assert answer.status_code == 422
    assert 'id="file-error"' in answer.text
    assert not kept_files(api)


def test_a_file_over_the_apis_body_limit_but_under_the_imports_is_taken(api: Api) -> None:
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    content = csv_bytes([[str(fund), "1.00", "2024-03-01", "anonymous", "", ""]] * 2000)
    assert len(content) > 65536  # MINGZHANG_MAX_BODY_BYTES, which every other request keeps
    _, preview = previewed(api, content)
    assert "2,000 行将被记录" in preview


def test_a_body_far_over_the_limit_is_cut_off_before_it_is_read(small_limit: Api) -> None:
    api = small_limit
    fund = open_fund(api.ledger, api.foundation)
    signed_in(api.client, staff_key(api))
    caught_up(api)
    content = csv_bytes([[str(fund), "1.00", "2024-03-01", "anonymous", "", ""]] * 3000)
    assert len(content) > 2 * 65536
    answer = upload(api, content)
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "body_too_large"
    assert not kept_files(api)
