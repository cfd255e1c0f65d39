"""Query parameters a route does not declare are refused (422 `unknown_parameter`, naming it), never
ignored: a filter that does not exist would answer everything and look filtered. One app-wide
dependency reads what the matched route declares (its own parameters and its dependencies'), so a
route that gains a filter needs nothing here."""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from api.errors import ApiError


def declared_query_parameters(route: APIRoute) -> frozenset[str]:
    """The names a client may give in this route's query string (aliases, as written). Read per
    request: a walk over a handful of dependencies, and routes are not hashable to cache by."""
    names: set[str] = set()
    pending: list[Dependant] = [route.dependant]
    while pending:
        dependant = pending.pop()
        pending.extend(dependant.dependencies)
        for parameter in dependant.query_params:
            model = parameter.field_info.annotation
            if isinstance(model, type) and issubclass(model, BaseModel):  # a query-parameter model
                names.update(field.alias or name for name, field in model.model_fields.items())
            else:
                names.add(parameter.alias)
    return frozenset(names)


async def refuse_unknown_query_parameters(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = declared_query_parameters(route)
    for name in request.query_params:
        if name not in declared:
            takes = ", ".join(sorted(declared)) or "none"
            raise ApiError(
                422,
                "unknown_parameter",
                f"{name}: not a query parameter of this route (it takes: {takes})",
                name,
            )
