"""The checkpoint an auditor keeps between verifications (`mingzhang verify --state FILE`).

Local, remote and bundle verification share it: `read_kept` opens the kept note with the key in use,
`kept_problems` decides whether today's latest checkpoint may follow it (the same origin, no smaller
tree, the first *old size* entries still giving the kept root, and an RFC 9162 consistency proof from
the kept checkpoint to today's that verifies: the server's in remote mode, one recomputed from the
rebuilt tree otherwise), and `write_atomically` replaces the kept note once everything held. Like Go's
sumdb client, this is what turns "the log is consistent with itself" into "the log is consistent with
what I saw before". Standard library and `transparency` only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from transparency.log_audit import (
    Checkpoint,
    extension_problems,
    key_name,
    open_checkpoint,
    successor_problems,
)
from transparency.tlog import MemoryTree


def read_kept(state: Path, key: str, problems: list[str]) -> Checkpoint | None:
    """The checkpoint kept in `state`, or None when there is no such file yet (a first
    verification). A file that cannot be read, or holds no checkpoint `key` signed, is a problem."""
    try:
        note = state.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"cannot read the state file {state}: {error}")
        return None
    try:
        return open_checkpoint(note, key)
    except ValueError as error:
        problems.append(
            f"the state file {state} holds no checkpoint signed by the pinned key"
            f" {key_name(key)}: {error}"
        )
        return None


def kept_problems(
    state: Path,
    kept: Checkpoint,
    latest: Checkpoint,
    prefix_root: bytes | None,
    proof: Sequence[bytes] | None,
) -> list[str]:
    """Can `latest` follow `kept`? `prefix_root` is the root of the first `kept.size` entries as
    recomputed, `proof` the consistency proof from `kept` to `latest`; None when the entries at hand
    do not reach `kept.size` (then only the origin and the sizes are compared)."""
    problems = successor_problems(kept, latest)
    if problems:
        # Which file keeps the earlier checkpoint: a rollback may be the file's mistake, not the log's.
        return [f"{problems[-1]} (state file {state})"]
    if prefix_root is None or proof is None:
        return []
    return extension_problems(kept, latest, prefix_root, proof)


def check_kept(
    state: Path, key: str, latest: Checkpoint, tree: MemoryTree
) -> tuple[Checkpoint | None, list[str]]:
    """Local and bundle mode: the kept checkpoint in `state` (None if none yet) and the problems
    with `latest` following it, the consistency proof recomputed from the rebuilt `tree`."""
    problems: list[str] = []
    kept = read_kept(state, key, problems)
    if kept is None or problems:
        return kept, problems
    fits = kept.size <= latest.size <= tree.size
    prefix = tree.root(kept.size) if fits else None
    proof = tree.consistency_proof(kept.size, latest.size) if fits else None
    return kept, kept_problems(state, kept, latest, prefix, proof)


def keep(state: Path, note: str, problems: list[str]) -> bool:
    """Write `note` to `state` (atomically); a file that cannot be written is a problem, so that the
    auditor knows the next run will compare with an older checkpoint, or none."""
    try:
        write_atomically(state, note)
    except OSError as error:
        problems.append(f"cannot write the state file {state}: {error.strerror or error}")
        return False
    return True


def write_atomically(path: Path, text: str) -> None:
    """Temporary file, flushed to disk, renamed over the old one: a crash leaves the old or the new
    checkpoint, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
