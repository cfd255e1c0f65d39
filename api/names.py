"""The names of people who consented to be named, read from the vault when a public answer is made.

The read model keeps only vault references; a route (JSON or page) that shows a donor or a mentor asks
here, at render time, so a withdrawn consent, a corrected name or an erasure shows on the next answer.
This is the only read of personal data on the public side.
"""

from __future__ import annotations

from uuid import UUID

from domain.errors import DamagedRecord, NotFound, SubjectErased
from domain.ledger import Ledger
from storage.vault import Vault


def consenting_name(ledger: Ledger, reference: UUID | None) -> str | None:
    """The current name of the person behind a reference, or None once they are erased (or
    unknown, or when the ledger has no vault that can read). A record that no longer decrypts is
    also left out: the vault has logged and counted it, and the rest of the page still answers."""
    vault = ledger.vault
    if not isinstance(vault, Vault) or reference is None:
        return None
    try:
        return vault.read_reference(reference).name
    except (NotFound, SubjectErased, DamagedRecord):
        return None
