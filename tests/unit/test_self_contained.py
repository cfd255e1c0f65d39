"""A fresh clone needs nothing beside it: no tracked file reads the shared folder next to the project."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Spelled in two halves so this test does not find itself.
FORBIDDEN = ("../" + "shared", "MINGZHANG_" + "SHARED_DIR")


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    return [ROOT / name for name in listed.decode().split("\0") if name]


def test_no_tracked_file_reads_the_shared_folder_beside_the_project() -> None:
    offenders = []
    for path in tracked_files():
        if (
            path.suffix not in {".py", ".toml", ".cfg", ".ini", ".sh", ""}
            and path.name != "Makefile"
        ):
            continue
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}: {word}" for word in FORBIDDEN if word in text]
    assert offenders == []


def test_the_vectors_and_standards_the_suite_uses_are_in_the_project() -> None:
    from domain.standards import CODELISTS, GRANT_SCHEMA, PACKAGE_SCHEMA

    assert (ROOT / "tests" / "vectors" / "rfc6962-merkle.json").is_file()
    assert (ROOT / "tests" / "vectors" / "signed-note.json").is_file()
    assert GRANT_SCHEMA.is_file()
    assert PACKAGE_SCHEMA.is_file()
    assert (CODELISTS / "grantToIndividualsReason.csv").is_file()
