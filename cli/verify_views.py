"""`mingzhang verify --url URL --key KEY --views`: re-derive the public figures from public data alone.

After the log is verified as `verify --url` does (`transparency.remote`), every entry the deployment's
views have applied is downloaded again through `/transparency/entries`, decoded back into events
(`transparency.bundle.insert_entries`) into a temporary SQLite ledger in a temporary folder (removed
afterwards), and the public views (disclosure, indicators) are rebuilt from them up to the positions
the deployment's `/health` says its own views stand at. Every public answer the deployment serves
(`/disclosure/...`, each list walked page by page with the routes' own cursors) is then compared, JSON
with JSON, with the answer the real app gives over the rebuilt store, and the first row and field that
differ are named. The rebuilt log is also held to the rules any public log must obey: the fund
invariants at every version (no fund overdrawn) and no command applied twice
(`transparency.ledger_audit`, whose snapshot and index checks find nothing to read in a replica). The
answers are computed by the app itself (`api.app.create_app` on the temporary
store, called in process as an ASGI application), which is the one faithful way to compute "the same
answer"; that imports the web stack, so this module lives in `cli/`, not in `transparency/`, which must
stay free of it. Memory is bounded by a page: one served page and one local page at a time.

What no public data holds is not compared: the names of consenting people (person donors on a
foundation's page, person mentors), which come from the deployment's vault.
"""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api.app import create_app
from api.settings import Settings
from domain.districts import DISTRICTS
from projections.disclosure import DisclosureView
from projections.indicators import IndicatorsView
from projections.runner import Runner
from transparency.bundle import insert_entries
from transparency.cosignature import CosignerKey
from transparency.ledger_audit import audit_ledger
from transparency.merkle import leaf_hash
from transparency.remote import Malformed, RemoteReport, entries, get_json, verify_remote
from transparency.signed_note import Signer
from transparency.tlog import MemoryTree

PAGE = 500  # the most rows a public list serves at once
ATTEMPTS = 3  # walks tried while the deployment keeps moving under them
PUBLIC_VIEWS = ("disclosure", "indicators")

# Each public list, the word a row of it is named by, and the fields that identify a row.
# The rows first, then the foundations, whose figures are sums of them: a changed row is named as
# itself rather than as the sum it changes.
LISTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("/disclosure/funds", "fund", ("fund_id",)),
    ("/disclosure/grants", "grant", ("grant_id",)),
    ("/disclosure/relief", "disbursement", ("disbursement_id",)),
    (
        "/disclosure/relief/monthly",
        "monthly total",
        ("foundation_id", "month", "subdistrict", "reason_category"),
    ),
    ("/disclosure/pairings", "pairing", ("pairing_id",)),
    ("/disclosure/mentor-links", "mentor link", ("link_id",)),
    ("/disclosure/designations", "designation", ("designation_id",)),
    ("/disclosure/corrections", "correction at position", ("position",)),
    ("/disclosure/foundations", "foundation", ("organization_id",)),
)
# Lists inside an answer (a foundation's page) and how their rows are named.
NESTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "funds": ("fund", ("fund_id",)),
    "named_donations": ("donation", ("donation_id",)),
    "grants": ("grant", ("grant_id",)),
    "relief": ("disbursement", ("disbursement_id",)),
    "relief_monthly": (
        "monthly total",
        ("foundation_id", "month", "subdistrict", "reason_category"),
    ),
    "corrections": ("correction at position", ("position",)),
}
ACTIVITIES = ("activity", ("activity_id",))


@dataclass
class ViewsReport:
    remote: RemoteReport
    positions: dict[str, int] = field(default_factory=dict)
    answers: int = 0
    rows: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.remote.ok and not self.problems


class Difference(Exception):
    """The first difference between a served answer and the one the log gives."""


class CannotRebuild(Exception):
    """A public view stopped on an event of the verified log while being rebuilt from it."""


def verify_views(
    url: str,
    key: str,
    state: Path | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    refetched: Callable[[int, int], None] = lambda done, total: None,
    witnesses: Sequence[CosignerKey] = (),
    quorum: int = 0,
) -> ViewsReport:
    """Verify the log at `url` as `verify_remote` does (`progress` follows its download), then fetch
    the entries again into a temporary store (`refetched` follows that), re-derive every public
    answer from them and compare. Raises `transparency.remote.Unreachable`."""
    started = time.monotonic()
    report = ViewsReport(verify_remote(url, key, state, progress, witnesses, quorum))
    if report.remote.ok and report.remote.checkpoint is not None:
        try:
            _compare(report, refetched)
        except Malformed as error:
            report.problems.append(f"malformed answer: {error}")
        except CannotRebuild as error:
            report.problems.append(str(error))
    report.seconds = time.monotonic() - started
    return report


def _compare(report: ViewsReport, progress: Callable[[int, int], None]) -> None:
    base, checkpoint = report.remote.url, report.remote.checkpoint
    assert checkpoint is not None
    with tempfile.TemporaryDirectory(prefix="mingzhang-verify-views-") as folder:
        replica = Replica(Path(folder), checkpoint.origin)
        try:
            for attempt in range(1, ATTEMPTS + 1):
                positions = served_positions(base)
                rebuilt = replica.positions()
                behind = [name for name, at in positions.items() if at < rebuilt[name]]
                if behind:  # views are never un-applied: it was rebuilt, or is not what it was
                    report.problems.append(
                        f"view {behind[0]} went back from position {rebuilt[behind[0]]} to"
                        f" {positions[behind[0]]} during the comparison; run it again"
                    )
                    return
                replica.follow(base, positions, checkpoint.size, progress)
                if replica.root(checkpoint.size) != checkpoint.root:
                    report.problems.append(
                        f"the entries fetched again do not give the root of the checkpoint at size"
                        f" {checkpoint.size} (the deployment changed them since they were verified)"
                    )
                    return
                report.positions, report.answers, report.rows = positions, 0, 0
                problem = _walk(base, replica, report)
                moved = served_positions(base) != positions
                if problem is None or not moved:
                    break
                if attempt == ATTEMPTS:
                    problem += f" (the deployment moved during each of {ATTEMPTS} walks)"
            if problem is not None:
                report.problems.append(problem)
            # What the public log itself must obey, whatever the views show: no fund overdrawn at
            # any version, no command applied twice (snapshots and the index are not public, and an
            # imported replica has neither, so only these parts of the audit apply).
            report.problems.extend(audit_ledger(replica.ledger))
            position = max(positions.values())
            if position > checkpoint.size:
                report.notes.append(
                    f"the views are at position {position}; entries {checkpoint.size + 1} to"
                    f" {position} are not covered by a signed checkpoint yet"
                )
        finally:
            replica.close()


def served_positions(base: str) -> dict[str, int]:
    """The positions the deployment's public views stand at, from its `/health`."""
    url = f"{base}/health"
    found = get_json(url).get("views")
    positions: dict[str, int] = {}
    if isinstance(found, list):
        for view in found:
            if isinstance(view, dict) and view.get("view") in PUBLIC_VIEWS:
                if not isinstance(view.get("position"), int):
                    raise Malformed(f"{url}: view {view.get('view')} has no position")
                positions[str(view["view"])] = int(view["position"])
    missing = [name for name in PUBLIC_VIEWS if name not in positions]
    if missing:
        raise Malformed(f"{url} does not name the position of view {missing[0]}")
    return positions


class Replica:
    """A temporary ledger filled from a deployment's public entries, its public views rebuilt from
    them, and the real app over it, called in process."""

    def __init__(self, folder: Path, origin: str) -> None:
        self.settings = Settings(
            database_url=f"sqlite:///{folder / 'ledger.sqlite'}",
            var_dir=folder,
            vault_key=base64.b64encode(secrets.token_bytes(32)).decode(),
            signing_key=Signer.generate(origin).encode(),
            log_origin=origin,
            project_in_process=False,
        )
        self.app = create_app(self.settings)  # its lifespan never runs: no runner thread
        self.ledger, self.views = self.app.state.ledger, self.app.state.views
        self.tree = MemoryTree()
        self.runners = {
            view.name: Runner(self.ledger, self.views, [view], batch_size=5000, stop_at=0)
            for view in (DisclosureView(), IndicatorsView())
        }
        # The app is called on a thread of its own with a loop of its own, so verifying works
        # wherever it is called from, even inside a running event loop (a notebook, or a test
        # process whose browser driver holds one).
        self.loop = asyncio.new_event_loop()
        self.caller = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replica")

    @property
    def size(self) -> int:
        return self.tree.size

    def root(self, size: int) -> bytes:
        return self.tree.root(size)

    def follow(
        self,
        base: str,
        positions: dict[str, int],
        signed: int,
        progress: Callable[[int, int], None],
    ) -> None:
        """Fetch the entries up to the signed size or the furthest view's position, whichever is
        further, and bring each view to its own position."""
        size = max(signed, *positions.values())
        if size > self.tree.size:

            def hashed(leaves: Iterator[bytes]) -> Iterator[bytes]:
                for data in leaves:
                    self.tree.extend([leaf_hash(data)])
                    yield data

            insert_entries(self.ledger, hashed(entries(base, self.tree.size, size, progress)), size)
        for name, runner in self.runners.items():
            runner.stop_at = positions[name]
            runner.catch_up()
            if runner.failed:
                raise CannotRebuild(
                    f"view {name} cannot be rebuilt from the log: it stopped at position"
                    f" {runner.position(name) + 1}: {runner.failed[name]}"
                )

    def positions(self) -> dict[str, int]:
        """How far each rebuilt view has come."""
        return {name: runner.position(name) for name, runner in self.runners.items()}

    def get(self, path: str) -> Any:
        """The JSON the app answers on the rebuilt store for a GET of `path` (with its query)."""
        return self.caller.submit(self.loop.run_until_complete, _asgi_get(self.app, path)).result()

    def close(self) -> None:
        self.caller.shutdown()
        self.loop.close()
        self.views.close()
        self.app.state.keys.db.close()
        self.ledger.close()


async def _asgi_get(app: Any, target: str) -> Any:
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"replica")],
        "client": ("127.0.0.1", 0),
        "server": ("replica", 80),
    }
    status, body = 0, bytearray()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, json.loads(body) if body else None


# --- the walk --------------------------------------------------------------------------------------


def _walk(base: str, replica: Replica, report: ViewsReport) -> str | None:
    """Compare every public answer; the first difference, or None."""
    try:
        for path, noun, key in LISTS:
            for item in _pages(base, replica, path, noun, key, report):
                if path == "/disclosure/foundations":
                    _compare_answer(base, replica, f"{path}/{item['organization_id']}", report)
                elif path == "/disclosure/pairings":
                    activities = f"/disclosure/pairings/{item['pairing_id']}/activities"
                    for _ in _pages(base, replica, activities, *ACTIVITIES, report):
                        pass
        _compare_answer(base, replica, "/disclosure/indicators", report)
        for district in DISTRICTS:
            _compare_answer(base, replica, f"/disclosure/indicators?district={district}", report)
    except Difference as difference:
        return str(difference)
    return None


def _served(base: str, path: str) -> Any:
    return get_json(f"{base}{path}")


def _local(replica: Replica, path: str) -> Any:
    status, answer = replica.get(path)
    if status != 200:
        raise Difference(f"{path}: served, but the log gives no such answer ({status})")
    return answer


def _compare_answer(base: str, replica: Replica, path: str, report: ViewsReport) -> None:
    served, local = _public(_served(base, path)), _public(_local(replica, path))
    report.answers += 1
    _diff(path, served, local)


def _pages(
    base: str, replica: Replica, path: str, noun: str, key: tuple[str, ...], report: ViewsReport
) -> Iterator[dict[str, Any]]:
    """Every row of a served list, page by page, each page compared with the page the log gives
    after the same cursor; yields the served rows (once compared)."""
    cursor: str | None = None
    while True:
        query = {"limit": str(PAGE)} | ({"cursor": cursor} if cursor else {})
        target = f"{path}?{urllib.parse.urlencode(query)}"
        served, local = _public(_served(base, target)), _public(_local(replica, target))
        report.answers += 1
        items, expected = served.get("items"), local.get("items")
        if not isinstance(items, list) or not isinstance(expected, list):
            raise Malformed(f"{base}{target} did not answer a page of items")
        _diff_rows(path, noun, key, items, expected)
        if served.get("next_cursor") != local.get("next_cursor"):
            after = f" after {_name(noun, key, items[-1])}" if items else ""
            if served.get("next_cursor") is None:
                raise Difference(f"{path}: the log gives more rows{after} than are served")
            raise Difference(f"{path}: rows are served{after} that the log does not give")
        report.rows += len(items)
        yield from items
        cursor = served.get("next_cursor")
        if cursor is None:
            return


def _public(answer: Any) -> Any:
    """The answer without what comes from the deployment's vault, which no public data holds: the
    names of consenting people (a person donor is listed on a foundation's page only while named)."""
    if isinstance(answer, dict):
        found = answer.get("named_donations")
        if isinstance(found, list):
            answer["named_donations"] = [
                d for d in found if not (isinstance(d, dict) and d.get("donor_kind") == "person")
            ]
        for row in answer.get("items", []) if isinstance(answer.get("items"), list) else []:
            if isinstance(row, dict) and row.get("mentor_kind") == "person":
                row["mentor_name"] = None
    return answer


def _name(noun: str, key: tuple[str, ...], row: Any) -> str:
    if not isinstance(row, dict):
        return f"{noun} {row!r}"
    if len(key) == 1:
        return f"{noun} {row.get(key[0])}"
    return f"{noun} " + ", ".join(f"{k}={row.get(k)}" for k in key)


def _diff_rows(
    where: str, noun: str, key: tuple[str, ...], served: list[Any], local: list[Any]
) -> None:
    for index in range(max(len(served), len(local))):
        if index >= len(local):
            raise Difference(
                f"{where}: {_name(noun, key, served[index])} is served, the log gives no such row"
            )
        if index >= len(served):
            raise Difference(
                f"{where}: {_name(noun, key, local[index])}, which the log gives, is not served"
            )
        have, want = served[index], local[index]
        same_row = (
            isinstance(have, dict)
            and isinstance(want, dict)
            and all(have.get(k) == want.get(k) for k in key)
        )
        if not same_row:
            raise Difference(
                f"{where}: {_name(noun, key, have)} is served where the log gives"
                f" {_name(noun, key, want)}"
            )
        _diff(f"{where}: {_name(noun, key, have)}", have, want)


def _diff(where: str, served: Any, local: Any, field_path: str = "") -> None:
    """Raise `Difference` at the first field where `served` differs from `local`."""
    if isinstance(served, dict) and isinstance(local, dict):
        for name in [*local, *(k for k in served if k not in local)]:
            inner = f"{field_path}.{name}" if field_path else name
            if (
                name in NESTED
                and isinstance(served.get(name), list)
                and isinstance(local.get(name), list)
            ):
                noun, key = NESTED[name]
                _diff_rows(f"{where} {name}", noun, key, served[name], local[name])
            elif name not in served:
                raise Difference(
                    f"{where} field {inner}: not served, the log gives {_text(local[name])}"
                )
            elif name not in local:
                raise Difference(
                    f"{where} field {inner}: served {_text(served[name])}, the log gives none"
                )
            else:
                _diff(where, served[name], local[name], inner)
    elif isinstance(served, list) and isinstance(local, list):
        for index, (have, want) in enumerate(zip(served, local, strict=False)):
            _diff(where, have, want, f"{field_path}[{index}]")
        if len(served) != len(local):
            raise Difference(
                f"{where} field {field_path or 'value'}: served {len(served)} entries,"
                f" the log gives {len(local)}"
            )
    elif served != local or type(served) is not type(local):
        raise Difference(
            f"{where} field {field_path or 'value'}: served {_text(served)}, the log gives {_text(local)}"
        )


def _text(value: Any) -> str:
    """A value as the answer has it: strings bare, anything else as JSON (cut after 80 characters:
    the field is named, and both answers hold it in full)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:80] + "…"
