"""The `mingzhang` command line: `serve` the API, `project` (run the views' runner on its own),
`rebuild` views from the log with a progress line, `verify` this deployment, a remote one (`--url`) or
a bundle (`--bundle`), or the vault against the log (`--vault`), `mirror` a deployment's tiles into a
folder, `export`/`import` the log as a bundle, fill an empty ledger with the `demo` dataset, and list the emergency payments whose
ratification is `overdue`.

Every failure is one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from uuid import UUID

import uvicorn
from pydantic import ValidationError

from api.settings import Settings, describe_error
from cli import witness as witness_cli
from cli.compose import open_ledger, open_views, service_views, signing_key
from demo.generator import fill
from domain.foundations.relief import days_overdue
from projections.catalog import all_views
from projections.disclosure import DisclosureView, reader
from projections.pagination import every_row
from projections.runner import Runner, ViewStopped
from projections.transparency import has_stored_tree, root_at
from storage.api_keys import ROLES, KeyRefused
from storage.vault import Vault
from storage.vault_audit import verify_vault
from transparency.bundle import (
    BundleError,
    check_bundle,
    describe_key,
    export_bundle,
    import_entries,
    log_is_empty,
)
from transparency.cosignature import CosignerKey
from transparency.local import verify_local
from transparency.log_audit import key_name
from transparency.mirror import MirrorError, mirror
from transparency.remote import Unreachable, Withheld, verify_remote
from transparency.signed_note import ALGORITHM_ED25519, key_id

EXIT_BAD_SETTINGS = 2
# How long uvicorn's supervisor waits for a worker to answer its health check before it kills and
# replaces it. Its default, 5 s, is shorter than a worker's start (Python, the app, the database) on
# a loaded 2-core machine: `make stress` saw workers killed and respawned nine times in a row before
# one answered. A worker that dies is still replaced at once (the supervisor sees it exit).
WORKER_HEALTHCHECK_SECONDS = 30
EXIT_FAILED = 1
EMPTY_HINT = "mingzhang: the ledger is empty; load demo data with `make demo` (mingzhang demo)"

IMPORT_HELP = (
    "load a bundle into an EMPTY database (MINGZHANG_DATABASE_URL) after verifying it as"
    " `verify --bundle` does. A bundle holds the events only: not the personal-data vault (by"
    " design), and not the command index, so the imported ledger does not recognise a repeated"
    " command that was sent before the export"
)


def _one_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    finally:
        end_progress()  # whatever path a command ended by, the shell's prompt starts a line


def _main(argv: Sequence[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="mingzhang", description="Mingzhang (明账) ledger")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API with uvicorn")
    serve.add_argument("--host", help="listen address (default MINGZHANG_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="listen port (default MINGZHANG_PORT or 8000)")
    serve.add_argument(
        "--workers", type=int, help="worker processes (default MINGZHANG_WORKERS or 1)"
    )
    commands.add_parser("project", help="keep the views up to date until stopped (SIGTERM)")
    keys = commands.add_parser("keys", help="API keys, and the checkpoints' verifier key")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    key_commands.add_parser("signing", help="print the checkpoints' verifier key")
    create = key_commands.add_parser("create", help="issue an API key (printed once)")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--foundation", type=UUID, help="the foundation a staff key writes for")
    key_commands.add_parser("list", help="every key: id, role, foundation, created, revoked")
    revoke = key_commands.add_parser("revoke", help="revoke a key (it stays listed)")
    revoke.add_argument("key_id")
    verify = commands.add_parser(
        "verify",
        help="re-derive the tree, checkpoints and views from the events (exit 0 only if all hold);"
        " with --url, a remote deployment (or a mirror) from its static tiles; with --bundle, a"
        " bundle file",
    )
    verify.add_argument(
        "--key",
        help="the checkpoints' verifier key (default: this deployment's; required with --url;"
        " with --bundle, default the bundle's own, which proves integrity but not authenticity)",
    )
    elsewhere = verify.add_mutually_exclusive_group()
    elsewhere.add_argument(
        "--url",
        help="verify the deployment at this base URL over HTTP, from its /tlog/ tiles (a mirror"
        " of them, `mingzhang mirror`, verifies the same)",
    )
    elsewhere.add_argument("--bundle", type=Path, help="verify a bundle file offline")
    elsewhere.add_argument(
        "--vault",
        action="store_true",
        help="check the personal-data vault against the commitments in the log (local only: it"
        " needs this deployment's vault keys; see docs/PRIVACY.md)",
    )
    verify.add_argument(
        "--views",
        action="store_true",
        help="with --url: also rebuild the public views from the entries in a temporary store and"
        " compare every public /disclosure answer with what the deployment serves",
    )
    witness_cli.add_verify_arguments(verify, _positive)
    verify.add_argument(
        "--state",
        type=Path,
        help="the file keeping the last verified checkpoint, in every mode: today's must be"
        " consistent with it, and replaces it (created if missing; with --url the default is"
        " ~/.mingzhang/verify-state/<origin>)",
    )
    exporter = commands.add_parser(
        "export",
        help="write the log (leaf data up to the last signed checkpoint, every checkpoint, the"
        " verifier key) as a bundle; gzip if FILE ends in .gz",
    )
    exporter.add_argument("file", type=Path)
    load = commands.add_parser("import", help=IMPORT_HELP, description=IMPORT_HELP)
    load.add_argument("file", type=Path)
    load.add_argument(
        "--key", help="check the bundle's checkpoints against this key (default: the bundle's own)"
    )
    copy = commands.add_parser(
        "mirror",
        help="copy a deployment's signed checkpoint and every tile (/tlog/) into DIR, laid out as"
        " the URLs, for any static web server to serve; tiles already in DIR are not fetched again",
    )
    copy.add_argument("url", help="the deployment's (or another mirror's) base URL")
    copy.add_argument("dir", type=Path)
    rebuild = commands.add_parser("rebuild", help="drop views and rebuild them from the log")
    rebuild.add_argument("view", nargs="?", help="one view (default: all)")
    demo = commands.add_parser(
        "demo", help="fill an empty ledger with a realistic Shanghai demo dataset"
    )
    demo.add_argument(
        "--events", type=_positive, default=5000, help="about how many events (default 5000)"
    )
    demo.add_argument("--seed", type=int, default=2021, help="the same seed, the same data")
    vault = commands.add_parser("vault", help="the personal-data vault's keys")
    vault_commands = vault.add_subparsers(dest="vault_command", required=True)
    vault_commands.add_parser(
        "rotate",
        help="re-wrap every live subject's key under a new epoch key and destroy the old one, so "
        "that no copy of the database taken before opens with the keys kept (see docs/PRIVACY.md)",
    )
    commands.add_parser(
        "overdue",
        help="emergency payments made before approval whose ratification deadline has passed, one"
        " line each: case id, foundation id, deadline, days overdue (tab-separated)",
    )
    witness_cli.add_parser(commands)
    args = parser.parse_args(argv)

    if args.command == "witness":  # a witness reads no settings of this deployment
        return witness_cli.run(args)

    if args.command == "verify" and args.key is not None:
        problem = verifier_key_problem(args.key)
        if problem is not None:
            return fail(
                EXIT_BAD_SETTINGS,
                f"verify: --key is not a verifier key (<name>+<key id>+<base64>): {problem}",
            )
    # Mirroring, remote and bundle verification read no settings and touch no database here.
    if args.command == "mirror":
        return mirror_log(args.url, args.dir)
    if args.command == "verify" and args.views and not args.url:
        return fail(EXIT_BAD_SETTINGS, "verify: --views goes with --url")
    if args.command == "verify":
        witnesses, quorum, problem = witness_cli.quorum_of(args.witness, args.quorum, args.url)
        if problem is not None:
            return fail(EXIT_BAD_SETTINGS, f"verify: {problem}")
    if args.command == "verify" and args.url and args.views:
        return verify_served_views(args.url, args.key, args.state, witnesses, quorum)
    if args.command == "verify" and (args.url or args.bundle):
        try:
            return verify_elsewhere(args.url, args.bundle, args.key, args.state, witnesses, quorum)
        except Exception as error:  # any failure ends in one line
            return fail(EXIT_FAILED, f"verify: {_one_line(error)}")
    if args.command == "verify" and args.vault and (args.key or args.state):
        return fail(
            EXIT_BAD_SETTINGS,
            "verify: --vault checks no signature and keeps no checkpoint;"
            " --key and --state do not go with it",
        )

    try:
        settings = Settings()
    except ValidationError as error:
        print(f"mingzhang: invalid setting: {describe_error(error)}", file=sys.stderr)
        return EXIT_BAD_SETTINGS

    try:
        if args.command == "serve":
            # Reach the database once before uvicorn starts, so a start-up problem (an unreachable
            # server, say) reads as one line instead of a traceback from every worker.
            # Under the start-up lock, as every worker and `mingzhang project`: the first start
            # creates tables and the vault's epoch file, which two processes must not both create.
            with settings.database.schema_lock():
                ledger = open_ledger(settings)
            empty = ledger.head() == 0
            ledger.close()
            if settings.read_only:
                signing_key(settings)  # a replica shows the primary's key and never makes one
            elif empty:
                print(EMPTY_HINT, file=sys.stderr)
            uvicorn.run(
                "api.app:create_app",
                factory=True,
                host=args.host or settings.host,
                port=args.port or settings.port,
                workers=args.workers or settings.workers,
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
            )
        elif args.command == "keys":
            return manage_keys(settings, args)
        elif args.command == "verify" and args.vault:
            return check_vault(settings)
        elif args.command == "verify":
            return verify_deployment(settings, args.key, args.state)
        elif args.command == "project":
            return project(settings)
        elif args.command == "export":
            return export(settings, args.file)
        elif args.command == "import":
            return import_bundle(settings, args.file, args.key)
        elif args.command == "demo":
            return load_demo(settings, args.events, args.seed)
        elif args.command == "overdue":
            return list_overdue(settings)
        elif args.command == "vault":
            return rotate_vault(settings)
        else:
            return rebuild_views(settings, args.view)
    except BundleError as error:
        return fail(EXIT_FAILED, f"{args.command}: {error}")
    except Exception as error:  # any failure ends in one line
        where = settings.database.describe()
        return fail(EXIT_FAILED, f"cannot {args.command} on {where}: {_one_line(error)}")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def load_demo(settings: Settings, events: int, seed: int) -> int:
    """Fill the configured ledger, which must be empty, with the demo dataset."""
    ledger = open_ledger(settings)
    try:
        if ledger.head() != 0:
            print(
                f"mingzhang: demo: the ledger on {settings.database.describe()} already holds "
                f"{ledger.head()} events; the demo fills only an empty ledger",
                file=sys.stderr,
            )
            return EXIT_FAILED
        report = fill(ledger, events=events, seed=seed)
    finally:
        ledger.close()
    print(
        f"mingzhang: demo wrote {report.events} events in {report.seconds:.1f} s "
        f"({report.events / max(report.seconds, 1e-9):,.0f} events/s) to "
        f"{settings.database.describe()}",
        file=sys.stderr,
    )
    return 0


def rotate_vault(settings: Settings) -> int:
    """`mingzhang vault rotate`: a new epoch for the vault (erasure does this by itself)."""
    ledger = open_ledger(settings)
    try:
        vault = ledger.vault
        if not isinstance(vault, Vault):
            return fail(EXIT_FAILED, "vault rotate: this deployment has no personal-data vault")
        epoch = vault.rotate()
    finally:
        ledger.close()
    print(
        f"mingzhang: the vault is at epoch {epoch}; the earlier epoch keys are destroyed",
        file=sys.stderr,
    )
    return 0


def list_overdue(settings: Settings) -> int:
    """Print the relief cases whose fast-path payments are past their ratification deadline today
    (the ledger's today: Shanghai's, or MINGZHANG_TODAY), most overdue first. Case and foundation
    ids only: no person."""
    ledger, views = open_ledger(settings), open_views(settings)
    try:
        # The disclosure view is brought up to the log first, so the answer holds even where no
        # server is running to keep it up to date.
        runner = Runner(ledger, views, [DisclosureView()], batch_size=5000)
        runner.catch_up()
        if runner.failed:
            name, error = next(iter(runner.failed.items()))
            return fail(EXIT_FAILED, f"overdue: view {name} stopped: {error}")
        today = ledger.today()
        overdue = 0
        for case in every_row(lambda page: reader.awaiting_ratification(views, None, page)):
            assert case.ratify_by is not None  # awaiting ratification, a case has its deadline
            late = days_overdue(case.ratify_by, today)
            if late > 0:
                overdue += 1
                print(f"{case.case_id}\t{case.foundation_id}\t{case.ratify_by}\t{late}")
    finally:
        views.close()
        ledger.close()
    print(f"mingzhang: {overdue} overdue on {today} (Asia/Shanghai)", file=sys.stderr)
    return 0


def manage_keys(settings: Settings, args: argparse.Namespace) -> int:
    if args.keys_command == "signing":
        print(signing_key(settings).verifier_key())
        return 0
    settings.database.prepare()
    keys = settings.database.open_keys()
    try:
        if args.keys_command == "create":
            if args.foundation is not None:
                ledger = open_ledger(settings)
                try:
                    ledger.get_organization(args.foundation, field="--foundation")
                finally:
                    ledger.close()
            key, token = keys.create(args.role, args.foundation)
            print(token)
            print(
                f"mingzhang: created {key.role} key {key.key_id}; the key above is shown only once",
                file=sys.stderr,
            )
        elif args.keys_command == "list":
            for key in keys.list():
                print(
                    f"{key.key_id}\t{key.role}\t{key.foundation_id or '-'}\t{key.created_at}"
                    f"\t{'revoked ' + key.revoked_at if key.revoked_at else 'active'}"
                )
        else:
            key = keys.revoke(args.key_id)
            print(f"mingzhang: key {key.key_id} revoked at {key.revoked_at}", file=sys.stderr)
    except KeyRefused as error:
        print(f"mingzhang: keys {args.keys_command}: {error}", file=sys.stderr)
        return EXIT_BAD_SETTINGS
    finally:
        keys.db.close()
    return 0


def fail(status: int, message: str) -> int:
    say(f"mingzhang: {message}")
    return status


class _ProgressLine:
    """Whether a progress line (redrawn with `\r`, no newline) is open on stderr."""

    open = False


def show_progress(text: str) -> None:
    print(f"\r{text}", end="", file=sys.stderr, flush=True)
    _ProgressLine.open = True


def end_progress() -> None:
    """End an open progress line, so that what is printed next starts a line of its own."""
    if _ProgressLine.open:
        print(file=sys.stderr)
        _ProgressLine.open = False


def say(line: str) -> None:
    """One line on stderr, never glued to the end of a progress line."""
    end_progress()
    print(line, file=sys.stderr)


def progress_line(what: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        show_progress(f"{what}: {done}/{total}")

    return show


def verifier_key_problem(text: str) -> str | None:
    """Why `text` is not a verifier key `<name>+<8 hex key id>+<base64 of 0x01 and 32 key bytes>`
    (transparency/signed_note.py), or None if it is one."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3 or not parts[0]:
        return "it is not three parts joined by +"
    name, hex_id, encoded = parts
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return "its last part is not base64"
    if len(hex_id) != 8 or any(c not in "0123456789abcdef" for c in hex_id):
        return f"its key id {hex_id[:20]} is not 8 hex digits"
    if len(raw) != 33:
        return f"its key is {len(raw)} bytes, not 33"
    if raw[:1] != ALGORITHM_ED25519:
        return "its key is not an Ed25519 key"
    if key_id(name, raw[1:]).hex() != hex_id:
        return "its key id does not match its name and key"
    return None


def kept_line(state: Path | None, kept_size: int | None, size: int) -> str | None:
    """What `--state` did, in local and bundle mode."""
    if state is None:
        return None
    if kept_size is None:
        return (
            f"verify: first verification: nothing was kept in {state}; kept the checkpoint at"
            f" size {size} there"
        )
    return (
        f"verify: consistent with the checkpoint at size {kept_size} verified before;"
        f" kept the one at size {size} in {state}"
    )


def covered_line(events: int, covered: int, checkpoints: int, what: str = "events") -> str:
    """Only the events a signed checkpoint covers count as verified; the later ones are named."""
    if covered == events:
        return (
            f"verified {events} {what} (all covered by the checkpoint at size {covered}) and"
            f" {checkpoints} checkpoints"
        )
    later = events - covered
    return (
        f"verified {covered} {what} and {checkpoints} checkpoints; {later} later"
        f" {'event is' if later == 1 else 'events are'} not yet covered by a signed checkpoint"
    )


def verify_elsewhere(
    url: str | None,
    bundle: Path | None,
    key: str | None,
    state: Path | None,
    witnesses: Sequence[CosignerKey] = (),
    quorum: int = 0,
) -> int:
    if url is not None:
        if not key:
            return fail(EXIT_BAD_SETTINGS, "verify: --url needs --key, the verifier key you pinned")
        try:
            progress = progress_line("verify: fetched entries")
            report = (
                verify_remote(url, key, state, progress, witnesses=witnesses, quorum=quorum)
                if quorum
                else verify_remote(url, key, state, progress)  # as before witnesses existed
            )
        except Unreachable as error:
            return fail(EXIT_FAILED, f"verify: {error}")
        end_progress()
        problems = report.problems
        if report.ok and report.checkpoint is not None:
            since = (
                f", consistent with size {report.previous.size} verified before"
                if report.previous
                else " (first verification: nothing kept before)"
            )
            say(
                f"verified {report.url} at size {report.checkpoint.size}{since};"
                f" kept in {report.state}"
            )
            if quorum:
                say(f"verify: {witness_cli.cosigned_line(report.checkpoint.note, witnesses)}")
    else:
        assert bundle is not None
        check = check_bundle(
            bundle, key, lambda done: show_progress(f"verify: {done} entries hashed"), state
        )
        say(f"verify: signatures checked against {describe_key(check)}")
        problems = check.problems
        if check.ok and check.audit.last is not None:
            say(
                f"verified {check.audit.tree.size} entries and {len(check.audit.checkpoints)}"
                f" checkpoints of {check.audit.last.origin} in {bundle}"
            )
            kept = kept_line(
                check.state, check.kept.size if check.kept else None, check.audit.last.size
            )
            if kept is not None:
                say(kept)
            if key is None:
                say(
                    "verify: only the bundle's own key was used: this shows the bundle is intact,"
                    " not who made it; pass --key with the deployment's published key"
                )
    for problem in problems:
        say(f"mingzhang: verify: {problem}")
    return EXIT_FAILED if problems else 0


def mirror_log(url: str, folder: Path) -> int:
    """`mirror URL DIR`: one line saying what was copied, or one line saying why not."""
    try:
        report = mirror(url, folder, progress_line("mirror: tiles"))
    except (Unreachable, Withheld, MirrorError) as error:
        return fail(EXIT_FAILED, f"mirror: {error}")
    except OSError as error:
        return fail(EXIT_FAILED, f"mirror: cannot write into {folder}: {error.strerror or error}")
    say(
        f"mirror: the log at size {report.size} is in {folder}: {report.fetched} tiles fetched,"
        f" {report.already} already there"
    )
    return 0


def verify_served_views(
    url: str,
    key: str | None,
    state: Path | None,
    witnesses: Sequence[CosignerKey] = (),
    quorum: int = 0,
) -> int:
    """`verify --url URL --key KEY --views`: the log, then every public answer re-derived from it."""
    if not key:
        return fail(EXIT_BAD_SETTINGS, "verify: --url needs --key, the verifier key you pinned")
    from cli.verify_views import verify_views  # the web stack in process: only when asked for

    try:
        report = verify_views(
            url,
            key,
            state,
            progress_line("verify: fetched entries"),
            progress_line("verify: fetched entries again to rebuild the views"),
            witnesses,
            quorum,
        )
    except Unreachable as error:
        end_progress()
        return fail(EXIT_FAILED, f"verify: {error}")
    except Exception as error:  # the temporary store, say: still one line, never a traceback
        end_progress()
        return fail(EXIT_FAILED, f"verify: cannot re-derive the views: {_one_line(error)}")
    end_progress()
    for note in report.notes:
        say(f"verify: note: {note}")
    for problem in [*report.remote.problems, *report.problems]:
        say(f"mingzhang: verify: {problem}")
    if report.ok and report.remote.checkpoint is not None:
        print(
            f"verified {report.remote.url} at size {report.remote.checkpoint.size};"
            f" kept in {report.remote.state}",
            file=sys.stderr,
        )
        if quorum:
            say(f"verify: {witness_cli.cosigned_line(report.remote.checkpoint.note, witnesses)}")
        at = ", ".join(f"{name} at position {p}" for name, p in report.positions.items())
        print(
            f"verified {report.remote.url}: {report.answers} public answers ({report.rows} rows)"
            f" re-derived from the log ({at}) in {report.seconds:.1f} s",
            file=sys.stderr,
        )
    return 0 if report.ok else EXIT_FAILED


def export(settings: Settings, path: Path) -> int:
    ledger, views = open_ledger(settings), open_views(settings)
    try:
        size, checkpoints = export_bundle(
            ledger, views, signing_key(settings).verifier_key(), path, progress_line("export")
        )
    finally:
        views.close()
        ledger.close()
    end_progress()
    print(f"exported {size} entries and {checkpoints} checkpoints to {path}")
    return 0


def import_bundle(settings: Settings, path: Path, key: str | None) -> int:
    # Verify first, touching nothing: a bundle that does not hold never reaches the database.
    check = check_bundle(path, key)
    last = check.audit.last
    if not check.ok or last is None:
        reason = check.problems[0] if check.problems else "no signed checkpoint"
        return fail(EXIT_FAILED, f"import: refused {path} ({describe_key(check)}): {reason}")
    ledger, views = open_ledger(settings), open_views(settings)
    try:
        where = settings.database.describe()
        if not log_is_empty(ledger, views):
            return fail(EXIT_FAILED, f"import: refused: the log on {where} is not empty")
        done = import_entries(ledger, path, progress_line("import: events"))
        end_progress()
        runner = Runner(ledger, views, service_views(settings), batch_size=5000)
        runner.catch_up()
        stopped = [s for s in runner.status() if s.stopped_at is not None]
        if stopped:
            first = stopped[0]
            return fail(
                EXIT_FAILED,
                f"import: view {first.view} stopped at position {first.stopped_at}: {first.error}",
            )
        # The file is read twice (verified, then loaded); this compares what was loaded.
        root = root_at(views, last.size)
        if root != last.root:
            return fail(
                EXIT_FAILED,
                f"import: the imported log's root at size {last.size} is not the bundle's",
            )
    finally:
        views.close()
        ledger.close()
    print(f"imported {done} events into {where}; root at size {last.size}: {root.hex()}")
    if last.origin != settings.log_origin:
        print(
            f"mingzhang: note: this deployment signs as {settings.log_origin!r}; the bundle was"
            f" signed as {last.origin!r}",
            file=sys.stderr,
        )
    return 0


def project(settings: Settings) -> int:
    if settings.read_only:
        return fail(
            EXIT_BAD_SETTINGS,
            "project: MINGZHANG_READ_ONLY is set; the projector writes the views, so it runs "
            "against the primary (a replica receives them by replication)",
        )
    with settings.database.schema_lock():  # API workers may be creating the same tables
        ledger, views = open_ledger(settings), open_views(settings)
        runner = Runner(ledger, views, service_views(settings))

    def stop(signum: int, frame: FrameType | None) -> None:
        runner.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(
        f"mingzhang: projecting {', '.join(runner.views)} (log head {ledger.head()})",
        file=sys.stderr,
    )
    runner.start()
    runner.wait()
    ledger.close()
    views.close()
    print("mingzhang: projection stopped", file=sys.stderr)
    return 0


def verify_deployment(settings: Settings, key: str | None, state: Path | None) -> int:
    ledger, views = open_ledger(settings), open_views(settings)
    if ledger.head() > 0 and not has_stored_tree(views):
        head = ledger.head()
        views.close()
        ledger.close()
        return fail(
            EXIT_FAILED,
            f"verify: the log holds {head} events but no transparency tree yet, so nothing is"
            " signed: build the views with `mingzhang rebuild` (or run `mingzhang serve`)",
        )
    own = key is None
    key = key or signing_key(settings).verifier_key()
    try:
        report = verify_local(
            ledger,
            views,
            key,
            all_views(),
            lambda done, total: show_progress(f"verify: {done}/{total} events hashed"),
            state,
            origin=settings.log_origin,
        )
    finally:
        views.close()
        ledger.close()
    end_progress()
    if own:
        say(
            f"verify: signatures checked against this deployment's own key ({key_name(key)});"
            " pass --key with the published key to check it independently"
        )
    for problem in report.problems:
        say(f"mingzhang: verify: {problem}")
    if report.ok:
        say(covered_line(report.events, report.covered, report.checkpoints))
        kept = kept_line(report.state, report.kept.size if report.kept else None, report.covered)
        if kept is not None:
            say(kept)
    return 0 if report.ok else EXIT_FAILED


def check_vault(settings: Settings) -> int:
    """`verify --vault`: every reference's data in the vault against its event's commitment."""
    ledger = open_ledger(settings)
    try:
        if not isinstance(ledger.vault, Vault):
            return fail(EXIT_FAILED, "verify: this deployment has no personal-data vault")
        report = verify_vault(ledger, ledger.vault, progress_line("verify: events read"))
    finally:
        ledger.close()
    for problem in report.problems:
        say(f"mingzhang: verify: {problem}")
    if report.ok:
        say(
            f"verified the vault: {report.opened} references open their commitments"
            f" ({report.erased} erased, not openable); {report.reasons} relief cases' reasons"
            " open theirs"
        )
    return 0 if report.ok else EXIT_FAILED


def rebuild_views(settings: Settings, only: str | None) -> int:
    ledger, views = open_ledger(settings), open_views(settings)
    runner = Runner(ledger, views, service_views(settings), batch_size=5000)
    names = [only] if only else list(runner.views)
    unknown = [name for name in names if name not in runner.views]
    if unknown:
        print(
            f"mingzhang: rebuild: unknown view {unknown[0]!r}; views are {', '.join(runner.views)}",
            file=sys.stderr,
        )
        return EXIT_BAD_SETTINGS
    for name in names:
        try:
            done = runner.rebuild_with_progress(name, show_progress)
        except ViewStopped as stopped:
            return fail(EXIT_FAILED, f"rebuild: {stopped}")
        print(f"\rmingzhang: rebuilt {name} from {done} events", file=sys.stderr)
        _ProgressLine.open = False  # the line above overwrote the progress line and ended it
    return 0


if __name__ == "__main__":
    sys.exit(main())
