"""Reading another service's work queue (`GET /v1/me/todo`) on behalf of the caller, with the caller's own
credential: what a user sees there is decided by that service's rules for that user, never by a service token."""

from __future__ import annotations

from typing import Any

from luoshi.contracts.todo import TodoPage
from luoshi.http import ServiceClient


async def read_todo(client: ServiceClient, credentials: dict[str, str], *, limit: int, cursor: str | None) -> TodoPage:
    """One page of the caller's queue at `client`'s service. `credentials`: the caller's `Authorization` or
    `X-API-Key` header. Raises the client's errors (ServiceUnavailable, UpstreamError, NotFound)."""
    params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
    return await client.get_model("/v1/me/todo", TodoPage, params=params, headers=credentials)
