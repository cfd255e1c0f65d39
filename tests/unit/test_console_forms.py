"""The console's form machinery (`api.console.forms`): a form is its declaration; each input parses
by its kind and a bad value is refused naming the input; the domain's refusals land beside the input
that answers for their field, or above the form."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from api.console.forms import Form, Input, Refusal, Run, Values
from api.console.staff_forms import FORMS
from domain.errors import DomainError, InsufficientFunds, InvalidAmount, InvalidDate, InvalidInput
from domain.money import Money


def nothing(run: Run, values: Values) -> Any:
    raise AssertionError("not run here")


FORM = Form(
    name="example",
    title="console.form.donation",
    inputs=(
        Input("amount", "console.field.amount", "money"),
        Input("paid_on", "console.field.paid_on", "date"),
        Input("note", "console.field.title", required=False),
        Input("named", "console.field.publish_name", "checkbox", required=False),
        Input("donor_name", "console.field.donor_name", required=False, answers_for=("donor",)),
    ),
    run=nothing,
    public_page=lambda values, command_id: "/",
)


def test_each_input_parses_by_its_kind() -> None:
    values = FORM.parse({"amount": "12.50", "paid_on": "2024-03-01", "note": "  ", "named": "1"})
    assert values.money("amount") == Money(1250)
    assert values.day("paid_on") == date(2024, 3, 1)
    assert values.text("note") is None  # left empty
    assert values.flag("named") is True
    assert FORM.parse({"amount": "1", "paid_on": "2024-03-01"}).flag("named") is False


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"paid_on": "2024-03-01"}, InvalidInput, "amount"),
        ({"amount": "1.005", "paid_on": "2024-03-01"}, InvalidAmount, "amount"),
        ({"amount": "1", "paid_on": "2024-02-30"}, InvalidDate, "paid_on"),
    ],
)
def test_a_value_that_does_not_parse_is_refused_naming_its_input(
    fields: dict[str, str], error: type[DomainError], field: str
) -> None:
    with pytest.raises(error) as refused:
        FORM.parse(fields)
    assert refused.value.field == field
    assert Refusal.of(FORM, refused.value).input == field


def test_a_refusal_is_shown_beside_the_input_that_answers_for_its_field() -> None:
    refusal = Refusal.of(FORM, InvalidInput("donor: give a name", field="donor"))
    assert refusal.input == "donor_name"
    assert refusal.message == "give a name"
    unplaced = Refusal.of(FORM, InsufficientFunds("the fund has ¥0.00 available", field="fund"))
    assert unplaced.input is None  # shown above the form
    assert unplaced.code == "insufficient_funds"


def test_every_staff_form_names_distinct_inputs_and_a_title() -> None:
    assert set(FORMS) == {
        "donation",
        "grant",
        "instalment",
        "grant-report",
        "grant-closing",
        "relief-disbursement",
        "ratification",
        "transfer",
        "reservation",
        "grant-amendment",
    }
    for form in FORMS.values():
        names = [given.name for given in form.inputs]
        assert len(names) == len(set(names)), form.name
        assert "command_id" not in names
        assert "csrf_token" not in names


def test_the_desk_lists_every_staff_form_once_under_one_heading() -> None:
    from api.console.catalog import FORMS, SECTIONS

    listed = [name for _, names in SECTIONS for name in names]
    assert sorted(listed) == sorted(FORMS)
    assert len(listed) == len(set(listed))
