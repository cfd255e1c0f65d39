"""How the pages write money and dates: ¥1,234.50 and 2024年3月1日 / 1 Mar 2024, exactly, for any
amount (Hypothesis: the written yuan read back are the fen)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from api.pages.formatting import day, moment, money, month
from api.pages.tables import yuan


def test_money_is_yuan_with_thousands_separators_and_two_decimals() -> None:
    assert money(123450) == "¥1,234.50"
    assert money(5) == "¥0.05"
    assert money(0) == "¥0.00"
    assert money(-100000) == "−¥1,000.00"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_money_on_screen_and_in_downloads_reads_back_as_the_same_fen(fen: int) -> None:
    shown = money(fen).replace("−", "-").replace("¥", "").replace(",", "")
    assert Decimal(shown) * 100 == fen
    assert Decimal(yuan(fen)) * 100 == fen


def test_dates_are_written_the_chinese_and_the_english_way() -> None:
    assert day(date(2024, 3, 1), "zh") == "2024年3月1日"
    assert day(date(2024, 3, 1), "en") == "1 Mar 2024"
    assert month("2024-12", "zh") == "2024年12月"
    assert month("2024-12", "en") == "Dec 2024"


def test_a_recording_time_is_shown_in_shanghai() -> None:
    recorded = datetime(2024, 2, 29, 16, 30, 5, tzinfo=UTC)
    assert moment(recorded, "zh") == "2024年3月1日 00:30:05"
    assert moment(recorded, "en") == "1 Mar 2024 00:30:05"
