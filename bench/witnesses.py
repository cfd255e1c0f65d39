"""How stale the cosigned checkpoint gets under load: a SQLite deployment served by uvicorn, two
witnesses (uvicorn, loopback), W writer threads recording donations as fast as they can for S seconds.

Every 20 ms (from the first checkpoint both witnesses cosigned) the bench reads the latest signed checkpoint from the views database (noting when each
size was first signed) and `GET /transparency/checkpoint` (the checkpoint the quorum of both witnesses
cosigned). A sample's staleness is how long a newer signed checkpoint had existed while an older one
was served (0 when the served one is the latest); its lag in events is latest size minus served size.
Prints commands per second, mean / p99 / max staleness and the largest lag. Run:
`python -m bench.witnesses [SECONDS] [WRITERS] [INTERVAL] [none]` (default 30 s, 4 writers, 1 s
interval; `none`: the same load with no witness configured, the commands-per-second baseline).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from api.app import create_app
from api.settings import Settings
from api.witness_app import create_witness_app
from bench.common import donate_once, open_bench_fund
from projections.transparency import latest_checkpoint
from transparency.cosignature import Cosigner
from transparency.signed_note import Signer
from transparency.witness import Witness, WitnessState

ORIGIN = "bench.mingzhang/ledger"


@contextmanager
def served(app: Any) -> Iterator[str]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def main(seconds: float, writers: int, interval: float, witnessed: bool = True) -> None:
    signer = Signer.generate(ORIGIN)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cosigners = [Cosigner.generate(f"w{n}.bench/witness") for n in (1, 2)]
        witnesses = [
            Witness(c, {ORIGIN: [signer.verifier_key()]}, WitnessState(folder / f"w{n}.sqlite"))
            for n, c in enumerate(cosigners)
        ]
        with (
            served(create_witness_app(witnesses[0])) as one,
            served(create_witness_app(witnesses[1])) as two,
        ):
            os.environ.update(
                {
                    "MINGZHANG_DATABASE_URL": f"sqlite:///{folder / 'ledger.sqlite'}",
                    "MINGZHANG_VAR_DIR": str(folder),
                    "MINGZHANG_SIGNING_KEY": signer.encode(),
                    "MINGZHANG_LOG_ORIGIN": ORIGIN,
                    "MINGZHANG_WITNESSES": ",".join(
                        f"{url} {c.verifier_key()}"
                        for url, c in zip((one, two), cosigners, strict=True)
                        if witnessed
                    ),
                    "MINGZHANG_WITNESS_INTERVAL_SECONDS": str(interval),
                }
            )
            app = create_app(Settings())
            with served(app) as url:
                run(app, url, seconds, writers)


def run(app: Any, url: str, seconds: float, writers: int) -> None:
    ledger, views = app.state.ledger, app.state.views
    funds = [open_bench_fund(ledger) for _ in range(writers)]
    stop = threading.Event()
    done = [0] * writers

    def write(n: int) -> None:
        while not stop.is_set():
            donate_once(ledger, funds[n])
            done[n] += 1

    threads = [threading.Thread(target=write, args=(n,), daemon=True) for n in range(writers)]
    first_signed: dict[int, float] = {}
    staleness: list[float] = []
    lags: list[int] = []
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while time.monotonic() - started < seconds:
        latest = latest_checkpoint(views)
        now = time.monotonic()
        if latest is not None:
            first_signed.setdefault(latest.size, now)
        try:
            with urllib.request.urlopen(f"{url}/transparency/checkpoint") as response:
                size = int(response.read().decode().split("\n")[1])
        except urllib.error.HTTPError as error:  # 404 until the witnesses' first cosignatures
            error.close()
            time.sleep(0.02)
            continue
        newer = [t for s, t in first_signed.items() if s > size]
        staleness.append(now - min(newer) if newer else 0.0)
        lags.append((latest.size if latest else 0) - size)
        time.sleep(0.02)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    staleness.sort()
    print(f"{sum(done) / elapsed:.0f} commands/s from {writers} writers over {elapsed:.0f} s")
    print(
        f"staleness of the served cosigned checkpoint: mean {statistics.mean(staleness):.2f} s,"
        f" p99 {staleness[int(len(staleness) * 0.99)]:.2f} s, max {staleness[-1]:.2f} s;"
        f" at most {max(lags)} events behind the latest signed ({len(staleness)} samples)"
    )


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(
        float(arguments[0]) if arguments else 30.0,
        int(arguments[1]) if len(arguments) > 1 else 4,
        float(arguments[2]) if len(arguments) > 2 else 1.0,
        witnessed=arguments[3:4] != ["none"],
    )
