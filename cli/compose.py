"""Builds the `Ledger` an API process or a command uses, from the settings."""

from __future__ import annotations

import os
import sys

from api.settings import Settings
from domain.clock import fixed, shanghai_today
from domain.ledger import Ledger
from projections.catalog import all_views
from projections.transparency import TransparencyView
from projections.view import View
from storage.viewdb import ViewDB
from transparency.signed_note import Signer


def open_ledger(settings: Settings) -> Ledger:
    settings.database.prepare()
    # The epoch keys are kept outside the database (storage/vault.py): beside a SQLite vault file,
    # and for PostgreSQL in var/, like the master key.
    epochs = (
        settings.var_dir / "vault.epochs" if settings.database.backend == "postgresql" else None
    )
    vault = settings.database.open_vault(settings.vault_master_key(), epoch_file=epochs)
    return Ledger(
        env=settings.ledger_env(),
        vault=vault,
        ratification_days=settings.ratification_days,
        designations_max_per_year=settings.designations_max_per_year,
        clock=shanghai_today if settings.today is None else fixed(settings.today),
    )


def open_views(settings: Settings) -> ViewDB:
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
