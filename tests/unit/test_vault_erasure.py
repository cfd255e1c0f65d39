"""Erasure is final, tested the way an attacker would try it: with a copy of every vault row taken
before the erasure (a backup, a replica, PostgreSQL's dead rows) and every key the system still holds
afterwards, nothing of the erased person opens. And what is left links none of their uses."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from cryptography.exceptions import InvalidTag
from psycopg import sql

from cli.compose import open_ledger
from cli.main import main
from domain.errors import DomainError
from domain.privacy import PersonalData
from storage.database import Database
from storage.vault import Vault, _open
from tests.deployments import deployment
from transparency.signed_note import Signer

MASTER = bytes(range(32))
ID_CARD = "11010519491231002X"
WANG = PersonalData.validated(name="王芳", id_card=ID_CARD, phone="13912345678")
LI = PersonalData.validated(name="李强", id_card="310115198001011238")


@pytest.fixture
def keyed(backend_database: Database) -> Iterator[Vault]:
    backend_database.prepare()
    store = backend_database.open_vault(MASTER)
    yield store
    store.close()


def copy_of(vault: Vault, database: Database) -> Vault:
    """Every vault row as it stands now, in a vault of its own opened with the same master key."""
    if database.backend == "postgresql":
        backup = f"{database.schema}_copy"  # dropped with the test's schema (tests/conftest.py)
        with database.connect() as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(backup)))
            tables = [
                r[0]
                for r in vault._rows(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = current_schema()"
                )
                if r[0].startswith("vault")
            ]
            for table in tables:
                conn.execute(
                    sql.SQL("CREATE TABLE {} AS SELECT * FROM {}").format(
                        sql.Identifier(backup, table), sql.Identifier(database.schema, table)
                    )
                )
        return Vault.postgres(
            psycopg.connect(**connection_args(database)), schema=backup, master_key=MASTER
        )
    target = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    vault._conn.backup(target)
    return Vault(target, master_key=MASTER, placeholder="?")


def connection_args(database: Database) -> dict[str, Any]:
    return {
        "host": database.host,
        "port": database.port,
        "user": database.user,
        "dbname": database.dbname,
        "autocommit": True,
    }


def opens(attempt: Any) -> Any:
    try:
        return attempt()
    except DomainError:
        return None


def test_a_copy_taken_before_erasure_opens_nothing_of_the_person_with_every_key_still_held(
    keyed: Vault, backend_database: Database
) -> None:
    wang, li = uuid4(), uuid4()
    keyed.put(wang, WANG)
    keyed.put(li, LI)
    references = [keyed.mint_reference(wang, uuid4()).reference for _ in range(2)]
    kept = keyed.mint_reference(li, uuid4()).reference
    backup = copy_of(keyed, backend_database)

    keyed.erase(wang, date(2025, 3, 1))

    if hasattr(keyed, "epochs"):
        backup.epochs = keyed.epochs  # every key the system still holds, the master key's too
    assert opens(lambda: backup.read(wang)) is None
    for reference in references:
        assert opens(lambda r=reference: backup.prove(r)) is None
        assert opens(lambda r=reference: backup.read_reference(r)) is None
        assert opens(lambda r=reference: backup.linked_references(r)) in (None, [])
    if hasattr(backup, "find_by_id_card"):
        assert backup.find_by_id_card(ID_CARD) == []
    # The system itself still reads everyone else, through the new epoch key.
    assert keyed.read(li) == LI
    assert keyed.prove(kept).canonical_data == LI.canonical().decode()
    backup.close()


def test_an_operator_rotation_keeps_every_live_subject_readable_and_findable(keyed: Vault) -> None:
    wang = uuid4()
    keyed.put(wang, WANG)
    reference = keyed.mint_reference(wang, uuid4()).reference
    first = keyed.epochs.current()[0]
    assert keyed.rotate() == first + 1
    assert keyed.read(wang) == WANG
    assert keyed.subject_of_reference(reference) == wang
    assert keyed.find_by_id_card(ID_CARD.lower()) == [wang]
    assert len(keyed.epochs.held()) == 1


def test_after_erasure_nothing_ties_the_persons_uses_together(keyed: Vault) -> None:
    wang = uuid4()
    keyed.put(wang, WANG)
    for _ in range(3):
        keyed.mint_reference(wang, uuid4())
    keyed.erase(wang, date(2025, 3, 1))
    rows = keyed._rows("SELECT * FROM vault_uses")
    assert len(rows) == 3
    columns = list(zip(*rows, strict=True))
    for column in columns:
        shared = {v for v in column if v is not None and column.count(v) > 1}
        assert shared <= {0, 1}, "erased uses share a value that links them"
    assert str(wang) not in repr(rows)


def test_the_file_alone_links_no_reference_or_use_to_a_subject(keyed: Vault) -> None:
    wang, use = uuid4(), uuid4()
    keyed.put(wang, WANG)
    reference = keyed.mint_reference(wang, use).reference
    raw = repr(keyed._rows("SELECT * FROM vault_uses")) + repr(
        keyed._rows("SELECT * FROM vault_people")
    )
    for clear in (str(reference), reference.hex, str(use), use.hex):
        assert clear not in raw
    assert repr(keyed._rows("SELECT * FROM vault_uses")).count(str(wang)) == 0


@pytest.mark.parametrize("backend_database", ["sqlite"], indirect=True)
def test_the_vault_file_and_its_key_files_are_readable_by_their_owner_only(
    backend_database: Database, tmp_path: Path
) -> None:
    backend_database.prepare()
    os.umask(0o022)
    vault = backend_database.open_vault(MASTER)
    vault.put(uuid4(), WANG)
    files = [p for p in tmp_path.iterdir() if ".vault." in p.name]
    assert {p.suffix for p in files} >= {".sqlite", ".epochs"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    vault.close()


def test_the_id_number_finds_its_subject_without_decrypting_anyone(keyed: Vault) -> None:
    wang, li = uuid4(), uuid4()
    keyed.put(wang, WANG)
    keyed.put(li, LI)
    assert keyed.find_by_id_card(ID_CARD.lower()) == [wang]
    assert ID_CARD not in repr(keyed._rows("SELECT id_index FROM vault_people"))
    keyed.erase(wang, date(2025, 3, 1))
    assert keyed.find_by_id_card(ID_CARD) == []
    assert keyed.find_by_id_card("310115198001011238") == [li]


def test_a_subject_of_a_use_is_found_again_for_a_retried_command(keyed: Vault) -> None:
    wang, use = uuid4(), uuid4()
    keyed.put(wang, WANG)
    keyed.mint_reference(wang, use)
    assert keyed.subject_of_use(use) == wang
    assert keyed.subject_of_use(uuid4()) is None


@pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_mingzhang_vault_rotate_destroys_the_old_epoch_key_and_keeps_everyone_readable(
    backend_database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = deployment(
        monkeypatch, backend_database, Signer.generate("mingzhang.test/v"), tmp_path
    )
    ledger = open_ledger(settings)
    wang = uuid4()
    vault = ledger.vault
    assert isinstance(vault, Vault)
    vault.put(wang, WANG)
    before = vault.epochs.current()
    ledger.close()

    assert main(["vault", "rotate"]) == 0
    assert f"epoch {before[0] + 1}" in capsys.readouterr().err

    ledger = open_ledger(settings)
    vault = ledger.vault
    assert isinstance(vault, Vault)
    assert vault.read(wang) == WANG
    assert before[1] not in vault.epochs.held()
    epoch_files = list(tmp_path.rglob("*.epochs"))
    assert epoch_files, "the epoch keys are kept in a file outside the database"
    for path in epoch_files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ledger.close()


@pytest.mark.postgres
def test_postgresqls_own_pages_keep_the_erased_key_after_erasure_and_no_key_left_opens_it(
    postgres_schema: Database,
) -> None:
    # What an attacker with the data directory (or a base backup) holds: the table's pages on disk.
    # Erasure cannot scrub them (the dead row stays until a vacuum, and in every backup); it makes
    # what they hold useless, because the epoch key that wrapped it is gone.
    postgres_schema.prepare()
    vault = postgres_schema.open_vault(MASTER)
    wang = uuid4()
    vault.put(wang, WANG)
    vault.mint_reference(wang, uuid4())
    ((wrapped,),) = vault._rows(
        "SELECT wrapped_key FROM vault_people WHERE subject_id = ?", (str(wang),)
    )
    vault.erase(wang, date(2025, 3, 1))

    with postgres_schema.connect() as conn:
        conn.execute("CHECKPOINT")  # the pages as they are on disk, dead rows and all
        table = f'"{postgres_schema.schema}".vault_people'
        found = conn.execute("SELECT pg_relation_filepath(%s::regclass)", (table,)).fetchone()
        assert found is not None
        page = conn.execute("SELECT pg_read_binary_file(%s)", (found[0],)).fetchone()
    assert page is not None
    assert isinstance(page[0], bytes)
    assert bytes(wrapped) in page[0], "the erased row's wrapped key is still on disk"
    for key in [*vault.epochs.held(), MASTER]:
        with pytest.raises(InvalidTag):
            _open(key, bytes(wrapped), f"key:{wang}".encode())
    vault.close()
