"""The staff's forms for the city's pairing programme (结对, 带教; issue 17), declared as those of
`api.console.staff_forms` are: a pairing proposed, confirmed, its activities, its evaluation, its
conclusion or early end; a mentor link started (a person mentor's details to the vault only, as a
donor's), its sessions, a person mentor's consent to be named withdrawn, its end. `FORMS` holds them
by name; `api.console.catalog` merges them with the others.

Each runs the use case the JSON route of that command runs (api/routes/pairings.py,
mentor_links.py), with the form's command id as its idempotency key: the new pairing's or link's
id, an activity's `activity_id` or a session's `session_id`, or the `command_id` a JSON client sends
as `Idempotency-Key`. A pairing is its two parties', a mentor link its mentee's and its mentoring
organisation's: a staff key of neither is refused (403) before anything is written or any person
checked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any
from uuid import UUID

from api.auth import check_foundation
from api.commands import execute
from api.console.forms import Choices, Form, Input, Option, Run, Values
from api.console.staff_forms_more import entries
from api.pages.i18n import label, translate
from api.people import new_person
from domain.errors import InvalidInput
from domain.ledger import Outcome
from domain.organizations import GRADES
from domain.pairing.mentoring import MENTOR_KINDS, LinkStart
from domain.pairing.pairing import ACTIVITY_KINDS, MODES, PAIRING_KINDS
from projections import desk
from projections.disclosure import reader
from projections.pagination import MAX_LIMIT, PageRequest

# --- what the forms offer ------------------------------------------------------------------------


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
        f.name: f
        for f in (
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
    }
)
