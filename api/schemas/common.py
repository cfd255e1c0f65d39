"""What every schema shares: command bodies that refuse unknown fields, amounts as decimal strings of
yuan with a `currency` of CNY, and the `position` every write answers with."""

from __future__ import annotations

import datetime
import re
import types
import typing
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from domain.money import Money

# Free texts are checked by `domain.checks.check_text` (docs/API.md, "Texts"); these fields also take
# line breaks.
MULTILINE = "may hold line breaks (\\n, \\r); no other control characters"
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


class Command(BaseModel):
    """A command body: unknown fields are refused (422 `unknown_field`), never silently ignored.
    Its OpenAPI description carries a whole example body (which `/docs` offers to send)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_with_example)


class Written(BaseModel):
    position: int = Field(
        description="the log position of the command's last event (or the head, for a repeat)"
    )
