"""The `mingzhang` command line: `mingzhang serve` for now; later issues add import, project, verify.

Every failure is one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import uvicorn
from pydantic import ValidationError

from api.ledger_factory import open_ledger
from api.settings import Settings, describe_error

EXIT_BAD_SETTINGS = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mingzhang", description="Mingzhang (明账) ledger")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API with uvicorn")
    serve.add_argument("--host", help="listen address (default MINGZHANG_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="listen port (default MINGZHANG_PORT or 8000)")
    serve.add_argument(
        "--workers", type=int, help="worker processes (default MINGZHANG_WORKERS or 1)"
    )
    args = parser.parse_args(argv)

    try:
        settings = Settings()
    except ValidationError as error:
        print(f"mingzhang: invalid setting: {describe_error(error)}", file=sys.stderr)
        return EXIT_BAD_SETTINGS

    if args.command == "serve":
        try:
            # Reach the database once before uvicorn starts, so a start-up problem (an unreachable
            # server, say) reads as one line instead of a traceback from every worker.
            open_ledger(settings).close()
        except Exception as error:  # any start-up failure ends in one line
            where = settings.database.describe()
            reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
            print(f"mingzhang: cannot start on {where}: {reason}", file=sys.stderr)
            return 1
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            host=args.host or settings.host,
            port=args.port or settings.port,
            workers=args.workers or settings.workers,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
