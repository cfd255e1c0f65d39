"""Every staff form the console serves, by name: the first ones (`staff_forms.py`: donations,
grants and their instalments, reports, closings, relief payments and ratifications, transfers,
reservations, amendments), the rest of the funds', grants' and relief cases' (`staff_forms_more.py`)
and the pairing programme's (`staff_forms_pairing.py`). The form route finds them here; the desk
lists them in `SECTIONS`, by what they are about and in the order a staffer meets them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from api.console import staff_forms, staff_forms_more, staff_forms_pairing
from api.console.forms import Form

FORMS: Mapping[str, Form] = MappingProxyType(
    {**staff_forms.FORMS, **staff_forms_more.FORMS, **staff_forms_pairing.FORMS}
)

# (heading's i18n key, the forms' names): every form once (tests/unit/test_console_forms.py).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "console.desk.forms.funds",
        (
            "donation",
            "transfer",
            "reservation",
            "release",
            "fund-reversal",
            "consent-withdrawal",
            "fund",
            "fund-closing",
        ),
    ),
    (
        "console.desk.forms.grants",
        (
            "grant",
            "instalment",
            "grant-amendment",
            "grant-report",
            "grant-feedback",
            "grant-closing",
            "grant-cancellation",
            "instalment-reversal",
        ),
    ),
    (
        "console.desk.forms.relief",
        (
            "relief-case",
            "relief-approval",
            "relief-rejection",
            "relief-disbursement",
            "ratification",
            "relief-reversal",
        ),
    ),
    (
        "console.desk.forms.pairings",
        (
            "pairing",
            "pairing-confirmation",
            "pairing-activity",
            "pairing-evaluation",
            "pairing-conclusion",
            "pairing-termination",
            "mentor-link",
            "mentor-session",
            "mentor-consent-withdrawal",
            "mentor-link-end",
        ),
    ),
)
