"""`mingzhang mirror URL DIR`: a deployment's checkpoint and tiles copied over real HTTP into a folder,
which a plain static web server (the standard library's http.server, on loopback) then serves; `verify
--url` against that folder says what it says against the origin, and finds a tile changed in the copy.
Mirroring again fetches only what is new."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from uuid import UUID

import pytest

from api.app import create_app
from cli.main import main
from domain.ledger import Ledger
from projections.runner import Runner
from storage.database import Database
from tests.deployments import ORIGIN, deployment, free_port, serving
from tests.support import donate, open_fund, register
from transparency.signed_note import Signer


@dataclass
class Origin:
    url: str
    signer: Signer
    ledger: Ledger
    runner: Runner
    fund_id: UUID

    def donate(self, times: int) -> None:
        for _ in range(times):
            donate(self.ledger, self.fund_id, "1")
        assert self.runner.wait_for("transparency", self.ledger.head(), timeout=30)


@pytest.fixture
def origin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Origin]:
    """The real app over uvicorn, its log 262 entries long: a full tile and partial ones."""
    signer = Signer.generate(ORIGIN)
    database = Database("sqlite", sqlite_path=str(tmp_path / "origin" / "ledger.sqlite"))
    app = create_app(deployment(monkeypatch, database, signer, tmp_path / "origin"))
    with serving(app) as url:
        ledger = app.state.ledger
        running = Origin(url, signer, ledger, app.state.runner, open_fund(ledger, register(ledger)))
        running.donate(260)
        yield running


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def static(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A static file server over a folder (empty at first), as anyone could run one."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    server.server_close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    """Exit status and the stderr lines of `mingzhang ARGV`, progress lines left out."""
    status = main(list(argv))
    lines = capsys.readouterr().err.replace("\r", "\n").splitlines()
    return status, [
        line for line in lines if line and not line.startswith(("mirror: tiles", "verify: fetched"))
    ]


def verify(
    capsys: pytest.CaptureFixture[str], url: str, key: str, state: Path
) -> tuple[int, list[str]]:
    status, lines = run(capsys, "verify", "--url", url, "--key", key, "--state", str(state))
    return status, [line.replace(url, "URL").replace(str(state), "STATE") for line in lines]


def test_a_mirrored_folder_verifies_as_the_origin_does(
    origin: Origin, static: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, folder = static
    status, lines = run(capsys, "mirror", origin.url, str(folder))
    assert (status, lines) == (
        0,
        [f"mirror: the log at size 262 is in {folder}: 5 tiles fetched, 0 already there"],
    )
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == [
        "tlog/checkpoint",
        "tlog/tile/0/000",
        "tlog/tile/0/001.p/6",
        "tlog/tile/1/000.p/1",
        "tlog/tile/entries/000",
        "tlog/tile/entries/001.p/6",
    ]
    key = origin.signer.verifier_key()
    from_origin = verify(capsys, origin.url, key, tmp_path / "origin-state")
    from_mirror = verify(capsys, url, key, tmp_path / "mirror-state")
    assert from_origin[0] == 0
    assert from_mirror == from_origin
    assert (tmp_path / "mirror-state").read_text() == (tmp_path / "origin-state").read_text()


def test_mirroring_again_fetches_only_the_new_tiles_and_stays_consistent(
    origin: Origin, static: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, folder = static
    key, state = origin.signer.verifier_key(), tmp_path / "state"
    assert run(capsys, "mirror", origin.url, str(folder))[0] == 0
    assert verify(capsys, url, key, state)[0] == 0
    full = folder / "tlog" / "tile" / "0" / "000"
    written = full.stat().st_mtime_ns
    origin.donate(3)
    status, lines = run(capsys, "mirror", origin.url, str(folder))
    # 265 entries: the two partial tiles of level 0 are new; the full ones and 1/000.p/1 are not.
    assert (status, lines) == (
        0,
        [f"mirror: the log at size 265 is in {folder}: 2 tiles fetched, 3 already there"],
    )
    assert full.stat().st_mtime_ns == written
    # The older partial tiles stay, for clients still on the older checkpoint.
    assert (folder / "tlog" / "tile" / "0" / "001.p" / "6").is_file()
    # Verified from the mirror against the checkpoint kept from the mirror before: consistent.
    status, lines = verify(capsys, url, key, state)
    assert status == 0
    assert any("consistent with size 262 verified before" in line for line in lines)


@pytest.mark.parametrize(
    ("tile", "tamper", "said"),
    [
        (
            "tile/entries/000",
            lambda data: data[:10] + bytes([data[10] ^ 1]) + data[11:],
            "its root is not the root of the first 262 entries",
        ),
        (
            "tile/0/000",
            lambda data: bytes(32) + data[32:],
            "hash tile tile/0/000 from URL/tlog/ does not hold the hashes of the entries",
        ),
        (
            "tile/entries/001.p/6",
            lambda data: data[: 2 + int.from_bytes(data[:2], "big")],
            "the log has lost entries: URL/tlog/tile/entries/001.p/6 holds 1 entries",
        ),
        (
            "tile/1/000.p/1",
            None,
            "the log does not serve tile/1/000.p/1, which its signed checkpoint covers:"
            " URL/tlog/tile/1/000.p/1 answered 404 File not found",
        ),
    ],
    ids=["an entry changed", "a hash changed", "an entry cut off", "a tile deleted"],
)
def test_a_tile_changed_in_the_mirror_is_found(
    origin: Origin,
    static: tuple[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    tile: str,
    tamper: object,
    said: str,
) -> None:
    url, folder = static
    assert run(capsys, "mirror", origin.url, str(folder))[0] == 0
    target = folder / "tlog" / tile
    if callable(tamper):
        target.write_bytes(tamper(target.read_bytes()))
    else:
        target.unlink()
    status, lines = verify(capsys, url, origin.signer.verifier_key(), tmp_path / "state")
    assert status == 1
    assert any(said in line for line in lines), lines
    assert not (tmp_path / "state").exists()


def test_mirroring_an_unreachable_url_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    status, lines = run(capsys, "mirror", url, str(tmp_path / "mirror"))
    assert status == 1
    (line,) = lines
    assert line.startswith(f"mingzhang: mirror: cannot reach {url}/tlog/checkpoint: ")
    assert not (tmp_path / "mirror").exists()


def test_mirroring_what_is_not_a_log_is_one_line(
    origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, lines = run(capsys, "mirror", f"{origin.url}/nowhere", str(tmp_path / "mirror"))
    assert (status, lines) == (
        1,
        [f"mingzhang: mirror: {origin.url}/nowhere/tlog/checkpoint answered 404 Not Found"],
    )
    status, lines = run(capsys, "mirror", "ftp://example.org", str(tmp_path / "mirror"))
    assert (status, lines) == (
        1,
        ["mingzhang: mirror: ftp://example.org is not an http:// or https:// address"],
    )


def test_mirroring_into_a_folder_that_cannot_be_written_is_one_line(
    origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "a-file"
    taken.write_text("not a folder")
    status, lines = run(capsys, "mirror", origin.url, str(taken))
    assert status == 1
    (line,) = lines
    assert line.startswith(f"mingzhang: mirror: cannot write into {taken}: ")


def test_a_partial_tile_gone_once_its_full_tile_exists_is_read_from_the_full_one(
    origin: Origin, static: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # C2SP tlog-tiles lets a log delete a partial tile once the full one exists: a mirror still
    # offering the checkpoint at 262 but only the full tiles that grew since verifies all the same.
    url, folder = static
    assert run(capsys, "mirror", origin.url, str(folder))[0] == 0
    older = (folder / "tlog" / "checkpoint").read_bytes()
    origin.donate(260)  # 522 entries: tile 001 of level 0 is full now
    assert run(capsys, "mirror", origin.url, str(folder))[0] == 0
    (folder / "tlog" / "checkpoint").write_bytes(older)
    for partial in ("0/001.p/6", "entries/001.p/6"):
        (folder / "tlog" / "tile" / partial).unlink()
    status, lines = verify(capsys, url, origin.signer.verifier_key(), tmp_path / "state")
    assert (status, lines) == (
        0,
        ["verified URL at size 262 (first verification: nothing kept before); kept in STATE"],
    )
