"""Every query on the in-app inbox: a user's items, delivered by writing a row when the notification is sent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.db import driver_connection
from luoshi_notify.models import InboxItem


class InboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, items: list[tuple[int, int, str, str, str, Any]]) -> None:
        """(user, notification, kind, subject, body, link) — at most one inbox item per notification."""
        if items:
            conn = await driver_connection(self.session)
            await conn.executemany(
                "INSERT INTO notify.inbox_item (user_id, notification_id, kind, subject, body, link) "
                "VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT (notification_id) DO NOTHING",
                items,
            )

    async def items(self, user_id: int, *, limit: int, after_id: int | None, unread: bool) -> list[InboxItem]:
        q = select(InboxItem).where(InboxItem.user_id == user_id).order_by(InboxItem.id.desc()).limit(limit + 1)
        if after_id is not None:
            q = q.where(InboxItem.id < after_id)
        if unread:
            q = q.where(InboxItem.read_at.is_(None))
        return list(await self.session.scalars(q))

    async def unread_count(self, user_id: int) -> int:
        q = select(func.count()).where(InboxItem.user_id == user_id, InboxItem.read_at.is_(None))
        return int(await self.session.scalar(q) or 0)

    async def mark_read(self, user_id: int, item_id: int | None) -> int:
        q = update(InboxItem).where(InboxItem.user_id == user_id, InboxItem.read_at.is_(None))
        if item_id is not None:
            q = q.where(InboxItem.id == item_id)
        result = await self.session.execute(q.values(read_at=func.now()))
        return result.rowcount or 0  # type: ignore[attr-defined]
