"""Requests per second and p50/p99 latency of the HTTP API, one uvicorn worker on loopback.

It prepares a SQLite ledger of N events (`bench/demo.py`, copied into the file, views caught up before
the server starts), a bench foundation and fund, and a staff key (`storage.api_keys`); starts
`mingzhang serve` as a subprocess; then, for each of R runs, drives three workloads with the load
generator (`bench/load.py`, a separate process: C threads with keep-alive connections, D seconds each,
for each C given):
- baseline: `GET /health` on the same app;
- read: a public read, `--read-path` (default the disclosure page of the demo foundation with the most
  grants, `GET /disclosure/foundations/{busiest}`);
- command: `POST /funds/{fund}/donations` with the staff key, a new donation id each time;
- many funds: the same donations spread over 50 funds of the bench foundation (each client thread
  walks the funds' routes from its own place), at the `many` concurrencies (default 8 and 32), on
  this server and on a second one serving the same ledger copied into a fresh PostgreSQL database
  (when PostgreSQL is reachable; the database is dropped afterwards);
and, on a third server (`bench/floor.py`, one uvicorn worker too, started alongside), the HTTP floor:
- floor: the same donation body validated by the project's own request model, answered 201;
- constant: a route that returns a constant (what `/health` itself is read against).
After the last run each ledger server's peak resident set (VmHWM, /proc/PID/status) is read.
`measure()` returns every run (`HttpRuns`); `main` prints the median of the R runs per workload, each
with its ratio to the floor and to `/health` at the same concurrency.
Run: `python -m bench.http [--events 100000] [--runs 3] [--duration 5] [--concurrency 1 8]
[--many-concurrency 8 32] [--no-postgres]`.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from api.settings import Settings
from bench.common import fresh_postgres_database, open_bench_fund, open_more_funds
from bench.demo import copy_into, shared
from cli.compose import open_ledger, open_views, service_views
from domain.ledger import Ledger
from projections.runner import Runner

DONATION = json.dumps(
    {
        "donation_id": "$UUID",
        "amount": "100.00",
        "currency": "CNY",
        "received_on": "2024-03-01",
        "donor": {"kind": "anonymous"},
    }
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_settings(
    folder: Path, database_url: str | None = None
) -> tuple[dict[str, str], Settings]:
    """The environment a `mingzhang serve` subprocess is given for a ledger in `database_url`
    (default a SQLite file in `folder`; `folder` keeps the server's var/ either way), and the same
    as `Settings` for preparing that ledger in this process."""
    env = {
        "MINGZHANG_DATABASE_URL": database_url or f"sqlite:///{folder / 'ledger.sqlite'}",
        "MINGZHANG_VAULT_KEY": base64.b64encode(os.urandom(32)).decode(),
        "MINGZHANG_VAR_DIR": str(folder / "var"),
    }
    settings = Settings(
        database_url=env["MINGZHANG_DATABASE_URL"],
        vault_key=env["MINGZHANG_VAULT_KEY"],
        var_dir=Path(env["MINGZHANG_VAR_DIR"]),
    )
    return env, settings


def caught_up_busiest(ledger: Ledger, settings: Settings) -> str | None:
    """Catch the views up (so the server does not spend the first runs projecting N events) and
    name the foundation with the most grants: its page is the heaviest public read there is (None
    in a ledger with no grant)."""
    views = open_views(settings)
    try:
        Runner(ledger, views, service_views(settings), batch_size=5000).catch_up()
        busiest = views.execute(
            "SELECT foundation_id FROM disclosure_grants GROUP BY foundation_id"
            " ORDER BY COUNT(*) DESC LIMIT 1"
        )
        return str(busiest[0][0]) if busiest else None
    finally:
        views.close()


# The many-funds workloads spread their donations over this many funds of the bench foundation, so
# concurrent commands do not all queue on one aggregate.
MANY_FUNDS = 50


def prepare(
    folder: Path, events: int, database_url: str | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """The server's environment, and the ids and key the workloads need (`funds`: the many funds,
    comma-separated)."""
    env, settings = server_settings(folder, database_url)
    ledger = open_ledger(settings)
    copy_into(shared(events), ledger)
    fund = open_bench_fund(ledger)
    foundation = ledger.get_fund(fund).foundation_id
    many = open_more_funds(ledger, foundation, MANY_FUNDS)
    busiest = caught_up_busiest(ledger, settings)
    keys = settings.database.open_keys()
    _, token = keys.create("staff", foundation)
    head = ledger.head()
    keys.db.close()
    ledger.close()
    ids = {
        "fund": str(fund),
        "funds": ",".join(str(f) for f in many),
        "foundation": str(foundation),
        "token": token,
        "head": str(head),
        "busiest": busiest or str(foundation),
    }
    return env, ids


def peak_kib(status: str) -> int:
    """VmHWM, a process's peak resident set, in KiB, from the text of /proc/PID/status."""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            value, unit = line.split(":", 1)[1].split()
            if unit != "kB":
                raise ValueError(f"VmHWM in {unit!r}, not kB")
            return int(value)
    raise ValueError("no VmHWM line: not a /proc/PID/status of a live process")


def wait_until_up(
    url: str, server: subprocess.Popen[bytes], timeout: float = 120
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench.http: the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                health: dict[str, Any] = json.load(answer)
                if all(view["lag"] == 0 for view in health["views"]):
                    return health
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("bench.http: the server did not come up with its views caught up")


def load(
    url: str, path: str | list[str], concurrency: int, duration: float, *extra: str
) -> dict[str, Any]:
    paths = [path] if isinstance(path, str) else path
    command = [
        sys.executable,
        "-m",
        "bench.load",
        "--url",
        url,
        *[arg for p in paths for arg in ("--path", p)],
        "--concurrency",
        str(concurrency),
        "--duration",
        str(duration),
        *extra,
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout)
    if result["errors"]:
        print(
            f"# {paths[0]}: {result['errors']} errors, e.g. {result['first_errors']}",
            file=sys.stderr,
        )
    return result


HEALTH = "GET /health (baseline)"
READ = "GET {read}"
DONATION_ROUTE = "POST /funds/{fund}/donations"
FLOOR = "floor: POST donation, validated, 201"
CONSTANT = "floor: GET a constant"
BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def many_route(backend: str) -> str:
    """The many-funds donation workload on a backend's server."""
    return f"POST /funds/(one of {MANY_FUNDS})/donations, {BACKENDS[backend]}"


@dataclass
class LoadRun:
    """One workload's run from the load generator."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass
class HttpRuns:
    """Every run of every workload, by concurrency and workload name (the constants above)."""

    head: int
    concurrency: list[int]
    duration: float
    read_path: str
    many_concurrency: list[int] = field(default_factory=list)
    backends: list[str] = field(default_factory=list)  # those the many-funds workloads ran on
    runs: dict[int, dict[str, list[LoadRun]]] = field(default_factory=dict)
    # each ledger server's VmHWM (KiB) after all its workloads, by backend
    peak_kib: dict[str, int] = field(default_factory=dict)

    def of(self, concurrency: int, workload: str) -> list[LoadRun]:
        return self.runs[concurrency][workload]


def serve(command: list[str], env: dict[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )


def wait_for(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench.http: the floor exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("bench.http: the floor did not come up")


def measure(
    events: int = 100_000,
    runs: int = 3,
    duration: float = 5.0,
    concurrency: list[int] | None = None,
    read_path: str = "/disclosure/foundations/{busiest}",
    many_concurrency: list[int] | None = None,
    postgres: bool = True,
) -> HttpRuns:
    concurrency = concurrency or [1, 8]
    many_concurrency = [8, 32] if many_concurrency is None else many_concurrency
    folder = Path(tempfile.mkdtemp(prefix="mz-bench-http-"))
    processes: dict[str, subprocess.Popen[bytes]] = {}
    log = (folder / "server.log").open("wb")
    try:
        with contextlib.ExitStack() as stack:
            urls: dict[str, str] = {}
            ids: dict[str, dict[str, str]] = {}
            databases: dict[str, str | None] = {"sqlite": None}
            if postgres and many_concurrency:
                url = stack.enter_context(fresh_postgres_database())
                if url is not None:
                    databases["postgresql"] = url
            for backend, database_url in databases.items():
                began = time.perf_counter()
                env, ids[backend] = prepare(folder / backend, events, database_url)
                print(
                    f"# http: the {BACKENDS[backend]} ledger of {events:,} events prepared in"
                    f" {time.perf_counter() - began:.0f} s",
                    file=sys.stderr,
                )
                port = free_port()
                urls[backend] = f"http://127.0.0.1:{port}"
                mingzhang = Path(sys.executable).with_name("mingzhang")
                processes[backend] = serve(
                    [str(mingzhang), "serve", "--port", str(port), "--workers", "1"], env, log
                )
            floor_port = free_port()
            floor_url = f"http://127.0.0.1:{floor_port}"
            # The floor served the way `mingzhang serve` serves the ledger: uvicorn's defaults,
            # one worker.
            processes["floor"] = serve(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "bench.floor:create_app",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(floor_port),
                    "--workers",
                    "1",
                ],
                {},
                log,
            )
            found = run_workloads(
                HttpRuns(
                    int(ids["sqlite"]["head"]),
                    concurrency,
                    duration,
                    read_path,
                    many_concurrency,
                    list(databases),
                ),
                runs,
                urls,
                floor_url,
                ids,
                processes,
            )
            for backend in databases:
                status = Path(f"/proc/{processes[backend].pid}/status").read_text()
                found.peak_kib[backend] = peak_kib(status)
            for process in processes.values():
                process.terminate()
                process.wait(timeout=30)
            processes.clear()
    finally:
        for process in processes.values():
            process.terminate()
            process.wait(timeout=30)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
    return found


def donation_args(token: str) -> list[str]:
    return [
        "--method",
        "POST",
        "--body",
        DONATION,
        "--expect",
        "201",
        "--header",
        f"Authorization: Bearer {token}",
    ]


def run_workloads(
    found: HttpRuns,
    runs: int,
    urls: dict[str, str],
    floor_url: str,
    ids: dict[str, dict[str, str]],
    processes: dict[str, subprocess.Popen[bytes]],
) -> HttpRuns:
    """Every workload at its concurrencies, R times over, once the servers are up."""
    one = ids["sqlite"]
    filled = found.read_path.format(
        foundation=one["foundation"], busiest=one["busiest"], fund=one["fund"]
    )
    url = urls["sqlite"]
    donation = donation_args(one["token"])
    workloads: dict[str, tuple[str, str | list[str], list[str]]] = {
        HEALTH: (url, "/health", []),
        READ: (url, filled, []),
        DONATION_ROUTE: (url, f"/funds/{one['fund']}/donations", donation),
        FLOOR: (floor_url, f"/funds/{one['fund']}/donations", donation),
        CONSTANT: (floor_url, "/constant", []),
    }
    for backend in found.backends:
        funds = ids[backend]["funds"].split(",")
        workloads[many_route(backend)] = (
            urls[backend],
            [f"/funds/{fund}/donations" for fund in funds],
            donation_args(ids[backend]["token"]),
        )
    schedule = [(c, name) for c in found.concurrency for name in list(workloads)[:5]]
    for c in found.many_concurrency:
        if c not in found.concurrency:
            schedule.append((c, FLOOR))
        schedule += [(c, many_route(backend)) for backend in found.backends]
    for backend in found.backends:
        wait_until_up(urls[backend], processes[backend])
    wait_for(f"{floor_url}/constant", processes["floor"])
    for base, path, extra in workloads.values():  # warm-up: imports, caches, connections
        load(base, path, 1, 1.0, *extra)
    for _ in range(runs):
        for c, name in schedule:
            base, path, extra = workloads[name]
            result = load(base, path, c, found.duration, *extra)
            found.runs.setdefault(c, {}).setdefault(name, []).append(
                LoadRun(result["rps"], result["p50_ms"], result["p99_ms"], result["errors"])
            )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.http")
    parser.add_argument("--events", type=int, default=100_000, help="ledger size before the runs")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per workload per run")
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[1, 8],
        help="client threads (keep-alive connections); each value is measured in turn",
    )
    parser.add_argument(
        "--many-concurrency",
        type=int,
        nargs="*",
        default=[8, 32],
        help=f"client threads for the donations spread over {MANY_FUNDS} funds, on each backend",
    )
    parser.add_argument(
        "--no-postgres", action="store_true", help="the many-funds workloads on SQLite only"
    )
    parser.add_argument(
        "--read-path",
        default="/disclosure/foundations/{busiest}",
        help="the public read, with {foundation} (the bench's own), {busiest} (the demo foundation"
        " with the most grants) and {fund} filled in",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    found = measure(
        args.events,
        args.runs,
        args.duration,
        args.concurrency,
        args.read_path,
        args.many_concurrency,
        not args.no_postgres,
    )
    print(f"# {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}")
    print(
        f"# SQLite ledger of {found.head} events; prepared and measured in"
        f" {time.perf_counter() - started:.0f} s; peak memory (VmHWM) of the servers: "
        + ", ".join(f"{b} {kib / 1024:.0f} MiB" for b, kib in found.peak_kib.items())
    )
    print(
        "# one uvicorn worker on loopback (the ledger; the floor, bench/floor.py, beside it);"
        f" load generator: a separate process with C keep-alive connections, {args.duration:g} s"
        f" per workload; median of {args.runs} runs"
    )
    print(
        f"{'C':>3}  {'workload':<48}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'÷ floor':>9}{'÷ health':>10}"
    )
    for c in sorted(found.runs):
        floor = statistics.median(r.rps for r in found.of(c, FLOOR))
        at = found.runs[c]
        health = statistics.median(r.rps for r in at[HEALTH]) if HEALTH in at else None
        for name, runs in at.items():
            rps = statistics.median(r.rps for r in runs)
            p50 = statistics.median(r.p50_ms for r in runs)
            p99 = statistics.median(r.p99_ms for r in runs)
            label = name.format(read=found.read_path, fund="{fund}")
            ratio = "—" if health is None else f"{rps / health:.2f}"
            print(
                f"{c:>3}  {label:<48}{rps:>9,.0f}{p50:>9.1f}{p99:>9.1f}"
                f"{rps / floor:>9.2f}{ratio:>10}"
            )


if __name__ == "__main__":
    main()
