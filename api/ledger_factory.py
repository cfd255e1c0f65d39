"""Builds the `Ledger` an API process or a command uses, from the settings."""

from __future__ import annotations

from api.settings import Settings
from domain.ledger import Ledger
from storage.viewdb import ViewDB


def open_ledger(settings: Settings) -> Ledger:
    settings.database.prepare()
    vault = settings.database.open_vault(settings.vault_master_key())
    return Ledger(
        env=settings.ledger_env(),
        vault=vault,
        ratification_days=settings.ratification_days,
        designations_max_per_year=settings.designations_max_per_year,
    )


def open_views(settings: Settings) -> ViewDB:
    settings.database.prepare()
    return settings.database.open_views()
