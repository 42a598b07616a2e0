"""Fast JSON (orjson) for responses, logs and job payloads."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse


def _default(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=orjson.OPT_NON_STR_KEYS)


def dumps_str(value: Any) -> str:
    return dumps(value).decode()


loads = orjson.loads


class ORJSONResponse(JSONResponse):
    """UTC times end in Z, as pydantic writes them: a row written straight (a read by id) and the same row through
    a model (a list, a write's answer) give the same text."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=_default, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z)


class PageResponse(ORJSONResponse):
    """A list's page written straight from rows (dicts) by orjson, for the hot lists: the route keeps its
    `response_model` for the OpenAPI document, and the rows are not turned into models and validated again."""
