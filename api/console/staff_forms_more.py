"""The rest of the staff's forms (issue 17), declared as those of `api.console.staff_forms` are, and
`FORMS`, every staff form the console serves (those and these, by name): a relief case opened with
its beneficiary (to the vault only), approved, rejected, a disbursement reversed; a grant's community
feedback, its cancellation, an instalment reversed; a fund opened, a donation or transfer reversed, a
fund closed, a donor's consent to be named withdrawn, a reservation released; a pairing proposed,
confirmed, its activities, evaluation, conclusion or termination; a mentor link started (a person
mentor to the vault only), its sessions, a person mentor's consent withdrawn, its end.

Each runs the use case the JSON route of that command runs, with the same arguments, and the form's
command id as that use case's idempotency key: the new record's id (a case, a fund, a pairing, a
link), the entry's id (a reversal, a release, an activity, a session), or the `command_id` a JSON
client sends as `Idempotency-Key`. Every record a form names is checked to be the foundation's own
before anything is done (a forged id of another foundation's is a 403 that writes nothing, and
leaves no person in the vault); an entry a form names (a disbursement, an instalment, a donation, a
reservation) is checked by the use case to be one of that record's own. What a form offers to
choose comes from `projections.desk`: a fund's open reservations, a grant's instalments and a case's
disbursements from the aggregates, donations and transfers from the views.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any
from uuid import UUID

from api.auth import check_foundation
from api.commands import execute
from api.console import staff_forms
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
from domain.ledger import Outcome
from domain.organizations import GRADES
from domain.pairing.mentoring import MENTOR_KINDS, LinkStart
from domain.pairing.pairing import ACTIVITY_KINDS, MODES, PAIRING_KINDS
from projections import desk
from projections.disclosure import reader
from projections.pagination import MAX_LIMIT, PageRequest

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
    """Cases not yet decided: approval and rejection are for them (a rejection also for an approved
    case with nothing outstanding, which the domain decides)."""
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
    read: Callable[..., tuple[desk.Entry, ...]],
) -> Callable[[Choices], Sequence[desk.Entry]]:
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


def organisations(choices: Choices) -> Sequence[Option]:
    """A pairing's parties: the foundation itself first, then the registry's organisations (up to a
    page of 500; a search is for when the city has more)."""
    found = reader.organizations(
        choices.db, reader.OrganizationFilters(), PageRequest(MAX_LIMIT)
    ).items
    own = [o for o in found if o.organization_id == choices.foundation_id]
    rest = [o for o in found if o.organization_id != choices.foundation_id]
    return [Option(str(o.organization_id), o.name) for o in (*own, *rest)]


def pairing_kinds(choices: Choices) -> Sequence[Option]:
    return [Option(kind, label(choices.lang, "pairing_kind", kind)) for kind in PAIRING_KINDS]


def pairing_modes(choices: Choices) -> Sequence[Option]:
    return [Option(mode, label(choices.lang, "pairing_mode", mode)) for mode in MODES]


def activity_kinds(choices: Choices) -> Sequence[Option]:
    return [Option(kind, label(choices.lang, "activity_kind", kind)) for kind in ACTIVITY_KINDS]


def grades(choices: Choices) -> Sequence[Option]:
    return [Option(grade, grade) for grade in GRADES]


def pairings_in(*statuses: str) -> Callable[[Choices], Sequence[Option]]:
    """The pairings the foundation is party to (lead or partner), in one of `statuses`."""

    def options(choices: Choices) -> Sequence[Option]:
        rows = [
            row
            for status in statuses
            for row in reader.pairings(
                choices.db,
                reader.PartyFilters(organization_id=choices.foundation_id, status=status),
                PageRequest(MAX_LIMIT),
            ).items
        ]
        return [
            Option(
                str(p.pairing_id),
                f"{label(choices.lang, 'pairing_kind', p.kind)} · {p.lead_name or ''} · "
                f"{p.partner_name or ''} · {p.proposed_on.isoformat()}",
            )
            for p in rows
        ]

    return options


def mentor_kinds(choices: Choices) -> Sequence[Option]:
    return [
        Option(kind, translate(choices.lang, f"console.mentor.{kind}")) for kind in MENTOR_KINDS
    ]


def mentor_links(*, named_only: bool = False) -> Callable[[Choices], Sequence[Option]]:
    """The foundation's active mentor links (as mentee or mentoring organisation), named by mentee,
    mentor organisation or a person mentor's role label (never their name), focus and start;
    `named_only`: those of a person mentor named in public."""

    def options(choices: Choices) -> Sequence[Option]:
        rows = reader.mentor_links(
            choices.db,
            reader.PartyFilters(organization_id=choices.foundation_id, status="active"),
            PageRequest(MAX_LIMIT),
        ).items
        return [
            Option(
                str(m.link_id),
                f"{m.mentee_name or ''} · {m.mentor_org_name or m.role_label or ''} · {m.focus} · "
                f"{m.started_on.isoformat()}",
            )
            for m in rows
            if not named_only or (m.mentor_kind == "person" and m.publish_name)
        ]

    return options


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


def own_pairing(run: Run, pairing_id: UUID) -> UUID:
    check_foundation(run.who, *run.ledger.get_pairing(pairing_id).parties)
    return pairing_id


def propose_pairing(run: Run, values: Values) -> Outcome[Any]:
    lead_id, partner_id = values.uuid("lead_id"), values.uuid("partner_id")
    # The key's foundation proposes a pairing it is party to, lead or partner (as the JSON route).
    check_foundation(run.who, lead_id, partner_id)
    goals = [line.strip() for line in values.required_text("goals").splitlines() if line.strip()]
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.propose_pairing(
            run.command_id,
            kind=values.required_text("kind"),
            mode=values.text("mode"),
            lead_id=lead_id,
            partner_id=partner_id,
            goals=goals,
            planned_start=values.day("planned_start"),
            planned_end=values.day("planned_end"),
            proposed_on=values.day("proposed_on"),
        ),
    )


def confirm_pairing(run: Run, values: Values) -> Outcome[Any]:
    pairing_id = own_pairing(run, values.uuid("pairing_id"))
    party = run.who.foundation_id
    assert party is not None  # a staff key is bound to a foundation; it confirms for it alone
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.confirm_pairing(
            pairing_id,
            command_id=run.command_id,
            party_id=party,
            confirmed_on=values.day("confirmed_on"),
        ),
    )


def record_activity(run: Run, values: Values) -> Outcome[Any]:
    pairing_id = own_pairing(run, values.uuid("pairing_id"))
    transfer = values.text("transfer_id")
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.record_pairing_activity(
            pairing_id,
            activity_id=run.command_id,
            kind=values.required_text("kind"),
            held_on=values.day("held_on"),
            summary=values.required_text("summary"),
            transfer_id=None if transfer is None else values.uuid("transfer_id"),
        ),
    )


def goal_results(values: Values) -> list[tuple[int, str, str]]:
    """One goal a line: its number, its result (met, partly, not_met) and a note, separated by
    spaces (the note may hold spaces)."""
    found = []
    for line in values.required_text("results").splitlines():
        parts = line.split(maxsplit=2)
        if not parts:
            continue
        if len(parts) < 3 or not parts[0].isdigit():
            raise InvalidInput(
                f"results: write each goal as its number, met, partly or not_met, and a note; "
                f"got {line.strip()!r}",
                field="results",
            )
        found.append((int(parts[0]), parts[1], parts[2].strip()))
    return found


def evaluate_pairing(run: Run, values: Values) -> Outcome[Any]:
    pairing_id = own_pairing(run, values.uuid("pairing_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.evaluate_pairing(
            pairing_id,
            command_id=run.command_id,
            results=goal_results(values),
            grade_before=values.text("grade_before"),
            grade_after=values.text("grade_after"),
            evaluated_on=values.day("evaluated_on"),
        ),
    )


def conclude_pairing(run: Run, values: Values) -> Outcome[Any]:
    pairing_id = own_pairing(run, values.uuid("pairing_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.conclude_pairing(
            pairing_id,
            command_id=run.command_id,
            summary=values.required_text("summary"),
            concluded_on=values.day("concluded_on"),
        ),
    )


def terminate_pairing(run: Run, values: Values) -> Outcome[Any]:
    pairing_id = own_pairing(run, values.uuid("pairing_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.terminate_pairing(
            pairing_id,
            command_id=run.command_id,
            reason=values.required_text("reason"),
            terminated_on=values.day("terminated_on"),
        ),
    )


def new_pairing_page(values: Values, command_id: UUID) -> str:
    return f"/pairings/{command_id}"


def pairing_page(values: Values, command_id: UUID) -> str:
    return f"/pairings/{values.uuid('pairing_id')}"


MENTOR_PERSON_FIELDS = ("mentor_name", "mentor_id_card", "mentor_phone", "mentor_address")


def own_link(run: Run, link_id: UUID) -> UUID:
    """A link is its mentee's and, for an organisation mentor, its mentor's (as the JSON route)."""
    link = run.ledger.get_mentor_link(link_id)
    applied = run.ledger.applied(link_id)
    parties = [link.mentee_id]
    if link.mentor_kind == "organization" and applied is not None:
        assert isinstance(applied.record, LinkStart)  # a link's id names its start
        parties.append(applied.record.mentor_ref)
    check_foundation(run.who, *parties)
    return link_id


def start_mentor_link(run: Run, values: Values) -> Outcome[Any]:
    kind = values.required_text("mentor_kind")
    mentee_id = values.uuid("mentee_id")
    organization = values.uuid("mentor_org_id") if kind == "organization" else None
    # Authorise before a person mentor goes anywhere (the mentee, or the mentoring organisation,
    # must be the key's foundation).
    check_foundation(run.who, *(f for f in (mentee_id, organization) if f is not None))
    # A party is given by the fields of its kind only: a person's details are taken for a person
    # mentor, never kept for nothing.
    others = (
        ("mentor_org_id",)
        if kind == "person"
        else (*MENTOR_PERSON_FIELDS, "role_label", "publish_name")
    )
    for name in others:
        if values.values.get(name) not in (None, False):
            raise InvalidInput(f"{name}: not for a {kind} mentor", field=name)
    person = None
    if kind == "person":
        person = new_person(
            run.who,
            "mentor_",
            name=values.required_text("mentor_name"),
            id_card=values.text("mentor_id_card"),
            phone=values.text("mentor_phone"),
            address=values.text("mentor_address"),
        )
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.start_mentor_link(
            run.command_id,
            mentor_kind=kind,
            mentor_org_id=organization,
            mentor_person=person,
            role_label=values.text("role_label"),
            publish_name=values.flag("publish_name"),
            mentee_id=mentee_id,
            focus=values.required_text("focus"),
            started_on=values.day("started_on"),
        ),
    )


def record_session(run: Run, values: Values) -> Outcome[Any]:
    link_id = own_link(run, values.uuid("link_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.record_mentoring_session(
            link_id,
            session_id=run.command_id,
            held_on=values.day("held_on"),
            hours=values.required_text("hours"),
            topic=values.required_text("topic"),
        ),
    )


def withdraw_mentor_consent(run: Run, values: Values) -> Outcome[Any]:
    link_id = own_link(run, values.uuid("link_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.withdraw_mentor_name_consent(
            link_id, command_id=run.command_id, withdrawn_on=values.day("withdrawn_on")
        ),
    )


def end_mentor_link(run: Run, values: Values) -> Outcome[Any]:
    link_id = own_link(run, values.uuid("link_id"))
    return execute(
        run.ledger,
        run.who,
        None,
        lambda: run.ledger.end_mentor_link(
            link_id,
            command_id=run.command_id,
            outcome=values.required_text("outcome"),
            ended_on=values.day("ended_on"),
        ),
    )


def mentee_page(values: Values, command_id: UUID) -> str:
    return f"/organizations/{values.uuid('mentee_id')}"


def no_page(values: Values, command_id: UUID) -> None:
    """A mentor link has no page of its own (its parties' pages list it)."""
    return None


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

PAIRING = Form(
    name="pairing",
    title="console.form.pairing",
    intro="console.form.pairing.intro",
    inputs=(
        Input("kind", "console.field.pairing_kind", "choice", options=pairing_kinds),
        Input(
            "mode",
            "console.field.pairing_mode",
            "choice",
            required=False,
            options=pairing_modes,
            hint="console.hint.pairing_mode",
        ),
        Input("lead_id", "console.field.lead", "choice", options=organisations),
        Input("partner_id", "console.field.partner", "choice", options=organisations),
        Input("goals", "console.field.goals", "textarea", hint="console.hint.goals"),
        Input("planned_start", "console.field.planned_start", "date"),
        Input("planned_end", "console.field.planned_end", "date"),
        Input("proposed_on", "console.field.proposed_on", "date"),
    ),
    run=propose_pairing,
    public_page=new_pairing_page,
)

PAIRING_CONFIRMATION = Form(
    name="pairing-confirmation",
    title="console.form.pairing_confirmation",
    intro="console.form.pairing_confirmation.intro",
    inputs=(
        Input("pairing_id", "console.field.pairing", "choice", options=pairings_in("proposed")),
        Input("confirmed_on", "console.field.confirmed_on", "date"),
    ),
    run=confirm_pairing,
    public_page=pairing_page,
)

PAIRING_ACTIVITY = Form(
    name="pairing-activity",
    title="console.form.pairing_activity",
    intro="console.form.public_text",
    inputs=(
        Input("pairing_id", "console.field.pairing", "choice", options=pairings_in("active")),
        Input("kind", "console.field.activity_kind", "choice", options=activity_kinds),
        Input("held_on", "console.field.held_on", "date"),
        Input("summary", "console.field.activity_summary", "textarea"),
        Input(
            "transfer_id",
            "console.field.activity_transfer",
            "choice",
            required=False,
            options=entries(lambda c: desk.reversible_transfers(c.db, c.foundation_id)),
            hint="console.hint.activity_transfer",
        ),
    ),
    run=record_activity,
    public_page=pairing_page,
)

PAIRING_EVALUATION = Form(
    name="pairing-evaluation",
    title="console.form.pairing_evaluation",
    intro="console.form.public_text",
    inputs=(
        Input(
            "pairing_id",
            "console.field.pairing",
            "choice",
            options=pairings_in("active"),
        ),
        Input(
            "results",
            "console.field.goal_results",
            "textarea",
            hint="console.hint.results",
            answers_for=("goal", "result", "note"),
        ),
        Input(
            "grade_before",
            "console.field.grade_before",
            "choice",
            required=False,
            options=grades,
            hint="console.hint.grades",
        ),
        Input("grade_after", "console.field.grade_after", "choice", required=False, options=grades),
        Input("evaluated_on", "console.field.evaluated_on", "date"),
    ),
    run=evaluate_pairing,
    public_page=pairing_page,
)

PAIRING_CONCLUSION = Form(
    name="pairing-conclusion",
    title="console.form.pairing_conclusion",
    intro="console.form.public_text",
    inputs=(
        Input("pairing_id", "console.field.pairing", "choice", options=pairings_in("active")),
        Input("summary", "console.field.conclusion", "textarea"),
        Input("concluded_on", "console.field.concluded_on", "date"),
    ),
    run=conclude_pairing,
    public_page=pairing_page,
)

PAIRING_TERMINATION = Form(
    name="pairing-termination",
    title="console.form.pairing_termination",
    intro="console.form.public_text",
    inputs=(
        Input(
            "pairing_id",
            "console.field.pairing",
            "choice",
            options=pairings_in("proposed", "active"),
        ),
        Input("reason", "console.field.termination_reason", "textarea"),
        Input("terminated_on", "console.field.terminated_on", "date"),
    ),
    run=terminate_pairing,
    public_page=pairing_page,
)


def mentor(name: str, label_key: str, **extra: Any) -> Input:
    return Input(
        f"mentor_{name}",
        label_key,
        required=False,
        personal=True,
        group="console.group.mentor",
        **extra,
    )


MENTOR_LINK = Form(
    name="mentor-link",
    title="console.form.mentor_link",
    intro="console.form.mentor_link.intro",
    inputs=(
        Input("mentee_id", "console.field.mentee", "choice", options=organisations),
        Input("focus", "console.field.focus"),
        Input("started_on", "console.field.started_on", "date"),
        Input(
            "mentor_kind",
            "console.field.mentor_kind",
            "choice",
            options=mentor_kinds,
            group="console.group.mentor",
        ),
        Input(
            "mentor_org_id",
            "console.field.mentor_org",
            "choice",
            required=False,
            options=organisations,
            group="console.group.mentor",
        ),
        mentor(
            "name",
            "console.field.donor_name",
            answers_for=("mentor_subject_id", "mentor"),
            hint="console.hint.mentor_person",
        ),
        mentor("id_card", "console.field.id_card"),
        mentor("phone", "console.field.phone"),
        mentor("address", "console.field.address"),
        Input(
            "role_label",
            "console.field.role_label",
            required=False,
            group="console.group.mentor",
            hint="console.hint.role_label",
        ),
        Input(
            "publish_name",
            "console.field.mentor_publish_name",
            "checkbox",
            required=False,
            group="console.group.mentor",
        ),
    ),
    run=start_mentor_link,
    public_page=mentee_page,
)

MENTOR_SESSION = Form(
    name="mentor-session",
    title="console.form.mentor_session",
    intro="console.form.public_text",
    inputs=(
        Input("link_id", "console.field.mentor_link", "choice", options=mentor_links()),
        Input("held_on", "console.field.held_on", "date"),
        Input("hours", "console.field.hours", hint="console.hint.hours"),
        Input("topic", "console.field.topic"),
    ),
    run=record_session,
    public_page=no_page,
)

MENTOR_CONSENT_WITHDRAWAL = Form(
    name="mentor-consent-withdrawal",
    title="console.form.mentor_consent_withdrawal",
    intro="console.form.mentor_consent_withdrawal.intro",
    inputs=(
        Input(
            "link_id",
            "console.field.mentor_link",
            "choice",
            options=mentor_links(named_only=True),
        ),
        Input("withdrawn_on", "console.field.withdrawn_on", "date"),
    ),
    run=withdraw_mentor_consent,
    public_page=no_page,
)

MENTOR_LINK_END = Form(
    name="mentor-link-end",
    title="console.form.mentor_link_end",
    intro="console.form.public_text",
    inputs=(
        Input("link_id", "console.field.mentor_link", "choice", options=mentor_links()),
        Input("outcome", "console.field.mentoring_outcome", "textarea"),
        Input("ended_on", "console.field.ended_on", "date"),
    ),
    run=end_mentor_link,
    public_page=no_page,
)

FORMS: Mapping[str, Form] = MappingProxyType(
    {
        **staff_forms.FORMS,
        **{
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
                PAIRING,
                PAIRING_CONFIRMATION,
                PAIRING_ACTIVITY,
                PAIRING_EVALUATION,
                PAIRING_CONCLUSION,
                PAIRING_TERMINATION,
                MENTOR_LINK,
                MENTOR_SESSION,
                MENTOR_CONSENT_WITHDRAWAL,
                MENTOR_LINK_END,
            )
        },
    }
)
