"""Relief codes are exactly the 360Giving grant-to-individuals codelists (from shared/, read here only)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from domain.foundations.codes import RELIEF_PURPOSES, RELIEF_REASONS

# The published standards sit beside the project (../shared), as in CI; MINGZHANG_SHARED_DIR overrides.
SHARED = Path(
    os.environ.get("MINGZHANG_SHARED_DIR", Path(__file__).resolve().parents[3] / "shared")
)
CODELISTS = SHARED / "standards" / "360giving" / "codelists"


@pytest.mark.parametrize(
    ("codes", "codelist"),
    [
        (RELIEF_REASONS, "grantToIndividualsReason.csv"),
        (RELIEF_PURPOSES, "grantToIndividualsPurpose.csv"),
    ],
)
def test_relief_codes_match_the_published_codelist(codes: object, codelist: str) -> None:
    if not CODELISTS.is_dir():
        pytest.fail(f"the 360Giving codelists are not at {CODELISTS}; set MINGZHANG_SHARED_DIR")
    with (CODELISTS / codelist).open(encoding="utf-8") as published:
        assert set(codes) == {row["Code"] for row in csv.DictReader(published)}  # type: ignore[call-overload]
