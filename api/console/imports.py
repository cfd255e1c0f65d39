"""A spreadsheet import's life in the console: the uploaded file kept in a private folder, each row
checked as far as it can be before recording (the preview), then every row recorded as its own
command in a background thread, with counts the progress page reads.

Every row runs the donation or grant form's own `run` (`api/console/staff_forms.py`: the same use
case as the form and the JSON route, through `api.commands.execute` as the key), with a command id
made from the file and the row: uuid5(IMPORT_NAMESPACE, "<sha256 of the file's bytes>:<row number>").
The ledger is idempotent by command id (the donation's `donation_id`, the grant's `grant_id`), so the
same file imported twice records nothing new; its rows are counted "already recorded". A refused row
never stops the others.

Memory stays bounded: rows are read one at a time (`api.console.spreadsheets.rows`) for the preview
and again for the recording, and what is kept is counts, the first PREVIEW_ROWS rows to show and the
first SHOWN_REFUSALS refusals. The file lives in `<var dir>/console-imports/` (mode 0700), named by its
hash, until its import is recorded or KEEP has passed; never in the ledger. Imports are this process's
(`app.state.console_imports`), keyed by a random id that names nothing: with several API workers a
browser must come back to the same one, which is the deployment's affair (docs/CONSOLE.md).
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal
from uuid import UUID, uuid5

from api.auth import Principal
from api.console.forms import Form, Run, Values
from api.console.spreadsheets import Format, Kind, column_of, rows, yes_no
from api.console.staff_forms import FORMS
from api.errors import ApiError
from domain.errors import DomainError, InvalidInput, RoleMismatch
from domain.foundations.entries import Donation
from domain.foundations.fund import Fund
from domain.foundations.grant import Award
from domain.ledger import Ledger
from domain.organizations import Organization
from storage.api_keys import ApiKeys

log = logging.getLogger(__name__)

IMPORT_NAMESPACE = UUID("6d3c2f0e-5b1a-4c8e-9f17-0c0a11e17000")
PREVIEW_ROWS = 200
SHOWN_REFUSALS = 500
KEEP_SECONDS = 6 * 3600  # an import not recorded by then is forgotten, its file deleted
KEY_CHECK_ROWS = 200  # the recording re-reads its key this often: revoking it stops the import
FOLDER = "console-imports"
FORM_OF: dict[Kind, str] = {"donations": "donation", "grants": "grant"}
State = Literal["previewed", "recording", "done", "stopped"]


def command_id(sha256: str, row: int) -> UUID:
    return uuid5(IMPORT_NAMESPACE, f"{sha256}:{row}")


@dataclass(frozen=True)
class RowRefusal:
    row: int
    column: str | None  # the spreadsheet column the reason names, if any
    code: str
    message: str


@dataclass(frozen=True)
class Planned:
    """A row as it will be recorded (for the preview): names, not ids, where there are names."""

    row: int
    values: Values
    fund_name: str
    amount_fen: int
    day: date
    donor_kind: str | None = None
    recipient_name: str | None = None
    title: str | None = None


@dataclass
class Tally:
    """Counts, and the first refusals, of one pass over the rows."""

    rows: int = 0
    planned: int = 0
    recorded: int = 0
    already: int = 0
    refused: int = 0
    refusals: list[RowRefusal] = field(default_factory=list)

    def refuse(self, refusal: RowRefusal) -> None:
        self.refused += 1
        if len(self.refusals) < SHOWN_REFUSALS:
            self.refusals.append(refusal)


@dataclass
class Import:
    import_id: str
    kind: Kind
    foundation_id: UUID
    who: Principal
    sha256: str
    path: Path
    file_format: Format
    size: int
    began: float
    preview: Tally
    shown: list[Planned]
    state: State = "previewed"
    done: int = 0  # rows recorded, repeated or refused so far
    result: Tally = field(default_factory=Tally)
    stopped_because: str | None = None

    @property
    def percent(self) -> int:
        return 100 if not self.preview.rows else self.done * 100 // self.preview.rows

    def progress(self) -> dict[str, object]:
        """Where the recording is, for the progress page's script: counts only, nothing of a row."""
        return {
            "state": self.state,
            "done": self.done,
            "rows": self.preview.rows,
            "recorded": self.result.recorded,
            "already": self.result.already,
            "refused": self.result.refused,
        }


class Checker:
    """Checks a row as far as it can be before recording: the form's parsing, the records it names
    (each looked up once per pass), the domain's own value checks. What only recording can know (a
    fund's available balance for a grant) is refused then, and counted on the result page."""

    def __init__(self, ledger: Ledger, kind: Kind, foundation_id: UUID) -> None:
        self.ledger, self.kind, self.foundation_id = ledger, kind, foundation_id
        self.form: Form = FORMS[FORM_OF[kind]]
        self.today = ledger.today()
        self.funds: dict[UUID, Fund | DomainError | ApiError] = {}
        self.organizations: dict[UUID, Organization | DomainError] = {}

    def fund(self, fund_id: UUID) -> Fund:
        found = self.funds.get(fund_id)
        if found is None:
            try:
                fund = self.ledger.get_fund(fund_id)
                if fund.foundation_id != self.foundation_id:
                    found = ApiError(
                        403,
                        "wrong_foundation",
                        f"fund_id: fund {fund_id} belongs to another foundation",
                        "fund_id",
                    )
                else:
                    found = fund
            except DomainError as error:
                found = error
            self.funds[fund_id] = found
        if isinstance(found, Exception):
            raise found
        return found

    def organization(self, organization_id: UUID, field: str) -> Organization:
        found = self.organizations.get(organization_id)
        if found is None:
            try:
                found = self.ledger.get_organization(organization_id, field=field)
            except DomainError as error:
                found = error
            self.organizations[organization_id] = found
        if isinstance(found, Exception):
            raise found
        return found

    def check(self, row: int, fields: dict[str, str]) -> Planned:
        fields = dict(fields)
        flag = fields.get("publish_name")
        if flag is not None:
            answer = yes_no(flag)
            if answer is None:
                raise InvalidInput(
                    f"publish_name: write 是 or 否 (yes or no), not {flag!r}", field="publish_name"
                )
            fields["publish_name"] = "1" if answer else ""
        values = self.form.parse(fields)
        fund = self.fund(values.uuid("fund_id"))
        amount = values.money("amount")
        if self.kind == "donations":
            return self._donation(row, values, fund, amount)
        return self._grant(row, values, fund, amount)

    def _donation(self, row: int, values: Values, fund: Fund, amount: Any) -> Planned:
        kind = values.required_text("donor_kind")
        if kind == "person":
            raise InvalidInput(
                "donor_kind: a named person's donation is not imported from a spreadsheet (a list"
                " of names is a privacy risk); record it with the donation form",
                field="donor_kind",
            )
        organization = values.text("donor_organization_id")
        if kind == "organization":
            self.organization(values.uuid("donor_organization_id"), "donor_organization_id")
        received_on = values.day("received_on")
        Donation.validated(
            amount=amount,
            received_on=received_on,
            donor_kind=kind,
            donor_ref=organization,
            publish_name=values.flag("publish_name"),
        )
        fund.check_dated(received_on, field="received_on", today=self.today)
        return Planned(row, values, fund.opening.name, amount.fen, received_on, donor_kind=kind)

    def _grant(self, row: int, values: Values, fund: Fund, amount: Any) -> Planned:
        recipient = self.organization(values.uuid("recipient_id"), "recipient_id")
        recipient.check_active(field="recipient_id")
        if recipient.id == fund.foundation_id:
            raise RoleMismatch(
                "recipient_id: a foundation cannot grant to itself", field="recipient_id"
            )
        awarded_on = values.day("awarded_on")
        record = Award.validated(
            fund_id=fund.id,
            recipient_id=recipient.id,
            programme=values.required_text("programme"),
            title=values.required_text("title"),
            description=values.required_text("description"),
            amount=amount,
            awarded_on=awarded_on,
            planned_start=values.day("planned_start"),
            planned_end=values.day("planned_end"),
            pairing_id=None,
        )
        fund.check_dated(awarded_on, field="awarded_on", today=self.today)
        recipient.check_dated(awarded_on, field="awarded_on", today=self.today)
        return Planned(
            row,
            values,
            fund.opening.name,
            amount.fen,
            awarded_on,
            recipient_name=recipient.name,
            title=record.title,
        )

    def refusal(self, row: int, error: DomainError | ApiError) -> RowRefusal:
        found = self.form.input_for(error.field)
        named = found.name if found is not None else error.field
        message = error.message
        if error.field and message.startswith(f"{error.field}: "):
            message = message.removeprefix(f"{error.field}: ")
        return RowRefusal(row, column_of(self.kind, named), error.code, message)


def preview(
    ledger: Ledger, kind: Kind, foundation_id: UUID, path: Path, file_format: Format, sha256: str
) -> tuple[Tally, list[Planned]]:
    """Every row checked; the counts (`already`: rows of this file recorded by an earlier import),
    the first refusals and the first PREVIEW_ROWS planned rows. A file that cannot be read at all
    raises `InvalidInput` naming the `file` input."""
    checker = Checker(ledger, kind, foundation_id)
    tally, shown = Tally(), list[Planned]()
    for row, fields in rows(kind, path, file_format):
        tally.rows += 1
        try:
            planned = checker.check(row, fields)
        except (DomainError, ApiError) as error:
            tally.refuse(checker.refusal(row, error))
            continue
        tally.planned += 1
        if ledger.applied(command_id(sha256, row)) is not None:
            tally.already += 1
        if len(shown) < PREVIEW_ROWS:
            shown.append(planned)
    return tally, shown


class Imports:
    """This process's imports, by id, and their files' folder."""

    def __init__(self, var_dir: Path, ledger: Ledger, keys: ApiKeys) -> None:
        self.folder = var_dir / FOLDER
        self.ledger, self.keys = ledger, keys
        self.lock = threading.Lock()
        self.imports: dict[str, Import] = {}

    def private_folder(self) -> Path:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)  # mkdir's mode is masked by the umask; this is not
        return self.folder

    def kept_path(self, sha256: str, file_format: Format) -> Path:
        return self.private_folder() / f"{sha256}.{file_format}"

    def add(self, made: Import) -> None:
        with self.lock:
            self.imports[made.import_id] = made

    def new_id(self) -> str:
        return secrets.token_urlsafe(18)

    def get(self, import_id: str, who: Principal, kind: Kind, foundation_id: UUID) -> Import | None:
        """An import, only for the key that uploaded it, at the address it was made under."""
        with self.lock:
            found = self.imports.get(import_id)
        if found is None or found.who.key_id != who.key_id:
            return None
        if found.kind != kind or found.foundation_id != foundation_id:
            return None
        return found

    def prune(self, now: float | None = None) -> None:
        """Forget imports older than KEEP_SECONDS that are not recording, and delete files no
        import holds that are as old (left by a process that stopped)."""
        now = time.time() if now is None else now
        with self.lock:
            for import_id, old in list(self.imports.items()):
                if old.state != "recording" and now - old.began > KEEP_SECONDS:
                    del self.imports[import_id]
            held = {i.path for i in self.imports.values()}
        if not self.folder.exists():
            return
        for path in self.folder.iterdir():
            try:
                if path not in held and now - path.stat().st_mtime > KEEP_SECONDS:
                    path.unlink(missing_ok=True)
            except FileNotFoundError:
                continue

    def release(self, made: Import) -> None:
        """Delete the import's file unless another live import of the same file still needs it."""
        with self.lock:
            needed = any(
                i.path == made.path and i is not made and i.state in ("previewed", "recording")
                for i in self.imports.values()
            )
        if not needed:
            made.path.unlink(missing_ok=True)

    def start(self, made: Import) -> bool:
        """Record the import's rows in a thread of its own; False if it was already started."""
        with self.lock:
            if made.state != "previewed":
                return False
            made.state = "recording"
        # Named without the import's id: a thread's name can reach a log line, and the id opens the
        # import's pages.
        threading.Thread(target=self._record, args=(made,), name="console-import").start()
        return True

    def _record(self, made: Import) -> None:
        try:
            record(self.ledger, made, self.key_revoked)
        except Exception:
            # A file that changed or vanished under us, or a store that failed: say it stopped.
            log.exception("console import stopped")
            made.stopped_because = "failed"
            made.state = "stopped"
        finally:
            self.release(made)

    def key_revoked(self, key_id: str) -> bool:
        key = self.keys.get(key_id)
        return key is None or key.revoked_at is not None


def record(ledger: Ledger, made: Import, revoked: Callable[[str], bool]) -> None:
    """Every row, again checked, then run as its own command; counts updated as it goes."""
    checker = Checker(ledger, made.kind, made.foundation_id)
    tally = made.result
    for row, fields in rows(made.kind, made.path, made.file_format):
        if made.done % KEY_CHECK_ROWS == 0 and revoked(made.who.key_id):
            made.stopped_because = "revoked"
            made.state = "stopped"
            return
        tally.rows += 1
        row_id = command_id(made.sha256, row)
        if ledger.applied(row_id) is not None:
            # Already recorded: the ledger's command index says so in one read. Running the use
            # case again would answer the same, but its repeat answer finds the first answer's log
            # position by reading the fund's whole history (`Ledger._written`): at 10,000 donations
            # in one fund that was 0.2 s a row, half an hour for a second import of the file.
            tally.already += 1
            made.done += 1
            continue
        try:
            planned = checker.check(row, fields)
            outcome = checker.form.run(Run(ledger, made.who, row_id), planned.values)
        except (DomainError, ApiError) as error:
            tally.refuse(checker.refusal(row, error))
        else:
            if outcome.created:
                tally.recorded += 1
            else:
                tally.already += 1
        made.done += 1
    made.state = "done"
