"""Bulk import of an export bundle into PostgreSQL, against psycopg `COPY` of the same rows into a
bare table (issue 16: target ≥ 0.2×).

It copies the demo ledger of N events into a SQLite ledger, catches its transparency view up (it
signs checkpoints, as a service would; the other views are not needed to export) and exports it with `transparency.bundle.export_bundle`,
the function behind `mingzhang export` (an uncompressed bundle: gzip would time the decompressor).
Then, for each of R runs, in a fresh PostgreSQL schema each:
- import: `transparency.bundle.import_entries`, what `mingzhang import` does to fill the event store
  (read the bundle, decode each entry's leaf data back to a stored event, insert them in order a
  section per transaction, checking each section's positions). The verification `mingzhang import`
  runs first and the views it projects afterwards are not part of this figure;
- baseline: `COPY` of the same rows (`copy_rows`: originator id, version, topic, state, decoded from
  the same bundle before the clock starts) into a table of those four columns with no index, one
  transaction: what PostgreSQL takes in bulk on this machine.
Both in events/s. `measure()` returns every run (`ImportRates`).
Run: `python -m bench.bulk_import [N] [R]` (default 100000 events, 5 runs).
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import psycopg
from psycopg import sql

from bench.common import bench_backends, postgres_url
from bench.demo import copy_into, shared
from bench.http import server_settings
from cli.compose import open_ledger, open_views, signing_key
from domain.ledger import Ledger
from projections.runner import Runner
from projections.transparency import TransparencyView
from storage.database import Database
from transparency.bundle import BundleReader, export_bundle, import_entries, stored_event

Row = tuple[UUID, int, str, bytes]
COLUMNS = ("originator_id", "originator_version", "topic", "state")


def copy_rows(entries: Iterable[bytes]) -> list[Row]:
    """The rows the import writes, from a bundle's entries (leaf data): the stored event's four
    columns, decoded exactly as `import_entries` decodes them."""
    rows = []
    for data in entries:
        event = stored_event(data)
        ident = event.originator_id
        rows.append(
            (
                ident if isinstance(ident, UUID) else UUID(ident),
                event.originator_version,
                event.topic,
                bytes(event.state),
            )
        )
    return rows


def row_bytes(rows: Iterable[Row]) -> int:
    """The columns' bytes as PostgreSQL stores them unpadded: uuid 16, bigint 8, the topic's UTF-8
    and the state's bytes (both sides write these same bytes)."""
    return sum(16 + 8 + len(topic.encode()) + len(state) for _, _, topic, state in rows)


def bundle_rows(path: Path) -> list[Row]:
    with BundleReader(path) as reader:
        reader.checkpoints(reader.header())
        return copy_rows(reader.entries())


def export_demo(folder: Path, events: int) -> Path:
    """A bundle of the demo ledger of `events` events (up to its last signed checkpoint)."""
    _, settings = server_settings(folder)
    ledger = open_ledger(settings)
    copy_into(shared(events), ledger)
    views = open_views(settings)
    try:
        # The transparency view alone: a bundle needs its signed checkpoints, not the other views.
        transparency = TransparencyView(signing_key(settings), settings.log_origin)
        Runner(ledger, views, [transparency], batch_size=5000).catch_up()
        path = folder / "bundle.jsonl"
        export_bundle(ledger, views, signing_key(settings).verifier_key(), path)
    finally:
        views.close()
        ledger.close()
    return path


def run_import(env: dict[str, str], path: Path, size: int) -> float:
    ledger = Ledger(env=env)
    try:
        start = time.perf_counter()
        done = import_entries(ledger, path)
        elapsed = time.perf_counter() - start
    finally:
        ledger.close()
    if done != size:
        raise SystemExit(f"bench.bulk_import: imported {done} of {size} entries")
    return size / elapsed


def run_copy(schema: str, rows: list[Row]) -> float:
    database = Database.parse(postgres_url())
    table = sql.Identifier(schema, "bare_events")
    with psycopg.connect(
        host=database.host,
        port=database.port,
        user=database.user,
        password=database.password or None,
        dbname=database.dbname,
    ) as conn:
        conn.execute(
            sql.SQL(
                "CREATE TABLE {} (originator_id uuid NOT NULL, originator_version bigint NOT NULL,"
                " topic text NOT NULL, state bytea NOT NULL)"
            ).format(table)
        )
        conn.commit()
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            table, sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
        )
        start = time.perf_counter()
        with conn.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        elapsed = time.perf_counter() - start
        copied = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
    if copied is None or copied[0] != len(rows):
        raise SystemExit(f"bench.bulk_import: COPY wrote {copied} of {len(rows)} rows")
    return len(rows) / elapsed


@dataclass
class ImportRates:
    """Events per second of each run: the bundle's import and the COPY of the same rows."""

    events: int
    row_bytes: int
    bundle_bytes: int
    imported: list[float]
    copied: list[float]


def measure(events: int = 100_000, runs: int = 5) -> ImportRates | None:
    """None when PostgreSQL is not reachable."""
    folder = Path(tempfile.mkdtemp(prefix="mz-bench-import-"))
    try:
        path = export_demo(folder, events)
        rows = bundle_rows(path)
        imported, copied = [], []
        with bench_backends() as backends:
            if "postgresql" not in backends:
                return None
            # Alternated run by run, so an import and its COPY share the machine's state.
            for _ in range(runs):
                imported.append(run_import(backends["postgresql"](), path, len(rows)))
                copied.append(run_copy(backends["postgresql"]()["POSTGRES_SCHEMA"], rows))
        return ImportRates(len(rows), row_bytes(rows), path.stat().st_size, imported, copied)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    started = time.perf_counter()
    found = measure(n, runs)
    if found is None:
        raise SystemExit("bench.bulk_import: PostgreSQL is not reachable")
    print(f"# {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}")
    print(
        f"# a bundle of {found.events} entries ({found.bundle_bytes:,} bytes; rows of"
        f" {found.row_bytes:,} bytes), built and measured in {time.perf_counter() - started:.0f} s"
    )
    imported, copied = statistics.median(found.imported), statistics.median(found.copied)
    print(f"# median of {runs} runs; events/s")
    print(f"{'import':>10}{'COPY':>10}{'ratio':>8}")
    print(f"{imported:>10,.0f}{copied:>10,.0f}{imported / copied:>8.2f}")


if __name__ == "__main__":
    main()
