"""Every staff form the console serves, by name: the first ones (`staff_forms.py`: donations,
grants and their instalments, reports, closings, relief payments and ratifications, transfers,
reservations, amendments), the rest of the funds', grants' and relief cases' (`staff_forms_more.py`)
and the pairing programme's (`staff_forms_pairing.py`). The desk lists them in this order; the form
route finds them here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from api.console import staff_forms, staff_forms_more, staff_forms_pairing
from api.console.forms import Form

FORMS: Mapping[str, Form] = MappingProxyType(
    {**staff_forms.FORMS, **staff_forms_more.FORMS, **staff_forms_pairing.FORMS}
)
