"""A deployment with two witnesses, everything over real HTTP on loopback: the log offers each signed
checkpoint to both in the background, serves it with their cosignatures, and `verify --url --witness
--quorum` accepts it only with that many valid cosignatures from distinct witnesses."""

from __future__ import annotations

import base64
import shlex
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from uuid import UUID

import pytest

from api.app import create_app
from api.witness_app import create_witness_app
from cli.main import main
from domain.ledger import Ledger
from projections.runner import Runner
from storage.database import Database
from tests.deployments import ORIGIN, deployment, serving
from tests.support import donate, open_fund, register
from transparency.cosignature import Cosigner, CosignerKey, cosignatures, parse_note
from transparency.signed_note import DASH, Signer
from transparency.witness import Witness, WitnessState, origin_hash

PAGE = {"Accept": "text/html"}


@dataclass
class WitnessServer:
    url: str
    cosigner: Cosigner

    @property
    def key(self) -> str:
        return self.cosigner.verifier_key()

    def size(self) -> int:
        """The size this witness last cosigned, from its monitoring endpoint."""
        with urllib.request.urlopen(f"{self.url}/{origin_hash(ORIGIN)}/checkpoint") as response:
            return int(response.read().decode().split("\n")[1])


@dataclass
class Deployment:
    url: str
    signer: Signer
    ledger: Ledger
    runner: Runner
    fund_id: UUID
    views_path: Path

    def donate(self, times: int) -> None:
        for _ in range(times):
            donate(self.ledger, self.fund_id, "1")
        assert self.runner.wait_for("transparency", self.ledger.head(), timeout=60)

    def checkpoint(self) -> str:
        with urllib.request.urlopen(f"{self.url}/transparency/checkpoint") as response:
            text: str = response.read().decode()
            return text

    def checkpoint_if_cosigned(self) -> str | None:
        """The served checkpoint, or None while the quorum has cosigned none yet (a 404)."""
        try:
            return self.checkpoint()
        except urllib.error.HTTPError as error:
            with error:
                if error.code != 404:
                    raise
            return None

    def wait_for_cosignatures(self, size: int, witnesses: list[WitnessServer]) -> str:
        """The served checkpoint once it is at `size` and carries every witness's cosignature."""
        keys = [CosignerKey.parse(w.key) for w in witnesses]
        deadline = time.monotonic() + 60
        while True:
            note = self.checkpoint_if_cosigned() or ""
            if (
                note
                and note.split("\n")[1] == str(size)
                and len(cosignatures(note, keys)) == len(keys)
            ):
                return note
            assert time.monotonic() < deadline, f"not cosigned at size {size}: {note}"
            time.sleep(0.05)


@contextmanager
def witness_server(name: str, log_key: str, state: Path) -> Iterator[WitnessServer]:
    cosigner = Cosigner.generate(name)
    witness = Witness(cosigner, {ORIGIN: [log_key]}, WitnessState(state))
    with serving(create_witness_app(witness)) as url:
        yield WitnessServer(url, cosigner)


@contextmanager
def deployment_with(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signer: Signer,
    witnesses: str,
    quorum: int | None = None,
    fund: UUID | None = None,
) -> Iterator[Deployment]:
    monkeypatch.setenv("MINGZHANG_WITNESSES", witnesses)
    monkeypatch.setenv("MINGZHANG_WITNESS_INTERVAL_SECONDS", "0.05")
    if quorum is not None:
        monkeypatch.setenv("MINGZHANG_WITNESS_QUORUM", str(quorum))
    database = Database("sqlite", sqlite_path=str(tmp_path / "server" / "ledger.sqlite"))
    settings = deployment(monkeypatch, database, signer, tmp_path / "server")
    app = create_app(settings)
    with serving(app) as url:
        ledger = app.state.ledger
        fund = fund or open_fund(ledger, register(ledger))
        views = tmp_path / "server" / "ledger.views.sqlite"
        yield Deployment(url, signer, ledger, app.state.runner, fund, views)


@pytest.fixture
def signer() -> Signer:
    return Signer.generate(ORIGIN)


@pytest.fixture
def two(tmp_path: Path, signer: Signer) -> Iterator[list[WitnessServer]]:
    key = signer.verifier_key()
    with (
        witness_server("w1.test/witness", key, tmp_path / "w1.sqlite") as first,
        witness_server("w2.test/witness", key, tmp_path / "w2.sqlite") as second,
    ):
        yield [first, second]


def configured(witnesses: list[WitnessServer]) -> str:
    return ",".join(f"{w.url} {w.key}" for w in witnesses)


def run_verify(
    capsys: pytest.CaptureFixture[str],
    url: str,
    signer: Signer,
    witness_keys: list[str],
    quorum: int | None,
    state: Path,
) -> tuple[int, str]:
    """Exit status and stderr of `mingzhang verify --url --witness ... --quorum`."""
    args = ["verify", "--url", url, "--key", signer.verifier_key(), "--state", str(state)]
    for key in witness_keys:
        args += ["--witness", key]
    if quorum is not None:
        args += ["--quorum", str(quorum)]
    status = main(args)
    return status, capsys.readouterr().err


def test_two_witnesses_cosign_and_a_quorum_of_two_verifies(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signer: Signer,
    two: list[WitnessServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    keys = [w.key for w in two]
    with deployment_with(tmp_path, monkeypatch, signer, configured(two)) as log:
        log.donate(5)  # registration, fund, 5 donations: 7 events
        note = log.wait_for_cosignatures(7, two)
        assert parse_note(note).text.startswith(f"{ORIGIN}\n7\n")
        # The static log's checkpoint, which verify --url and a mirror read, is the same note.
        with urllib.request.urlopen(f"{log.url}/tlog/checkpoint") as response:
            assert response.read().decode() == log.checkpoint()
        state = tmp_path / "verify-state"
        status, err = run_verify(capsys, log.url, signer, keys, 2, state)
        assert status == 0, err
        assert "cosigned by 2 of 2 witnesses: w1.test/witness at " in err
        log.donate(3)
        log.wait_for_cosignatures(10, two)
        assert [w.size() for w in two] == [10, 10]
        status, err = run_verify(capsys, log.url, signer, keys, 2, state)
        assert status == 0, err
        assert "consistent with size 7 verified before" in err


def test_a_quorum_the_checkpoint_lacks_is_refused_and_nothing_is_kept(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signer: Signer,
    two: list[WitnessServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    stranger = Cosigner.generate("w3.test/witness").verifier_key()
    with deployment_with(tmp_path, monkeypatch, signer, configured(two)) as log:
        log.donate(2)
        log.wait_for_cosignatures(4, two)
        state = tmp_path / "verify-state"
        status, err = run_verify(capsys, log.url, signer, [two[0].key, stranger], 2, state)
        assert status == 1
        assert "1 valid cosignature(s) from the 2 witness key(s) given (w1.test/witness)" in err
        assert "fewer than the quorum of 2" in err
        assert not state.exists()
        # The same witness given twice is one witness: a quorum of two is more than was given.
        status, err = run_verify(capsys, log.url, signer, [two[0].key, two[0].key], 2, state)
        assert status == 2
        assert "more than the 1 distinct witnesses given" in err


class Rewriting(BaseHTTPRequestHandler):
    """A man in the middle: passes every GET to `upstream`, rewriting the checkpoint's text."""

    upstream = ""
    rewrite: Callable[[str], str] = staticmethod(lambda note: note)

    def do_GET(self) -> None:
        try:
            with urllib.request.urlopen(self.upstream + self.path) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            with error:  # an unclosed answer is a ResourceWarning, which fails some later test
                body, status = error.read(), error.code
        if self.path in ("/transparency/checkpoint", "/tlog/checkpoint"):
            body = type(self).rewrite(body.decode()).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def rewriting(upstream: str, rewrite: Callable[[str], str]) -> Iterator[str]:
    handler = type(
        "Handler", (Rewriting,), {"upstream": upstream, "rewrite": staticmethod(rewrite)}
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def forge(name: str) -> Callable[[str], str]:
    """Flip a bit of `name`'s cosignature, keeping its key id and timestamp."""

    def rewrite(note: str) -> str:
        lines = note.split("\n")
        for number, line in enumerate(lines):
            if line.startswith(f"{DASH} {name} "):
                blob = bytearray(base64.b64decode(line.rsplit(" ", 1)[1]))
                blob[30] ^= 1
                lines[number] = f"{DASH} {name} {base64.b64encode(bytes(blob)).decode()}"
        return "\n".join(lines)

    return rewrite


def duplicate(name: str, instead_of: str) -> Callable[[str], str]:
    """Drop `instead_of`'s cosignature and repeat `name`'s in its place."""

    def rewrite(note: str) -> str:
        lines = note.split("\n")
        kept = [line for line in lines if not line.startswith(f"{DASH} {instead_of} ")]
        mine = [line for line in kept if line.startswith(f"{DASH} {name} ")]
        return "\n".join(kept[:-1] + mine + [""])

    return rewrite


def test_a_forged_cosignature_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signer: Signer,
    two: list[WitnessServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    keys = [w.key for w in two]
    with deployment_with(tmp_path, monkeypatch, signer, configured(two)) as log:
        log.donate(1)
        log.wait_for_cosignatures(3, two)
        with rewriting(log.url, forge("w2.test/witness")) as forged:
            state = tmp_path / "verify-state"
            status, err = run_verify(capsys, forged, signer, keys, 2, state)
            assert status == 1
            assert "the cosignature by w2.test/witness does not verify" in err
            # Even a quorum the other witness alone would meet: a forged line refuses the note.
            assert run_verify(capsys, forged, signer, keys, 1, state)[0] == 1
            assert not state.exists()
        with rewriting(log.url, duplicate("w1.test/witness", "w2.test/witness")) as doubled:
            status, err = run_verify(capsys, doubled, signer, keys, 2, tmp_path / "verify-state")
            assert status == 1
            assert "1 valid cosignature(s)" in err


def test_a_stored_cosignature_that_was_edited_is_not_served(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signer: Signer,
    two: list[WitnessServer],
) -> None:
    with deployment_with(tmp_path, monkeypatch, signer, configured(two), quorum=1) as log:
        log.donate(1)
        log.wait_for_cosignatures(3, two)
        first = CosignerKey.parse(two[0].key)
        with closing(sqlite3.connect(log.views_path)) as db, db:
            db.execute(
                "UPDATE tlog_cosignatures SET line = replace(line, substr(line, -6), 'AAAAA=')"
                " WHERE witness = ?",
                (first.text,),
            )
        note = log.checkpoint()
        assert [c.key.name for c in cosignatures(note, [first, CosignerKey.parse(two[1].key)])] == [
            "w2.test/witness"
        ]


def test_a_witness_that_is_down_blocks_no_command_and_the_others_still_cosign(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signer: Signer,
    two: list[WitnessServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    down = Cosigner.generate("down.test/witness").verifier_key()
    witnesses = f"{configured(two[:1])},http://127.0.0.1:9 {down}"
    with deployment_with(tmp_path, monkeypatch, signer, witnesses, quorum=1) as log:
        started = time.monotonic()
        log.donate(6)
        assert time.monotonic() - started < 10
        note = log.wait_for_cosignatures(8, two[:1])
        assert len(parse_note(note).signatures) == 2  # the log's and the one witness's
        status, err = run_verify(capsys, log.url, signer, [two[0].key], 1, tmp_path / "s")
        assert status == 0, err


def _has_cosigned(witness: WitnessServer, size: int) -> bool:
    try:
        return witness.size() == size
    except urllib.error.HTTPError as error:  # 404 before its first cosignature
        error.close()
        return False


def test_until_the_quorum_has_cosigned_no_checkpoint_is_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signer: Signer, two: list[WitnessServer]
) -> None:
    down = Cosigner.generate("down.test/witness").verifier_key()
    witnesses = f"{configured(two[:1])},http://127.0.0.1:9 {down}"
    with deployment_with(tmp_path, monkeypatch, signer, witnesses) as log:  # a quorum of both
        log.donate(2)
        deadline = time.monotonic() + 60
        while not _has_cosigned(two[0], 4):  # the witness that is up cosigns as usual
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with pytest.raises(urllib.error.HTTPError) as refused:
            log.checkpoint()
        with refused.value as answer:
            assert answer.code == 404
            assert answer.read() == b"no checkpoint has been cosigned by 2 of the witnesses yet\n"


def test_the_log_resumes_from_the_size_a_witness_reports(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signer: Signer,
    two: list[WitnessServer],
) -> None:
    with deployment_with(tmp_path, monkeypatch, signer, configured(two)) as log:
        log.donate(2)
        log.wait_for_cosignatures(4, two)
        fund = log.fund_id
    # The cosignatures the log stored are lost (a restore from an older copy, say); the witnesses
    # still remember size 4, so the restarted log's first offer, from 0, is answered 409 with 4.
    with closing(sqlite3.connect(log.views_path)) as db, db:
        db.execute("DELETE FROM tlog_cosignatures")
    with deployment_with(tmp_path, monkeypatch, signer, configured(two), fund=fund) as log:
        log.donate(3)
        log.wait_for_cosignatures(7, two)
        assert [w.size() for w in two] == [7, 7]


def test_the_verify_page_lists_the_witnesses_and_its_command_passes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signer: Signer,
    two: list[WitnessServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    with deployment_with(tmp_path, monkeypatch, signer, configured(two)) as log:
        log.donate(1)
        log.wait_for_cosignatures(3, two)
        request = urllib.request.Request(f"{log.url}/verify?lang=en", headers=PAGE)
        with urllib.request.urlopen(request) as response:
            html = response.read().decode()
            tag = response.headers["ETag"]
        table = html[html.index('id="witnesses"') : html.index("</table>")]
        for witness in two:
            assert f'data-label="Witness">{witness.cosigner.name}</td>' in table
            assert f"<code>{witness.key}</code>" in table
        assert table.count('class="money">3</td>') == 2
        command = html[html.index("<code>mingzhang verify") + 6 : html.index("</code></pre>")]
        arguments = shlex.split(command.replace("&#39;", "'"))
        assert arguments[arguments.index("--quorum") + 1] == "2"
        assert main([*arguments[1:], "--state", str(tmp_path / "state")]) == 0, capsys.readouterr()
        assert "cosigned by 2 of 2 witnesses" in capsys.readouterr().err
        # A later cosignature changes the page, so its ETag changes too.
        log.donate(1)
        log.wait_for_cosignatures(4, two)
        again = urllib.request.Request(
            f"{log.url}/verify?lang=en", headers={**PAGE, "If-None-Match": tag}
        )
        with urllib.request.urlopen(again) as response:
            assert response.status == 200
            assert response.headers["ETag"] != tag


def test_the_verify_page_says_when_no_witness_is_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signer: Signer
) -> None:
    with deployment_with(tmp_path, monkeypatch, signer, "") as log:
        log.donate(1)
        for lang, says in (("en", "no witnesses configured"), ("zh", "尚未配置见证方")):
            request = urllib.request.Request(f"{log.url}/verify?lang={lang}", headers=PAGE)
            with urllib.request.urlopen(request) as response:
                html = response.read().decode()
            assert says in html
            assert "--witness" not in html
