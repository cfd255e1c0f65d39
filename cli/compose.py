"""Builds the `Ledger` an API process or a command uses, from the settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from api.settings import Settings
from domain.clock import fixed, shanghai_today
from domain.ledger import Ledger
from projections.catalog import all_views
from projections.transparency import TransparencyView
from projections.view import View
from storage.viewdb import ViewDB
from transparency.signed_note import Signer


def open_ledger(settings: Settings) -> Ledger:
    if settings.read_only:
        return _read_only_ledger(settings)
    settings.database.prepare()
    vault = settings.database.open_vault(settings.vault_master_key(), epoch_file=_epochs(settings))
    return Ledger(
        env=settings.ledger_env(),
        vault=vault,
        ratification_days=settings.ratification_days,
        designations_max_per_year=settings.designations_max_per_year,
        clock=shanghai_today if settings.today is None else fixed(settings.today),
    )


def _epochs(settings: Settings) -> Path | None:
    # The epoch keys are kept outside the database (storage/vault.py): beside a SQLite vault file,
    # and for PostgreSQL in var/, like the master key.
    return settings.var_dir / "vault.epochs" if settings.database.backend == "postgresql" else None


def _read_only_ledger(settings: Settings) -> Ledger:
    """The ledger of a read-only replica: it creates no table and no key (a hot standby refuses
    DDL, and a key of its own would open nothing the primary sealed). It reads the vault (the names
    of consenting donors on public pages) only when given the primary's keys: the master key
    (variable or var/vault.key) and the epoch keys' file; without them it has none."""
    database, vault = settings.database, None
    master = settings.var_dir / "vault.key"
    epochs = database.vault_epoch_file(_epochs(settings))
    if (settings.vault_key is not None or master.exists()) and epochs and epochs.exists():
        vault = database.open_vault(settings.vault_master_key(), epoch_file=epochs, create=False)
    return Ledger(
        env={**settings.ledger_env(), "CREATE_TABLE": "n"},
        vault=vault,
        ratification_days=settings.ratification_days,
        designations_max_per_year=settings.designations_max_per_year,
        clock=shanghai_today if settings.today is None else fixed(settings.today),
    )


def open_views(settings: Settings) -> ViewDB:
    if not settings.read_only:
        settings.database.prepare()
    return settings.database.open_views()


def signing_key(settings: Settings) -> Signer:
    """The checkpoint signer from MINGZHANG_SIGNING_KEY, or from var/signing.key, generated (0600)
    with a warning on first run."""
    if settings.signing_key is not None:
        return Signer.parse(settings.signing_key.get_secret_value())
    path = settings.var_dir / "signing.key"
    if path.exists():
        return Signer.parse(path.read_text())
    if settings.read_only:
        # A replica shows the primary's checkpoints and verifier key; a key of its own would be wrong.
        msg = (
            "MINGZHANG_SIGNING_KEY: a read-only replica needs the primary's checkpoint key "
            f"(the variable, or {path}); it never generates one"
        )
        raise ValueError(msg)
    signer = Signer.generate(settings.log_origin)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(signer.encode() + "\n")
    print(
        f"mingzhang: warning: MINGZHANG_SIGNING_KEY is not set; generated a checkpoint key into {path}"
        " (0600). Production must set it and keep a backup.",
        file=sys.stderr,
    )
    return signer


def service_views(settings: Settings) -> list[View]:
    """Every view the service keeps, the transparency log included."""
    return [*all_views(), TransparencyView(signing_key(settings), settings.log_origin)]
