"""The read model owns its queries: no module under `api/` holds SQL, runs a statement or reads a row
by position. Each view's tables, writes and reads live together in `projections/`, and the routes
only parse parameters and map the reader's typed rows to response models."""

from __future__ import annotations

import re
from pathlib import Path

API = Path(__file__).resolve().parents[2] / "api"
SQL = re.compile(
    r"\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)"
    r"|DROP\s+TABLE)|\.execute(_many)?\(|\brows?\[[\d:-]"
)


def offenders(text: str) -> list[str]:
    return [match.group(0) for match in SQL.finditer(text)]


def test_the_check_finds_sql_and_positional_reads() -> None:
    found = offenders(
        'db.execute("SELECT note FROM tlog_checkpoints WHERE size = ?", (size,))\n'
        "totals = row[8 + i]; head = row[:14]\n"
        '"INSERT INTO t VALUES (?)", "UPDATE t SET a = 1", "DELETE FROM t", "CREATE TABLE t"\n'
    )
    assert len(found) == 8
    assert offenders('"""Route a request; update the set of ids; select a page."""') == []


def test_no_module_under_api_holds_sql_or_reads_a_row_by_position() -> None:
    modules = sorted(API.rglob("*.py"))
    assert len(modules) > 20
    found = {
        str(path.relative_to(API.parent)): hits
        for path in modules
        if (hits := offenders(path.read_text(encoding="utf-8")))
    }
    assert found == {}
