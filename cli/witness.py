"""`mingzhang witness keygen` and `mingzhang witness serve`: a witness as its own process.

Thin: the key file is `transparency.cosignature.Cosigner`'s, the state `transparency.witness`'s, the
HTTP app `api.witness_app`'s. Nothing here reads the deployment's `MINGZHANG_*` settings: a witness
belongs to whoever runs it, not to the log it watches.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import uvicorn

from api.witness_app import create_witness_app
from transparency.cosignature import Cosigner, CosignerKey, cosignatures
from transparency.signed_note import NoteError
from transparency.witness import Witness, WitnessState

EXIT_FAILED = 1
EXIT_BAD_ARGUMENTS = 2


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    witness = commands.add_parser(
        "witness",
        help="run a C2SP tlog-witness that cosigns logs' checkpoints (docs/TRANSPARENCY.md)",
    )
    actions = witness.add_subparsers(dest="witness_command", required=True)
    keygen = actions.add_parser(
        "keygen", help="write a new witness key to FILE and print its cosignature/v1 verifier key"
    )
    keygen.add_argument("--name", required=True, help="the witness's name, e.g. witness.example/w1")
    keygen.add_argument("--key", type=Path, required=True, help="the file to create (mode 0600)")
    serve = actions.add_parser("serve", help="answer POST /add-checkpoint until stopped")
    serve.add_argument("--key", type=Path, required=True, help="the key file keygen wrote")
    serve.add_argument(
        "--state", type=Path, required=True, help="the SQLite file of what was cosigned (created)"
    )
    serve.add_argument(
        "--log",
        action="append",
        required=True,
        metavar="ORIGIN=VERIFIERKEY",
        help="a log to witness: its origin line and its checkpoints' verifier key (repeatable)",
    )
    serve.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8100, help="listen port (default 8100)")


def add_verify_arguments(verify: argparse.ArgumentParser, positive: Callable[[str], int]) -> None:
    """`verify`'s --witness and --quorum."""
    verify.add_argument(
        "--witness",
        action="append",
        default=[],
        metavar="KEY",
        help="with --url: a witness's cosignature/v1 verifier key (repeatable); the checkpoint"
        " must carry --quorum valid cosignatures from these",
    )
    verify.add_argument(
        "--quorum",
        type=positive,
        help="with --witness: how many distinct witnesses must have cosigned (default: all given)",
    )


def _fail(status: int, message: str) -> int:
    print(f"mingzhang: witness: {message}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:
    if args.witness_command == "keygen":
        return keygen(args.name, args.key)
    return serve(args.key, args.state, args.log, args.host, args.port)


def keygen(name: str, path: Path) -> int:
    try:
        cosigner = Cosigner.generate(name)
    except NoteError as error:
        return _fail(EXIT_BAD_ARGUMENTS, f"--name: {error}")
    try:
        # O_EXCL: an existing key is never overwritten, the new one never readable by others.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        return _fail(EXIT_FAILED, f"cannot create {path}: {error.strerror}")
    with os.fdopen(fd, "w") as out:
        out.write(cosigner.encode() + "\n")
    print(cosigner.verifier_key())
    return 0


def logs_of(entries: list[str]) -> dict[str, list[str]]:
    """ORIGIN=VERIFIERKEY entries by origin; `ValueError` naming one that is not."""
    logs: dict[str, list[str]] = {}
    for entry in entries:
        origin, equals, key = entry.partition("=")  # a key's base64 may end in "=", an origin not
        if not equals or not origin or not key:
            msg = f"--log {entry[:60]!r} is not ORIGIN=VERIFIERKEY"
            raise ValueError(msg)
        logs.setdefault(origin, []).append(key)
    return logs


def serve(key: Path, state: Path, entries: list[str], host: str, port: int) -> int:
    from cli.main import verifier_key_problem  # cli.main imports this module

    try:
        logs = logs_of(entries)
    except ValueError as error:
        return _fail(EXIT_BAD_ARGUMENTS, str(error))
    for origin, keys in logs.items():
        for log_key in keys:
            problem = verifier_key_problem(log_key)
            if problem is not None:
                return _fail(EXIT_BAD_ARGUMENTS, f"--log {origin}: not a verifier key: {problem}")
    try:
        cosigner = Cosigner.parse(key.read_text())
    except OSError as error:
        return _fail(EXIT_FAILED, f"cannot read {key}: {error.strerror}")
    except NoteError as error:
        return _fail(EXIT_BAD_ARGUMENTS, f"{key}: {error}")
    try:
        witness = Witness(cosigner, logs, WitnessState(state))
    except Exception as error:  # the state file: one line, never a traceback
        return _fail(EXIT_FAILED, f"cannot open {state}: {error}")
    print(f"mingzhang: witness {cosigner.verifier_key()} on {host}:{port}", file=sys.stderr)
    uvicorn.run(create_witness_app(witness), host=host, port=port, log_level="warning")
    return 0


def quorum_of(
    keys: list[str], quorum: int | None, url: str | None
) -> tuple[list[CosignerKey], int, str | None]:
    """`verify`'s --witness keys and --quorum (default: every distinct key given), or a problem."""
    if not keys:
        return [], 0, None if quorum is None else "--quorum goes with --witness"
    if not url:
        return [], 0, "--witness goes with --url"
    parsed: dict[str, CosignerKey] = {}
    for key in keys:
        try:
            found = CosignerKey.parse(key)
        except NoteError as error:
            return [], 0, f"--witness {key[:40]}: {error}"
        parsed.setdefault(found.public_bytes.hex() + found.name, found)
    distinct = list(parsed.values())
    needed = len(distinct) if quorum is None else quorum
    if needed > len(distinct):
        return [], 0, f"--quorum {needed} is more than the {len(distinct)} distinct witnesses given"
    return distinct, needed, None


def cosigned_line(note: str, keys: Sequence[CosignerKey]) -> str:
    """Which of the witnesses cosigned `note`, and when (the cosignatures' own timestamps)."""
    found = cosignatures(note, keys)
    when = ", ".join(
        f"{c.key.name} at {datetime.fromtimestamp(c.timestamp, UTC):%Y-%m-%d %H:%M:%S} UTC"
        for c in found
    )
    return f"cosigned by {len(found)} of {len(keys)} witnesses: {when}"
