"""The staff's forms, each a declaration of `api.console.forms`: its inputs, and how their values
become the application use case's plain arguments (the same call the JSON route of that command
makes). A new form is a few lines here (or in `staff_forms_more.py`, `staff_forms_pairing.py`) and
a few strings in `api/pages/i18n.py`; `FORMS` holds this module's, by name, and
`api.console.catalog.FORMS`, what the console serves, all of them.

So far: a donation (with a person donor's details, for the vault, and their consent to be named), a
grant's award, an instalment's payment, the recipient's report and the grant's closing, a relief disbursement (against the approval, or on an
emergency case before it: the fast path, which starts the ratification deadline) and its ratification,
a transfer between two of the foundation's funds, a reservation on a fund and a grant's amendment.
The others are in `staff_forms_more.py` and `staff_forms_pairing.py` (docs/CONSOLE.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any
from uuid import UUID

from api.auth import check_foundation
from api.commands import execute
from api.console.forms import Choices, Form, Input, Option, Run, Values
from api.pages.i18n import label, translate
from api.people import new_person
from domain.errors import InvalidId, InvalidInput
from domain.ledger import Outcome
from projections.disclosure import reader
from projections.pagination import MAX_LIMIT, PageRequest

PERSON_FIELDS = ("donor_name", "donor_id_card", "donor_phone", "donor_address")


def open_funds(choices: Choices) -> Sequence[Option]:
    found = reader.funds(
        choices.db, reader.Filters(foundation_id=choices.foundation_id, status="open")
    )
    return [Option(str(f.fund_id), f.name) for f in found.items]


def donor_kinds(choices: Choices) -> Sequence[Option]:
    return [
        Option(kind, translate(choices.lang, f"console.donor.{kind}"))
        for kind in ("person", "organization", "anonymous")
    ]


def recipients(choices: Choices) -> Sequence[Option]:
    """Organisations that may receive a grant: those of the foundation's district holding no funds
    (up to a page of 500; a search box is for when a district has more)."""
    own = reader.foundation(choices.db, choices.foundation_id)
    district = own.organization.district if own is not None else None
    found = reader.organizations(
        choices.db,
        reader.OrganizationFilters(district=district, holds_funds=False),
        PageRequest(MAX_LIMIT),
    )
    return [Option(str(o.organization_id), o.name) for o in found.items]


def unpaid_grants(choices: Choices) -> Sequence[Option]:
    found = reader.grants_not_fully_paid(choices.db, choices.foundation_id, limit=500)
    return [Option(str(g.grant_id), f"{g.title} · {g.recipient_name or ''}") for g in found]


def relief_cases(choices: Choices, *, awaiting: bool) -> Sequence[Option]:
    """The foundation's relief cases that can be paid (open or approved), or that have a payment
    awaiting ratification: where, when and why, never who."""
    if awaiting:
        rows = reader.awaiting_ratification(
            choices.db, choices.foundation_id, PageRequest(MAX_LIMIT)
        ).items
    else:
        rows = tuple(
            row
            for status in ("open", "approved")
            for row in reader.relief_cases(
                choices.db,
                reader.Filters(foundation_id=choices.foundation_id, status=status),
                PageRequest(MAX_LIMIT),
            ).items
        )
    return [
        Option(
            str(c.case_id),
            f"{c.subdistrict} · {c.opened_on.isoformat()} · "
            f"{label(choices.lang, 'relief_category', c.reason_category)} · {str(c.case_id)[:8]}",
        )
        for c in rows
    ]


def payable_cases(choices: Choices) -> Sequence[Option]:
    return relief_cases(choices, awaiting=False)


def cases_awaiting_ratification(choices: Choices) -> Sequence[Option]:
    return relief_cases(choices, awaiting=True)


def grants_of(choices: Choices, status: str | None) -> Sequence[Option]:
    found = reader.grants(
        choices.db,
        reader.Filters(foundation_id=choices.foundation_id, status=status),
        PageRequest(MAX_LIMIT),
    )
    return [Option(str(g.grant_id), f"{g.title} · {g.recipient_name or ''}") for g in found.items]


def active_grants(choices: Choices) -> Sequence[Option]:
    return grants_of(choices, "active")


def every_grant(choices: Choices) -> Sequence[Option]:
    return grants_of(choices, None)


def own_fund(run: Run, fund_id: UUID) -> UUID:
    check_foundation(run.who, run.ledger.fund_foundation(fund_id))
    return fund_id


def receive_donation(run: Run, values: Values) -> Outcome[Any]:
    fund_id = own_fund(run, values.uuid("fund_id"))
    kind = values.required_text("donor_kind")
    person, organization = None, values.text("donor_organization_id")
    if kind == "person":
        person = new_person(
            run.who,
            "donor_",
            name=values.required_text("donor_name"),
            id_card=values.text("donor_id_card"),
            phone=values.text("donor_phone"),
            address=values.text("donor_address"),
        )
    else:
        # A person's details are taken only for a person donor, never kept for nothing.
        for name in PERSON_FIELDS:
            if values.text(name) is not None:
                raise InvalidInput(f"{name}: only for a person donor", field=name)
    if kind != "organization" and organization is not None:
        raise InvalidInput(
            "donor_organization_id: only for an organisation donor", field="donor_organization_id"
        )
    if kind == "organization":
        organization = str(values.uuid("donor_organization_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.receive_donation(
            fund_id,
            donation_id=run.command_id,
            amount=values.money("amount"),
            received_on=values.day("received_on"),
            donor_kind=kind,
            donor_ref=organization,
            donor_person=person,
            publish_name=values.flag("publish_name"),
        ),
    )


def award_grant(run: Run, values: Values) -> Outcome[Any]:
    fund_id = own_fund(run, values.uuid("fund_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.award_grant(
            run.command_id,
            fund_id=fund_id,
            recipient_id=values.uuid("recipient_id"),
            programme=values.required_text("programme"),
            title=values.required_text("title"),
            description=values.required_text("description"),
            amount=values.money("amount"),
            awarded_on=values.day("awarded_on"),
            planned_start=values.day("planned_start"),
            planned_end=values.day("planned_end"),
        ),
    )


def pay_instalment(run: Run, values: Values) -> Outcome[Any]:
    grant_id = values.uuid("grant_id")
    grant = run.ledger.get_grant(grant_id)
    own_fund(run, grant.fund_id)
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.pay_instalment(
            grant_id,
            payment_id=run.command_id,
            amount=values.money("amount"),
            paid_on=values.day("paid_on"),
        ),
    )


def own_grant(run: Run, grant_id: UUID) -> UUID:
    own_fund(run, run.ledger.get_grant(grant_id).fund_id)
    return grant_id


def receive_report(run: Run, values: Values) -> Outcome[Any]:
    grant_id = own_grant(run, values.uuid("grant_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.receive_grant_report(
            grant_id,
            command_id=run.command_id,
            summary=values.required_text("summary"),
            received_on=values.day("received_on"),
        ),
    )


def close_grant(run: Run, values: Values) -> Outcome[Any]:
    grant_id = own_grant(run, values.uuid("grant_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.close_grant(
            grant_id,
            command_id=run.command_id,
            outcome=values.required_text("outcome"),
            closed_on=values.day("closed_on"),
        ),
    )


def own_case(run: Run, case_id: UUID) -> UUID:
    own_fund(run, run.ledger.get_relief_case(case_id).fund_id)
    return case_id


def disburse_relief(run: Run, values: Values) -> Outcome[Any]:
    case_id = own_case(run, values.uuid("case_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.disburse_relief(
            case_id,
            disbursement_id=run.command_id,
            amount=values.money("amount"),
            paid_on=values.day("paid_on"),
        ),
    )


def approver_ids(values: Values) -> list[UUID]:
    """The ids of the people who decided, one per line or separated by commas (never names)."""
    text = values.required_text("approvers")
    found = []
    for part in text.replace(",", "\n").split():
        try:
            found.append(UUID(part))
        except ValueError:
            raise InvalidId(f"approvers: {part!r} is not an id", field="approvers") from None
    return found


def ratify_relief(run: Run, values: Values) -> Outcome[Any]:
    case_id = own_case(run, values.uuid("case_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.ratify_relief_case(
            case_id,
            command_id=run.command_id,
            approvers=approver_ids(values),
            ratified_on=values.day("ratified_on"),
        ),
    )


def transfer(run: Run, values: Values) -> Outcome[Any]:
    # Both ends must be the foundation's own: the JSON route checks only the paying fund, but a
    # staffer's form lists only their own funds, so naming another's is a forged form.
    from_fund_id = own_fund(run, values.uuid("fund_id"))
    to_fund_id = own_fund(run, values.uuid("to_fund_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.transfer(
            transfer_id=run.command_id,
            from_fund_id=from_fund_id,
            to_fund_id=to_fund_id,
            amount=values.money("amount"),
            transferred_on=values.day("transferred_on"),
            purpose=values.required_text("purpose"),
        ),
    )


def reserve(run: Run, values: Values) -> Outcome[Any]:
    fund_id = own_fund(run, values.uuid("fund_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.reserve(
            fund_id,
            reservation_id=run.command_id,
            amount=values.money("amount"),
            reserved_on=values.day("reserved_on"),
            purpose=values.required_text("purpose"),
        ),
    )


def amend_grant(run: Run, values: Values) -> Outcome[Any]:
    grant_id = own_grant(run, values.uuid("grant_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.amend_grant(
            grant_id,
            command_id=run.command_id,
            new_amount=values.money("amount"),
            reason=values.required_text("reason"),
            amended_on=values.day("amended_on"),
        ),
    )


# Where a recorded command shows on the public site (a form's `public_page`).
def fund_statement(values: Values, command_id: UUID) -> str:
    return f"/funds/{values.uuid('fund_id')}/statement"


def grant_page(values: Values, command_id: UUID) -> str:
    return f"/grants/{values.uuid('grant_id')}"


def case_page(values: Values, command_id: UUID) -> str:
    return f"/relief-cases/{values.uuid('case_id')}"


DONATION = Form(
    name="donation",
    title="console.form.donation",
    intro="console.form.donation.intro",
    inputs=(
        Input("fund_id", "console.field.fund", "choice", options=open_funds),
        Input("amount", "console.field.amount", "money", hint="console.hint.amount"),
        Input("received_on", "console.field.received_on", "date"),
        Input(
            "donor_kind",
            "console.field.donor_kind",
            "choice",
            options=donor_kinds,
            group="console.group.donor",
        ),
        Input(
            "donor_name",
            "console.field.donor_name",
            required=False,
            answers_for=("donor_subject_id", "donor"),
            personal=True,
            group="console.group.donor",
            hint="console.hint.person",
        ),
        Input(
            "donor_id_card",
            "console.field.id_card",
            required=False,
            personal=True,
            group="console.group.donor",
        ),
        Input(
            "donor_phone",
            "console.field.phone",
            required=False,
            personal=True,
            group="console.group.donor",
        ),
        Input(
            "donor_address",
            "console.field.address",
            required=False,
            personal=True,
            group="console.group.donor",
        ),
        Input(
            "donor_organization_id",
            "console.field.donor_organization",
            required=False,
            answers_for=("donor_ref",),
            group="console.group.donor",
            hint="console.hint.organization",
        ),
        Input(
            "publish_name",
            "console.field.publish_name",
            "checkbox",
            required=False,
            group="console.group.donor",
        ),
    ),
    run=receive_donation,
    public_page=fund_statement,
)

GRANT = Form(
    name="grant",
    title="console.form.grant",
    inputs=(
        Input("fund_id", "console.field.fund", "choice", options=open_funds),
        Input("recipient_id", "console.field.recipient", "choice", options=recipients),
        Input("programme", "console.field.programme"),
        Input("title", "console.field.title"),
        Input("description", "console.field.description", "textarea"),
        Input("amount", "console.field.amount", "money", hint="console.hint.amount"),
        Input("awarded_on", "console.field.awarded_on", "date"),
        Input("planned_start", "console.field.planned_start", "date"),
        Input("planned_end", "console.field.planned_end", "date"),
    ),
    run=award_grant,
    public_page=lambda values, command_id: f"/grants/{command_id}",
)

INSTALMENT = Form(
    name="instalment",
    title="console.form.instalment",
    inputs=(
        Input("grant_id", "console.field.grant", "choice", options=unpaid_grants),
        Input("amount", "console.field.amount", "money", hint="console.hint.amount"),
        Input("paid_on", "console.field.paid_on", "date"),
    ),
    run=pay_instalment,
    public_page=grant_page,
)


REPORT = Form(
    name="grant-report",
    title="console.form.report",
    intro="console.form.public_text",
    inputs=(
        Input("grant_id", "console.field.grant", "choice", options=every_grant),
        Input("summary", "console.field.summary", "textarea"),
        Input("received_on", "console.field.received_on", "date"),
    ),
    run=receive_report,
    public_page=grant_page,
)

CLOSING = Form(
    name="grant-closing",
    title="console.form.closing",
    intro="console.form.public_text",
    inputs=(
        Input("grant_id", "console.field.grant", "choice", options=active_grants),
        Input("outcome", "console.field.outcome", "textarea"),
        Input("closed_on", "console.field.closed_on", "date"),
    ),
    run=close_grant,
    public_page=grant_page,
)

DISBURSEMENT = Form(
    name="relief-disbursement",
    title="console.form.disbursement",
    intro="console.form.disbursement.intro",
    inputs=(
        Input("case_id", "console.field.case", "choice", options=payable_cases),
        Input("amount", "console.field.amount", "money", hint="console.hint.amount"),
        Input("paid_on", "console.field.paid_on", "date"),
    ),
    run=disburse_relief,
    public_page=case_page,
)

RATIFICATION = Form(
    name="ratification",
    title="console.form.ratification",
    inputs=(
        Input("case_id", "console.field.case", "choice", options=cases_awaiting_ratification),
        Input("approvers", "console.field.approvers", "textarea", hint="console.hint.approvers"),
        Input("ratified_on", "console.field.ratified_on", "date"),
    ),
    run=ratify_relief,
    public_page=case_page,
)

TRANSFER = Form(
    name="transfer",
    title="console.form.transfer",
    intro="console.form.public_text",
    inputs=(
        Input("fund_id", "console.field.from_fund", "choice", options=open_funds),
        Input("to_fund_id", "console.field.to_fund", "choice", options=open_funds),
        Input("amount", "console.field.amount", "money", hint="console.hint.amount"),
        Input("transferred_on", "console.field.transferred_on", "date"),
        Input("purpose", "console.field.purpose", "textarea"),
    ),
    run=transfer,
    public_page=fund_statement,
)

RESERVATION = Form(
    name="reservation",
    title="console.form.reservation",
    intro="console.form.public_text",
    inputs=(
        Input("fund_id", "console.field.fund", "choice", options=open_funds),
        Input("amount", "console.field.amount", "money", hint="console.hint.amount"),
        Input("reserved_on", "console.field.reserved_on", "date"),
        Input("purpose", "console.field.purpose", "textarea"),
    ),
    run=reserve,
    public_page=fund_statement,
)

AMENDMENT = Form(
    name="grant-amendment",
    title="console.form.amendment",
    intro="console.form.public_text",
    inputs=(
        Input("grant_id", "console.field.grant", "choice", options=active_grants),
        Input("amount", "console.field.new_amount", "money", hint="console.hint.amount"),
        Input("reason", "console.field.reason", "textarea"),
        Input("amended_on", "console.field.amended_on", "date"),
    ),
    run=amend_grant,
    public_page=grant_page,
)

FORMS: Mapping[str, Form] = MappingProxyType(
    {
        f.name: f
        for f in (
            DONATION,
            GRANT,
            INSTALMENT,
            REPORT,
            CLOSING,
            DISBURSEMENT,
            RATIFICATION,
            TRANSFER,
            RESERVATION,
            AMENDMENT,
        )
    }
)
