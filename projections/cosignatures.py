"""Witness cosignatures of the log's checkpoints: the table beside tlog_checkpoints, the checkpoint
served with them, and the background submitter that collects them.

`tlog_cosignatures` keeps one cosignature/v1 line per (checkpoint size, witness key). It is not a
view: nothing in it can be recomputed from the events, so `mingzhang rebuild` does not drop it, and
what is read from it is checked again before it is served (`cosigned_note` appends a line only if it
verifies with its witness's key over the note's own text: an edited row is dropped, not served).

`Submitter` runs a ticker and one daemon thread per configured witness. Every `interval` seconds
the ticker picks the latest signed checkpoint as the target, the same for all; each witness's thread
offers it with the consistency proof from the size that witness last cosigned (read from its stored
cosignatures, 0 for a new witness), and on a 409 once more from the size the witness reports. It
never touches a command's path: commands write the events, the transparency view signs checkpoints,
and these threads only read those and write their own table. So a cosigned checkpoint is at most
about one interval, plus one or two witness round trips, behind the latest signed one, however busy
the ledger: each target is the latest checkpoint, the ones signed in between covered by its proof,
so no backlog forms. `served_checkpoint` is what `/transparency/checkpoint` publishes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from projections.transparency import (
    Checkpoint,
    checkpoint_signed_at,
    consistency_path,
    latest_checkpoint,
)
from storage.viewdb import ViewDB
from transparency.cosignature import (
    CosignerKey,
    append_cosignatures,
    parse_note,
    parse_signature_line,
    verify_cosignature,
)
from transparency.log_audit import parse_checkpoint_body
from transparency.signed_note import NoteError
from transparency.witness_client import (
    Conflict,
    Connection,
    WitnessEntry,
    WitnessUnavailable,
    submit,
)

log = logging.getLogger("mingzhang.witnesses")
BACKOFF_SECONDS = 60.0

DDL = (
    "CREATE TABLE IF NOT EXISTS tlog_cosignatures (size BIGINT NOT NULL, witness TEXT NOT NULL,"
    " line TEXT NOT NULL, PRIMARY KEY (size, witness))",
    # A witness's latest sizes, read on every /transparency/checkpoint: the table grows by a row per
    # witness per checkpoint offered (one an interval while the ledger is busy).
    "CREATE INDEX IF NOT EXISTS tlog_cosignatures_by_witness ON tlog_cosignatures (witness, size)",
)
# How many of each witness's latest cosigned sizes are looked at for one both (or K) cosigned: they
# are offered the same targets, so the latest common one is among the last few of each.
RECENT = 8


def create_table(db: ViewDB) -> None:
    for statement in DDL:
        db.execute(statement)


def store(db: ViewDB, size: int, witness: CosignerKey, lines: Sequence[str]) -> None:
    for line in lines:
        db.execute(
            "INSERT INTO tlog_cosignatures VALUES (?, ?, ?) ON CONFLICT (size, witness)"
            " DO UPDATE SET line = excluded.line",
            (size, witness.text, line),
        )


def stored_lines(db: ViewDB, size: int) -> list[tuple[str, str]]:
    """(witness key, line) of the cosignatures stored for the checkpoint of `size`."""
    rows = db.execute(
        "SELECT witness, line FROM tlog_cosignatures WHERE size = ? ORDER BY witness", (size,)
    )
    return [(str(witness), str(line)) for witness, line in rows]


def valid_cosignatures(db: ViewDB, note: str) -> list[str]:
    """The stored cosignature lines for `note` that verify over its text with their witness's key."""
    return [line for _, line in _valid(db, note)]


def _valid(db: ViewDB, note: str) -> list[tuple[str, str]]:
    try:
        parsed = parse_note(note)
        _, size, _ = parse_checkpoint_body(parsed.text)
    except (NoteError, ValueError):
        return []
    valid = []
    for witness, line in stored_lines(db, size):
        try:
            found = verify_cosignature(
                parsed.text, parse_signature_line(line), CosignerKey.parse(witness)
            )
        except NoteError:
            found = None
        if found is None:
            log.warning("a stored cosignature at size %d does not verify; not served", size)
            continue
        valid.append((witness, found.line))
    return valid


def cosigned_note(db: ViewDB, note: str) -> str:
    """`note` with the witnesses' cosignature lines stored for it appended (only those that verify)."""
    return append_cosignatures(note, valid_cosignatures(db, note))


def served_checkpoint(
    db: ViewDB, witnesses: Sequence[CosignerKey], quorum: int | None
) -> Checkpoint | None:
    """The checkpoint to publish, its note carrying the cosignatures: with no witnesses, the latest
    signed; with witnesses, the latest one at least `quorum` of them (default all) validly
    cosigned, and None until one has. Never the latest signed as a stopgap: what is served must
    only grow, or a verifier who kept the stopgap would read the quorum's older one as a rollback."""
    if not witnesses:
        latest = latest_checkpoint(db)
        return None if latest is None else _with_lines(db, latest)
    keys = list(dict.fromkeys(w.text for w in witnesses))
    needed = len(keys) if quorum is None else min(quorum, len(keys))
    counted: dict[int, int] = {}
    for witness in keys:
        rows = db.execute(
            "SELECT size FROM tlog_cosignatures WHERE witness = ? ORDER BY size DESC LIMIT ?",
            (witness, RECENT),
        )
        for (size,) in rows:
            counted[int(size)] = counted.get(int(size), 0) + 1
    recent = sorted((size for size, n in counted.items() if n >= needed), reverse=True)
    found = _first_with_quorum(db, recent[:4], set(keys), needed)
    if found is None:
        # A witness that was down long enough has nothing in common with the others' latest:
        # the whole table, grouped (rare: only until it catches up).
        rows = db.execute(
            "SELECT size FROM tlog_cosignatures WHERE witness IN"
            f" ({', '.join('?' for _ in keys)}) GROUP BY size HAVING COUNT(*) >= ?"
            " ORDER BY size DESC LIMIT 4",
            (*keys, needed),
        )
        found = _first_with_quorum(db, [int(size) for (size,) in rows], set(keys), needed)
    return found


def _first_with_quorum(
    db: ViewDB, sizes: Sequence[int], keys: set[str], needed: int
) -> Checkpoint | None:
    """The first checkpoint of `sizes` with `needed` valid cosignatures by `keys` (the rows are
    unsigned: the lines are checked before being counted)."""
    for size in sizes:
        found = checkpoint_signed_at(db, size)
        if found is None:
            continue
        lines = _lines_by(db, found.note, keys)
        if len(lines) >= needed:
            return Checkpoint(found.size, found.root, append_cosignatures(found.note, lines))
    return None


def _with_lines(db: ViewDB, found: Checkpoint) -> Checkpoint:
    return Checkpoint(found.size, found.root, cosigned_note(db, found.note))


def _lines_by(db: ViewDB, note: str, keys: set[str]) -> list[str]:
    """The valid stored cosignatures of `note` by the witnesses `keys`."""
    return [line for witness, line in _valid(db, note) if witness in keys]


def last_cosigned_size(db: ViewDB, witness: CosignerKey) -> int:
    rows = db.execute("SELECT MAX(size) FROM tlog_cosignatures WHERE witness = ?", (witness.text,))
    return int(rows[0][0] or 0)


class Submitter:
    """A ticker that picks, every `interval` seconds, the latest signed checkpoint as the target,
    and one thread per witness that offers it each new target. All witnesses are offered the same
    checkpoints: were each to take the latest when it happened to wake, under load no two would
    cosign the same one, and no checkpoint would reach a quorum. A slow witness skips targets; the
    others' cosignatures of the ones it did get still meet it there."""

    def __init__(self, db: ViewDB, witnesses: Sequence[WitnessEntry], interval: float) -> None:
        self.db = db
        self.witnesses = list(witnesses)
        self.interval = interval
        self._stop = threading.Event()
        self._changed = threading.Condition()
        self._target: Checkpoint | None = None
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        if not self.witnesses:
            return
        self._threads = [threading.Thread(target=self._tick, name="witness ticker", daemon=True)]
        self._threads += [
            threading.Thread(target=self._run, args=(w,), name=f"witness {w.url}", daemon=True)
            for w in self.witnesses
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        for thread in self._threads:
            thread.join(timeout=15)

    def _tick(self) -> None:
        while not self._stop.is_set():
            try:
                latest = latest_checkpoint(self.db)
            except Exception:  # a database outage, say: logged, tried again next interval
                log.exception("witnesses: cannot read the latest checkpoint")
                latest = None
            with self._changed:
                if latest is not None and (self._target is None or latest.size > self._target.size):
                    self._target = latest
                    self._changed.notify_all()
            self._stop.wait(self.interval)

    def _next_target(self, done: int | None) -> Checkpoint | None:
        """The target once it is not the one `done` (or None when stopping)."""
        with self._changed:
            self._changed.wait_for(
                lambda: (
                    self._stop.is_set() or (self._target is not None and self._target.size != done)
                )
            )
            return None if self._stop.is_set() else self._target

    def _run(self, witness: WitnessEntry) -> None:
        known: int | None = None  # the witness's size, as far as this thread knows
        done: int | None = None  # the last target offered without failure
        failures = 0
        connection = Connection(witness)
        while (target := self._next_target(done)) is not None:
            try:
                known = self.offer(witness, known, target, connection)
                done, failures = target.size, 0
                continue
            except WitnessUnavailable as error:
                failures += 1
                log.warning("witness: %s (failure %d in a row)", error, failures)
            except Exception:  # a database outage, say: logged, tried again
                failures += 1
                log.exception("witness %s: cannot offer the latest checkpoint", witness.url)
            # A witness that is down is asked less and less often (at most every BACKOFF_SECONDS),
            # so it neither floods the log nor, when back, waits long to be asked again.
            self._stop.wait(min(self.interval * 2 ** min(failures, 16), BACKOFF_SECONDS))
        connection.close()

    def offer(
        self,
        witness: WitnessEntry,
        known: int | None,
        checkpoint: Checkpoint | None = None,
        connection: Connection | None = None,
    ) -> int | None:
        """Offer `checkpoint` (default the latest) to `witness`, believed to be at size `known`;
        the size it is at afterwards, as far as can be told."""
        latest = checkpoint or latest_checkpoint(self.db)
        if latest is None:
            return known
        if known is None:
            known = last_cosigned_size(self.db, witness.key)
        stored = {key for key, _ in stored_lines(self.db, latest.size)}
        if known == latest.size and witness.key.text in stored:
            return known
        text = parse_note(latest.note).text
        for _ in range(2):  # the second time from the size a 409 named
            if known > latest.size:
                # Another process of this deployment offered a later one (a moment ago), or this
                # log was rolled back behind what the witness cosigned (it will never cosign again).
                log.info("witness %s is at size %d, beyond %d", witness.url, known, latest.size)
                return known
            proof = consistency_path(self.db, known, latest.size) if known else []
            answer = submit(witness, known, proof, latest.note, text, connection)
            if isinstance(answer, Conflict):
                log.info("witness %s is at size %d; offering from there", witness.url, answer.size)
                known = answer.size
                continue
            store(self.db, latest.size, witness.key, answer)
            return latest.size
        return known


@dataclass(frozen=True)
class LastCosigned:
    """What a witness last cosigned for this log, as far as the stored lines verify: the size and
    the cosignature's own timestamp (None, None before its first valid one)."""

    witness: WitnessEntry
    size: int | None
    timestamp: int | None


def last_cosigned(db: ViewDB, witnesses: Sequence[WitnessEntry]) -> list[LastCosigned]:
    """Per witness, its latest stored cosignature that verifies over the checkpoint it names."""
    found = []
    for witness in witnesses:
        rows = db.execute(
            "SELECT c.size, c.line, k.note FROM tlog_cosignatures c JOIN tlog_checkpoints k"
            " ON k.size = c.size WHERE c.witness = ? ORDER BY c.size DESC LIMIT 4",
            (witness.key.text,),
        )
        last = LastCosigned(witness, None, None)
        for size, line, note in rows:
            try:
                text = parse_note(str(note)).text
                cosignature = verify_cosignature(text, parse_signature_line(str(line)), witness.key)
            except NoteError:
                continue
            if cosignature is not None:
                last = LastCosigned(witness, int(size), cosignature.timestamp)
                break
        found.append(last)
    return found
