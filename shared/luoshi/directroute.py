"""A route class for the hottest reads: the endpoint is called straight, without FastAPI's dependency solver.

FastAPI solves every parameter and dependency on every request (its bookkeeping per dependency, a validation per
parameter, an exit stack): for a read by id that was about a sixth of the request's time (issue 19, measured by
`make bench`). A `DirectRoute` endpoint takes only what needs no solving (integer path parameters, the signed-in
`CurrentPrincipal` and the `Request`) and returns its own Response; the route refuses at start-up an endpoint that
takes more. FastAPI still documents the operation from the same signature, and answers any request the direct path
cannot take (a path parameter that is not plain digits) exactly as before, by its own handler.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response

from luoshi.inputguard import GuardedRoute, guard_input
from luoshi.web import current_principal


class DirectRoute(GuardedRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        solved = super().get_route_handler()  # FastAPI's, behind the input guard
        dependant = self.dependant
        simple = not (
            dependant.query_params or dependant.header_params or dependant.cookie_params or dependant.body_params
        )
        principal_names = [d.name for d in dependant.dependencies if d.call is current_principal and d.name]
        integers = [(p.name, p.alias) for p in dependant.path_params if p.field_info.annotation is int]
        if not (
            simple
            and len(dependant.dependencies) == len(principal_names) == 1
            and len(integers) == len(dependant.path_params)
            and dependant.request_param_name
            and not (dependant.response_param_name or dependant.background_tasks_param_name)
        ):
            raise TypeError(
                f"{self.path}: a DirectRoute's endpoint takes only int path parameters, the principal and the request"
            )
        endpoint = self.endpoint
        principal_name, request_name = principal_names[0], dependant.request_param_name

        async def direct(request: Request) -> Response:
            values: dict[str, Any] = {}
            for name, alias in integers:
                raw = request.path_params[alias]
                if not (raw.isascii() and raw.isdigit()):  # not plainly an id: FastAPI's handler answers as ever
                    return await solved(request)
                values[name] = int(raw)
            await guard_input(request)
            values[principal_name] = await current_principal(request)
            values[request_name] = request
            return await endpoint(**values)

        return direct
