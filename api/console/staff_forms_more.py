"""The rest of the staff's forms for funds, grants and relief cases (issue 17), declared as those of
`api.console.staff_forms` are: a relief case opened with its beneficiary (to the vault only),
approved, rejected, a disbursement reversed; a grant's community feedback, its cancellation, an
instalment reversed; a fund opened, a donation or transfer reversed, a fund closed, a donor's
consent to be named withdrawn, a reservation released. `FORMS` holds them by name;
`api.console.catalog` merges them with the others (the pairing programme's are
`staff_forms_pairing.py`).

Each runs the use case the JSON route of that command runs, with the same arguments, and the form's
command id as that use case's idempotency key: the new record's id (a case, a fund), the entry's id
(a reversal, a release), or the `command_id` a JSON client sends as `Idempotency-Key`. Every record
a form names is checked to be the foundation's own before anything is done (a forged id of another
foundation's is a 403 that writes nothing, and leaves no person in the vault); an entry a form names
(a disbursement, an instalment, a donation, a reservation) is checked by the use case to be one of
that record's own. What a form offers to choose comes from `projections.desk`: a fund's open
reservations, a grant's instalments and a case's disbursements from the aggregates, donations and
transfers from the views, each labelled by `entries`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any
from uuid import UUID

from api.commands import execute
from api.console.forms import Choices, Form, Input, Option, Run, Values
from api.console.staff_forms import (
    active_grants,
    approver_ids,
    case_page,
    every_grant,
    fund_statement,
    grant_page,
    open_funds,
    own_case,
    own_fund,
    own_grant,
    relief_cases,
)
from api.pages.i18n import label, translate
from api.people import new_person
from api.schemas.common import yuan
from domain.errors import InvalidInput
from domain.foundations.codes import RELIEF_PURPOSES, RELIEF_REASONS
from domain.foundations.entries import FUND_KINDS, Transfer
from domain.ledger import Ledger, Outcome
from projections import desk
from projections.disclosure import reader
from projections.pagination import MAX_LIMIT, PageRequest
from storage.viewdb import ViewDB

# --- what the forms offer ------------------------------------------------------------------------


def relief_funds(choices: Choices) -> Sequence[Option]:
    """The foundation's open funds that may pay relief (emergency_relief)."""
    found = reader.funds(
        choices.db, reader.Filters(foundation_id=choices.foundation_id, status="open")
    )
    return [Option(str(f.fund_id), f.name) for f in found.items if f.kind == "emergency_relief"]


def reasons(choices: Choices) -> Sequence[Option]:
    return [
        Option(code, f"{code} · {translate(choices.lang, f'console.reason.{code}')}")
        for code in RELIEF_REASONS
    ]


def purposes(choices: Choices) -> Sequence[Option]:
    return [
        Option(code, f"{code} · {label(choices.lang, 'relief_purpose', code)}")
        for code in RELIEF_PURPOSES
    ]


def fund_kinds(choices: Choices) -> Sequence[Option]:
    return [Option(kind, label(choices.lang, "fund_kind", kind)) for kind in FUND_KINDS]


def ratings(choices: Choices) -> Sequence[Option]:
    return [Option(str(n), translate(choices.lang, f"console.rating.{n}")) for n in range(1, 6)]


def open_cases(choices: Choices) -> Sequence[Option]:
    """The open and approved cases, which an approval or a rejection may name (whether this one
    may, the domain decides: a rejection only while nothing paid is outstanding)."""
    return relief_cases(choices, awaiting=False)


def entries(
    read: Callable[[Choices], Sequence[desk.Entry]],
) -> Callable[[Choices], Sequence[Option]]:
    """A choice of earlier entries, each named by its record (fund, grant or case's subdistrict),
    amount and date, and its id's first characters (two alike are told apart)."""

    def options(choices: Choices) -> Sequence[Option]:
        return [
            Option(
                str(e.entry_id),
                translate(
                    choices.lang,
                    "console.option.entry",
                    name=e.label,
                    amount=yuan(e.amount_fen),
                    on=e.on_date.isoformat(),
                    id=str(e.entry_id)[:8],
                ),
            )
            for e in read(choices)
        ]

    return options


def with_ledger(
    read: Callable[[ViewDB, Ledger, UUID], tuple[desk.Entry, ...]],
) -> Callable[[Choices], Sequence[desk.Entry]]:
    """A read of what only the aggregates keep, given the page's ledger (a page shown without one
    offers none)."""

    def entries_of(choices: Choices) -> Sequence[desk.Entry]:
        if choices.ledger is None:
            return ()
        return read(choices.db, choices.ledger, choices.foundation_id)

    return entries_of


def reversible(choices: Choices) -> Sequence[desk.Entry]:
    return (
        *desk.reversible_donations(choices.db, choices.foundation_id),
        *desk.reversible_transfers(choices.db, choices.foundation_id),
    )


def paid_grants(choices: Choices) -> Sequence[Option]:
    found = reader.grants(
        choices.db, reader.Filters(foundation_id=choices.foundation_id), PageRequest(MAX_LIMIT)
    )
    return [
        Option(str(g.grant_id), f"{g.title} · {g.recipient_name or ''}")
        for g in found.items
        if g.paid_fen > 0
    ]


def paid_cases(choices: Choices) -> Sequence[Option]:
    found = reader.relief_cases(
        choices.db, reader.Filters(foundation_id=choices.foundation_id), PageRequest(MAX_LIMIT)
    ).items
    return [
        Option(
            str(c.case_id),
            f"{c.subdistrict} · {c.opened_on.isoformat()} · "
            f"{label(choices.lang, 'relief_category', c.reason_category)} · {str(c.case_id)[:8]}",
        )
        for c in found
        if c.paid_fen > 0
    ]


# --- how each form runs ----------------------------------------------------------------------------


def open_relief_case(run: Run, values: Values) -> Outcome[Any]:
    # Authorise before the beneficiary goes anywhere, as the JSON route does: a forged fund of another
    # foundation leaves nothing behind, not even in the vault.
    fund_id = own_fund(run, values.uuid("fund_id"))
    person = new_person(
        run.who,
        "beneficiary_",
        name=values.required_text("beneficiary_name"),
        id_card=values.text("beneficiary_id_card"),
        phone=values.text("beneficiary_phone"),
        address=values.text("beneficiary_address"),
    )
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.open_relief_case(
            run.command_id,
            fund_id=fund_id,
            reason_code=values.required_text("reason_code"),
            purpose_code=values.required_text("purpose_code"),
            subdistrict=values.required_text("subdistrict"),
            beneficiary=person,
            requested_amount=values.money("requested_amount"),
            emergency=values.flag("emergency"),
            opened_on=values.day("opened_on"),
        ),
    )


def approve_relief(run: Run, values: Values) -> Outcome[Any]:
    case_id = own_case(run, values.uuid("case_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.approve_relief_case(
            case_id,
            command_id=run.command_id,
            amount=values.money("amount"),
            approvers=approver_ids(values),
            approved_on=values.day("approved_on"),
        ),
    )


def reject_relief(run: Run, values: Values) -> Outcome[Any]:
    case_id = own_case(run, values.uuid("case_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.reject_relief_case(
            case_id,
            command_id=run.command_id,
            reason=values.required_text("reason"),
            rejected_on=values.day("rejected_on"),
        ),
    )


def reverse_disbursement(run: Run, values: Values) -> Outcome[Any]:
    case_id = own_case(run, values.uuid("case_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.reverse_disbursement(
            case_id,
            reversal_id=run.command_id,
            disbursement_id=values.uuid("disbursement_id"),
            reason=values.required_text("reason"),
            reversed_on=values.day("reversed_on"),
        ),
    )


def record_feedback(run: Run, values: Values) -> Outcome[Any]:
    grant_id = own_grant(run, values.uuid("grant_id"))
    rating = values.required_text("rating")
    if not rating.isdigit():  # the domain checks the range; a forged non-number stops here
        raise InvalidInput(f"rating: a whole number from 1 to 5, got {rating!r}", field="rating")
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.record_grant_feedback(
            grant_id,
            command_id=run.command_id,
            rating=int(rating),
            summary=values.required_text("summary"),
            recorded_on=values.day("recorded_on"),
        ),
    )


def cancel_grant(run: Run, values: Values) -> Outcome[Any]:
    grant_id = own_grant(run, values.uuid("grant_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.cancel_grant(
            grant_id,
            command_id=run.command_id,
            reason=values.required_text("reason"),
            cancelled_on=values.day("cancelled_on"),
        ),
    )


def reverse_instalment(run: Run, values: Values) -> Outcome[Any]:
    grant_id = own_grant(run, values.uuid("grant_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.reverse_instalment(
            grant_id,
            reversal_id=run.command_id,
            payment_id=values.uuid("payment_id"),
            reason=values.required_text("reason"),
            reversed_on=values.day("reversed_on"),
        ),
    )


def open_fund(run: Run, values: Values) -> Outcome[Any]:
    # A staff key opens funds for its own foundation only: the one whose desk the form is on (the
    # route checked it is the key's).
    foundation_id = run.who.foundation_id
    assert foundation_id is not None  # a staff key is bound to a foundation
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.open_fund(
            run.command_id,
            foundation_id=foundation_id,
            kind=values.required_text("kind"),
            name=values.required_text("name"),
            opened_on=values.day("opened_on"),
        ),
    )


def reverse_entry(run: Run, values: Values) -> Outcome[Any]:
    """A donation's or a transfer's reversal: which, the ledger's own record of the target says (the
    JSON route's `kind`), so a staffer picks the entry, not its kind too."""
    fund_id = own_fund(run, values.uuid("fund_id"))
    target_id = values.uuid("target_id")
    applied = run.ledger.applied(target_id)
    reason, reversed_on = values.required_text("reason"), values.day("reversed_on")
    if applied is not None and isinstance(applied.record, Transfer):
        return execute(
            run.ledger,
            run.who,
            None,
            lambda: run.ledger.reverse_transfer(
                fund_id,
                reversal_id=run.command_id,
                transfer_id=target_id,
                reason=reason,
                reversed_on=reversed_on,
            ),
        )
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.reverse_donation(
            fund_id,
            reversal_id=run.command_id,
            donation_id=target_id,
            reason=reason,
            reversed_on=reversed_on,
        ),
    )


def close_fund(run: Run, values: Values) -> Outcome[Any]:
    fund_id = own_fund(run, values.uuid("fund_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.close_fund(
            fund_id,
            command_id=run.command_id,
            closed_on=values.day("closed_on"),
            reason=values.required_text("reason"),
        ),
    )


def withdraw_consent(run: Run, values: Values) -> Outcome[Any]:
    fund_id = own_fund(run, values.uuid("fund_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.withdraw_name_consent(
            fund_id,
            command_id=run.command_id,
            donation_id=values.uuid("donation_id"),
            withdrawn_on=values.day("withdrawn_on"),
        ),
    )


def release(run: Run, values: Values) -> Outcome[Any]:
    fund_id = own_fund(run, values.uuid("fund_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.release(
            fund_id,
            release_id=run.command_id,
            reservation_id=values.uuid("reservation_id"),
            released_on=values.day("released_on"),
        ),
    )


def new_case_page(values: Values, command_id: UUID) -> str:
    return f"/relief-cases/{command_id}"


def new_fund_statement(values: Values, command_id: UUID) -> str:
    return f"/funds/{command_id}/statement"


# --- the forms ---------------------------------------------------------------------------------


def beneficiary(name: str, label_key: str, **extra: Any) -> Input:
    return Input(
        f"beneficiary_{name}",
        label_key,
        required=False,
        personal=True,
        group="console.group.beneficiary",
        **extra,
    )


RELIEF_CASE = Form(
    name="relief-case",
    title="console.form.relief_case",
    intro="console.form.relief_case.intro",
    inputs=(
        Input("fund_id", "console.field.relief_fund", "choice", options=relief_funds),
        # The detailed reason goes to the vault with the beneficiary (the log has its category):
        # personal, so the success page says where it went and does not show it.
        Input("reason_code", "console.field.reason_code", "choice", options=reasons, personal=True),
        Input("purpose_code", "console.field.purpose_code", "choice", options=purposes),
        Input(
            "subdistrict",
            "console.field.subdistrict",
            hint="console.hint.subdistrict",
        ),
        Input(
            "requested_amount",
            "console.field.requested_amount",
            "money",
            hint="console.hint.amount",
        ),
        Input("emergency", "console.field.emergency", "checkbox", required=False),
        Input("opened_on", "console.field.opened_on", "date"),
        Input(
            "beneficiary_name",
            "console.field.donor_name",
            answers_for=("beneficiary_subject_id", "beneficiary"),
            personal=True,
            group="console.group.beneficiary",
            hint="console.hint.beneficiary",
        ),
        beneficiary("id_card", "console.field.id_card"),
        beneficiary("phone", "console.field.phone"),
        beneficiary("address", "console.field.address"),
    ),
    run=open_relief_case,
    public_page=new_case_page,
)

RELIEF_APPROVAL = Form(
    name="relief-approval",
    title="console.form.relief_approval",
    intro="console.form.relief_approval.intro",
    inputs=(
        Input("case_id", "console.field.case", "choice", options=open_cases),
        Input("amount", "console.field.approved_amount", "money", hint="console.hint.amount"),
        Input("approvers", "console.field.approvers", "textarea", hint="console.hint.approvers"),
        Input("approved_on", "console.field.approved_on", "date"),
    ),
    run=approve_relief,
    public_page=case_page,
)

RELIEF_REJECTION = Form(
    name="relief-rejection",
    title="console.form.relief_rejection",
    intro="console.form.public_text",
    inputs=(
        Input("case_id", "console.field.case", "choice", options=open_cases),
        Input("reason", "console.field.rejection_reason", "textarea"),
        Input("rejected_on", "console.field.rejected_on", "date"),
    ),
    run=reject_relief,
    public_page=case_page,
)

RELIEF_REVERSAL = Form(
    name="relief-reversal",
    title="console.form.relief_reversal",
    intro="console.form.relief_reversal.intro",
    inputs=(
        Input("case_id", "console.field.case", "choice", options=paid_cases),
        Input(
            "disbursement_id",
            "console.field.disbursement",
            "choice",
            options=entries(with_ledger(desk.live_disbursements)),
        ),
        Input("reason", "console.field.correction", "textarea"),
        Input("reversed_on", "console.field.reversed_on", "date"),
    ),
    run=reverse_disbursement,
    public_page=case_page,
)

GRANT_FEEDBACK = Form(
    name="grant-feedback",
    title="console.form.grant_feedback",
    intro="console.form.public_text",
    inputs=(
        Input("grant_id", "console.field.grant", "choice", options=every_grant),
        Input("rating", "console.field.rating", "choice", options=ratings),
        Input("summary", "console.field.feedback", "textarea"),
        Input("recorded_on", "console.field.recorded_on", "date"),
    ),
    run=record_feedback,
    public_page=grant_page,
)

GRANT_CANCELLATION = Form(
    name="grant-cancellation",
    title="console.form.grant_cancellation",
    intro="console.form.grant_cancellation.intro",
    inputs=(
        Input("grant_id", "console.field.grant", "choice", options=active_grants),
        Input("reason", "console.field.cancellation_reason", "textarea"),
        Input("cancelled_on", "console.field.cancelled_on", "date"),
    ),
    run=cancel_grant,
    public_page=grant_page,
)

INSTALMENT_REVERSAL = Form(
    name="instalment-reversal",
    title="console.form.instalment_reversal",
    intro="console.form.instalment_reversal.intro",
    inputs=(
        Input("grant_id", "console.field.grant", "choice", options=paid_grants),
        Input(
            "payment_id",
            "console.field.instalment",
            "choice",
            options=entries(with_ledger(desk.paid_instalments)),
        ),
        Input("reason", "console.field.correction", "textarea"),
        Input("reversed_on", "console.field.reversed_on", "date"),
    ),
    run=reverse_instalment,
    public_page=grant_page,
)

FUND = Form(
    name="fund",
    title="console.form.fund",
    inputs=(
        Input("kind", "console.field.fund_kind", "choice", options=fund_kinds),
        Input("name", "console.field.fund_name"),
        Input("opened_on", "console.field.opened_on", "date"),
    ),
    run=open_fund,
    public_page=new_fund_statement,
)

FUND_REVERSAL = Form(
    name="fund-reversal",
    title="console.form.fund_reversal",
    intro="console.form.fund_reversal.intro",
    inputs=(
        Input("fund_id", "console.field.fund", "choice", options=open_funds),
        Input(
            "target_id",
            "console.field.reversal_target",
            "choice",
            options=entries(reversible),
            answers_for=("donation_id", "transfer_id"),
        ),
        Input("reason", "console.field.correction", "textarea"),
        Input("reversed_on", "console.field.reversed_on", "date"),
    ),
    run=reverse_entry,
    public_page=fund_statement,
)

FUND_CLOSING = Form(
    name="fund-closing",
    title="console.form.fund_closing",
    intro="console.form.fund_closing.intro",
    inputs=(
        Input("fund_id", "console.field.fund", "choice", options=open_funds),
        Input("reason", "console.field.closing_reason", "textarea"),
        Input("closed_on", "console.field.fund_closed_on", "date"),
    ),
    run=close_fund,
    public_page=fund_statement,
)

CONSENT_WITHDRAWAL = Form(
    name="consent-withdrawal",
    title="console.form.consent_withdrawal",
    intro="console.form.consent_withdrawal.intro",
    inputs=(
        Input("fund_id", "console.field.fund", "choice", options=open_funds),
        Input(
            "donation_id",
            "console.field.named_donation",
            "choice",
            options=entries(lambda c: desk.named_donations(c.db, c.foundation_id)),
        ),
        Input("withdrawn_on", "console.field.withdrawn_on", "date"),
    ),
    run=withdraw_consent,
    public_page=fund_statement,
)

RELEASE = Form(
    name="release",
    title="console.form.release",
    intro="console.form.release.intro",
    inputs=(
        Input("fund_id", "console.field.fund", "choice", options=open_funds),
        Input(
            "reservation_id",
            "console.field.reservation",
            "choice",
            options=entries(with_ledger(desk.open_reservations)),
        ),
        Input("released_on", "console.field.released_on", "date"),
    ),
    run=release,
    public_page=fund_statement,
)

FORMS: Mapping[str, Form] = MappingProxyType(
    {
        f.name: f
        for f in (
            RELIEF_CASE,
            RELIEF_APPROVAL,
            RELIEF_REJECTION,
            RELIEF_REVERSAL,
            GRANT_FEEDBACK,
            GRANT_CANCELLATION,
            INSTALMENT_REVERSAL,
            FUND,
            FUND_REVERSAL,
            FUND_CLOSING,
            CONSENT_WITHDRAWAL,
            RELEASE,
        )
    }
)
