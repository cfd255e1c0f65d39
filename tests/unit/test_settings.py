"""Settings: one object from MINGZHANG_* variables; a bad value names its variable in one line."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from api.settings import Settings, describe_error
from cli.compose import open_ledger
from domain.ledger import Ledger
from storage.database import Database
from transparency.cosignature import Cosigner


def test_the_default_is_an_embedded_sqlite_file_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINGZHANG_DATABASE_URL", raising=False)
    env = Settings().ledger_env()
    assert env["PERSISTENCE_MODULE"] == "storage.ledger_store:SQLiteLedgerFactory"
    assert env["SQLITE_DBNAME"] == "./var/mingzhang.sqlite"


def test_a_postgresql_url_selects_postgresql_with_a_lock_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "MINGZHANG_DATABASE_URL", "postgresql://ledger:s%40cret@db.local:6543/mz?schema=pudong"
    )
    monkeypatch.setenv("MINGZHANG_LOCK_TIMEOUT_SECONDS", "3")
    env = Settings().ledger_env()
    assert env["PERSISTENCE_MODULE"] == "storage.ledger_store:PostgresLedgerFactory"
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"]) == (
        "db.local",
        "6543",
        "mz",
    )
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("ledger", "s@cret")
    assert env["POSTGRES_SCHEMA"] == "pudong"
    assert env["POSTGRES_LOCK_TIMEOUT"] == "3"


def test_an_absolute_sqlite_path_keeps_its_leading_slash() -> None:
    assert Database.parse("sqlite:////srv/mz/ledger.sqlite").sqlite_path == "/srv/mz/ledger.sqlite"


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("MINGZHANG_DATABASE_URL", "mysql://root@localhost/x", "unsupported scheme 'mysql'"),
        ("MINGZHANG_DATABASE_URL", "postgresql://localhost", "needs a user, a host and a database"),
        ("MINGZHANG_DATABASE_URL", "sqlite://relative.db", "three slashes"),
        ("MINGZHANG_DATABASE_URL", "postgresql://u@h/db?schema=a;drop", "schema may only use"),
        ("MINGZHANG_PORT", "http", "valid integer"),
        ("MINGZHANG_LOCK_TIMEOUT_SECONDS", "0", "greater than or equal to 1"),
    ],
)
def test_an_invalid_setting_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    line = describe_error(caught.value)
    assert line.startswith(f"{variable}: ")
    assert words in line
    assert "\n" not in line


def test_the_ledger_never_enables_postgres_database_functions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # In eventsourcing 9.5.6 that path drops the table lock that keeps positions gap-free.
    monkeypatch.setenv("POSTGRES_ENABLE_DB_FUNCTIONS", "y")
    ledger = Ledger(env=Database("memory").eventsourcing_env())
    assert ledger.env.get("POSTGRES_ENABLE_DB_FUNCTIONS") == "n"
    assert ledger.env.get("POSTGRES_LOCK_TIMEOUT") == "5"


def test_the_ledger_refuses_an_event_store_without_a_command_index() -> None:
    with pytest.raises(TypeError, match="needs a recorder that keeps the command index"):
        Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def test_a_malformed_vault_key_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MINGZHANG_VAULT_KEY", "not-base64-of-32-bytes")
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert describe_error(caught.value).startswith("MINGZHANG_VAULT_KEY: ")


def test_without_a_vault_key_one_is_generated_once_with_owner_only_permissions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MINGZHANG_VAULT_KEY", raising=False)
    monkeypatch.setenv("MINGZHANG_VAR_DIR", str(tmp_path))
    first = Settings().vault_master_key()
    assert "MINGZHANG_VAULT_KEY is not set" in capsys.readouterr().err
    assert (tmp_path / "vault.key").stat().st_mode & 0o777 == 0o600
    assert Settings().vault_master_key() == first
    assert len(first) == 32


def test_the_ledger_counts_days_in_shanghai_unless_a_date_is_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MINGZHANG_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MINGZHANG_DATABASE_URL", "memory://")
    monkeypatch.delenv("MINGZHANG_TODAY", raising=False)
    ledger = open_ledger(Settings())
    assert ledger.today() == datetime.now(ZoneInfo("Asia/Shanghai")).date()
    monkeypatch.setenv("MINGZHANG_TODAY", "2024-05-31")
    assert open_ledger(Settings()).today() == date(2024, 5, 31)


def test_a_today_that_is_not_a_date_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MINGZHANG_TODAY", "tomorrow")
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert describe_error(caught.value).startswith("MINGZHANG_TODAY: ")


def test_witnesses_are_url_and_key_entries_and_a_bad_one_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = (Cosigner.generate(f"w{n}.test/w").verifier_key() for n in (1, 2))
    monkeypatch.setenv("MINGZHANG_WITNESSES", f"http://a.test/ {first}, https://b.test {second}")
    assert [(w.url, w.key.text) for w in Settings().witness_list] == [
        ("http://a.test", first),
        ("https://b.test", second),
    ]
    for bad, says in [
        (f"a.test {first}", "entry 1: a.test is not an http:// or https:// address"),
        ("http://a.test", "entry 1 is not `URL KEY`"),
        ("http://a.test w+00000000+AAAA", "entry 1: "),
        (f"http://a.test {first},http://b.test {first}", "a witness key is listed twice"),
    ]:
        monkeypatch.setenv("MINGZHANG_WITNESSES", bad)
        with pytest.raises(ValidationError) as error:
            Settings()
        assert describe_error(error.value).startswith(f"MINGZHANG_WITNESSES: {says}")
    monkeypatch.setenv("MINGZHANG_WITNESSES", f"http://a.test {first}")
    monkeypatch.setenv("MINGZHANG_WITNESS_QUORUM", "2")
    with pytest.raises(ValidationError) as error:
        Settings()
    assert describe_error(error.value) == (
        "MINGZHANG_WITNESS_QUORUM: a quorum of 2 needs that many witnesses; 1 are configured"
    )
