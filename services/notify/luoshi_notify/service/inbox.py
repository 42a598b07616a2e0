"""A user's in-app inbox: read it, mark items read; its urgings and escalations not yet read are the user's work
queue here (待办, `GET /v1/me/todo`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.auth import Principal, require_scope
from luoshi.clock import Clock
from luoshi.contracts.todo import TodoItem, TodoPage, todo_after, todo_key
from luoshi.pagination import make_page
from luoshi_notify.errors import InboxItemNotFound
from luoshi_notify.repository.inbox import InboxRepository
from luoshi_notify.schemas.inbox import InboxItemRead, InboxPage
from luoshi_notify.service.access import own_user_id

# inbox kind: the work queue's — the notices that ask the reader to act (催办, 督办)
TODO_KINDS = {"urge": "notice.urging", "escalate": "notice.escalation"}


def todo_item(row: Any) -> TodoItem:
    link = row["link"] or {}
    return TodoItem(
        kind=row["kind"],
        id=row["id"],
        source="notify",
        title=row["subject"],
        path=f"/v1/inbox/{row['id']}",
        plan_id=link.get("plan_id"),
        arrived_at=row["created_at"],
        sort_on=row["sort_on"],
    )


class InboxService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.principal = principal
        self.repo = InboxRepository(session)

    async def list(self, *, limit: int, cursor: list[Any] | None, unread: bool) -> InboxPage:
        user_id = own_user_id(self.principal)
        rows = await self.repo.items(user_id, limit=limit, after_id=int(cursor[0]) if cursor else None, unread=unread)
        page = make_page(rows, limit, lambda r: [r.id])
        return InboxPage(
            items=[InboxItemRead.model_validate(r) for r in page.items],
            next_cursor=page.next_cursor,
            unread=await self.repo.unread_count(user_id),
        )

    async def get(self, item_id: int) -> InboxItemRead:
        row = await self.repo.item(own_user_id(self.principal), item_id)
        if row is None:
            raise InboxItemNotFound(f"No inbox item {item_id}", f"消息 {item_id} 不存在")
        return InboxItemRead.model_validate(row)

    async def todo(self, clock: Clock, *, limit: int, cursor: list[Any] | None) -> TodoPage:
        """The urgings and escalations sent to the caller and not yet read, oldest day first. An API key, which
        has no inbox, has nothing waiting here."""
        require_scope(self.principal, "notify:read")
        after = todo_after(cursor)
        if self.principal.user_id is None:
            return TodoPage(items=[])
        rows = await self.repo.todo(self.principal.user_id, TODO_KINDS, tz=clock.tz.key, limit=limit, after=after)
        page = make_page([todo_item(r) for r in rows], limit, todo_key)
        return TodoPage(items=page.items, next_cursor=page.next_cursor)

    async def mark_read(self, item_id: int | None) -> int:
        """Mark one item read, or (None) every unread one; returns how many changed."""
        return await self.repo.mark_read(own_user_id(self.principal), item_id)
