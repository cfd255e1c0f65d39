"""A load generator, run as its own process so it does not share the server's interpreter: C threads, each
with one keep-alive `http.client` connection, send one request after another for D seconds and time each
to the last byte of its answer. Prints one JSON line: requests, errors, seconds, rps, p50_ms, p99_ms.

In a body, `$UUID` is replaced by a fresh UUID per request, so a command can be sent as new each time;
`--path` given several times spreads the requests over those paths (many funds' donation routes).
Run: `python -m bench.load --url http://127.0.0.1:8000 --path /health [--path …] [--method POST --body JSON]
[--header 'Authorization: Bearer …'] [--expect 201] [--concurrency 8] [--duration 5]`.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import statistics
import threading
import time
import uuid
from urllib.parse import urlsplit


def worker(
    args: argparse.Namespace,
    index: int,
    deadline: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    target = urlsplit(args.url)
    # Each thread walks the paths from its own place, so C threads over many funds' routes are
    # on different funds at any moment rather than all on the first.
    paths = itertools.islice(itertools.cycle(args.path), index, None)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    headers = dict(h.split(": ", 1) for h in args.header)
    if args.body is not None:
        headers["Content-Type"] = "application/json"
    while time.perf_counter() < deadline:
        body = None if args.body is None else args.body.replace("$UUID", str(uuid.uuid4()))
        started = time.perf_counter()
        try:
            connection.request(args.method, next(paths), body=body, headers=headers)
            answer = connection.getresponse()
            answer.read()
        except (OSError, http.client.HTTPException) as error:
            errors.append(repr(error))
            connection.close()
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            continue
        elapsed = time.perf_counter() - started
        if answer.status == args.expect:
            latencies.append(elapsed)
        else:
            errors.append(f"{answer.status}")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--url", required=True)
    parser.add_argument(
        "--path", required=True, action="append", help="repeat to spread the requests over several"
    )
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--expect", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=5.0)
    args = parser.parse_args()
    latencies: list[float] = []  # list.append is atomic under the GIL: no lock needed
    errors: list[str] = []
    started = time.perf_counter()
    deadline = started + args.duration
    threads = [
        threading.Thread(target=worker, args=(args, index, deadline, latencies, errors))
        for index in range(args.concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    result = {
        "requests": len(ordered),
        "errors": len(errors),
        "first_errors": errors[:3],
        "seconds": seconds,
        "rps": len(ordered) / seconds,
        "p50_ms": statistics.median(ordered) * 1000 if ordered else None,
        # nearest rank
        "p99_ms": ordered[math.ceil(len(ordered) * 0.99) - 1] * 1000 if ordered else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
