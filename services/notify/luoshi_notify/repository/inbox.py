"""Every query on the in-app inbox: a user's items, delivered by writing a row when the notification is sent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.contracts.todo import TodoAfter
from luoshi.db import driver_connection
from luoshi_notify.models import InboxItem

TODO_SQL = """
SELECT * FROM (
    SELECT i.id, i.subject, i.link, i.created_at, k.queue_kind AS kind,
           (i.created_at AT TIME ZONE :tz)::date AS sort_on
    FROM notify.inbox_item i
    JOIN unnest(CAST(:inbox_kinds AS text[]), CAST(:queue_kinds AS text[])) AS k(inbox_kind, queue_kind)
      ON k.inbox_kind = i.kind
    WHERE i.user_id = :user AND i.read_at IS NULL
) todo
WHERE CAST(:after_sort AS date) IS NULL
   OR (sort_on, kind COLLATE "C", id)
      > (CAST(:after_sort AS date), CAST(:after_kind AS text), CAST(:after_id AS bigint))
ORDER BY sort_on, kind COLLATE "C", id
LIMIT :limit"""


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

    async def item(self, user_id: int, item_id: int) -> InboxItem | None:
        q = select(InboxItem).where(InboxItem.user_id == user_id, InboxItem.id == item_id)
        return await self.session.scalar(q)

    async def todo(
        self, user_id: int, kinds: dict[str, str], *, tz: str, limit: int, after: TodoAfter | None
    ) -> list[Any]:
        """The unread items of the inbox kinds in `kinds` (inbox kind: the queue's kind), as a work queue (待办):
        keyset-paged on (sort_on, kind, id) like every service's, in the queue's kinds."""
        params = {
            "user": user_id,
            "inbox_kinds": list(kinds),
            "queue_kinds": list(kinds.values()),
            "tz": tz,
            "after_sort": after[0] if after else None,
            "after_kind": after[1] if after else None,
            "after_id": after[2] if after else None,
            "limit": limit + 1,
        }
        return list((await self.session.execute(text(TODO_SQL), params)).mappings())

    async def unread_count(self, user_id: int) -> int:
        q = select(func.count()).where(InboxItem.user_id == user_id, InboxItem.read_at.is_(None))
        return int(await self.session.scalar(q) or 0)

    async def mark_read(self, user_id: int, item_id: int | None) -> int:
        q = update(InboxItem).where(InboxItem.user_id == user_id, InboxItem.read_at.is_(None))
        if item_id is not None:
            q = q.where(InboxItem.id == item_id)
        result = await self.session.execute(q.values(read_at=func.now()))
        return result.rowcount or 0  # type: ignore[attr-defined]
