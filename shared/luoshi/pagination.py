"""Cursor pagination for every list: `?limit=&cursor=`, an opaque cursor, a stable order.

The cursor is the sort key of the last item returned, base64url-encoded; the next page starts
strictly after it (keyset pagination, so it costs the same on page 1 and page 10,000).
"""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy.exc import ArgumentError, DBAPIError

from luoshi.errors import BadRequest, FieldProblem
from luoshi.logging import get_logger

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
BULK_MAX_LIMIT = 2000


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; null on the last page."
    )


def encode_cursor(key: list[Any] | tuple[Any, ...]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).decode().rstrip("=")


def _invalid_cursor() -> BadRequest:
    return BadRequest(
        "The cursor is not one this API gave out",
        "分页游标无效",
        errors=[
            FieldProblem(
                loc=["query", "cursor"], code="invalid_cursor", message="invalid cursor", message_zh="分页游标无效"
            )
        ],
    )


# What encode_cursor ever holds: ids, positions and offsets (bigint), ISO dates, short words, null.
_CURSOR_TEXT = re.compile(r"^[0-9A-Za-z_:.+-]{0,40}$")


def _cursor_value_ok(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, int) and not isinstance(v, bool):
        return -(2**63) <= v < 2**63
    return isinstance(v, str) and bool(_CURSOR_TEXT.match(v))


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as exc:
        raise _invalid_cursor() from exc
    if not isinstance(value, list) or not value or len(value) > 8 or not all(map(_cursor_value_ok, value)):
        raise _invalid_cursor()
    return value


# What PostgreSQL says when a cursor value of the wrong type reaches the keyset comparison: no operator for the
# types (42883), a datatype mismatch (42804), text that is not a number or date (22P02, 22007, 22008), a number
# out of range (22003).
_CURSOR_TYPE_SQLSTATES = {"42883", "42804", "22P02", "22007", "22008", "22003"}


def _cursor_type_error(exc: DBAPIError) -> bool:
    if "invalid input for query argument" in str(exc):  # asyncpg refused to encode the value
        return True
    code = getattr(exc.orig, "sqlstate", None) or getattr(getattr(exc.orig, "__cause__", None), "sqlstate", None)
    return code in _CURSOR_TYPE_SQLSTATES


class PageParams(BaseModel):
    limit: int
    cursor: list[Any] | None


@asynccontextmanager
async def _page(limit: int, cursor: str | None) -> AsyncIterator[PageParams]:
    """The page asked for. A cursor is only ever read by the list that made it; a forged one of the right
    grammar but the wrong shape (text where an id goes, too few values) fails where the list unpacks it,
    and that failure is the client's: a 400, not a 500."""
    decoded = decode_cursor(cursor)
    try:
        yield PageParams(limit=limit, cursor=decoded)
    except (ValueError, TypeError, IndexError, ArgumentError, DBAPIError) as exc:
        if decoded is None or (isinstance(exc, DBAPIError) and not _cursor_type_error(exc)):
            raise
        get_logger("luoshi.pagination").warning("cursor_rejected", cursor=cursor, error=repr(exc)[:200])
        raise _invalid_cursor() from exc


CursorQuery = Annotated[str | None, Query(description="Opaque cursor from `next_cursor`")]


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> AsyncIterator[PageParams]:
    async with _page(limit, cursor) as page:
        yield page


async def bulk_page_params(
    limit: Annotated[int, Query(ge=1, le=BULK_MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> AsyncIterator[PageParams]:
    """Feeds other systems read whole (notify's deadlines): bigger pages, fewer round trips."""
    async with _page(limit, cursor) as page:
        yield page


def raw_page(items: list[dict[str, Any]], limit: int, key: Any) -> dict[str, Any]:
    """`make_page` for a hot list written straight from rows (`luoshi.jsonutil.PageResponse`): the same page as a
    plain dict, `items` fetched with limit + 1."""
    if len(items) > limit:
        items = items[:limit]
        return {"items": items, "next_cursor": encode_cursor(key(items[-1]))}
    return {"items": items, "next_cursor": None}


def make_page(rows: list[T], limit: int, key: Any) -> Page[T]:
    """`rows` was fetched with limit + 1: the extra row says whether there is a next page."""
    if len(rows) > limit:
        rows = rows[:limit]
        return Page[Any](items=rows, next_cursor=encode_cursor(key(rows[-1])))
    return Page[Any](items=rows, next_cursor=None)
