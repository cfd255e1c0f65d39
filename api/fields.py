"""The names a request can be told about: which fields, parameters and headers a route takes, so an
error names what the client wrote (`donor.organization_id`), never a name inside the ledger
(`donor_ref`) or nothing at all.

A domain error carries the name its rule uses; most are the request's own names (routes pass the
body's fields to the ledger under them). The rest are translated here, once, for every route:
`LEDGER_NAMES` lists what each ledger-side name may be called in a request, and the first of those the
route takes is the one answered. A command's own id (`id` in a duplicate) is the body's first field
when the body carries its id (`donation_id`...), else the Idempotency-Key header; a field of one nested
part is named by its path (`results.goal`). Whatever still has no name of the request is answered as
`body`.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

BODY = "body"
IDEMPOTENCY_KEY = "Idempotency-Key"
# A ledger-side field name → what a request may call it, in order of preference.
LEDGER_NAMES: dict[str, tuple[str, ...]] = {
    "donor_kind": ("donor.kind",),
    "donor_ref": ("donor.organization_id", "donor.subject_id", "donor.person"),
    "donor_subject_id": ("donor.subject_id", "donor.person"),
    "donor_commitment": ("donor.person", "donor.subject_id"),
    "publish_name": ("donor.publish_name", "publish_name"),
    # A grant's or a relief case's money is held in a reservation of its own: the record named in
    # the path is the reservation the client knows.
    "reservation_id": ("reservation_id", "case_id", "grant_id"),
    "mentor_ref": ("mentor_org_id", "mentor"),
    "nominee_ref": ("nominee_org_id", "nominee"),
}


def names_of(route: APIRoute) -> tuple[str, ...]:
    """Every name a request to `route` can hold: path and query parameters, headers (as written:
    `If-Match`), and body fields as dotted paths (`donor.person.name`), the body's own fields first."""
    # Routes are not hashable; they live as long as the app, so their id is a stable key.
    known = _NAMES.get(id(route))
    if known is None or known[0] is not route:
        known = _NAMES[id(route)] = (route, _names(route))
    return known[1]


_NAMES: dict[int, tuple[APIRoute, tuple[str, ...]]] = {}


def _names(route: APIRoute) -> tuple[str, ...]:
    found: list[str] = []
    model = _body_model(route)
    if model is not None:
        found.extend(_paths(model, ""))
    else:
        found.extend(p.alias for p in route.dependant.body_params)
    for dependant in _dependants(route.dependant):
        found += [p.alias for p in dependant.path_params + dependant.query_params]
        found += [_header(p.alias) for p in dependant.header_params]
    return tuple(found)


def request_name(route: Any, field: str | None) -> str | None:
    """The name, among those `route` takes, of the ledger's `field` (None stays None)."""
    if field is None or not isinstance(route, APIRoute):
        return field
    names = names_of(route)
    if field in names:
        return field
    if field == "id":
        own = _own_id(route)
        return own or (IDEMPOTENCY_KEY if IDEMPOTENCY_KEY in names else BODY)
    aliases = LEDGER_NAMES.get(field, ())
    # A field of a nested part (a goal of `results`) is that part's: `results.goal`.
    nested = tuple(name for name in names if name.endswith(f".{field}"))
    if len(nested) == 1:
        aliases += nested
    return next((name for name in aliases if name in names), BODY)


def renamed(message: str, old: str, new: str) -> str:
    """The message naming `new` where it named `old` (and naming it at all)."""
    text = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w])", new, message) if old else message
    return text if new in text else f"{new}: {text}"


def _own_id(route: APIRoute) -> str | None:
    model = _body_model(route)
    if model is None:
        return None
    first = next(iter(model.model_fields), "")
    return first if first.endswith("_id") and model.model_fields[first].is_required() else None


def _body_model(route: APIRoute) -> type[BaseModel] | None:
    """The body's model, when the body is one (every command's is)."""
    params = route.dependant.body_params
    return _model(params[0].field_info.annotation) if len(params) == 1 else None


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for inner in dependant.dependencies:
        yield from _dependants(inner)


def _paths(model: type[BaseModel], prefix: str) -> Iterator[str]:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path
        inner = _model(info.annotation)
        if inner is not None:
            yield from _paths(inner, f"{path}.")


def _model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (itself, optional, or in a list), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            found = _model(arg)
            if found is not None:
                return found
    return None


def _header(alias: str) -> str:
    return "-".join(word.capitalize() for word in alias.split("-"))
