"""A third party can verify with `transparency/` alone: none of its modules loads the web stack or psycopg."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(
    f"transparency.{path.stem}"
    for path in (ROOT / "transparency").glob("*.py")
    if path.stem != "__init__"
)
WEB_STACK = ("fastapi", "starlette", "uvicorn", "pydantic", "pydantic_settings", "psycopg")

PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in sys.argv[2:])))
"""


def test_the_package_has_the_verifier_modules() -> None:
    assert {"transparency.merkle", "transparency.local", "transparency.remote"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_importing_a_transparency_module_loads_no_web_stack_and_no_psycopg(module: str) -> None:
    # A fresh interpreter: the test process itself has FastAPI and psycopg loaded already.
    found = subprocess.run(
        [sys.executable, "-c", PROBE, module, *WEB_STACK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(found.stdout) == []
