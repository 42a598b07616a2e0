"""Input PostgreSQL cannot take, refused as 422 before any handler runs (found by fuzzing the APIs).

- Integers in the path or query are ids and filters compared with `bigint` columns: a number outside
  the 64-bit range names nothing, and asyncpg would fail to encode it (a 500). The OpenAPI document
  says so too (`minimum`/`maximum` on every integer parameter without its own bounds).
- So must every integer in a JSON body: none of our columns holds more than 64 bits.
- A query parameter the operation does not take is refused, naming it: a misspelt or unsupported filter
  (`?light=red` where there is no such filter) would otherwise be ignored and the whole list returned.
- Text may not hold NUL (PostgreSQL's text and jsonb refuse U+0000) nor an unpaired surrogate (not
  encodable as UTF-8): checked in path and query parameters, JSON bodies (keys and values) and form fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile

from luoshi.errors import FieldProblem, ValidationFailed

INT8_MIN, INT8_MAX = -(2**63), 2**63 - 1
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_INTEGER_PARAMS_KEY = "luoshi_integer_params"
Loc = list[str | int]


def bound_integer_parameters(openapi: dict[str, Any]) -> None:
    """Give each integer path/query parameter the bigint range unless it declares its own bounds."""
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            for param in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if param.get("in") not in ("path", "query"):
                    continue
                for schema in _integer_schemas(param.get("schema", {})):
                    schema.setdefault("minimum", INT8_MIN)
                    schema.setdefault("maximum", INT8_MAX)


def _integer_schemas(schema: Any) -> list[dict[str, Any]]:
    """The integer schemas in a parameter's schema: itself, its array items, its anyOf branches."""
    if not isinstance(schema, dict):
        return []
    if schema.get("type") == "integer":
        return [schema]
    if schema.get("type") == "array":
        return _integer_schemas(schema.get("items"))
    return [found for branch in schema.get("anyOf", []) for found in _integer_schemas(branch)]


def _integer_params(request: Request) -> set[tuple[str, str]]:
    """(location, name) of the integer parameters of the matched operation, read from the OpenAPI document."""
    app = request.app
    table: dict[tuple[str, str], set[tuple[str, str]]] | None = getattr(app.state, _INTEGER_PARAMS_KEY, None)
    if table is None:
        table = {}
        for path, operations in app.openapi().get("paths", {}).items():
            for method, operation in operations.items():
                table[(method.upper(), path)] = {
                    (p["in"], p["name"])
                    for p in operation.get("parameters", [])
                    if p.get("in") in ("path", "query") and _integer_schemas(p.get("schema", {}))
                }
        setattr(app.state, _INTEGER_PARAMS_KEY, table)
    route = request.scope.get("route")
    return table.get((request.method, getattr(route, "path_format", "")), set())


def _query_names(request: Request) -> set[str] | None:
    """The query parameters the matched operation declares (its dependencies' too); None outside routes."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    names = getattr(route, "luoshi_query_names", None)
    if names is None:
        names = set()
        pending = [dependant]
        while pending:  # the operation's own parameters and its dependencies' (the page's limit and cursor)
            current = pending.pop()
            names.update(param.alias for param in current.query_params)
            pending.extend(current.dependencies)
        route.luoshi_query_names = names  # type: ignore[union-attr]
    return names


def _unknown_query(request: Request) -> list[FieldProblem]:
    known = _query_names(request)
    if known is None:
        return []
    return [
        FieldProblem(
            loc=["query", name],
            code="unknown_parameter",
            message=f"{name} is not a parameter of this operation"
            + (f" (it takes: {', '.join(sorted(known))})" if known else " (it takes none)"),
            message_zh=f"该接口不支持参数 {name}",
        )
        for name in dict.fromkeys(request.query_params.keys())
        if name not in known
    ]


def _out_of_range(raw: str) -> bool:
    try:
        value = int(raw.strip())
    except ValueError:
        return False  # not a number at all: the parameter's own validation says so
    return not INT8_MIN <= value <= INT8_MAX


def _json_problems(value: Any) -> list[FieldProblem]:
    """Strings (and object keys) PostgreSQL cannot store and integers past 64 bits, anywhere in a parsed JSON
    body; iterative, so a deeply nested body cannot exhaust the stack."""
    found: list[FieldProblem] = []
    stack: list[tuple[Any, Loc]] = [(value, ["body"])]
    while stack and len(found) < 5:
        item, where = stack.pop()
        if isinstance(item, str):
            if _BAD_TEXT.search(item):
                found.append(_text_problem(where))
        elif isinstance(item, int) and not isinstance(item, bool):
            if not INT8_MIN <= item <= INT8_MAX:
                found.append(_int_problem(where))
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and _BAD_TEXT.search(key):
                    found.append(_text_problem(where))
                stack.append((child, [*where, key]))
        elif isinstance(item, list):
            stack.extend((child, [*where, i]) for i, child in enumerate(item))
    return found


async def _body_problems(request: Request) -> list[FieldProblem]:
    if getattr(request.scope.get("route"), "body_field", None) is None:
        # The endpoint reads the body itself, with its own limits: the stream is its to consume, not ours.
        return []
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        # FastAPI has read and parsed the body already (the Request caches both): no second read of the stream.
        if content_type == "application/json" or content_type.endswith("+json"):
            return _json_problems(await request.json())
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            found: list[FieldProblem] = []
            for key, value in (await request.form()).multi_items():
                text = (value.filename or "") if isinstance(value, UploadFile) else value
                if _BAD_TEXT.search(key) or _BAD_TEXT.search(text):
                    found.append(_text_problem(["body", key]))
            return found
    except Exception:
        return []  # a body that does not parse is the endpoint's to reject (422 or 400)
    return []


async def guard_input(request: Request) -> None:
    """422 for unknown query parameters, out-of-range integer parameters and text PostgreSQL cannot store. Runs
    before FastAPI reads the parameters (GuardedRoute); the body it reads is kept on the request for FastAPI."""
    has_query = bool(request.scope.get("query_string"))
    problems = _unknown_query(request) if has_query else []
    integers = _integer_params(request)
    parts = [("path", request.path_params.items())]
    if has_query:
        parts.append(("query", request.query_params.multi_items()))
    for location, items in parts:
        for name, raw in items:
            if not isinstance(raw, str):
                continue
            if (location, name) in integers and _out_of_range(raw):
                problems.append(_int_problem([location, name]))
            elif _BAD_TEXT.search(raw):
                problems.append(_text_problem([location, name]))
    if request.method in ("POST", "PUT", "PATCH"):
        problems.extend(await _body_problems(request))
    if problems:
        where = ", ".join(".".join(str(p) for p in e.loc) for e in problems[:5])
        raise ValidationFailed(f"Invalid input at: {where}", f"以下字段不合法：{where}", errors=problems)


def _text_problem(loc: Loc) -> FieldProblem:
    return FieldProblem(
        loc=loc,
        code="invalid_character",
        message="Text must not contain NUL (U+0000) or unpaired surrogate characters",
        message_zh="文本不能包含空字符（U+0000）或不成对的代理字符",
    )


def _int_problem(loc: Loc) -> FieldProblem:
    return FieldProblem(
        loc=loc,
        code="int_out_of_range",
        message=f"Input should be an integer from {INT8_MIN} to {INT8_MAX}",
        message_zh="整数超出范围（须在 64 位整数范围内）",
    )


class GuardedRoute(APIRoute):
    """The route class of every router: `guard_input` runs first, before FastAPI reads and validates the request
    (so its 422 comes before authentication's 401, as before, and before any handler).

    In the route's handler rather than as an app-wide dependency: FastAPI solves a dependency on every request, and
    that cost a read by id about a tenth of its time. A JSON body or a form is read here once and kept on the
    request (Starlette caches it), and FastAPI reads it from there; one that does not parse is left to FastAPI's own
    400 or 422. `create_app` refuses a router whose routes are not GuardedRoutes."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            await guard_input(request)
            return await handler(request)

        return guarded
