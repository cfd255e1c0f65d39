"""`make stress`: the service under load while its parts fail, then every promise checked (issue 16).

On a throwaway PostgreSQL cluster of its own (`bench/clusters.py`, a free loopback port: the machine's
shared server is never stopped) it starts `mingzhang serve` with 4 uvicorn workers and `mingzhang
project` as a separate process, seeds through the HTTP API (an admin key from `mingzhang keys create`,
then a foundation, a staff key, four funds, grants and emergency relief cases), and runs 32 client
threads for 60 s that record donations, pay grant instalments and disburse relief from the same few
funds, so that money runs out and refusals happen. A command whose answer was a 503 or nothing is sent
again with the same id and body; a few answered ones are sent again at random. Meanwhile the
projection process is restarted twice, one API worker is killed with SIGKILL (uvicorn's supervisor
starts another), and PostgreSQL is stopped (`immediate`) for 5 s and started again.

Afterwards, with the views caught up: no fund is below zero (replayed from the log, and in the views);
every acknowledged command's events are in the log exactly once, with its command-index row; a
command every answer refused is absent; a command left without a clear answer is wholly in the log or
wholly absent; every view table equals a rebuild from the log into a fresh schema; `mingzhang
verify` passes; the service answers again on fresh connections. It prints the counts (commands sent,
acknowledged, retried, refused, 503s, 500s, events, failures found) and what each fault showed, and
exits 1 if any check failed or any answer was a 500; after a failure the processes' logs are kept
in var/stress/. 1½ to 3 minutes on a loaded 2-core machine (docs/PERFORMANCE.md "Load and faults").
Run: `python -m bench.stress [--clients 32] [--duration 60] [--outage 5]`.
"""

from __future__ import annotations

import argparse
import base64
import collections
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql

from api.settings import Settings
from bench.clusters import Cluster, create_cluster, free_port, wait_until
from cli.compose import open_ledger
from domain.ledger import Ledger
from projections.catalog import all_views
from projections.runner import Runner
from storage.viewdb import ViewDB
from transparency.ledger_audit import COMMAND_FIELD
from transparency.signed_note import Signer

MINGZHANG = str(Path(sys.executable).with_name("mingzhang"))
WORKERS = 4
REBUILT = "stress_rebuild"  # the schema the views are rebuilt into, beside the live ones

# The events each kind of command writes, each carrying the command's id (COMMAND_FIELD).
DONATION, INSTALMENT, RELIEF = "donation", "instalment", "relief"
EXPECTED: Mapping[str, tuple[str, ...]] = {
    DONATION: ("mingzhang/Fund.DonationReceived",),
    INSTALMENT: ("mingzhang/Fund.PaymentMade", "mingzhang/Grant.InstalmentPaid"),
    RELIEF: ("mingzhang/Fund.PaymentMade", "mingzhang/ReliefCase.Disbursed"),
}
NO_ANSWER = 0  # the status recorded when a request got no answer (a killed worker, a timeout)


# --- what the clients sent, and the checks afterwards (pure: tests/unit/test_stress_checks.py) ----


@dataclass
class Command:
    """One command the clients sent, and every answer it got (NO_ANSWER for none)."""

    kind: str
    command_id: uuid.UUID
    answers: list[int] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return any(200 <= status < 300 for status in self.answers)

    @property
    def refused(self) -> bool:
        """Every answer a refusal: the ledger decided, each time, not to record it."""
        return bool(self.answers) and all(400 <= status < 500 for status in self.answers)


def check_commands(
    commands: Iterable[Command], logged: Mapping[uuid.UUID, Sequence[str]], indexed: set[uuid.UUID]
) -> list[str]:
    """Each command against the log (`logged`: the topics of the events carrying each id) and the
    command index (`indexed`: the ids it has a row for)."""
    problems = []
    for command in commands:
        topics = sorted(logged.get(command.command_id, ()))
        whole = topics == sorted(EXPECTED[command.kind])
        has_row = command.command_id in indexed
        name = f"{command.kind} {command.command_id}"
        if command.answers.count(201) > 1:
            problems.append(f"{name} was answered 201 (newly recorded) twice")
        if command.acknowledged:
            if not whole:
                problems.append(
                    f"{name} was acknowledged but the log holds {len(topics)} of its events"
                    f" ({', '.join(topics) or 'none'}), not exactly one of each expected"
                )
            if not has_row:
                problems.append(f"{name} was acknowledged but has no command-index row")
        elif command.refused:
            if topics or has_row:
                problems.append(f"{name} was refused every time but is in the log")
        elif not ((whole and has_row) or (not topics and not has_row)):
            problems.append(
                f"{name} got no clear answer and is half applied: {len(topics)} events"
                f" ({', '.join(topics) or 'none'}), command-index row {'present' if has_row else 'absent'}"
            )
    return problems


def check_funds(
    replayed: Mapping[uuid.UUID, tuple[int, int]], viewed: Mapping[uuid.UUID, int]
) -> list[str]:
    """No fund below zero: `replayed` holds each fund's (balance, available) in fen from the log,
    `viewed` its balance in the views; the two must also agree."""
    problems = []
    for fund_id, (balance, available) in sorted(replayed.items()):
        if balance < 0 or available < 0:
            problems.append(
                f"fund {fund_id} is below zero: balance {balance} fen, available {available} fen"
            )
        if fund_id not in viewed:
            problems.append(f"fund {fund_id} is missing from the views")
        elif viewed[fund_id] != balance:
            problems.append(
                f"fund {fund_id}: the views show a balance of {viewed[fund_id]} fen, the log"
                f" {balance} fen"
            )
    for fund_id, balance in sorted(viewed.items()):
        if balance < 0:
            problems.append(f"fund {fund_id} is below zero in the views: {balance} fen")
    return problems


def check_views(
    live: Mapping[str, Sequence[tuple[Any, ...]]], rebuilt: Mapping[str, Sequence[tuple[Any, ...]]]
) -> list[str]:
    """Every table's rows, live against rebuilt from the log, as multisets; a difference is named by
    its table and its count of rows (never their content, which may hold names)."""
    problems = []
    for table in sorted(set(live) | set(rebuilt)):
        if table not in live or table not in rebuilt:
            side = "live views" if table not in live else "rebuild"
            problems.append(f"view table {table} is missing from the {side}")
            continue
        ours, theirs = collections.Counter(live[table]), collections.Counter(rebuilt[table])
        only_live, only_rebuilt = ours - theirs, theirs - ours
        if only_live or only_rebuilt:
            problems.append(
                f"view table {table}: {sum(only_live.values())} rows only in the live views,"
                f" {sum(only_rebuilt.values())} only in the rebuild (of {len(live[table])} and"
                f" {len(rebuilt[table])})"
            )
    return problems


# --- the deployment -------------------------------------------------------------------------------


@dataclass
class Deployment:
    cluster: Cluster
    folder: Path
    env: dict[str, str]
    base: str
    server: subprocess.Popen[bytes] | None = None
    projector: subprocess.Popen[bytes] | None = None

    def settings(self) -> Settings:
        return Settings(
            database_url=self.env["MINGZHANG_DATABASE_URL"],
            vault_key=self.env["MINGZHANG_VAULT_KEY"],
            signing_key=self.env["MINGZHANG_SIGNING_KEY"],
            var_dir=Path(self.env["MINGZHANG_VAR_DIR"]),
        )

    def _spawn(self, *args: str, log: str) -> subprocess.Popen[bytes]:
        out = (self.folder / log).open("ab")
        try:
            return subprocess.Popen(
                [MINGZHANG, *args], env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        finally:
            out.close()  # the child has its own copy

    def start_projector(self) -> None:
        self.projector = self._spawn("project", log="project.log")

    def stop_projector(self) -> None:
        if self.projector is not None:
            self.projector.send_signal(signal.SIGTERM)
            self.projector.wait(timeout=30)
            self.projector = None

    def start_server(self) -> None:
        self.server = self._spawn("serve", log="serve.log")
        wait_until(self._answers, 90, "mingzhang serve to answer /health")

    def _answers(self) -> bool:
        assert self.server is not None
        if self.server.poll() is not None:
            raise RuntimeError(f"mingzhang serve exited with {self.server.returncode}")
        try:
            return httpx.get(f"{self.base}/health", timeout=2).status_code in (200, 503)
        except httpx.TransportError:
            return False

    def workers(self) -> list[int]:
        """The uvicorn worker processes: the serve process's children that multiprocessing spawned
        (not its resource tracker)."""
        assert self.server is not None
        found = []
        for task in Path(f"/proc/{self.server.pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                try:
                    line = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
                except OSError:
                    continue
                if b"spawn_main" in line:
                    found.append(int(child))
        return sorted(found)

    def stop(self) -> None:
        self.stop_projector()
        if self.server is not None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
            self.server = None


def deploy(folder: Path) -> Deployment:
    cluster = create_cluster("mingzhang-stress-")
    # The throwaway clusters commit without waiting for the WAL (bench/clusters.py). An immediate
    # stop then loses the last commits, which the clients were told were recorded, and the workers'
    # cached funds write the next event on top of the gap: a ledger needs PostgreSQL's default.
    with psycopg.connect(cluster.url, autocommit=True) as connection:
        connection.execute("ALTER SYSTEM SET synchronous_commit = on")
        connection.execute("SELECT pg_reload_conf()")
    port = free_port()
    env = {
        **os.environ,
        "MINGZHANG_DATABASE_URL": cluster.url,
        "MINGZHANG_VAULT_KEY": base64.b64encode(os.urandom(32)).decode(),
        # Given, not generated into var/: four workers starting at once would race to write it.
        "MINGZHANG_SIGNING_KEY": Signer.generate("mingzhang.stress/ledger").encode(),
        "MINGZHANG_LOG_ORIGIN": "mingzhang.stress/ledger",
        "MINGZHANG_VAR_DIR": str(folder / "var"),
        "MINGZHANG_WORKERS": str(WORKERS),
        "MINGZHANG_PROJECT_IN_PROCESS": "false",
        "MINGZHANG_PORT": str(port),
    }
    return Deployment(cluster, folder, env, f"http://127.0.0.1:{port}")


def admin_key(deployment: Deployment) -> str:
    made = subprocess.run(
        [MINGZHANG, "keys", "create", "--role", "admin"],
        env=deployment.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return made.stdout.strip()


# --- seeding, over HTTP ---------------------------------------------------------------------------


@dataclass
class Seeded:
    staff: str
    funds: list[str]
    grants: list[str]
    cases: list[str]


def _post(http: httpx.Client, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = http.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    if answer.status_code != 201:
        raise RuntimeError(f"seeding {path}: {answer.status_code} {answer.text[:300]}")
    result: dict[str, Any] = answer.json()
    return result


def _organization(name: str, roles: list[str]) -> dict[str, Any]:
    return {
        "organization_id": str(uuid.uuid4()),
        "name": name,
        "type": "charity",
        "tier": "registered",
        "roles": roles,
        "district": "pudong",
        "subdistrict": "陆家嘴街道",
        "rural": False,
        "registered_on": "2019-06-01",
    }


def donation_body(command_id: uuid.UUID, yuan: int) -> dict[str, Any]:
    return {
        "donation_id": str(command_id),
        "amount": f"{yuan}.00",
        "currency": "CNY",
        "received_on": "2024-02-01",
        "donor": {"kind": "anonymous"},
    }


def seed(base: str, admin: str) -> Seeded:
    """A foundation with two general funds (20,000 yuan each, 16,000 of it granted in 8 grants) and
    two emergency relief funds (3,000 yuan each, 4 open cases on each)."""
    with httpx.Client(base_url=base, timeout=30) as http:
        ours = _post(
            http,
            admin,
            "/organizations",
            _organization("压力测试社区基金会", ["community_foundation"]),
        )
        centre = _post(
            http, admin, "/organizations", _organization("压力测试服务中心", ["service_center"])
        )
        foundation = ours["organization_id"]
        staff = _post(http, admin, "/keys", {"role": "staff", "foundation_id": foundation})["token"]
        funds: list[str] = []
        grants: list[str] = []
        cases: list[str] = []
        openings = [("general", 20000)] * 2 + [("emergency_relief", 3000)] * 2
        for kind, opening in openings:
            fund = str(uuid.uuid4())
            _post(
                http,
                staff,
                "/funds",
                {
                    "fund_id": fund,
                    "foundation_id": foundation,
                    "kind": kind,
                    "name": f"压力测试{kind}基金{len(funds) + 1}",
                    "opened_on": "2024-01-02",
                },
            )
            _post(http, staff, f"/funds/{fund}/donations", donation_body(uuid.uuid4(), opening))
            funds.append(fund)
            for _ in range(4):
                if kind == "general":
                    grants.append(
                        _post(
                            http,
                            staff,
                            "/grants",
                            {
                                "grant_id": str(uuid.uuid4()),
                                "fund_id": fund,
                                "recipient_id": centre["organization_id"],
                                "programme": "社区营造",
                                "title": "楼组自治项目",
                                "description": "支持居民楼组开展自治活动",
                                "amount": "4000.00",
                                "currency": "CNY",
                                "awarded_on": "2024-02-10",
                                "planned_start": "2024-03-01",
                                "planned_end": "2024-12-31",
                            },
                        )["grant_id"]
                    )
                else:
                    cases.append(
                        _post(
                            http,
                            staff,
                            "/relief-cases",
                            {
                                "case_id": str(uuid.uuid4()),
                                "fund_id": fund,
                                "reason_code": "GTIR100",
                                "purpose_code": "GTIP170",
                                "subdistrict": "陆家嘴街道",
                                "beneficiary": {"name": "测试居民（虚构）", "phone": "13900001111"},
                                "requested_amount": "800.00",
                                "currency": "CNY",
                                "emergency": True,
                                "opened_on": "2024-03-04",
                            },
                        )["case_id"]
                    )
    return Seeded(staff, funds, grants, cases)


# --- the load -------------------------------------------------------------------------------------


@dataclass
class Answer:
    at: float  # seconds since the load started
    status: int
    retry_after: str | None = None
    code: str | None = None  # the error body's code, for a 503


@dataclass
class Tally:
    """What every client saw; one lock, since 32 threads append to it."""

    commands: list[Command] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    requests: int = 0
    retried: int = 0  # requests that sent an id already sent
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, answer: Answer, retry: bool) -> None:
        with self.lock:
            self.answers.append(answer)
            self.requests += 1
            self.retried += retry


def next_command(rng: random.Random, seeded: Seeded) -> tuple[Command, str, dict[str, Any]]:
    """A random command on the same few funds: donations small, payments larger, so money runs out."""
    command_id = uuid.uuid4()
    roll = rng.random()
    if roll < 0.4:
        fund = rng.choice(seeded.funds)
        return (
            Command(DONATION, command_id),
            f"/funds/{fund}/donations",
            donation_body(command_id, rng.randint(10, 60)),
        )
    paid = {"amount": f"{rng.randint(20, 150)}.00", "currency": "CNY"}
    if roll < 0.7:
        grant = rng.choice(seeded.grants)
        body = {"payment_id": str(command_id), **paid, "paid_on": "2024-03-15"}
        return Command(INSTALMENT, command_id), f"/grants/{grant}/payments", body
    case = rng.choice(seeded.cases)
    body = {"disbursement_id": str(command_id), **paid, "paid_on": "2024-03-20"}
    return Command(RELIEF, command_id), f"/relief-cases/{case}/disburse", body


def error_code(answer: httpx.Response) -> str | None:
    try:
        code = answer.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None
    return str(code)


def client(
    base: str, seeded: Seeded, tally: Tally, started: float, until: float, seed_value: int
) -> None:
    """Send commands until `until`; each one again, same id and body, while its answer is a 503 or
    nothing (for up to 20 s past `until`), and now and then after a clear answer too."""
    rng = random.Random(seed_value)
    headers = {"Authorization": f"Bearer {seeded.staff}"}
    http = httpx.Client(base_url=base, timeout=15, headers=headers)
    try:
        while time.monotonic() < until:
            command, path, body = next_command(rng, seeded)
            with tally.lock:
                tally.commands.append(command)
            repeats = 1 if rng.random() < 0.1 else 0  # a random retry of a clear answer
            sent = 0
            while time.monotonic() < until + 20:
                code = None
                try:
                    answer = http.post(path, json=body)
                    status, retry_after = answer.status_code, answer.headers.get("Retry-After")
                    if status == 503:
                        code = error_code(answer)
                except httpx.TransportError:
                    status, retry_after = NO_ANSWER, None
                    http.close()  # a connection to a killed worker: start afresh
                    http = httpx.Client(base_url=base, timeout=15, headers=headers)
                command.answers.append(status)
                at = time.monotonic() - started
                tally.answered(Answer(at, status, retry_after, code), sent > 0)
                sent += 1
                if status == 503:
                    time.sleep(float(retry_after or 1))
                elif status == NO_ANSWER:
                    time.sleep(0.5)
                elif status >= 500 or repeats == 0:
                    break
                else:
                    repeats -= 1
    finally:
        http.close()


# --- the faults -----------------------------------------------------------------------------------


@dataclass
class Faults:
    notes: list[str] = field(default_factory=list)
    outage: tuple[float, float] = (0.0, 0.0)  # seconds since the load started: stopped, started
    killed_at: float = 0.0  # seconds since the load started
    problems: list[str] = field(default_factory=list)

    def note(self, started: float, text: str) -> None:
        line = f"t={time.monotonic() - started:5.1f} s  {text}"
        self.notes.append(line)
        print(f"stress: {line}", file=sys.stderr, flush=True)


def restart_projector(deployment: Deployment, faults: Faults, started: float) -> None:
    # It must have lived through whatever came before (the outage, before the second restart).
    if deployment.projector is not None and deployment.projector.poll() is not None:
        faults.problems.append(
            f"the projection process had exited ({deployment.projector.returncode}) before"
            " it was restarted"
        )
    deployment.stop_projector()
    deployment.start_projector()
    faults.note(started, "projection process restarted (SIGTERM, then a new `mingzhang project`)")


def kill_worker(deployment: Deployment, faults: Faults, started: float) -> None:
    try:  # all of them up (one may be starting again after a crash, which the logs then show)
        wait_until(lambda: len(deployment.workers()) == WORKERS, 30, f"{WORKERS} uvicorn workers")
    except RuntimeError as error:
        faults.problems.append(str(error))
        return
    before = deployment.workers()
    victim = random.choice(before)
    os.kill(victim, signal.SIGKILL)
    killed = time.monotonic()
    faults.killed_at = killed - started
    faults.note(started, f"killed API worker {victim} (SIGKILL)")
    try:
        wait_until(
            lambda: len([p for p in deployment.workers() if p != victim]) == WORKERS,
            30,
            "uvicorn to replace the killed worker",
        )
        faults.note(
            started, f"uvicorn started a new worker {time.monotonic() - killed:.1f} s later"
        )
    except RuntimeError as error:
        faults.problems.append(str(error))


def stop_database(deployment: Deployment, faults: Faults, started: float, seconds: float) -> None:
    down = time.monotonic()  # before the stop: requests fail while it is under way
    deployment.cluster.stop("immediate")
    faults.note(started, f"PostgreSQL stopped (immediate) for {seconds:.0f} s")
    time.sleep(seconds)
    deployment.cluster.start()
    faults.outage = (down - started, time.monotonic() - started)
    faults.note(started, "PostgreSQL started again")


def run_faults(
    deployment: Deployment, faults: Faults, started: float, duration: float, outage: float
) -> None:
    """The schedule, as fractions of the run: projector restarts at 15% and 75%, a worker killed at
    30%, the database stopped at 45%."""
    plan: list[tuple[float, Callable[[], None]]] = [
        (0.15, lambda: restart_projector(deployment, faults, started)),
        (0.30, lambda: kill_worker(deployment, faults, started)),
        (0.45, lambda: stop_database(deployment, faults, started, outage)),
        (0.75, lambda: restart_projector(deployment, faults, started)),
    ]
    for fraction, act in plan:
        time.sleep(max(0.0, started + fraction * duration - time.monotonic()))
        try:
            act()
        except Exception as error:  # a fault that could not be made is a failure of the run
            faults.problems.append(
                f"fault at {fraction:.0%} failed: {type(error).__name__}: {error}"
            )


# --- after the run --------------------------------------------------------------------------------


def logged_commands(ledger: Ledger) -> tuple[dict[uuid.UUID, list[str]], int]:
    """The topics of the events carrying each command id (COMMAND_FIELD), and how many events."""
    logged: dict[uuid.UUID, list[str]] = collections.defaultdict(list)
    position, events = 1, 0
    while notifications := ledger.recorder.select_notifications(position, 1000):
        for notification in notifications:
            events += 1
            name = COMMAND_FIELD.get(notification.topic)
            if name:
                event = ledger.mapper.to_domain_event(notification)
                command_id = getattr(event, name, None)
                if isinstance(command_id, uuid.UUID):
                    logged[command_id].append(notification.topic)
        position = notifications[-1].id + 1
    return logged, events


def indexed_commands(ledger: Ledger, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), 500):
        found |= set(ledger.command_index.select_commands_by_id(ids[start : start + 500]))
    return found


def view_rows(connection: psycopg.Connection[Any], schema: str) -> dict[str, list[tuple[Any, ...]]]:
    rows = {}
    for view in all_views():
        for table in view.tables:
            found = connection.execute(
                sql.SQL("SELECT * FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
            ).fetchall()
            rows[table] = [tuple(row) for row in found]
    return rows


def caught_up(url: str, ledger: Ledger) -> bool:
    with psycopg.connect(url) as connection:
        positions = connection.execute("SELECT position FROM view_tracking").fetchall()
    return bool(positions) and all(int(p) == ledger.head() for (p,) in positions)


def after_checks(deployment: Deployment, tally: Tally, seeded: Seeded) -> tuple[list[str], int]:
    """Every check of the run; returns the problems found and the number of events."""
    problems: list[str] = []
    settings = deployment.settings()
    ledger = open_ledger(settings)
    try:
        try:
            wait_until(lambda: caught_up(deployment.cluster.url, ledger), 60, "the views")
        except RuntimeError:
            with psycopg.connect(deployment.cluster.url) as connection:
                rows = connection.execute("SELECT view, position, error FROM view_tracking")
                behind = ", ".join(f"{v} at {p} ({e or 'running'})" for v, p, e in rows)
            problems.append(f"the views did not reach the log's head {ledger.head()}: {behind}")
        logged, events = logged_commands(ledger)
        ids = [command.command_id for command in tally.commands]
        problems += check_commands(tally.commands, logged, indexed_commands(ledger, ids))

        replayed = {}
        for fund in seeded.funds:
            state = ledger.get_fund(uuid.UUID(fund))
            replayed[state.id] = (state.balance.fen, state.available.fen)
        with psycopg.connect(deployment.cluster.url, autocommit=True) as connection:
            viewed = {
                uuid.UUID(str(fund)): int(balance)
                for fund, balance in connection.execute(
                    "SELECT fund_id, balance_fen FROM disclosure_funds"
                ).fetchall()
            }
            problems += check_funds(replayed, viewed)

            connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(REBUILT)))
            rebuilt = ViewDB.postgres(psycopg.connect(deployment.cluster.url), schema=REBUILT)
            try:
                Runner(ledger, rebuilt, all_views(), batch_size=5000).catch_up()
            finally:
                rebuilt.close()
            problems += check_views(view_rows(connection, "public"), view_rows(connection, REBUILT))
    finally:
        ledger.close()

    verify = subprocess.run(
        [MINGZHANG, "verify"], env=deployment.env, capture_output=True, text=True, timeout=300
    )
    if verify.returncode != 0:
        problems.append(f"mingzhang verify failed: {verify.stderr.strip()[-2000:]}")
    else:
        print(f"stress: {verify.stderr.strip().splitlines()[-1]}", file=sys.stderr)
    return problems, events


def fresh_connections_answer(deployment: Deployment, seeded: Seeded, count: int = 40) -> list[str]:
    """After everything, the service answers commands again, each on a new connection (so every
    worker is reached), without anyone restarting it."""
    bad = collections.Counter[int]()
    for _ in range(count):
        with httpx.Client(base_url=deployment.base, timeout=15) as http:
            try:
                status = http.post(
                    f"/funds/{seeded.funds[0]}/donations",
                    json=donation_body(uuid.uuid4(), 1),
                    headers={"Authorization": f"Bearer {seeded.staff}"},
                ).status_code
            except httpx.TransportError:
                status = NO_ANSWER
        if status != 201:
            bad[status] += 1
    return [
        f"after the run, {n} of {count} fresh requests were answered {s}" for s, n in bad.items()
    ]


def fault_figures(tally: Tally, faults: Faults, folder: Path) -> list[str]:
    """What the clients saw of each fault: the 503s (by code) and answers lost around the outage,
    how soon commands went through again once PostgreSQL was back, the answers lost with the
    killed worker; and how often the processes met the outage (their logs' warnings)."""
    down, up = faults.outage
    unavailable = [a for a in tally.answers if a.status == 503]
    codes = collections.Counter(a.code for a in unavailable)
    in_outage = [a for a in unavailable if down <= a.at <= up + 10]
    first_ok = min(
        (a.at for a in tally.answers if a.at > up and 200 <= a.status < 300), default=None
    )
    last_503 = max((a.at for a in in_outage), default=None)
    lost = [a.at for a in tally.answers if a.status == NO_ANSWER]
    near_kill = sum(faults.killed_at <= at <= faults.killed_at + 10 for at in lost)
    near_outage = sum(down <= at <= up + 10 for at in lost)
    lines = [
        f"503s by code: {', '.join(f'{n}× {c}' for c, n in codes.most_common()) or 'none'};"
        f" {sum(1 for a in unavailable if a.retry_after)} of {len(unavailable)} with Retry-After",
        f"database stopped {down:.1f}–{up:.1f} s: {len(in_outage)} answers 503 and"
        f" {near_outage} lost, from the stop to 10 s after the start",
    ]
    if first_ok is not None:
        lines.append(f"first acknowledged command {first_ok - up:.1f} s after PostgreSQL was back")
    if last_503 is not None:
        lines.append(f"last 503 {last_503 - up:+.1f} s from PostgreSQL being back")
    lines.append(
        f"worker killed at {faults.killed_at:.1f} s: {near_kill} answers lost in the 10 s after"
        f" ({len(lost)} in the whole run)"
    )
    for log, marker in (
        ("serve.log", "database unavailable on"),
        ("project.log", "database cannot be reached"),
    ):
        text = (folder / log).read_text(errors="replace") if (folder / log).exists() else ""
        lines.append(f"{log}: {text.count(marker)} lines '{marker} …'")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stress", description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL is down")
    args = parser.parse_args(argv)

    begun = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mingzhang-stress-") as tmp:
        deployment = deploy(Path(tmp))
        try:
            return run(deployment, args.clients, args.duration, args.outage, begun)
        except Exception:
            keep_logs(deployment)
            raise
        finally:
            deployment.stop()
            deployment.cluster.remove()


def run(deployment: Deployment, clients: int, duration: float, outage: float, begun: float) -> int:
    admin = admin_key(deployment)
    deployment.start_projector()
    deployment.start_server()
    seeded = seed(deployment.base, admin)
    print(
        f"stress: {WORKERS} workers and a projection process on PostgreSQL (port"
        f" {deployment.cluster.port}); {len(seeded.funds)} funds, {len(seeded.grants)} grants,"
        f" {len(seeded.cases)} relief cases; {clients} clients for {duration:.0f} s",
        file=sys.stderr,
        flush=True,
    )
    tally, faults = Tally(), Faults()
    started = time.monotonic()
    until = started + duration
    threads = [
        threading.Thread(target=client, args=(deployment.base, seeded, tally, started, until, n))
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    run_faults(deployment, faults, started, duration, outage)
    for thread in threads:
        thread.join()
    faults.note(started, "clients done")

    problems = list(faults.problems)
    if deployment.projector is None or deployment.projector.poll() is not None:
        problems.append("the projection process is not running after the run")
    if deployment.server is None or deployment.server.poll() is not None:
        problems.append("mingzhang serve is not running after the run")
    statuses = collections.Counter(a.status for a in tally.answers)
    problems += [
        f"{n} answers were 503 without Retry-After"
        for n in [sum(1 for a in tally.answers if a.status == 503 and not a.retry_after)]
        if n
    ]
    problems += fresh_connections_answer(deployment, seeded)
    found, events = after_checks(deployment, tally, seeded)
    problems += found

    server_errors = sum(n for s, n in statuses.items() if s >= 500 and s != 503)
    acknowledged = sum(c.acknowledged for c in tally.commands)
    refused = sum(c.refused for c in tally.commands)
    unclear = len(tally.commands) - acknowledged - refused
    print(
        "\n".join(
            [
                "",
                f"commands sent      {len(tally.commands):>7}   ({tally.requests} requests)",
                f"acknowledged       {acknowledged:>7}",
                f"retried            {tally.retried:>7}   (requests repeating an id already sent)",
                f"refused            {refused:>7}   (4xx: {_fours(statuses)})",
                f"no clear answer    {unclear:>7}",
                f"503s               {statuses[503]:>7}",
                f"500s               {server_errors:>7}",
                f"no answer          {statuses[NO_ANSWER]:>7}   (connection lost or timed out)",
                f"events             {events:>7}",
                f"failures found     {len(problems):>7}",
                "",
                *faults.notes,
                *fault_figures(tally, faults, deployment.folder),
                f"the whole run took {time.monotonic() - begun:.0f} s",
            ]
        )
    )
    for problem in problems[:50]:
        print(f"stress: FAILED: {problem}", file=sys.stderr)
    if problems or server_errors:
        keep_logs(deployment)
    return 1 if problems or server_errors else 0


def keep_logs(deployment: Deployment) -> None:
    """After a failure: the processes' logs into var/stress/, and their last lines but the 2xx."""
    kept = Path("var/stress")
    kept.mkdir(parents=True, exist_ok=True)
    for log in ("serve.log", "project.log"):
        source = deployment.folder / log
        text = source.read_text(errors="replace") if source.exists() else ""
        (kept / log).write_text(text)
        lines = [line for line in text.splitlines() if '" 20' not in line]
        print(f"--- {log} (all of it in {kept / log}), without the 2xx lines:", file=sys.stderr)
        print(*lines[-40:], sep="\n", file=sys.stderr)


def _fours(statuses: Mapping[int, int]) -> str:
    return ", ".join(f"{n}× {s}" for s, n in sorted(statuses.items()) if 400 <= s < 500) or "none"


if __name__ == "__main__":
    sys.exit(main())
