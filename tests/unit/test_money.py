"""Money is integer fen: parsed exactly from yuan strings, never from floats, never negative in commands."""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidAmount
from domain.money import Money, check_positive


def test_yuan_strings_become_exact_fen() -> None:
    assert Money.yuan("1200.50") == Money(120050)
    assert Money.yuan("0.01").fen == 1
    assert Money.yuan(Decimal("3")).fen == 300
    assert Money.yuan(7).fen == 700


def test_a_float_amount_is_refused_with_the_field_named() -> None:
    with pytest.raises(InvalidAmount, match="amount must be a decimal string") as caught:
        Money.yuan(0.1)  # type: ignore[arg-type]
    assert caught.value.field == "amount"


def test_a_third_decimal_place_is_refused() -> None:
    with pytest.raises(InvalidAmount, match="at most two decimal places"):
        Money.yuan("10.005", field="amount")


@pytest.mark.parametrize("text", ["abc", "", "1,000", "NaN", "Infinity"])
def test_text_that_is_not_a_finite_number_is_refused(text: str) -> None:
    with pytest.raises(InvalidAmount):
        Money.yuan(text)


@pytest.mark.parametrize("fen", [1.5, True, "100"])
def test_money_holds_only_whole_fen(fen: object) -> None:
    with pytest.raises(InvalidAmount, match="whole number of fen"):
        Money(fen)  # type: ignore[arg-type]


def test_money_is_only_cny() -> None:
    with pytest.raises(InvalidAmount, match="currency must be CNY"):
        Money(100, "USD")


@pytest.mark.parametrize("yuan", ["0", "0.00", "-1", "-0.01"])
def test_amounts_that_move_money_must_be_positive(yuan: str) -> None:
    with pytest.raises(InvalidAmount, match="must be greater than zero"):
        check_positive(Money.yuan(yuan))


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_fen_survive_a_round_trip_through_yuan(fen: int) -> None:
    assert Money.yuan(Money(fen).to_yuan()) == Money(fen)


def test_money_prints_as_yuan_with_two_decimals() -> None:
    assert str(Money(120050)) == "1200.50 CNY"
    assert str(Money(-5)) == "-0.05 CNY"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_a_copy_of_an_amount_is_the_same_immutable_value(fen: int) -> None:
    # The ledger deep-copies a cached aggregate for every command; an amount, being immutable, is
    # shared by the copies instead of being rebuilt field by field.
    amount = Money(fen)
    held = {"reservation": amount}
    copied = copy.deepcopy(held)
    assert copied == held
    assert copied["reservation"] is amount
    assert copy.copy(amount) is amount
    with pytest.raises(dataclasses.FrozenInstanceError):
        amount.fen = fen + 1  # type: ignore[misc]
