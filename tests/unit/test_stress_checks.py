"""The checks `make stress` runs after its load (bench/stress.py) find what they are for: a command
applied twice or half, a refused one recorded, a fund below zero or out of step with its view, a view
row that differs from the rebuild. Each is fed a log with one fault planted, and a clean one."""

from __future__ import annotations

from uuid import UUID, uuid4

from bench.stress import (
    DONATION,
    EXPECTED,
    INSTALMENT,
    NO_ANSWER,
    RELIEF,
    Command,
    check_commands,
    check_funds,
    check_views,
)


def logged_once(*commands: Command) -> dict[UUID, list[str]]:
    return {command.command_id: list(EXPECTED[command.kind]) for command in commands}


def test_a_clean_log_has_no_problems() -> None:
    acknowledged = Command(DONATION, uuid4(), [201, 200])
    refused = Command(RELIEF, uuid4(), [409])
    lost_but_whole = Command(INSTALMENT, uuid4(), [NO_ANSWER, 503])
    lost_and_absent = Command(RELIEF, uuid4(), [503])
    logged = logged_once(acknowledged, lost_but_whole)
    indexed = {acknowledged.command_id, lost_but_whole.command_id}
    commands = [acknowledged, refused, lost_but_whole, lost_and_absent]
    assert check_commands(commands, logged, indexed) == []


def test_an_acknowledged_command_applied_twice_is_found() -> None:
    twice = Command(DONATION, uuid4(), [201])
    logged = {twice.command_id: list(EXPECTED[DONATION]) * 2}
    [problem] = check_commands([twice], logged, {twice.command_id})
    assert str(twice.command_id) in problem
    assert "2 of its events" in problem


def test_an_acknowledged_command_missing_from_the_log_or_the_index_is_found() -> None:
    lost = Command(INSTALMENT, uuid4(), [503, 201])
    unindexed = Command(DONATION, uuid4(), [201])
    problems = check_commands([lost, unindexed], logged_once(unindexed), {lost.command_id})
    assert len(problems) == 2
    assert "0 of its events" in problems[0]
    assert "no command-index row" in problems[1]


def test_a_repeat_answered_201_is_found() -> None:
    recorded_anew = Command(DONATION, uuid4(), [201, 201])
    logged = logged_once(recorded_anew)
    [problem] = check_commands([recorded_anew], logged, {recorded_anew.command_id})
    assert "201 (newly recorded) twice" in problem


def test_a_command_refused_every_time_but_recorded_is_found() -> None:
    refused = Command(RELIEF, uuid4(), [409, 409])
    [problem] = check_commands([refused], logged_once(refused), {refused.command_id})
    assert "refused every time but is in the log" in problem


def test_an_unanswered_command_half_applied_is_found() -> None:
    half = Command(RELIEF, uuid4(), [NO_ANSWER])
    logged = {half.command_id: ["mingzhang/ReliefCase.Disbursed"]}  # the fund's payment missing
    [problem] = check_commands([half], logged, {half.command_id})
    assert "half applied" in problem
    rowless = Command(DONATION, uuid4(), [503])
    [problem] = check_commands([rowless], logged_once(rowless), set())
    assert "row absent" in problem


def test_a_fund_below_zero_or_out_of_step_with_its_view_is_found() -> None:
    healthy, overdrawn, reserved_beyond, drifted = uuid4(), uuid4(), uuid4(), uuid4()
    replayed = {
        healthy: (500, 100),
        overdrawn: (-1, -1),
        reserved_beyond: (100, -50),
        drifted: (300, 300),
    }
    viewed = {healthy: 500, overdrawn: -1, reserved_beyond: 100, drifted: 299}
    problems = check_funds(replayed, viewed)
    assert not [p for p in problems if str(healthy) in p]
    assert sum(str(overdrawn) in p for p in problems) == 2  # in the log, and in the views
    assert [p for p in problems if str(reserved_beyond) in p] == [
        f"fund {reserved_beyond} is below zero: balance 100 fen, available -50 fen"
    ]
    assert [p for p in problems if str(drifted) in p] == [
        f"fund {drifted}: the views show a balance of 299 fen, the log 300 fen"
    ]
    assert check_funds({healthy: (1, 1)}, {}) == [f"fund {healthy} is missing from the views"]


def test_a_view_row_that_differs_from_the_rebuild_is_found() -> None:
    rows = [("a", 1, None), ("b", 2, "x")]
    assert check_views({"t": rows, "u": []}, {"t": list(reversed(rows)), "u": []}) == []
    changed = check_views({"t": [("a", 1, None), ("b", 3, "x")]}, {"t": rows})
    assert changed == [
        "view table t: 1 rows only in the live views, 1 only in the rebuild (of 2 and 2)"
    ]
    duplicated = check_views({"t": [*rows, rows[0]]}, {"t": rows})
    assert duplicated == [
        "view table t: 1 rows only in the live views, 0 only in the rebuild (of 3 and 2)"
    ]
    assert check_views({"t": rows}, {"t": rows, "v": []}) == [
        "view table v is missing from the live views"
    ]
