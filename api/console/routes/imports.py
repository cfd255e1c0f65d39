"""`/console/foundations/{id}/imports/{kind}`: a spreadsheet of donations or grants, uploaded,
previewed and recorded (`api.console.imports`; the columns are `api.console.spreadsheets`).

GET shows the upload form, the columns and the foundation's funds; `…/template.xlsx` and
`…/template.csv` are the templates. POST is the upload (multipart, the session's CSRF token in it):
the body is parsed as it streams, the file written straight to the imports' private folder while it
is hashed, refused beside the file input when it is over MINGZHANG_CONSOLE_IMPORT_MAX_BYTES or cannot
be read; otherwise every row is checked and the answer is a redirect to the import's own address
(`…/{kind}/{import id}`), its preview. POSTing there (CSRF again) starts the recording in a thread;
the same address then shows a progress bar, which a small script (`import-progress.js`) moves from
`…/{import id}/progress` every second, the page itself never reloading on a timer (WCAG 2.2.1: a
page that reloads itself interrupts a screen reader); without script, a link shows the latest
counts. Only the key that uploaded an import sees it.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import NamedTemporaryFile
from typing import Annotated, Any
from uuid import UUID

import anyio
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from api.console.forms import Choices, Refusal
from api.console.imports import Import, Imports, preview
from api.console.routes.desk import own_desk
from api.console.session import (
    CSRF_FIELD,
    SESSION_COOKIE,
    Console,
    ConsoleDep,
    FormDep,
    LangQuery,
    NotSignedIn,
    check_csrf,
    page_of,
    sessions_of,
    show,
)
from api.console.spreadsheets import (
    COLUMNS,
    FILE_FIELD,
    KINDS,
    Kind,
    Listed,
    csv_template,
    format_of,
    xlsx_template,
)
from api.console.staff_forms import open_funds, recipients
from api.errors import ApiError
from api.settings import Settings
from domain.errors import DomainError
from domain.ledger import Ledger

router = APIRouter(prefix="/console", tags=["pages"], include_in_schema=False)
UPLOAD_PATH = re.compile(r"^/console/foundations/[^/]+/imports/[^/]+$")
FIELD_LIMIT = 4096  # bytes of a form field beside the file (the CSRF token is 43)
DRAIN_FACTOR = 2  # an upload this many times the limit is cut off by BodyLimit instead


def imports_of(request: Request) -> Imports:
    found: Imports = request.app.state.console_imports
    return found


def kind_of(kind: str) -> Kind:
    for known in KINDS:
        if kind == known:
            return known
    raise ApiError(404, "not_found", f"kind: there is no import of {kind!r}", "kind")


def console_now(request: Request, lang: LangQuery = None) -> Console:
    """The signed-in session, without waiting for the views to catch up (`ConsoleDep` does): the
    progress page reloads every second while thousands of rows are written, and shows only the
    import's own counts."""
    session = sessions_of(request).live(request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise NotSignedIn("ended" if request.cookies.get(SESSION_COOKIE) else None)
    return Console(page_of(request, lang), session)


ConsoleNowDep = Annotated[Console, Depends(console_now)]


@dataclass
class Upload:
    """A multipart upload as it streamed in: its fields, and its one file written to `temp`."""

    fields: dict[str, str] = field(default_factory=dict)
    temp: Path | None = None
    sha256: str = ""
    size: int = 0
    head: bytes = b""
    too_large: bool = False
    malformed: bool = False


class _Parts:
    """python-multipart's callbacks: small fields kept, the one file part's bytes hashed and left in
    `pending` for the caller to write, nothing past `limit`; a second file makes it malformed."""

    def __init__(self, upload: Upload, limit: int) -> None:
        self.upload, self.limit = upload, limit
        self.hash = hashlib.sha256()
        self.header_name, self.header_value, self.disposition = b"", b"", b""
        self.name, self.is_file, self.data = "", False, bytearray()
        self.files = 0
        self.pending: list[bytes] = []

    def on_part_begin(self) -> None:
        self.disposition, self.name, self.is_file, self.data = b"", "", False, bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        if self.header_name.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        self.is_file = b"filename" in options and self.name == FILE_FIELD
        if self.is_file:
            self.files += 1
            if self.files > 1:
                self.upload.malformed = True
                self.is_file = False  # its bytes are not mixed into the first file's

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if not self.is_file:
            if len(self.data) + len(chunk) > FIELD_LIMIT:
                self.upload.malformed = True
            else:
                self.data += chunk
            return
        self.upload.size += len(chunk)
        if self.upload.size > self.limit:
            self.upload.too_large = True
            return
        if len(self.upload.head) < 8:
            self.upload.head = (self.upload.head + chunk)[:8]
        self.hash.update(chunk)
        self.pending.append(chunk)

    def on_part_end(self) -> None:
        if not self.is_file:
            self.upload.fields.setdefault(self.name, self.data.decode("utf-8", "replace"))


async def uploaded(request: Request) -> AsyncIterator[Upload]:
    """The upload, its file streamed to a temporary file in the imports' private folder (deleted
    after the answer unless the route kept it under its hash)."""
    settings: Settings = request.app.state.settings
    upload = Upload()
    kind, options = parse_options_header(request.headers.get("content-type"))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        upload.malformed = True
        yield upload
        return
    folder = imports_of(request).private_folder()
    try:
        with NamedTemporaryFile(dir=folder, prefix="upload-", delete=False) as sink:
            upload.temp = Path(sink.name)
            parts = _Parts(upload, settings.console_import_max_bytes)
            callbacks: Any = {
                name: getattr(parts, name)
                for name in (
                    "on_part_begin",
                    "on_part_data",
                    "on_part_end",
                    "on_header_field",
                    "on_header_value",
                    "on_header_end",
                    "on_headers_finished",
                )
            }
            parser = MultipartParser(boundary, callbacks)
            try:
                async for chunk in request.stream():
                    parser.write(chunk)
                    if parts.pending:
                        # Written off the event loop, as Starlette writes its own uploads.
                        await anyio.to_thread.run_sync(sink.write, b"".join(parts.pending))
                        parts.pending.clear()
                parser.finalize()
                sink.write(b"".join(parts.pending))  # what the parser held back until the end
            except FormParserError:
                upload.malformed = True
            upload.sha256 = parts.hash.hexdigest()
        yield upload
    finally:
        # Also when the client went away mid-upload (or BodyLimit cut it off): no file is left.
        if upload.temp is not None:
            upload.temp.unlink(missing_ok=True)


UploadDep = Annotated[Upload, Depends(uploaded)]


def listed_funds(console: Console, foundation_id: UUID) -> list[Listed]:
    choices = Choices(foundation_id, console.page.db, console.page.lang)
    return [
        Listed(
            "基金 funds",
            ("基金编号 fund", "名称 name"),
            [(o.value, o.label) for o in open_funds(choices)],
        )
    ]


def listed_recipients(console: Console, foundation_id: UUID) -> list[Listed]:
    choices = Choices(foundation_id, console.page.db, console.page.lang)
    return [
        Listed(
            "受资助方 recipients",
            ("受资助组织编号 recipient_id", "名称 name"),
            [(o.value, o.label) for o in recipients(choices)],
        )
    ]


def upload_page(
    request: Request,
    console: Console,
    foundation_id: UUID,
    kind: Kind,
    *,
    error: Refusal | None = None,
    status: int = 200,
) -> Response:
    choices = Choices(foundation_id, console.page.db, console.page.lang)
    return show(
        request,
        console.page,
        "console/import.html",
        status=status,
        kind=kind,
        columns=COLUMNS[kind],
        funds=open_funds(choices),
        foundation_id=foundation_id,
        csrf=console.session.csrf_token,
        csrf_field=CSRF_FIELD,
        file_field=FILE_FIELD,
        error=error,
        max_mib=f"{request.app.state.settings.console_import_max_bytes / 2**20:g}",
    )


@router.get("/foundations/{foundation_id}/imports/{kind}")
def import_form(foundation_id: UUID, kind: str, request: Request, console: ConsoleDep) -> Response:
    own_desk(console, foundation_id)
    return upload_page(request, console, foundation_id, kind_of(kind))


@router.get("/foundations/{foundation_id}/imports/{kind}/template.xlsx")
def xlsx_file(foundation_id: UUID, kind: str, console: ConsoleDep) -> Response:
    own_desk(console, foundation_id)
    chosen = kind_of(kind)
    listed = listed_funds(console, foundation_id)
    if chosen == "grants":
        listed += listed_recipients(console, foundation_id)
    return Response(
        xlsx_template(chosen, listed),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="mingzhang-{chosen}.xlsx"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/foundations/{foundation_id}/imports/{kind}/template.csv")
def csv_file(foundation_id: UUID, kind: str, console: ConsoleDep) -> Response:
    own_desk(console, foundation_id)
    chosen = kind_of(kind)
    return Response(
        csv_template(chosen),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="mingzhang-{chosen}.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/foundations/{foundation_id}/imports/{kind}")
def upload(
    foundation_id: UUID, kind: str, request: Request, console: ConsoleDep, sent: UploadDep
) -> Response:
    if sent.too_large:
        # Said before the CSRF check: the token may have been cut off with the rest of the body;
        # nothing is kept either way.
        own_desk(console, foundation_id)
        limit = request.app.state.settings.console_import_max_bytes
        message = f"the file is over {limit / 2**20:g} MiB; split it and import each part"
        error = Refusal(FILE_FIELD, "file_too_large", message)
        return upload_page(request, console, foundation_id, kind_of(kind), error=error, status=413)
    check_csrf(console, sent.fields)
    own_desk(console, foundation_id)
    chosen = kind_of(kind)
    imports = imports_of(request)
    imports.prune()
    if sent.malformed or sent.temp is None or sent.size == 0:
        error = Refusal(FILE_FIELD, "invalid_input", "choose one file (XLSX or CSV) to upload")
        return upload_page(request, console, foundation_id, chosen, error=error, status=422)
    ledger: Ledger = request.app.state.ledger
    try:
        file_format = format_of(sent.head)
        tally, shown = preview(ledger, chosen, foundation_id, sent.temp, file_format, sent.sha256)
    except DomainError as error:
        found = Refusal(FILE_FIELD, error.code, error.message.removeprefix(f"{FILE_FIELD}: "))
        return upload_page(request, console, foundation_id, chosen, error=found, status=422)
    # Kept under its hash only once it reads: a refused file leaves nothing behind.
    kept = imports.kept_path(sent.sha256, file_format)
    sent.temp.replace(kept)
    made = Import(
        import_id=imports.new_id(),
        kind=chosen,
        foundation_id=foundation_id,
        who=console.who,
        sha256=sent.sha256,
        path=kept,
        file_format=file_format,
        size=sent.size,
        began=time.time(),
        preview=tally,
        shown=shown,
    )
    imports.add(made)
    lang = f"?lang={console.page.lang}" if console.page.lang_asked else ""
    return RedirectResponse(
        f"/console/foundations/{foundation_id}/imports/{chosen}/{made.import_id}{lang}",
        status_code=303,
        headers={"Cache-Control": "no-store"},
    )


def import_named(
    request: Request, console: Console, foundation_id: UUID, kind: str, import_id: str
) -> Import:
    own_desk(console, foundation_id)
    found = imports_of(request).get(import_id, console.who, kind_of(kind), foundation_id)
    if found is None:
        raise ApiError(
            404,
            "not_found",
            "import_id: no such import here (imports are forgotten a few hours after upload)",
            "import_id",
        )
    return found


@router.get("/foundations/{foundation_id}/imports/{kind}/{import_id}")
def an_import(
    foundation_id: UUID, kind: str, import_id: str, request: Request, console: ConsoleNowDep
) -> Response:
    made = import_named(request, console, foundation_id, kind, import_id)
    template = (
        "console/import_preview.html"
        if made.state == "previewed"
        else "console/import_progress.html"
    )
    return show(
        request,
        console.page,
        template,
        made=made,
        foundation_id=foundation_id,
        csrf=console.session.csrf_token,
        csrf_field=CSRF_FIELD,
    )


@router.get("/foundations/{foundation_id}/imports/{kind}/{import_id}/progress")
def import_progress(
    foundation_id: UUID, kind: str, import_id: str, request: Request, console: ConsoleNowDep
) -> Response:
    """The recording's counts as JSON, for the progress page's script."""
    made = import_named(request, console, foundation_id, kind, import_id)
    return JSONResponse(made.progress(), headers={"Cache-Control": "no-store"})


@router.post("/foundations/{foundation_id}/imports/{kind}/{import_id}")
def record_import(
    foundation_id: UUID,
    kind: str,
    import_id: str,
    request: Request,
    console: ConsoleNowDep,
    fields: FormDep,
) -> Response:
    check_csrf(console, fields)
    made = import_named(request, console, foundation_id, kind, import_id)
    imports_of(request).start(made)  # a second send (a double click) finds it started
    lang = f"?lang={console.page.lang}" if console.page.lang_asked else ""
    return RedirectResponse(
        f"/console/foundations/{foundation_id}/imports/{made.kind}/{made.import_id}{lang}",
        status_code=303,
        headers={"Cache-Control": "no-store"},
    )


def install(app: FastAPI) -> None:
    state = app.state
    state.console_imports = Imports(state.settings.var_dir, state.ledger, state.keys)
