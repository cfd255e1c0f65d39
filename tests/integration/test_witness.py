"""A witness over real HTTP on loopback: it cosigns a log that only grows, and answers everything
else with the status tlog-witness.md prescribes, keeping what it cosigned across restarts."""

from __future__ import annotations

import base64
import json
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
import uvicorn

from api.witness_app import create_witness_app
from cli.main import main
from tests.deployments import free_port, serving
from transparency.cosignature import Cosigner, CosignerKey, cosignatures, parse_note
from transparency.signed_note import Signer, checkpoint_body
from transparency.tlog import MemoryTree
from transparency.witness import Witness, WitnessState, origin_hash, parse_submission
from transparency.witness_client import Connection, WitnessEntry, submit

ORIGIN = "mingzhang.test/ledger"
VECTOR_FILE = Path(__file__).resolve().parents[1] / "vectors" / "cosignature.json"


class Log:
    """An honest log in memory: leaves appended, checkpoints signed, proofs from its own tree."""

    def __init__(self, signer: Signer | None = None, origin: str = ORIGIN) -> None:
        self.signer = signer or Signer.generate(origin)
        self.origin = origin
        self.tree = MemoryTree()

    def grow(self, to: int) -> None:
        while self.tree.size < to:
            self.tree.append_data(f"entry {self.tree.size}".encode())

    def checkpoint(self, size: int | None = None) -> str:
        size = self.tree.size if size is None else size
        return self.signer.sign(checkpoint_body(self.origin, size, self.tree.root(size)))

    def body(self, old: int, size: int | None = None) -> bytes:
        size = self.tree.size if size is None else size
        proof = self.tree.consistency_proof(old, size) if 0 < old <= size else []
        lines = "".join(base64.b64encode(p).decode() + "\n" for p in proof)
        return f"old {old}\n{lines}\n{self.checkpoint(size)}".encode()


def post(url: str, body: bytes) -> tuple[int, str, str]:
    request = urllib.request.Request(f"{url}/add-checkpoint", data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        with error:  # an unclosed answer is a ResourceWarning, which fails some later test
            return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.fixture
def log() -> Log:
    return Log()


@pytest.fixture
def cosigner() -> Cosigner:
    return Cosigner.generate("witness.test/w1")


@contextmanager
def witness_at(cosigner: Cosigner, log: Log, state: Path) -> Iterator[str]:
    witness = Witness(cosigner, {log.origin: [log.signer.verifier_key()]}, WitnessState(state))
    with serving(create_witness_app(witness)) as url:
        yield url


def cosigned(answer: str, log: Log, cosigner: Cosigner, size: int) -> bool:
    note = log.checkpoint(size) + answer
    return bool(cosignatures(note, [CosignerKey.parse(cosigner.verifier_key())]))


def test_an_honest_sequence_is_cosigned_each_time(
    log: Log, cosigner: Cosigner, tmp_path: Path
) -> None:
    with witness_at(cosigner, log, tmp_path / "w.sqlite") as url:
        old = 0
        for size in (1, 2, 7, 8, 8, 300):
            log.grow(size)
            status, content_type, answer = post(url, log.body(old))
            assert status == 200, answer
            assert content_type.startswith("text/plain")
            assert answer.startswith("\u2014 witness.test/w1 ")
            assert cosigned(answer, log, cosigner, size)
            old = size


def test_a_fork_at_the_same_size_with_another_root_is_refused(
    log: Log, cosigner: Cosigner, tmp_path: Path
) -> None:
    fork = Log(log.signer)  # the same key, another history
    with witness_at(cosigner, log, tmp_path / "w.sqlite") as url:
        log.grow(5)
        assert post(url, log.body(0))[0] == 200
        fork.tree.append_data(b"a different first entry")
        fork.grow(5)
        status, _, answer = post(url, fork.body(5))
        assert status == 422
        assert "another root" in answer
        # Forked further on, with a proof from the fork's own size 5: still not consistent.
        fork.grow(9)
        assert post(url, fork.body(5))[0] == 422
    # The log signed both histories: the witness kept the refused checkpoints as evidence.
    kept = WitnessState(tmp_path / "w.sqlite").evidence(ORIGIN)
    assert kept == [fork.checkpoint(5), fork.checkpoint(9)]


def test_a_smaller_tree_is_refused(log: Log, cosigner: Cosigner, tmp_path: Path) -> None:
    with witness_at(cosigner, log, tmp_path / "w.sqlite") as url:
        log.grow(8)
        assert post(url, log.body(0))[0] == 200
        assert post(url, log.body(8, 5))[0] == 400  # an old size above the checkpoint's
        status, content_type, answer = post(url, log.body(5, 5))
        assert (status, content_type, answer) == (409, "text/x.tlog.size", "8\n")


def test_a_wrong_old_size_is_409_with_the_witness_s_size(
    log: Log, cosigner: Cosigner, tmp_path: Path
) -> None:
    with witness_at(cosigner, log, tmp_path / "w.sqlite") as url:
        log.grow(3)
        assert post(url, log.body(0))[0] == 200
        log.grow(10)
        assert post(url, log.body(0)) == (409, "text/x.tlog.size", "3\n")
        assert post(url, log.body(4)) == (409, "text/x.tlog.size", "3\n")
        # The log retries from the size the witness reported, as a log's submitter does.
        assert post(url, log.body(3))[0] == 200


def test_a_bad_proof_is_refused(log: Log, cosigner: Cosigner, tmp_path: Path) -> None:
    with witness_at(cosigner, log, tmp_path / "w.sqlite") as url:
        log.grow(6)
        assert post(url, log.body(0))[0] == 200
        log.grow(13)
        good = log.body(6).decode()
        head, _, rest = good.partition("\n\n")
        lines = head.split("\n")
        lines[1] = base64.b64encode(bytes(32)).decode()
        assert post(url, ("\n".join(lines) + "\n\n" + rest).encode())[0] == 422
        assert post(url, ("\n".join(lines[:-1]) + "\n\n" + rest).encode())[0] == 422  # short
        assert post(url, good.encode())[0] == 200


def test_a_proof_from_size_zero_must_be_empty(log: Log, cosigner: Cosigner, tmp_path: Path) -> None:
    with witness_at(cosigner, log, tmp_path / "w.sqlite") as url:
        log.grow(4)
        node = base64.b64encode(bytes(32)).decode()
        body = log.body(0).replace(b"old 0\n", f"old 0\n{node}\n".encode())
        assert post(url, body)[0] == 422


def test_an_empty_tree_has_the_empty_root(log: Log, cosigner: Cosigner, tmp_path: Path) -> None:
    with witness_at(cosigner, log, tmp_path / "w.sqlite") as url:
        assert post(url, log.body(0))[0] == 200  # size 0, SHA-256("")
        wrong = log.signer.sign(checkpoint_body(ORIGIN, 0, bytes(32)))
        assert post(url, f"old 0\n\n{wrong}".encode())[0] == 422


def test_unknown_origin_bad_signature_and_malformed_bodies(
    log: Log, cosigner: Cosigner, tmp_path: Path
) -> None:
    with witness_at(cosigner, log, tmp_path / "w.sqlite") as url:
        log.grow(2)
        assert post(url, Log(origin="elsewhere.test/log").body(0))[0] == 404
        impostor = Log(Signer.generate(ORIGIN))  # the right origin and name, another key
        impostor.grow(2)
        assert post(url, impostor.body(0))[0] == 403
        tampered = log.body(0).decode()
        encoded = tampered.rsplit("\n", 2)[-2].rsplit(" ", 1)[1]
        blob = bytearray(base64.b64decode(encoded))
        blob[10] ^= 1
        forged = tampered.replace(encoded, base64.b64encode(bytes(blob)).decode())
        assert post(url, forged.encode())[0] == 403
        for body in (
            b"",
            b"old 0\n",  # no blank line, no checkpoint
            b"old 00\n\n" + log.checkpoint().encode(),
            b"old -1\n\n" + log.checkpoint().encode(),
            b"new 0\n\n" + log.checkpoint().encode(),
            b"old 0\n\n\n" + log.checkpoint().encode(),  # no origin line
            b"old 0\nnot base64!\n\n" + log.checkpoint().encode(),
            b"old 0\nAAAA\n\n" + log.checkpoint().encode(),  # not 32 bytes
            ("old 0\n" + "A" * 43 + "=\n") * 64 + "\n" + log.checkpoint(),
            b"\xff\xfe",
        ):
            data = body if isinstance(body, bytes) else body.encode()
            assert post(url, data)[0] == 400, body[:40]
        assert post(url, log.body(0))[0] == 200  # none of that moved the witness


def test_what_was_cosigned_survives_a_restart(log: Log, cosigner: Cosigner, tmp_path: Path) -> None:
    state = tmp_path / "w.sqlite"
    log.grow(21)
    with witness_at(cosigner, log, state) as url:
        assert post(url, log.body(0))[0] == 200
    with witness_at(Cosigner.parse(cosigner.encode()), log, state) as url:
        assert post(url, log.body(0)) == (409, "text/x.tlog.size", "21\n")
        fork = Log(log.signer)  # the same key, another first entry
        fork.tree.append_data(b"x")
        fork.grow(22)
        assert post(url, fork.body(21))[0] == 422
        log.grow(30)
        assert post(url, log.body(21))[0] == 200


def test_concurrent_submissions_from_one_size_advance_it_once(
    log: Log, cosigner: Cosigner, tmp_path: Path
) -> None:
    log.grow(4)
    with witness_at(cosigner, log, tmp_path / "w.sqlite") as url:
        assert post(url, log.body(0))[0] == 200
        log.grow(40)
        bodies = [log.body(4, size) for size in range(10, 40, 3)]
        statuses: list[int] = []
        threads = [
            threading.Thread(target=lambda b=b: statuses.append(post(url, b)[0])) for b in bodies
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [200] + [409] * (len(bodies) - 1)


def test_an_edited_state_stops_the_witness_instead_of_moving_it(
    log: Log, cosigner: Cosigner, tmp_path: Path
) -> None:
    state = tmp_path / "w.sqlite"
    log.grow(9)
    with witness_at(cosigner, log, state) as url:
        assert post(url, log.body(0))[0] == 200
        # Someone with the file but not the key rolls the witness back to size 3.
        small = log.checkpoint(3)
        with closing(sqlite3.connect(state)) as db, db:
            db.execute("UPDATE witnessed SET size = 3, note = ?", (small,))
        assert post(url, log.body(3))[0] == 503


def test_the_monitoring_endpoint_serves_the_cosigned_checkpoint(
    log: Log, cosigner: Cosigner, tmp_path: Path
) -> None:
    with witness_at(cosigner, log, tmp_path / "w.sqlite") as url:
        hashed = origin_hash(ORIGIN)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{url}/{hashed}/checkpoint", timeout=30)
        with missing.value as answer:
            assert answer.code == 404
        log.grow(3)
        assert post(url, log.body(0))[0] == 200
        with urllib.request.urlopen(f"{url}/{hashed}/checkpoint", timeout=30) as response:
            note = response.read().decode()
        assert note.startswith(log.checkpoint())
        assert cosignatures(note, [CosignerKey.parse(cosigner.verifier_key())])


def test_the_specs_request_body_parses() -> None:
    vector = json.loads(VECTOR_FILE.read_text())
    submission = parse_submission(vector["spec_add_checkpoint_request"].encode())
    assert submission.old_size == 20852014
    assert len(submission.proof) == 4
    assert submission.note.startswith("example.com/behind-the-sofa\n20852163\n")


def test_keygen_and_serve_run_a_witness_as_its_own_process(
    log: Log, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "witness.key"
    assert main(["witness", "keygen", "--name", "witness.test/w9", "--key", str(key_file)]) == 0
    verifier_key = capsys.readouterr().out.strip()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert main(["witness", "keygen", "--name", "witness.test/w9", "--key", str(key_file)]) == 1
    port = free_port()
    mingzhang = str(Path(sys.executable).parent / "mingzhang")
    command = [mingzhang, "witness", "serve", "--key", str(key_file)]
    command += ["--state", str(tmp_path / "w.sqlite"), "--port", str(port)]
    command += ["--log", f"{ORIGIN}={log.signer.verifier_key()}"]
    process = subprocess.Popen(command)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the witness did not start"
                time.sleep(0.1)
        log.grow(5)
        status, _, answer = post(url, log.body(0))
        assert status == 200
        assert cosignatures(log.checkpoint() + answer, [CosignerKey.parse(verifier_key)])
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_refuses_a_bad_log_argument_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "witness.key"
    key_file.write_text(Cosigner.generate("witness.test/w1").encode())
    state = str(tmp_path / "w.sqlite")
    base = ["witness", "serve", "--key", str(key_file), "--state", state]
    assert main([*base, "--log", "no-equals-sign"]) == 2
    assert main([*base, "--log", f"{ORIGIN}=not+a+key"]) == 2
    missing_key = ["witness", "serve", "--key", str(tmp_path / "none"), "--state", state]
    assert main([*missing_key, "--log", f"{ORIGIN}={Signer.generate(ORIGIN).verifier_key()}"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith("mingzhang: witness: ") for line in lines)


def test_a_log_key_rotated_in_the_configuration_is_followed_from_where_it_was(
    log: Log, cosigner: Cosigner, tmp_path: Path
) -> None:
    state = tmp_path / "w.sqlite"
    log.grow(5)
    with witness_at(cosigner, log, state) as url:
        assert post(url, log.body(0))[0] == 200
    log.signer = Signer.generate(ORIGIN)  # the same tree, signed from now on by a new key
    log.grow(9)
    with witness_at(cosigner, log, state) as url:
        assert post(url, log.body(0)) == (409, "text/x.tlog.size", "5\n")
        assert post(url, log.body(5))[0] == 200


def test_the_logs_kept_alive_connection_survives_the_witness_closing_it(
    log: Log, cosigner: Cosigner, tmp_path: Path
) -> None:
    witness = Witness(
        cosigner, {log.origin: [log.signer.verifier_key()]}, WitnessState(tmp_path / "w.sqlite")
    )
    port = free_port()
    config = uvicorn.Config(
        create_witness_app(witness),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        timeout_keep_alive=1,  # closes an idle connection after a second
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        entry = WitnessEntry(f"http://127.0.0.1:{port}", CosignerKey.parse(cosigner.verifier_key()))
        connection = Connection(entry)
        log.grow(3)
        text = parse_note(log.checkpoint()).text
        assert submit(entry, 0, [], log.checkpoint(), text, connection)
        log.grow(6)
        proof = log.tree.consistency_proof(3, 6)
        assert submit(
            entry, 3, proof, log.checkpoint(), parse_note(log.checkpoint()).text, connection
        )
        time.sleep(1.5)  # the witness has closed the idle connection by now
        assert submit(entry, 6, [], log.checkpoint(), parse_note(log.checkpoint()).text, connection)
        connection.close()
    finally:
        server.should_exit = True
        thread.join(timeout=15)
