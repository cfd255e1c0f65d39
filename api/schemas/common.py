"""What every schema shares: command bodies that refuse unknown fields, amounts as decimal strings of
yuan with a `currency` of CNY, and the `position` every write answers with."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from domain.money import Money

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
    return str(Money(fen).to_yuan())


class Command(BaseModel):
    """A command body: unknown fields are refused (422 `unknown_field`), never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Written(BaseModel):
    position: int = Field(
        description="the log position of the command's last event (or the head, for a repeat)"
    )
