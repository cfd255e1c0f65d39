"""Relief codes are exactly the 360Giving grant-to-individuals codelists the package carries."""

from __future__ import annotations

import csv
from collections.abc import Iterable

import pytest

from domain.foundations.codes import RELIEF_PURPOSES, RELIEF_REASONS
from domain.standards import CODELISTS


@pytest.mark.parametrize(
    ("codes", "codelist"),
    [
        (RELIEF_REASONS, "grantToIndividualsReason.csv"),
        (RELIEF_PURPOSES, "grantToIndividualsPurpose.csv"),
    ],
)
def test_relief_codes_match_the_published_codelist(codes: Iterable[str], codelist: str) -> None:
    with (CODELISTS / codelist).open(encoding="utf-8") as published:
        assert set(codes) == {row["Code"] for row in csv.DictReader(published)}
