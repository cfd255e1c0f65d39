"""Throwaway PostgreSQL clusters for the load, fault and scaling runs (`make stress`, docs/SCALING.md).

The machine's own PostgreSQL (127.0.0.1:5432) is shared with the tests, so a run that stops the
database or adds a hot standby makes its own cluster with the installed server binaries: `initdb` into
a temporary folder, `pg_ctl` on a free loopback port, trust authentication, no fsync (these clusters
hold nothing worth keeping; they show behaviour, not disk speed). PostgreSQL refuses to run as root,
so as root every command runs as the `postgres` user and the folder is handed to it. A standby is
`pg_basebackup --write-recovery-conf` of a primary, started as a hot standby that streams from it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg

SETTINGS = (
    "listen_addresses = '127.0.0.1'\n"
    "unix_socket_directories = ''\n"
    "fsync = off\n"
    "synchronous_commit = off\n"
    "full_page_writes = off\n"
    "wal_level = replica\n"
    "max_wal_senders = 4\n"
    "hot_standby = on\n"
    "max_connections = 200\n"
    "shared_buffers = 128MB\n"
)


def server_bin(program: str) -> str:
    """The path of a PostgreSQL server program (initdb, pg_ctl…), newest installed version first."""
    found = shutil.which(program)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"), reverse=True)
    if not candidates:
        raise RuntimeError(f"{program} is not installed (Debian package postgresql)")
    return candidates[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str]) -> None:
    done = subprocess.run(_as_server_user(argv), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:2])} failed: {(done.stderr or done.stdout).strip()}")


@dataclass
class Cluster:
    """One PostgreSQL cluster in `folder`, listening on 127.0.0.1:`port`."""

    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self, timeout: float = 30.0) -> None:
        log = self.folder / "server.log"
        _run(
            [
                server_bin("pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(log),
                "-o",
                f"-p {self.port}",
                "-w",
                "-t",
                str(int(timeout)),
                "start",
            ]
        )

    def stop(self, mode: str = "fast") -> None:
        _run([server_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def running(self) -> bool:
        try:
            with psycopg.connect(self.url, connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def _folder(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    return folder


def create_cluster(prefix: str = "mingzhang-pg-") -> Cluster:
    """A new, started primary on a free port (a few seconds)."""
    cluster = Cluster(_folder(prefix), free_port())
    try:
        _run(
            [
                server_bin("initdb"),
                "-D",
                str(cluster.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        )
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.write(SETTINGS)
        with (cluster.data / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        cluster.start()
    except BaseException:
        cluster.remove()
        raise
    return cluster


def create_standby(primary: Cluster, prefix: str = "mingzhang-standby-") -> Cluster:
    """A hot standby streaming from `primary`, started (read-only: writes there are refused)."""
    standby = Cluster(_folder(prefix), free_port())
    try:
        _run(
            [
                server_bin("pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(primary.port),
                "-U",
                "postgres",
                "-D",
                str(standby.data),
                "--write-recovery-conf",
                "--wal-method=stream",
                "--no-sync",
            ]
        )
        standby.start()
    except BaseException:
        standby.remove()
        raise
    return standby


def replay_lag_seconds(standby: Cluster) -> float:
    """How far behind its primary the standby's replay is, from the standby's own clock."""
    with psycopg.connect(standby.url) as connection:
        row = connection.execute(
            "SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
        ).fetchone()
    return float(row[0]) if row else 0.0


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")
