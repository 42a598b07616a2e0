"""The caller's in-app inbox."""

from __future__ import annotations

from fastapi import APIRouter

from luoshi.web import CurrentPrincipal, SessionDep
from luoshi_notify.deps import PageDep
from luoshi_notify.schemas.inbox import InboxPage
from luoshi_notify.service.inbox import InboxService

router = APIRouter()


@router.get("/v1/inbox", response_model=InboxPage, tags=["inbox"])
async def get_inbox(principal: CurrentPrincipal, session: SessionDep, page: PageDep, unread: bool = False) -> InboxPage:
    """The caller's in-app messages, newest first, with the unread count."""
    return await InboxService(session, principal).list(limit=page.limit, cursor=page.cursor, unread=unread)


@router.post("/v1/inbox/{item_id}/read", tags=["inbox"])
async def mark_inbox_item_read(item_id: int, principal: CurrentPrincipal, session: SessionDep) -> dict[str, int]:
    return {"marked": await InboxService(session, principal).mark_read(item_id)}


@router.post("/v1/inbox/read-all", tags=["inbox"])
async def mark_inbox_read(principal: CurrentPrincipal, session: SessionDep) -> dict[str, int]:
    return {"marked": await InboxService(session, principal).mark_read(None)}
