"""The vault checked against the log, for the privacy officer (`mingzhang verify --vault`).

The public log carries, for each use of a person, a reference and a commitment; the vault holds what
the name on a public page comes from. This module makes one pass over the stored events, in position
order, and for every event that carries a person's reference with a commitment (`X_ref` beside a set
`X_commitment`) asks the vault whether its use of that reference still opens the commitment
(`Vault.check_use`), and for every relief case's opening whether its reasons still open its
`reason_commitment` (`Vault.check_circumstances`); then it names the vault's uses and reasons that no
event names. Findings name the position, the event kind and the reference or case id, all public in
the log, and never anything of the person. It needs the deployment's vault keys, so it runs locally.
The same pass, `positions_naming`, finds where a person's references are in the log, for the privacy
officer's desk.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain.ledger import Ledger
from storage.vault import Vault

SECTION = 5000
TOPIC_PREFIX = "mingzhang/"
COMMITMENT = "_commitment"
REASON = "reason_commitment"


@dataclass
class VaultReport:
    opened: int = 0  # references whose vault data opens their event's commitment
    erased: int = 0  # references of erased people, whose kept commitment is the event's
    reasons: int = 0  # relief cases whose reasons open their reason_commitment
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _uuid(value: Any) -> UUID | None:
    """A UUID as the event store's transcoder writes it (tagged hex, or plain text)."""
    if isinstance(value, dict) and "_data_" in value:
        value = value["_data_"]
    try:
        return UUID(str(value))
    except ValueError:
        return None


def verify_vault(
    ledger: Ledger, vault: Vault, progress: Callable[[int, int], None] = lambda done, total: None
) -> VaultReport:
    report = VaultReport()
    listing = vault.listed_uses()
    named: set[UUID] = set()
    cases: set[UUID] = set()
    head, position = ledger.head(), 0
    while notifications := ledger.recorder.select_notifications(position + 1, SECTION):
        for notification in notifications:
            state = json.loads(notification.state)
            kind = notification.topic.removeprefix(TOPIC_PREFIX)
            where = f"position {notification.id} ({kind})"
            for name, claimed in state.items():
                if not name.endswith(COMMITMENT) or name == REASON or claimed is None:
                    continue
                reference = _uuid(state.get(name.removesuffix(COMMITMENT) + "_ref"))
                if reference is None:
                    report.problems.append(f"{where}: {name} has no reference beside it")
                    continue
                if reference in named:
                    continue  # a reference checked at an earlier position
                named.add(reference)
                found = vault.check_use(reference, str(claimed), listing)
                if found.problem is not None:
                    report.problems.append(f"{where}: reference {reference}: {found.problem}")
                elif found.erased:
                    report.erased += 1
                else:
                    report.opened += 1
            if state.get(REASON) is not None:
                case_id = UUID(str(notification.originator_id))
                cases.add(case_id)
                reasons = vault.check_circumstances(case_id, str(state[REASON]))
                if reasons.problem is not None:
                    report.problems.append(f"{where}: case {case_id}: {reasons.problem}")
                elif not reasons.erased:
                    report.reasons += 1
        position = notifications[-1].id
        progress(position, head)
    report.problems.extend(vault.uses_named_by_none(named))
    report.problems.extend(vault.reasons_named_by_none(cases))
    return report


def positions_naming(ledger: Ledger, references: set[UUID]) -> dict[UUID, tuple[int, str]]:
    """Where each of these references is in the log: the position of the event that carries it
    (`X_ref` beside its `X_commitment`) and that commitment's field. One pass over the stored
    events: no view indexes references, since nothing public needs them, so this reads the log
    until all are found (the whole demo log of 5,077 events on SQLite: 0.05 s, measured)."""
    found: dict[UUID, tuple[int, str]] = {}
    position = 0
    while len(found) < len(references) and (
        notifications := ledger.recorder.select_notifications(position + 1, SECTION)
    ):
        for notification in notifications:
            state = json.loads(notification.state)
            for name in state:
                if not name.endswith(COMMITMENT) or name == REASON:
                    continue
                reference = _uuid(state.get(name.removesuffix(COMMITMENT) + "_ref"))
                if reference is not None and reference in references and reference not in found:
                    found[reference] = (notification.id, name)
        position = notifications[-1].id
    return found
