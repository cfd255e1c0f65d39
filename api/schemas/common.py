"""What every schema shares: command bodies that refuse unknown fields, amounts as decimal strings of
yuan with a `currency` of CNY, and the `position` every write answers with."""

from __future__ import annotations

import datetime
import re
import types
import typing
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from domain.money import Money

# Free texts are checked by `domain.checks.check_text` (docs/API.md, "Texts"); these fields also take
# line breaks.
MULTILINE = "may hold line breaks (\\n, \\r); no other control characters"
CALENDAR_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
AMOUNT = re.compile(r"^(0|[1-9][0-9]{0,13})(\.[0-9]{1,2})?$")


def _amount_text(value: Any) -> str:
    # A JSON number would pass through a float somewhere; money must arrive as text.
    if not isinstance(value, str):
        msg = 'give yuan as a decimal string such as "1200.50", not a JSON number'
        raise ValueError(msg)
    if not AMOUNT.match(value):
        msg = 'must be yuan with at most two decimals, such as "1200.50" (no sign, no exponent)'
        raise ValueError(msg)
    if Money.yuan(value).fen <= 0:
        msg = "must be more than 0"
        raise ValueError(msg)
    return value


Amount = Annotated[
    str,
    BeforeValidator(_amount_text),
    Field(
        description="yuan, a decimal string with at most two decimals, more than 0",
        examples=["1200.50"],
        json_schema_extra={"pattern": AMOUNT.pattern},
    ),
]
Currency = Annotated[Literal["CNY"], Field(description="always CNY (人民币)", examples=["CNY"])]


def money(amount: str) -> Money:
    return Money.yuan(amount)


def yuan(fen: int) -> str:
    """Fen as a decimal string of yuan, "1200.50": integer arithmetic, since public pages format a few
    hundred amounts per request."""
    sign, whole = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}{whole // 100}.{whole % 100:02d}"


EXAMPLE_ID = "7d1f0c2e-5b7a-4c1e-9a51-3f2b8c6d4e10"


def example_value(annotation: Any, examples: list[Any] | None, metadata: list[Any]) -> Any:
    """A plausible value for one field: its own first example, else one by its type."""
    if examples:
        return examples[0]
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return example_value(next(a for a in args if a is not type(None)), None, metadata)
    if origin is Literal:
        return args[0]
    if origin is list:
        return [example_value(args[0], None, [])]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return example_of(annotation)
    if annotation is uuid.UUID:
        return EXAMPLE_ID
    if annotation is datetime.date:
        return "2024-03-01"
    if annotation is bool:
        return False
    if annotation is int:
        return next((getattr(m, "ge", None) for m in metadata if getattr(m, "ge", None)), 1)
    return "示例"


def example_of(model: type[BaseModel]) -> dict[str, Any]:
    """A whole body for the model's OpenAPI description: every required field, and the optional
    ones that have examples of their own."""
    return {
        name: example_value(field.annotation, field.examples, field.metadata)
        for name, field in model.model_fields.items()
        if field.is_required() or field.examples
    }


def _with_example(schema: dict[str, Any], model: type[BaseModel]) -> None:
    schema["examples"] = [example_of(model)]


def _kinds(annotation: Any) -> tuple[Any, ...]:
    """The plain types a field may hold (`date | None` → date, NoneType)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


def strict_day(value: Any) -> Any:
    """A date only as JSON text `YYYY-MM-DD`: not a datetime (`2024-02-01T00:00:00`), not a number
    (pydantic would read a Unix time)."""
    if isinstance(value, str) and CALENDAR_DAY.match(value):
        return value
    raise PydanticCustomError("date_parsing", "must be a calendar date written YYYY-MM-DD")


def strict_bool(value: Any) -> Any:
    """A boolean only as JSON `true` or `false` (pydantic would read "yes", "on", 1 as true)."""
    if isinstance(value, bool):
        return value
    raise PydanticCustomError("bool_type", "must be true or false (a JSON boolean)")


def strict_int(value: Any) -> Any:
    """A whole number only as a JSON integer (pydantic would read "2024" and 2024.0 as 2024)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("int_type", "must be a whole number (a JSON integer, not text)")


# For query parameters: the same rules as in bodies.
Day = Annotated[datetime.date, BeforeValidator(strict_day)]


class Command(BaseModel):
    """A command body: unknown fields are refused (422 `unknown_field`), never silently ignored.
    Its OpenAPI description carries a whole example body (which `/docs` offers to send).

    Every field typed `date`, `bool` or `int` (in every command, nested ones included) takes JSON's
    own types only: `YYYY-MM-DD` text, `true`/`false` and integers, one rule for every body."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_with_example)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_json(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or info.field_name is None:
            return value
        kinds = _kinds(cls.model_fields[info.field_name].annotation)
        if datetime.date in kinds:
            return strict_day(value)
        if bool in kinds:
            return strict_bool(value)
        if int in kinds:
            return strict_int(value)
        return value


class Written(BaseModel):
    position: int = Field(
        description="the log position of the command's last event (or the head, for a repeat)"
    )
