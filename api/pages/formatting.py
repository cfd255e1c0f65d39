"""How the pages write money, dates and counts in each language: ¥1,234.50; 2024年3月1日 or
1 Mar 2024. Pure functions of the read model's plain values (fen, `date`), so a template only ever
formats and never calculates."""

from __future__ import annotations

from datetime import date, datetime

from domain.clock import SHANGHAI

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def money(fen: int) -> str:
    """Integer fen as yuan: 123450 → ¥1,234.50; a negative amount with a minus sign before the ¥."""
    sign = "−" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def count(n: int) -> str:
    return f"{n:,}"


def percent(value: float | None) -> str:
    """A share the read model rounded: 25.0 → 25.0%; none (nothing to share out) → —."""
    return "—" if value is None else f"{value:.1f}%"


def day(value: date, lang: str) -> str:
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def month(value: str, lang: str) -> str:
    """A `YYYY-MM` month: 2024年3月 or Mar 2024."""
    year, number = int(value[:4]), int(value[5:7])
    if lang == "zh":
        return f"{year}年{number}月"
    return f"{MONTHS[number - 1]} {year}"


def moment(value: datetime, lang: str) -> str:
    """A recording time, in Shanghai, to the second."""
    local = value.astimezone(SHANGHAI)
    return f"{day(local.date(), lang)} {local:%H:%M:%S}"
