"""The console's form machinery: a staff command's form is a declaration, `Form`, shown by one template
(`console/form.html`) and run by one route (`api/console/routes/forms.py`).

A `Form` lists its `Input`s (name, label, kind: text, money, date, choice, checkbox...) and a `run`
that maps the parsed values to the application use case's plain arguments and calls it (through
`api.commands.execute`, as the calling key, exactly like the JSON route of the same command). Parsing
is by kind and names the input it refuses; the domain's refusals name their field, which an input
claims as its own name or among its `answers_for` (the domain's names for it), so the message is shown
beside that input with everything typed kept; a refusal naming no input is shown above the form.

Every form carries a command id made when it is shown (hidden field `command_id`, and in the form's
address, so the back button returns to the same one): the ledger is idempotent by command id, so a
double click, a reload of the answer or a second send from the back button repeats the command, and
its answer is the first one's (the same log position), instead of recording it twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from uuid import UUID

from api.auth import Principal
from domain.errors import DomainError, InvalidDate, InvalidId, InvalidInput
from domain.ledger import Ledger, Outcome
from domain.money import Money
from storage.viewdb import ViewDB

InputKind = Literal["text", "textarea", "money", "date", "choice", "checkbox"]
COMMAND_FIELD = "command_id"


@dataclass(frozen=True)
class Option:
    value: str
    label: str  # already in the page's language (a name from the registry, or a translated label)


@dataclass(frozen=True)
class Choices:
    """What a choice input offers, for the page being shown: whose form it is (`owner`: the
    foundation of a staff form, None for the admin's, which belong to no foundation), the views, the
    language, and the ledger, for what only an aggregate keeps (a fund's open reservations)."""

    owner: UUID | None
    db: ViewDB
    lang: str
    ledger: Ledger | None = None  # None: a choice that needs it offers nothing

    @property
    def foundation_id(self) -> UUID:
        """The foundation a staff form's options are its own of; an admin form has none to ask."""
        if self.owner is None:
            msg = "this form belongs to no foundation"
            raise LookupError(msg)
        return self.owner


@dataclass(frozen=True)
class Fact:
    """A figure shown above a form before it is sent, so that whoever sends it knows what the
    command will meet (the year's selected designations against their maximum): an i18n key and
    its values, formatted by the template."""

    text: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Input:
    name: str  # the HTML name, and the key of its value in `Values`
    label: str  # i18n key
    kind: InputKind = "text"
    required: bool = True
    hint: str | None = None  # i18n key
    options: Callable[[Choices], Sequence[Option]] | None = None  # for a choice
    answers_for: tuple[str, ...] = ()  # the domain's names for this input, in its refusals
    personal: bool = False  # for the vault: never shown again once recorded
    group: str | None = None  # i18n key of the fieldset it is shown in


@dataclass(frozen=True)
class Run:
    """What a form's `run` is given: the ledger, the calling key and the command id."""

    ledger: Ledger
    who: Principal
    command_id: UUID


@dataclass(frozen=True)
class Recorded:
    """What a command recorded, for the success page: its log position, whether it was new, and
    the public page of the record it changed."""

    position: int
    created: bool
    public_page: str


@dataclass(frozen=True)
class Form:
    name: str  # the form's address: /console/foundations/{id}/forms/{name}
    title: str  # i18n key
    inputs: tuple[Input, ...]
    run: Callable[[Run, Values], Outcome[Any]]
    # The record's public page, given the command id; None for a record without one of its own
    # (a mentor link is shown on its parties' pages).
    public_page: Callable[[Values, UUID], str | None]
    intro: str | None = None  # i18n key
    # What the form page states above the inputs, read when it is shown (and shown again refused).
    facts: Callable[[Ledger, Choices], Sequence[Fact]] | None = None

    def input_for(self, domain_field: str | None) -> Input | None:
        """The input a refusal naming `domain_field` belongs beside, if any."""
        if domain_field is None:
            return None
        for given in self.inputs:
            if domain_field == given.name or domain_field in given.answers_for:
                return given
        return None

    def parse(self, fields: dict[str, str]) -> Values:
        """The typed values of a sent form; the first input that does not parse is refused,
        named as the form names it."""
        values: dict[str, Any] = {}
        for given in self.inputs:
            values[given.name] = parse(given, fields.get(given.name))
        return Values(values)


@dataclass(frozen=True)
class Values:
    """A sent form's parsed values by input name: text (None when left empty), Money, date, bool."""

    values: dict[str, Any] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def required_text(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise InvalidInput(f"{name}: required", field=name)
        return value

    def money(self, name: str) -> Money:
        value = self.values.get(name)
        if not isinstance(value, Money):  # an optional amount left empty, that the command needs
            raise InvalidInput(f"{name}: required", field=name)
        return value

    def day(self, name: str) -> date:
        value = self.values.get(name)
        if not isinstance(value, date):
            raise InvalidInput(f"{name}: required", field=name)
        return value

    def flag(self, name: str) -> bool:
        return bool(self.values.get(name))

    def uuid(self, name: str) -> UUID:
        text = self.required_text(name)
        try:
            return UUID(text)
        except ValueError:
            raise InvalidId(f"{name}: not a valid id", field=name) from None


def parse(given: Input, raw: str | None) -> Any:
    if given.kind == "checkbox":
        return raw is not None and raw != ""
    text = (raw or "").strip()
    if not text:
        if given.required:
            raise InvalidInput(f"{given.name}: required", field=given.name)
        return None
    if given.kind == "money":
        return Money.yuan(text, field=given.name)
    if given.kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise InvalidDate(
                f"{given.name}: not a calendar date written YYYY-MM-DD, got {text!r}",
                field=given.name,
            ) from None
    if given.kind == "choice" and given.options is None:
        return text
    return raw if given.kind == "textarea" else text


@dataclass(frozen=True)
class Refusal:
    """A refused form: the domain's message, and the input it belongs beside (None: the form)."""

    input: str | None
    code: str
    message: str

    @classmethod
    def of(cls, form: Form, error: DomainError) -> Refusal:
        found = form.input_for(error.field)
        message = error.message
        if error.field and message.startswith(f"{error.field}: "):
            message = message.removeprefix(f"{error.field}: ")
        return cls(found.name if found else None, error.code, message)
