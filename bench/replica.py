"""Reads served from a PostgreSQL hot standby while the primary takes the writes (docs/SCALING.md).

It makes a throwaway primary and a hot standby streaming from it (`bench/clusters.py`), fills the
primary with a demo ledger of N events (`bench/demo.py`) and a bench fund, and starts, each as its own
process: `mingzhang serve` on the primary (the writes; MINGZHANG_PROJECT_IN_PROCESS=false),
`mingzhang project` on the primary (the views), and a second `mingzhang serve` on the standby with
MINGZHANG_READ_ONLY=true (the reads). Then, R runs, each under a write load on the primary (one
connection of donations, `bench/load.py`, for the whole run), measures:
- reads: the busiest foundation's public JSON, C connections for D seconds, on the standby and then on
  the primary, each against `GET /health` on the same server in the same run (the baseline);
- lag: K probes, each a donation acknowledged by the primary (its `position`), timed from the
  acknowledgement until the primary's projector has brought the public views to that position (read
  in the primary's own `view_tracking`: the baseline, what any reader waits for, replica or not), and
  until the same foundation's JSON on the standby answers `?after=position` (the standby has replayed
  the event and the views the projector wrote of it); then a second donation read back with
  `?after=` from the primary's API process, which, with no projector thread of its own, projects in
  the request (`Runner.wait_for`); and PostgreSQL's own view, sampled meanwhile: `replay_lag` in the
  primary's `pg_stat_replication`, and `now() - pg_last_xact_replay_timestamp()` on the standby.
The primary commits synchronously (as in production; the throwaway cluster's own default is off, which
holds its WAL back for up to 200 ms: `--asynchronous-commit` keeps it). Prints the median, min and max
of the R runs as a table, and one JSON line.
Run: `python -m bench.replica [--events 20000] [--runs 5] [--duration 5] [--concurrency 4]`.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import psycopg

from api.settings import Settings
from bench.clusters import Cluster, create_cluster, create_standby, replay_lag_seconds, wait_until
from bench.common import open_bench_fund
from bench.demo import build, copy_into
from bench.http import DONATION, caught_up_busiest, free_port, load, wait_until_up
from cli.compose import open_ledger
from transparency.signed_note import Signer


@dataclass
class Deployment:
    primary_env: dict[str, str]
    standby_env: dict[str, str]
    fund: str
    foundation: str
    busiest: str
    token: str
    head: int


def prepare(primary: Cluster, standby: Cluster, folder: Path, events: int) -> Deployment:
    """The primary filled and projected; both servers' environments (the standby's with the
    primary's keys, as a replica is deployed); the ids and the staff key the workloads need."""
    common = {
        "MINGZHANG_VAULT_KEY": base64.b64encode(os.urandom(32)).decode(),
        "MINGZHANG_LOG_ORIGIN": "mingzhang.bench/replica",
        "MINGZHANG_PROJECT_IN_PROCESS": "false",
    }
    primary_env = {
        **common,
        "MINGZHANG_DATABASE_URL": primary.url,
        "MINGZHANG_VAR_DIR": str(folder / "primary"),
    }
    primary_env["MINGZHANG_SIGNING_KEY"] = Signer.generate(common["MINGZHANG_LOG_ORIGIN"]).encode()
    settings = Settings(
        database_url=primary.url,
        vault_key=common["MINGZHANG_VAULT_KEY"],
        signing_key=primary_env["MINGZHANG_SIGNING_KEY"],
        var_dir=folder / "primary",
        log_origin=common["MINGZHANG_LOG_ORIGIN"],
    )
    ledger = open_ledger(settings)
    copy_into(build(events), ledger)
    fund = open_bench_fund(ledger)
    foundation = ledger.get_fund(fund).foundation_id
    busiest = caught_up_busiest(ledger, settings)
    keys = settings.database.open_keys()
    _, token = keys.create("staff", foundation)
    head = ledger.head()
    keys.db.close()
    ledger.close()
    # The replica is deployed with the primary's keys: its checkpoint key (shown, never used to
    # sign) and its vault's keys (the names of consenting donors on the public pages).
    (folder / "standby").mkdir()
    shutil.copy(folder / "primary" / "vault.epochs", folder / "standby" / "vault.epochs")
    standby_env = {
        **primary_env,
        "MINGZHANG_DATABASE_URL": standby.url,
        "MINGZHANG_VAR_DIR": str(folder / "standby"),
        "MINGZHANG_READ_ONLY": "true",
    }
    return Deployment(
        primary_env,
        standby_env,
        str(fund),
        str(foundation),
        busiest or str(foundation),
        token,
        head,
    )


def start(arguments: list[str], env: dict[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    mingzhang = Path(sys.executable).with_name("mingzhang")
    return subprocess.Popen(
        [str(mingzhang), *arguments],
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def post_donation(url: str, fund: str, token: str) -> int:
    """One donation, acknowledged; returns its log position."""
    body = DONATION.replace("$UUID", str(uuid.uuid4())).encode()
    request = urllib.request.Request(
        f"{url}/funds/{fund}/donations",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        position: int = json.load(answer)["position"]
    return position


def seen_after(url: str, foundation: str, position: int, timeout: float = 30) -> float:
    """Seconds until `url` answers the foundation's JSON at `position` or later (a 422 says its
    log has not reached the position yet: ask again; `?after=` itself waits for the views)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(
                f"{url}/disclosure/foundations/{foundation}?after={position}", timeout=30
            ) as answer:
                answer.read()
                return time.perf_counter() - started
        except urllib.error.HTTPError as error:
            if error.code not in (422, 503):
                raise
            time.sleep(0.002)
    raise SystemExit(f"bench.replica: position {position} not visible at {url} after {timeout} s")


def projected(primary: Cluster, position: int, timeout: float = 30) -> float:
    """When (`perf_counter`) the primary's projector has brought the public views to `position`,
    read from the primary's database itself (no API process on the way)."""
    started = time.perf_counter()
    with psycopg.connect(primary.url, autocommit=True) as connection:
        while time.perf_counter() - started < timeout:
            row = connection.execute(
                "SELECT MIN(position) FROM view_tracking WHERE view IN ('disclosure', 'indicators')"
            ).fetchone()
            if row and row[0] is not None and row[0] >= position:
                return time.perf_counter()
            time.sleep(0.002)
    raise SystemExit(f"bench.replica: the projector did not reach {position} in {timeout} s")


def replication_lag(primary: Cluster) -> float:
    """`replay_lag` as the primary's WAL sender reports it (0 when the standby is caught up)."""
    with psycopg.connect(primary.url) as connection:
        row = connection.execute(
            "SELECT COALESCE(EXTRACT(EPOCH FROM replay_lag), 0) FROM pg_stat_replication"
        ).fetchone()
    return float(row[0]) if row else float("nan")


READS = ("standby: GET foundation JSON", "primary: GET foundation JSON")
HEALTH = ("standby: GET /health", "primary: GET /health")
WRITES = "primary: POST donation (background load, 1 connection)"
LAG = (
    "ack -> standby JSON ?after (ms)",
    "ack -> primary's views, projector (ms, baseline)",
    "ack -> primary JSON ?after, projected in the request (ms)",
)
PG_LAG = ("pg replay_lag (ms)", "standby now() - last replay (ms)")


@dataclass
class Runs:
    events: int
    concurrency: int
    duration: float
    figures: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.figures.setdefault(name, []).append(value)


def one_run(
    found: Runs,
    urls: tuple[str, str],
    primary: Cluster,
    standby: Cluster,
    deployment: Deployment,
    probes: int,
) -> None:
    standby_url, primary_url = urls
    read_path = f"/disclosure/foundations/{deployment.busiest}"
    donation = [
        *("--method", "POST", "--body", DONATION, "--expect", "201"),
        *("--header", f"Authorization: Bearer {deployment.token}"),
    ]
    # The write load spans the whole run: both read phases, the probes and the samples.
    span = 4 * found.duration + probes * 0.5 + 5
    writes: dict[str, Any] = {}
    writer = threading.Thread(
        target=lambda: writes.update(
            load(primary_url, f"/funds/{deployment.fund}/donations", 1, span, *donation)
        )
    )
    writer.start()
    time.sleep(0.5)
    samples: list[tuple[float, float]] = []
    stop_sampling = threading.Event()

    def sample() -> None:
        while not stop_sampling.wait(0.25):
            samples.append((replication_lag(primary), replay_lag_seconds(standby)))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        for url, read, health in zip((standby_url, primary_url), READS, HEALTH, strict=True):
            found.add(read, load(url, read_path, found.concurrency, found.duration)["rps"])
            found.add(health, load(url, "/health", found.concurrency, found.duration)["rps"])
        to_views, to_standby, to_primary = [], [], []
        for _ in range(probes):
            position = post_donation(primary_url, deployment.fund, deployment.token)
            acknowledged = time.perf_counter()
            to_views.append(projected(primary, position) - acknowledged)
            seen_after(standby_url, deployment.foundation, position)
            to_standby.append(time.perf_counter() - acknowledged)
            position = post_donation(primary_url, deployment.fund, deployment.token)
            to_primary.append(seen_after(primary_url, deployment.foundation, position))
        found.add(LAG[0], statistics.median(to_standby) * 1000)
        found.add(LAG[1], statistics.median(to_views) * 1000)
        found.add(LAG[2], statistics.median(to_primary) * 1000)
    finally:
        stop_sampling.set()
        sampler.join()
        writer.join()
    found.add(WRITES, writes["rps"])
    if samples:
        found.add(PG_LAG[0], statistics.median(s[0] for s in samples) * 1000)
        found.add(PG_LAG[1], statistics.median(s[1] for s in samples) * 1000)


def measure(
    events: int = 20_000,
    runs: int = 5,
    duration: float = 5.0,
    concurrency: int = 4,
    probes: int = 10,
    *,
    synchronous_commit: bool = True,
) -> Runs:
    folder = Path(tempfile.mkdtemp(prefix="mz-bench-replica-"))
    primary = create_cluster()
    if synchronous_commit:
        # The throwaway cluster commits without waiting for its WAL (bench/clusters.py), so its WAL
        # reaches the standby only when the WAL writer flushes, every wal_writer_delay (200 ms).
        # A production primary commits synchronously: the WAL is flushed, so sent, at each commit.
        with psycopg.connect(primary.url, autocommit=True) as connection:
            connection.execute("ALTER SYSTEM SET synchronous_commit = on")
            connection.execute("SELECT pg_reload_conf()")
    processes: list[subprocess.Popen[bytes]] = []
    log = (folder / "servers.log").open("wb")
    try:
        standby = create_standby(primary)
        try:
            deployment = prepare(primary, standby, folder, events)
            port, standby_port = free_port(), free_port()
            primary_url = f"http://127.0.0.1:{port}"
            standby_url = f"http://127.0.0.1:{standby_port}"
            processes.append(start(["project"], deployment.primary_env, log))
            for url_port, env in (
                (port, deployment.primary_env),
                (standby_port, deployment.standby_env),
            ):
                processes.append(
                    start(["serve", "--port", str(url_port), "--workers", "1"], env, log)
                )
            wait_until_up(primary_url, processes[1])
            wait_until(
                lambda: replay_lag_seconds(standby) < 5 and _head(standby_url) >= deployment.head,
                60,
                "the standby to replay the demo ledger",
            )
            wait_until_up(standby_url, processes[2])
            for url in (standby_url, primary_url):  # warm-up: imports, caches, connections
                load(url, f"/disclosure/foundations/{deployment.busiest}", 1, 1.0)
            found = Runs(events, concurrency, duration)
            for _ in range(runs):
                one_run(found, (standby_url, primary_url), primary, standby, deployment, probes)
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)
            standby.remove()
    finally:
        log.close()
        primary.remove()
        shutil.rmtree(folder, ignore_errors=True)
    return found


def _head(url: str) -> int:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
            head: int = json.load(answer)["head"]
            return head
    except OSError:
        return -1


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.replica")
    parser.add_argument("--events", type=int, default=20_000, help="demo ledger size")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per read workload")
    parser.add_argument("--concurrency", type=int, default=4, help="reading connections")
    parser.add_argument("--probes", type=int, default=10, help="lag probes per run and server")
    parser.add_argument(
        "--asynchronous-commit",
        action="store_true",
        help="keep the throwaway primary's synchronous_commit = off (WAL sent every 200 ms)",
    )
    args = parser.parse_args()
    found = measure(
        args.events,
        args.runs,
        args.duration,
        args.concurrency,
        args.probes,
        synchronous_commit=not args.asynchronous_commit,
    )
    print(
        f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{found.events} demo events, {args.runs} runs, reads at {found.concurrency} connections "
        f"for {found.duration:g} s, under a donation load on the primary, synchronous_commit "
        f"{'off' if args.asynchronous_commit else 'on'}"
    )
    print(f"{'figure':58} {'median':>9} {'min':>9} {'max':>9}")
    for name, values in found.figures.items():
        print(f"{name:58} {statistics.median(values):9.1f} {min(values):9.1f} {max(values):9.1f}")
    ratios = {
        read: statistics.median(
            r / h for r, h in zip(found.figures[read], found.figures[health], strict=True)
        )
        for read, health in zip(READS, HEALTH, strict=True)
    }
    for read, ratio in ratios.items():
        print(f"{read} / same server's /health, median of runs: {ratio:.2f}")
    print(json.dumps({"events": found.events, "figures": found.figures, "ratios": ratios}))


if __name__ == "__main__":
    main()
