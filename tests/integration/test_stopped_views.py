"""A view that has stopped is loud, on every backend: the runner stops it exactly on the event it cannot
apply, keeps only the error's class (a database error quotes the row it refused), `verify` names it,
and a rebuild that stops says so instead of reporting success.

The event is a real one from an old log: a named organisation donation without the organisation,
which today's domain refuses but an older release could have written; the disclosure view cannot
store it (its named donations need a donor) on SQLite or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID, uuid4

import pytest

from cli.compose import open_ledger, open_views, service_views
from cli.main import main
from domain.command_index import CommandRow
from domain.foundations.entries import Donation
from domain.ledger import Ledger
from domain.money import Money
from projections.disclosure import DisclosureView
from projections.indicators import IndicatorsView
from projections.runner import Runner, stopped_views
from projections.transparency import TransparencyView
from storage.database import Database
from storage.viewdb import ViewDB
from tests.deployments import ORIGIN, deployment
from tests.support import DAY, donate, open_fund, register
from transparency.local import verify_local
from transparency.signed_note import Signer

THE_DONOR = "陆家嘴社区基金会"


def an_old_event_the_disclosure_cannot_apply(ledger: Ledger, fund_id: UUID) -> int:
    """Written as an old release might have: straight through the event store, past today's checks.
    Returns its position."""
    fund, donation_id = ledger.get_fund(fund_id), uuid4()
    fund._donation_received(  # the @event method: it only assigns state
        donation_id=donation_id,
        amount_fen=100,
        received_on=DAY,
        donor_kind="organization",
        donor_ref=None,
        donor_commitment=None,
        publish_name=True,
    )
    # With its command-index row, as every command is saved (verify checks the index too).
    record = Donation(Money(100), DAY, "organization", None, True)
    row = CommandRow(donation_id, fund_id, ledger.mapper.transcoder.encode(record))
    ledger.save(fund, commands=[row])
    return ledger.head()


def a_ledger_with_a_stopping_event(ledger: Ledger) -> int:
    fund_id = open_fund(ledger, register(ledger, name=THE_DONOR), name="暖心基金")
    donate(ledger, fund_id, "10")
    position = an_old_event_the_disclosure_cannot_apply(ledger, fund_id)
    donate(ledger, fund_id, "20")
    return position


def test_a_view_stops_exactly_on_the_event_it_cannot_apply_and_keeps_only_the_errors_class(
    ledger: Ledger, views: ViewDB
) -> None:
    bad = a_ledger_with_a_stopping_event(ledger)
    runner = Runner(ledger, views, [DisclosureView(), IndicatorsView()], batch_size=100)
    runner.catch_up()

    status = {s.view: s for s in runner.status()}
    assert status["disclosure"].position == bad - 1  # everything before it was applied
    assert status["disclosure"].stopped_at == bad
    error = status["disclosure"].error
    assert error is not None
    assert error.isidentifier(), error  # an exception's class, no text from the database
    assert status["indicators"].position == ledger.head()  # the other view went on
    assert status["indicators"].stopped_at is None
    assert stopped_views(views) == [("disclosure", bad, error)]


def test_verify_names_a_stopped_view_and_the_position_that_stopped_it(
    ledger: Ledger, views: ViewDB
) -> None:
    signer = Signer.generate(ORIGIN)
    bad = a_ledger_with_a_stopping_event(ledger)
    Runner(ledger, views, [TransparencyView(signer, ORIGIN), DisclosureView()]).catch_up()

    problems = verify_local(ledger, views, signer.verifier_key(), [DisclosureView()]).problems

    assert len(problems) == 1, problems
    assert problems[0].startswith(f"view disclosure stopped at position {bad}: ")


ON_DISK = pytest.mark.parametrize(
    "backend_database",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)


@ON_DISK
def test_the_cli_verify_and_rebuild_fail_in_one_line_naming_the_view_and_the_position(
    backend_database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = deployment(monkeypatch, backend_database, Signer.generate(ORIGIN), tmp_path)
    ledger, views = open_ledger(settings), open_views(settings)
    bad = a_ledger_with_a_stopping_event(ledger)
    Runner(ledger, views, service_views(settings)).catch_up()
    ledger.close()
    views.close()
    capsys.readouterr()

    assert main(["verify"]) == 1
    problems = [
        line for line in capsys.readouterr().err.splitlines() if line.startswith("mingzhang:")
    ]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"mingzhang: verify: view disclosure stopped at position {bad}: ")

    assert main(["rebuild", "disclosure"]) == 1
    err = capsys.readouterr().err
    assert "rebuilt" not in err
    last = err.strip().splitlines()[-1].split("\r")[-1]
    assert last.startswith(f"mingzhang: rebuild: view disclosure stopped at position {bad}: ")
    assert "Traceback" not in err
    assert THE_DONOR not in err
    assert "暖心基金" not in err


def test_an_error_an_older_release_kept_with_its_message_is_shown_by_its_class_only(
    ledger: Ledger, views: ViewDB
) -> None:
    runner = Runner(ledger, views, [DisclosureView()])
    with views.transaction() as db:
        db.execute(
            "UPDATE view_tracking SET error = ? WHERE view = 'disclosure'",
            (f"NotNullViolation: null value in column; Failing row contains ({THE_DONOR})",),
        )
    assert [s.error for s in runner.status()] == ["NotNullViolation"]
    assert stopped_views(views) == [("disclosure", 1, "NotNullViolation")]


def test_an_import_whose_view_stops_says_which_view_and_position_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    signer = Signer.generate(ORIGIN)
    source = Database("sqlite", sqlite_path=str(tmp_path / "source" / "ledger.sqlite"))
    settings = deployment(monkeypatch, source, signer, tmp_path / "source")
    ledger, views = open_ledger(settings), open_views(settings)
    bad = a_ledger_with_a_stopping_event(ledger)
    Runner(ledger, views, service_views(settings)).catch_up()  # the transparency log signs on
    ledger.close()
    views.close()
    bundle = tmp_path / "ledger.bundle"
    assert main(["export", str(bundle)]) == 0
    target = Database("sqlite", sqlite_path=str(tmp_path / "target" / "ledger.sqlite"))
    deployment(monkeypatch, target, signer, tmp_path / "target")
    capsys.readouterr()

    assert main(["import", str(bundle), "--key", signer.verifier_key()]) == 1

    problems = [
        line for line in capsys.readouterr().err.splitlines() if line.startswith("mingzhang:")
    ]
    assert len(problems) == 1, problems
    prefix = f"mingzhang: import: view disclosure stopped at position {bad}: "
    assert problems[0].startswith(prefix)
    assert problems[0].removeprefix(prefix).isidentifier()  # the error's class
