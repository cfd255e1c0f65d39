"""The admin's forms, each a declaration of `api.console.forms` like the staff's (`staff_forms.py`):
registering an organisation, reclassifying one, grading a service centre (等级评估), nominating a
designation (带头人, 观察点) and selecting one within the year's maximum, each the same use case the
JSON route of that command runs; and issuing an API key, which is not a ledger command (the admin's
route issues it, `api/console/routes/admin.py`), declared here so the one form template shows it.
These forms belong to no foundation (`Choices.owner` is None). `FORMS` is what `/console/admin/forms/`
serves, by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any
from uuid import UUID

from api.commands import execute
from api.console.forms import Choices, Fact, Form, Input, Option, Run, Values
from api.pages.i18n import label, translate
from api.people import new_person
from domain.districts import DISTRICTS
from domain.errors import InvalidChoice, InvalidInput
from domain.ledger import Ledger, Outcome
from domain.organizations import GRADES, ORGANIZATION_TYPES, ROLES, TIERS
from domain.pairing.designation import DESIGNATION_KINDS, NOMINEE_KINDS
from projections.disclosure import reader
from projections.pagination import MAX_LIMIT, PageRequest
from storage.api_keys import ROLES as KEY_ROLES

NOMINEE_PERSON_FIELDS = ("nominee_name", "nominee_id_card")
KEY_FORM = "key"


OptionsOf = Callable[[Choices], Sequence[Option]]


def labelled(vocabulary: str, codes: Sequence[str]) -> OptionsOf:
    """A choice of a vocabulary's codes, named in the page's language."""

    def options(choices: Choices) -> Sequence[Option]:
        return [Option(code, label(choices.lang, vocabulary, code)) for code in codes]

    return options


def translated(prefix: str, codes: Sequence[str]) -> OptionsOf:
    """A choice of codes named by i18n keys `{prefix}.{code}`."""

    def options(choices: Choices) -> Sequence[Option]:
        return [Option(code, translate(choices.lang, f"{prefix}.{code}")) for code in codes]

    return options


def grades(choices: Choices) -> Sequence[Option]:
    return [Option(grade, grade) for grade in GRADES]


def fund_holders(choices: Choices) -> Sequence[Option]:
    """Organisations a key may be bound to, or a designation given to: foundations and community
    foundations (up to a page of 500, by district and name)."""
    found = reader.organizations(
        choices.db, reader.OrganizationFilters(holds_funds=True), PageRequest(MAX_LIMIT)
    )
    return [
        Option(str(o.organization_id), f"{o.name} · {label(choices.lang, 'district', o.district)}")
        for o in found.items
        if o.deregistered_on is None
    ]


def nominated(choices: Choices) -> Sequence[Option]:
    """Designations awaiting selection: kind, year and nominee (an organisation by name, a person
    never by name)."""
    found = reader.designations(
        choices.db, reader.PartyFilters(status="nominated"), PageRequest(MAX_LIMIT)
    )
    return [
        Option(
            str(d.designation_id),
            f"{label(choices.lang, 'designation_kind', d.kind)} · {d.year} · "
            f"{d.nominee_name or translate(choices.lang, 'console.admin.nominee.person')}"
            f" · {str(d.designation_id)[:8]}",
        )
        for d in found.items
    ]


def selections(ledger: Ledger, choices: Choices) -> Sequence[Fact]:
    """The yearly maximum (`Ledger.designations_max_per_year`, the rule `DesignationYear.take`
    enforces) and how many of each kind are selected: this year and every year a nomination awaits."""
    waiting = reader.designations(
        choices.db, reader.PartyFilters(status="nominated"), PageRequest(MAX_LIMIT)
    )
    years = sorted({ledger.today().year, *(d.year for d in waiting.items)})
    facts = [Fact("console.admin.maximum", {"maximum": ledger.designations_max_per_year})]
    for year in years:
        for kind, used in ledger.designations_selected(year).items():
            facts.append(
                Fact(
                    "console.admin.selected",
                    {
                        "kind": label(choices.lang, "designation_kind", kind),
                        "year": year,
                        "used": used,
                        "maximum": ledger.designations_max_per_year,
                    },
                )
            )
    return facts


def register(run: Run, values: Values) -> Outcome[Any]:
    roles = [role for role in ROLES if values.flag(f"role_{role}")]
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.register_organization(
            run.command_id,
            name=values.required_text("name"),
            uscc=values.text("uscc"),
            type=values.required_text("type"),
            tier=values.required_text("tier"),
            roles=roles,
            district=values.required_text("district"),
            subdistrict=values.required_text("subdistrict"),
            rural=values.flag("rural"),
            registered_on=values.day("registered_on"),
        ),
    )


def reclassify(run: Run, values: Values) -> Outcome[Any]:
    organization_id = values.uuid("organization_id")
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.reclassify_organization(
            organization_id,
            command_id=run.command_id,
            type=values.required_text("type"),
            tier=values.required_text("tier"),
            reason=values.required_text("reason"),
            reclassified_on=values.day("reclassified_on"),
        ),
    )


def evaluate(run: Run, values: Values) -> Outcome[Any]:
    organization_id = values.uuid("organization_id")
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.record_evaluation(
            organization_id,
            evaluation_id=run.command_id,
            grade=values.required_text("grade"),
            evaluated_on=values.day("evaluated_on"),
            evaluator=values.required_text("evaluator"),
        ),
    )


def year_of(values: Values) -> int:
    text = values.required_text("year")
    if not text.isdigit():
        raise InvalidChoice(f"year: a year such as 2024, got {text!r}", field="year")
    return int(text)


def nominate(run: Run, values: Values) -> Outcome[Any]:
    nominee_kind = values.required_text("nominee_kind")
    organization = values.text("nominee_org_id")
    person = None
    if nominee_kind == "person":
        if organization is not None:
            raise InvalidInput(
                "nominee_org_id: only for a foundation nominee", field="nominee_org_id"
            )
        person = new_person(
            run.who,
            "nominee_",
            name=values.required_text("nominee_name"),
            id_card=values.text("nominee_id_card"),
        )
    else:
        # A person's details are taken only for a person nominee, never kept for nothing.
        for name in NOMINEE_PERSON_FIELDS:
            if values.text(name) is not None:
                raise InvalidInput(f"{name}: only for a person nominee", field=name)
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.nominate(
            run.command_id,
            kind=values.required_text("kind"),
            year=year_of(values),
            nominee_kind=nominee_kind,
            nominee_org_id=None if organization is None else values.uuid("nominee_org_id"),
            nominee_person=person,
            nominating_body=values.required_text("nominating_body"),
            rationale=values.required_text("rationale"),
            nominated_on=values.day("nominated_on"),
        ),
    )


def select(run: Run, values: Values) -> Outcome[Any]:
    designation_id = values.uuid("designation_id")
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.select_designation(
            designation_id,
            command_id=run.command_id,
            selected_on=values.day("selected_on"),
            selecting_body=values.required_text("selecting_body"),
        ),
    )


def issued_by_its_route(run: Run, values: Values) -> Outcome[Any]:
    """Never called: a key is not a ledger command, and `api/console/routes/admin.py` issues it."""
    msg = "the key form is sent to the admin's key route, not run as a ledger command"
    raise AssertionError(msg)


# Where a recorded command shows on the public site (a form's `public_page`).
def organization_page(values: Values, command_id: UUID) -> str:
    return f"/organizations/{values.uuid('organization_id')}"


DESIGNATIONS = "/console/admin/designations"  # a person nominee's designation has no public page


def nominee_page(values: Values, command_id: UUID) -> str:
    """A foundation nominee's public page lists its designations; a person's is named nowhere."""
    organization = values.text("nominee_org_id")
    return DESIGNATIONS if organization is None else f"/organizations/{organization}"


ORGANIZATION_FIELDS = (
    Input(
        "type",
        "console.admin.field.type",
        "choice",
        options=labelled("organization_type", tuple(ORGANIZATION_TYPES)),
    ),
    Input("tier", "console.admin.field.tier", "choice", options=labelled("tier", tuple(TIERS))),
)

REGISTRATION = Form(
    name="organization",
    title="console.admin.form.organization",
    intro="console.admin.form.organization.intro",
    inputs=(
        Input("name", "console.admin.field.name"),
        Input("uscc", "console.admin.field.uscc", required=False, hint="console.admin.hint.uscc"),
        *ORGANIZATION_FIELDS,
        *(
            Input(
                f"role_{role}",
                f"console.admin.role.{role}",
                "checkbox",
                required=False,
                group="console.admin.group.roles",
                answers_for=("roles",) if role == next(iter(ROLES)) else (),
            )
            for role in ROLES
        ),
        Input(
            "district",
            "console.admin.field.district",
            "choice",
            options=labelled("district", tuple(DISTRICTS)),
        ),
        Input(
            "subdistrict", "console.admin.field.subdistrict", hint="console.admin.hint.subdistrict"
        ),
        Input("rural", "console.admin.field.rural", "checkbox", required=False),
        Input("registered_on", "console.admin.field.registered_on", "date"),
    ),
    run=register,
    public_page=lambda values, command_id: f"/organizations/{command_id}",
)

RECLASSIFICATION = Form(
    name="reclassification",
    title="console.admin.form.reclassification",
    intro="console.form.public_text",
    inputs=(
        Input(
            "organization_id",
            "console.admin.field.organization",
            hint="console.admin.hint.organization",
        ),
        *ORGANIZATION_FIELDS,
        Input("reason", "console.admin.field.reason", "textarea"),
        Input("reclassified_on", "console.admin.field.reclassified_on", "date"),
    ),
    run=reclassify,
    public_page=organization_page,
)

EVALUATION = Form(
    name="evaluation",
    title="console.admin.form.evaluation",
    intro="console.admin.form.evaluation.intro",
    inputs=(
        Input(
            "organization_id", "console.admin.field.centre", hint="console.admin.hint.organization"
        ),
        Input("grade", "console.admin.field.grade", "choice", options=grades),
        Input("evaluated_on", "console.admin.field.evaluated_on", "date"),
        Input("evaluator", "console.admin.field.evaluator"),
    ),
    run=evaluate,
    public_page=organization_page,
)

NOMINATION = Form(
    name="nomination",
    title="console.admin.form.nomination",
    intro="console.admin.form.nomination.intro",
    inputs=(
        Input(
            "kind",
            "console.admin.field.kind",
            "choice",
            options=labelled("designation_kind", tuple(DESIGNATION_KINDS)),
        ),
        Input("year", "console.admin.field.year", hint="console.admin.hint.year"),
        Input(
            "nominee_kind",
            "console.admin.field.nominee_kind",
            "choice",
            options=translated("console.admin.nominee", NOMINEE_KINDS),
            group="console.admin.group.nominee",
        ),
        Input(
            "nominee_org_id",
            "console.admin.field.nominee_org",
            "choice",
            required=False,
            options=fund_holders,
            group="console.admin.group.nominee",
        ),
        Input(
            "nominee_name",
            "console.admin.field.nominee_name",
            required=False,
            personal=True,
            answers_for=("nominee_subject_id", "nominee"),
            group="console.admin.group.nominee",
            hint="console.admin.hint.nominee_person",
        ),
        Input(
            "nominee_id_card",
            "console.field.id_card",
            required=False,
            personal=True,
            group="console.admin.group.nominee",
        ),
        Input("nominating_body", "console.admin.field.nominating_body"),
        Input("rationale", "console.admin.field.rationale", "textarea"),
        Input("nominated_on", "console.admin.field.nominated_on", "date"),
    ),
    run=nominate,
    public_page=nominee_page,
)

SELECTION = Form(
    name="selection",
    title="console.admin.form.selection",
    intro="console.admin.form.selection.intro",
    inputs=(
        Input("designation_id", "console.admin.field.designation", "choice", options=nominated),
        Input("selected_on", "console.admin.field.selected_on", "date"),
        Input("selecting_body", "console.admin.field.selecting_body"),
    ),
    run=select,
    public_page=lambda values, command_id: DESIGNATIONS,
    facts=selections,
)

KEY = Form(
    name=KEY_FORM,
    title="console.admin.form.key",
    intro="console.admin.form.key.intro",
    inputs=(
        Input(
            "role",
            "console.admin.field.key_role",
            "choice",
            options=translated("console.admin.key_role", KEY_ROLES),
        ),
        Input(
            "foundation_id",
            "console.admin.field.key_foundation",
            "choice",
            required=False,
            options=fund_holders,
            hint="console.admin.hint.key_foundation",
        ),
    ),
    run=issued_by_its_route,
    public_page=lambda values, command_id: "/console/admin/keys",
)

FORMS: Mapping[str, Form] = MappingProxyType(
    {f.name: f for f in (REGISTRATION, RECLASSIFICATION, EVALUATION, NOMINATION, SELECTION, KEY)}
)
