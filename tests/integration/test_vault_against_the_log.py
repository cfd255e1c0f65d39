"""`verify --vault`: every reference's data in the vault still opens its event's commitment, and a
use re-pointed at another person shows no one's name. Tampering is done as an insider would: with
database access only, or also holding the deployment's vault keys (the vault's own key derivations)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from api.names import consenting_name
from cli.compose import open_ledger
from cli.main import main
from domain.errors import DamagedRecord
from domain.ledger import Ledger
from domain.privacy import PersonalData
from storage.database import Database
from storage.vault import Vault, _mac, _open, _seal
from storage.vault_audit import VaultReport, verify_vault
from tests.deployments import ORIGIN, deployment
from tests.support import donate, open_fund, person, register, relief_case, vault_of
from transparency.signed_note import Signer

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
ON_BACKENDS = pytest.mark.parametrize("backend_database", BACKENDS, indirect=True)


@dataclass
class Honest:
    """A small ledger with two consenting person donors, an anonymous one, a person mentor and a
    relief case, and where each reference sits in the log."""

    ledger: Ledger
    li: UUID  # subjects
    wang: UUID
    li_ref: UUID  # Li's donation's reference, at position li_at
    li_at: int
    wang_ref: UUID
    case_id: UUID
    case_at: int

    @property
    def vault(self) -> Vault:
        return vault_of(self.ledger)

    def check(self) -> VaultReport:
        return verify_vault(self.ledger, self.vault)


def event_naming(ledger: Ledger, needle: str) -> tuple[int, dict[str, object]]:
    for notification in ledger.recorder.select_notifications(1, 10_000):
        if (
            needle.encode() in notification.state
            or UUID(str(notification.originator_id)).hex == needle
        ):
            state: dict[str, object] = json.loads(notification.state)
            return notification.id, state
    raise AssertionError("no event names it")


def reference_of(value: object) -> UUID:
    return UUID(value["_data_"] if isinstance(value, dict) else str(value))


def fill(ledger: Ledger) -> Honest:
    li, wang, chen = (
        person(ledger, name="李明"),
        person(ledger, name="王芳"),
        person(ledger, "陈老师"),
    )
    foundation = register(ledger)
    relief = open_fund(ledger, foundation, kind="emergency_relief")
    refs = []
    for subject in (li, wang):
        donation = donate(
            ledger, relief, "500", donor_kind="person", donor_subject_id=subject, publish_name=True
        )
        at, state = event_naming(ledger, donation.hex)
        refs.append((at, reference_of(state["donor_ref"])))
    donate(ledger, relief, "20")
    ledger.start_mentor_link(
        uuid4(),
        mentee_id=register(ledger, roles=[]),
        focus="财务规范化",
        started_on=date(2024, 3, 1),
        mentor_kind="person",
        mentor_subject_id=chen,
        role_label="资深社工",
    )
    case_id = relief_case(ledger, relief, person(ledger, name="赵兰"))
    case_at, _ = event_naming(ledger, case_id.hex)
    return Honest(ledger, li, wang, refs[0][1], refs[0][0], refs[1][1], case_id, case_at)


@pytest.fixture
def honest(ledger: Ledger) -> Honest:
    built = fill(ledger)
    report = built.check()
    assert report.problems == []
    return built


# --- what an insider does to the vault ---------------------------------------------------------


def lookup(vault: Vault, reference: UUID) -> str:
    return _mac(vault._lookups, f"ref:{reference}")


def data_key(vault: Vault, subject: UUID) -> bytes:
    return vault._subject(subject)[0]


def re_point(vault: Vault, reference: UUID, to: UUID) -> None:
    """Rewrite the use's link to another person, with the epoch key (nothing else changed)."""
    epoch, key = vault.epochs.current()
    found = lookup(vault, reference)
    vault._rows(
        "UPDATE vault_uses SET epoch = ?, link = ? WHERE lookup = ?",
        (epoch, _seal(key, str(to).encode(), found.encode()), found),
    )


def reseal_copy(vault: Vault, reference: UUID, owner: UUID, under: UUID, name: str | None) -> None:
    """Open the use's committed copy with its owner's key and seal it (its name changed, if
    `name`) under the key of `under`."""
    found = lookup(vault, reference)
    (sealed,) = vault._rows("SELECT secret FROM vault_uses WHERE lookup = ?", (found,))[0]
    copy = json.loads(_open(data_key(vault, owner), bytes(sealed), found.encode()))
    if name is not None:
        data = json.loads(copy["data"])
        data["name"] = name
        copy["data"] = PersonalData(**data).canonical().decode()
    resealed = _seal(data_key(vault, under), json.dumps(copy).encode(), found.encode())
    vault._rows("UPDATE vault_uses SET secret = ? WHERE lookup = ?", (resealed, found))


def where(honest: Honest) -> str:
    return f"position {honest.li_at} (Fund.DonationReceived): reference {honest.li_ref}"


# --- the tests ---------------------------------------------------------------------------------


@ON_BACKENDS
def test_an_honest_ledger_with_donors_a_mentor_and_relief_opens_every_commitment(
    honest: Honest,
) -> None:
    report = honest.check()
    assert (report.opened, report.erased, report.reasons) == (4, 0, 1)
    assert consenting_name(honest.ledger, honest.li_ref) == "李明"


@ON_BACKENDS
def test_a_use_re_pointed_at_another_person_is_caught_and_names_no_one(honest: Honest) -> None:
    re_point(honest.vault, honest.li_ref, honest.wang)
    assert honest.check().problems == [
        f"{where(honest)}: its committed data is not sealed for the person its link names;"
        " the use was re-pointed"
    ]
    # The public page would have named Wang for Li's donation: it now names no one.
    assert consenting_name(honest.ledger, honest.li_ref) is None
    with pytest.raises(DamagedRecord):
        honest.vault.read_reference(honest.li_ref)


@ON_BACKENDS
def test_a_re_pointed_use_whose_copy_was_resealed_for_the_other_person_is_caught(
    honest: Honest,
) -> None:
    # An insider with every key covers the copy too: it still opens the commitment (it is Li's
    # data), but Wang's list of uses does not hold the reference, and Li's still does.
    re_point(honest.vault, honest.li_ref, honest.wang)
    reseal_copy(honest.vault, honest.li_ref, owner=honest.li, under=honest.wang, name=None)
    assert honest.check().problems == [
        f"{where(honest)}: it is not listed among the uses of the person its link names, or is"
        " listed by another; the use was re-pointed"
    ]
    assert consenting_name(honest.ledger, honest.li_ref) is None


@ON_BACKENDS
def test_a_link_copied_from_another_use_without_the_keys_does_not_decrypt(honest: Honest) -> None:
    # With database access alone, the only way to point Li's use at Wang is to copy the link of
    # Wang's use: it is sealed for Wang's use's lookup, so it opens for no other.
    vault = honest.vault
    (epoch, link) = vault._rows(
        "SELECT epoch, link FROM vault_uses WHERE lookup = ?", (lookup(vault, honest.wang_ref),)
    )[0]
    vault._rows(
        "UPDATE vault_uses SET epoch = ?, link = ? WHERE lookup = ?",
        (epoch, link, lookup(vault, honest.li_ref)),
    )
    assert honest.check().problems == [
        f"{where(honest)}: its link to a person cannot be decrypted;"
        " the vault was changed or damaged"
    ]
    assert consenting_name(honest.ledger, honest.li_ref) is None


@ON_BACKENDS
def test_an_edited_committed_copy_does_not_open_the_events_commitment(honest: Honest) -> None:
    reseal_copy(honest.vault, honest.li_ref, owner=honest.li, under=honest.li, name="李明明")
    assert honest.check().problems == [
        f"{where(honest)}: the vault's data for it does not open the event's commitment;"
        " the vault was changed"
    ]


@ON_BACKENDS
def test_a_deleted_use_is_a_reference_the_vault_does_not_have(honest: Honest) -> None:
    honest.vault._rows(
        "DELETE FROM vault_uses WHERE lookup = ?", (lookup(honest.vault, honest.li_ref),)
    )
    assert honest.check().problems == [
        f"{where(honest)}: the vault holds no use for it; the vault was changed"
    ]


@ON_BACKENDS
def test_a_vault_use_no_event_names_is_reported_by_its_reference(honest: Honest) -> None:
    stray = honest.vault.mint_reference(honest.wang, uuid4()).reference
    assert honest.check().problems == [
        f"reference {stray}: the vault holds a use that no event names"
    ]


@ON_BACKENDS
def test_edited_reasons_of_a_relief_case_do_not_open_its_reason_commitment(
    honest: Honest,
) -> None:
    vault, case_id = honest.vault, honest.case_id
    use_lookup = _mac(vault._lookups, f"use:{case_id}")
    key, aad = vault._key_of_use(case_id), f"circumstances:{case_id}".encode()
    (sealed,) = vault._rows(
        "SELECT payload FROM vault_circumstances WHERE use_lookup = ?", (use_lookup,)
    )[0]
    reasons = json.loads(_open(key, bytes(sealed), aad))
    reasons["codes"] = ["GTIR010"]
    vault._rows(
        "UPDATE vault_circumstances SET payload = ? WHERE use_lookup = ?",
        (_seal(key, json.dumps(reasons).encode(), aad), use_lookup),
    )
    assert honest.check().problems == [
        f"position {honest.case_at} (ReliefCase.Opened): case {case_id}: the vault's reasons for"
        " it do not open the event's reason_commitment; the vault was changed"
    ]


@ON_BACKENDS
def test_erased_people_pass_and_are_counted_apart(honest: Honest) -> None:
    honest.vault.erase(honest.li, date(2024, 6, 1))
    beneficiary = honest.vault.subject_of_use(honest.case_id)
    assert beneficiary is not None
    honest.vault.erase(beneficiary, date(2024, 6, 1))
    report = honest.check()
    assert report.problems == []
    assert (report.opened, report.erased, report.reasons) == (2, 2, 0)


@ON_BACKENDS
def test_an_erased_use_whose_kept_commitment_was_changed_is_caught(honest: Honest) -> None:
    vault = honest.vault
    vault.erase(honest.li, date(2024, 6, 1))
    found = lookup(vault, honest.li_ref)
    forged = json.dumps({"reference": str(honest.li_ref), "commitment": "0" * 64}).encode()
    vault._rows(
        "UPDATE vault_uses SET minted = ? WHERE lookup = ?",
        (_seal(vault._minted_key, forged, found.encode()), found),
    )
    assert honest.check().problems == [
        f"{where(honest)}: its person was erased, and the commitment the vault kept is not the"
        " event's; the vault was changed"
    ]


@ON_BACKENDS
def test_the_cli_says_how_many_references_open_and_names_a_changed_one_in_one_line(
    backend_database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = deployment(monkeypatch, backend_database, Signer.generate(ORIGIN), tmp_path)
    ledger = open_ledger(settings)
    built = fill(ledger)
    built.vault.erase(built.wang, date(2024, 6, 1))
    ledger.close()
    capsys.readouterr()

    assert main(["verify", "--vault"]) == 0
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        "verified the vault: 3 references open their commitments (1 erased, not openable);"
        " 1 relief cases' reasons open theirs"
    )

    ledger = open_ledger(settings)
    vault = vault_of(ledger)
    reseal_copy(vault, built.li_ref, owner=built.li, under=built.li, name="李明明")
    ledger.close()
    assert main(["verify", "--vault"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "李明" not in err
    problems = [line for line in err.splitlines() if line.startswith("mingzhang:")]
    assert problems == [
        f"mingzhang: verify: {where(built)}: the vault's data for it does not open the event's"
        " commitment; the vault was changed"
    ]
    assert main(["verify", "--vault", "--key", "x"]) == 2
