"""The ledger's use cases live in families beside their aggregates, composed into the one `Ledger`.

A family needs nothing of `domain/ledger.py` at run time (only its types), so the core can import
every family without an import cycle; and `Ledger` is built from every family there is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from domain.ledger import Ledger
from domain.use_cases import UseCases

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for path in (ROOT / "domain").rglob("*_use_cases.py")
)

PROBE = """
import importlib, sys
importlib.import_module(sys.argv[1])
print("domain.ledger" in sys.modules)
"""


def test_each_use_case_family_sits_beside_its_aggregates() -> None:
    assert FAMILIES == [
        "domain.foundations.fund_use_cases",
        "domain.foundations.grant_use_cases",
        "domain.foundations.relief_use_cases",
        "domain.organization_use_cases",
        "domain.pairing.designation_use_cases",
        "domain.pairing.mentoring_use_cases",
        "domain.pairing.pairing_use_cases",
    ]


@pytest.mark.parametrize("module", FAMILIES)
def test_a_family_imports_without_the_ledger_core(module: str) -> None:
    # A fresh interpreter: this process has imported domain.ledger already.
    found = subprocess.run(
        [sys.executable, "-c", PROBE, module],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "False"


def test_the_ledger_is_composed_of_every_family() -> None:
    families = {
        f"{cls.__module__}.{cls.__name__}"
        for cls in Ledger.__mro__
        if issubclass(cls, UseCases) and cls not in (Ledger, UseCases)
    }
    assert {name.rsplit(".", 1)[0] for name in families} == set(FAMILIES)
