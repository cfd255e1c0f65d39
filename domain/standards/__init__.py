"""Published standards the ledger follows, carried with the package: the 360Giving Data Standard 1.4.3.

`standards/360giving/` holds unmodified copies of its JSON Schemas and codelists (CC BY 4.0, (c) 360Giving;
its README says where they come from). Relief codes are checked against the codelists, and a 360Giving
export validates against the package schema, both from these files and never from the network.
"""

from __future__ import annotations

from pathlib import Path

THREESIXTY_GIVING = Path(__file__).resolve().parent / "360giving"
CODELISTS = THREESIXTY_GIVING / "codelists"
GRANT_SCHEMA = THREESIXTY_GIVING / "360-giving-schema.json"
PACKAGE_SCHEMA = THREESIXTY_GIVING / "360-giving-package-schema.json"
