"""A user's in-app inbox: read it, mark items read."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.auth import Principal
from luoshi.pagination import make_page
from luoshi_notify.repository.inbox import InboxRepository
from luoshi_notify.schemas.inbox import InboxItemRead, InboxPage
from luoshi_notify.service.access import own_user_id


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

    async def mark_read(self, item_id: int | None) -> int:
        """Mark one item read, or (None) every unread one; returns how many changed."""
        return await self.repo.mark_read(own_user_id(self.principal), item_id)
