"""Cursor pagination for every list: `?limit=&cursor=`, an opaque cursor, a stable order.

The cursor is the sort key of the last item returned, base64url-encoded; the next page starts
strictly after it (keyset pagination, so it costs the same on page 1 and page 10,000).
"""

from __future__ import annotations

import base64
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel, Field

from luoshi.errors import BadRequest, FieldProblem

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; null on the last page."
    )


def encode_cursor(key: list[Any] | tuple[Any, ...]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(value, list):
            raise ValueError
        return value
    except (ValueError, TypeError) as exc:
        raise BadRequest(
            "The cursor is not one this API gave out",
            "分页游标无效",
            errors=[
                FieldProblem(
                    loc=["query", "cursor"], code="invalid_cursor", message="invalid cursor", message_zh="分页游标无效"
                )
            ],
        ) from exc


class PageParams(BaseModel):
    limit: int
    cursor: list[Any] | None


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(description="Opaque cursor from `next_cursor`")] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=decode_cursor(cursor))


def make_page(rows: list[T], limit: int, key: Any) -> Page[T]:
    """`rows` was fetched with limit + 1: the extra row says whether there is a next page."""
    if len(rows) > limit:
        rows = rows[:limit]
        return Page[Any](items=rows, next_cursor=encode_cursor(key(rows[-1])))
    return Page[Any](items=rows, next_cursor=None)
