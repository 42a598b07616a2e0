"""The caller's in-app inbox."""

from __future__ import annotations

from fastapi import APIRouter

from luoshi.contracts.todo import TodoPage
from luoshi.errors import responses
from luoshi.inputguard import GuardedRoute
from luoshi.web import CurrentPrincipal, SessionDep
from luoshi_notify.deps import ClockDep, PageDep
from luoshi_notify.errors import InboxItemNotFound
from luoshi_notify.schemas.inbox import InboxItemRead, InboxPage
from luoshi_notify.service.inbox import InboxService

router = APIRouter(route_class=GuardedRoute)


@router.get("/v1/inbox", response_model=InboxPage, tags=["inbox"])
async def get_inbox(principal: CurrentPrincipal, session: SessionDep, page: PageDep, unread: bool = False) -> InboxPage:
    """The caller's in-app messages, newest first, with the unread count."""
    return await InboxService(session, principal).list(limit=page.limit, cursor=page.cursor, unread=unread)


@router.get("/v1/inbox/{item_id}", response_model=InboxItemRead, responses=responses(InboxItemNotFound), tags=["inbox"])
async def get_inbox_item(item_id: int, principal: CurrentPrincipal, session: SessionDep) -> InboxItemRead:
    """One of the caller's messages (reading it does not mark it read)."""
    return await InboxService(session, principal).get(item_id)


@router.get("/v1/me/todo", response_model=TodoPage, tags=["views"])
async def list_my_todo(principal: CurrentPrincipal, session: SessionDep, clock: ClockDep, page: PageDep) -> TodoPage:
    """待办: the urgings (催办) and escalations (督办) sent to me and not yet read, by day; marking one read
    (`POST /v1/inbox/{id}/read`) takes it out."""
    return await InboxService(session, principal).todo(clock, limit=page.limit, cursor=page.cursor)


@router.post("/v1/inbox/{item_id}/read", tags=["inbox"])
async def mark_inbox_item_read(item_id: int, principal: CurrentPrincipal, session: SessionDep) -> dict[str, int]:
    return {"marked": await InboxService(session, principal).mark_read(item_id)}


@router.post("/v1/inbox/read-all", tags=["inbox"])
async def mark_inbox_read(principal: CurrentPrincipal, session: SessionDep) -> dict[str, int]:
    return {"marked": await InboxService(session, principal).mark_read(None)}
