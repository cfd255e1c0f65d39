"""The admin's form declarations (`api.console.admin_forms`) and what the form machinery gained for
them: a form that belongs to no foundation (`Choices.owner` None), the ids a link may fill in
(`ids_given`), every label and option named in both languages."""

from __future__ import annotations

from dataclasses import replace
from typing import cast
from uuid import uuid4

import pytest

from api.console.admin_forms import FORMS
from api.console.forms import Choices, Input
from api.console.routes.forms import ids_given
from api.pages.i18n import MESSAGES
from storage.viewdb import ViewDB


def test_the_admins_forms_are_these_with_distinct_inputs_named_in_both_languages() -> None:
    assert set(FORMS) == {
        "organization",
        "reclassification",
        "evaluation",
        "nomination",
        "selection",
        "key",
    }
    for form in FORMS.values():
        names = [given.name for given in form.inputs]
        assert len(names) == len(set(names)), form.name
        assert not {"command_id", "csrf_token"} & set(names)
        keys = [
            form.title,
            form.intro,
            *(g.label for g in form.inputs),
            *(g.hint for g in form.inputs),
        ]
        keys += [g.group for g in form.inputs]
        for key in keys:
            assert key is None or key in MESSAGES, (form.name, key)


def test_an_admin_forms_choices_belong_to_no_foundation() -> None:
    views = cast(ViewDB, object())  # not read: only whose the choices are is under test
    with pytest.raises(LookupError):
        _ = Choices(None, views, "zh").foundation_id
    owned = uuid4()
    assert Choices(owned, views, "zh").foundation_id == owned


def test_a_link_fills_in_only_the_ids_the_form_asks_for_never_a_persons_details() -> None:
    given = {
        "nominee_org_id": "an id",
        "designation_id": "not this form's",
        "nominee_name": "a person",
        "rationale": "typed",
    }
    assert ids_given(FORMS["nomination"], given) == {"nominee_org_id": "an id"}
    personal = Input("subject_id", "console.field.donor_name", personal=True)
    holding_a_person = replace(FORMS["selection"], inputs=(personal,))
    assert ids_given(holding_a_person, {"subject_id": "x"}) == {}
