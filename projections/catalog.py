"""Every view the service keeps, in one list (the runner, `mingzhang rebuild` and the API use it)."""

from __future__ import annotations

from projections.disclosure import DisclosureView
from projections.history import HistoryView
from projections.indicators import IndicatorsView
from projections.view import View


def all_views() -> list[View]:
    return [DisclosureView(), HistoryView(), IndicatorsView()]
