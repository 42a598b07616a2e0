"""待办, all in one (`GET /v1/me/todo/all`): tasks-api's queue merged with scoring-api's and notify's.

The others are asked with the caller's own credential (their rules decide what the caller sees there), through
clients that carry no service token, before tasks-api's own query — no transaction waits on another service.
Every queue orders by the same key (luoshi.contracts.todo), so a merge of one page of each is the merged page,
and its cursor pages all three. A service that fails is reported in `sources`, not raised.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from luoshi.clients.todo import read_todo
from luoshi.contracts.todo import MergedTodoPage, SourceStatus, TodoItem, TodoPage, todo_key
from luoshi.errors import AppError
from luoshi.http import ServiceClient
from luoshi.logging import get_logger
from luoshi.pagination import encode_cursor

log = get_logger("luoshi.todo")
CREDENTIAL_HEADERS = ("authorization", "x-api-key")


def caller_credentials(headers: Any) -> dict[str, str]:
    """The caller's own credential, as it came (a bearer token or an API key)."""
    return {name: headers[name] for name in CREDENTIAL_HEADERS if name in headers}


async def _one(
    name: Any, client: ServiceClient, credentials: dict[str, str], limit: int, cursor: str | None
) -> tuple[SourceStatus, TodoPage]:
    try:
        return SourceStatus(source=name, ok=True), await read_todo(client, credentials, limit=limit, cursor=cursor)
    except (AppError, httpx.HTTPError, ValueError) as exc:  # refused, down, or an answer that is not a queue
        why_en = (exc.detail or exc.title_en) if isinstance(exc, AppError) else type(exc).__name__
        why_zh = (exc.detail_zh or exc.title_zh) if isinstance(exc, AppError) else "应答无法读取"
        log.warning("todo_source_failed", source=name, error=why_en)
        status = SourceStatus(
            source=name,
            ok=False,
            detail=f"{client.service_name}'s queue could not be read: {why_en}",
            detail_zh=f"{client.service_name} 的待办暂时无法获取：{why_zh}",
        )
        return status, TodoPage(items=[])


async def merged_todo(
    peers: dict[str, ServiceClient],
    credentials: dict[str, str],
    own: Callable[[], Awaitable[TodoPage]],
    *,
    limit: int,
    cursor: str | None,
) -> MergedTodoPage:
    """The merged page: the peers' pages fetched side by side first, then `own` (tasks-api's query)."""
    answers = await asyncio.gather(*(_one(n, c, credentials, limit, cursor) for n, c in peers.items()))
    pages = [(SourceStatus(source="tasks", ok=True), await own()), *answers]
    items: list[TodoItem] = sorted((i for _, p in pages for i in p.items), key=todo_key)
    more = len(items) > limit or any(p.next_cursor for _, p in pages)
    items = items[:limit]
    return MergedTodoPage(
        items=items,
        next_cursor=encode_cursor(todo_key(items[-1])) if more and items else None,
        sources=[status for status, _ in pages],
    )
