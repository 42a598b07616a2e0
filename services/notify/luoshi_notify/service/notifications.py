"""Notifications as people read them: the list, one with its delivery attempts, and a resend."""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_scope
from luoshi.pagination import raw_page
from luoshi_notify.errors import NotificationInFlight, NotificationNotFound
from luoshi_notify.models import AuditLog, Notification
from luoshi_notify.repository.notifications import NotificationRepository, fetch_notifications
from luoshi_notify.schemas.notifications import AttemptRead, NotificationDetail, NotificationRead
from luoshi_notify.service.access import reads_all, require_manage


async def list_notifications(
    pool: asyncpg.Pool, principal: Principal, *, limit: int, cursor: list[Any] | None, filters: dict[str, Any]
) -> dict[str, Any]:
    """A page shaped as `Page[NotificationRead]`, written straight from the rows. A unit's user sees the
    notifications sent to them."""
    require_scope(principal, "notify:read")
    if not reads_all(principal):
        filters = {**filters, "recipient_user_id": principal.user_id or -1}
    rows = await fetch_notifications(pool, limit=limit, after_id=int(cursor[0]) if cursor else None, filters=filters)
    return raw_page([dict(r) for r in rows], limit, lambda n: [n["id"]])


class NotificationService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repo = NotificationRepository(session)

    async def _notification(self, notification_id: int, *, for_update: bool = False) -> Notification:
        require_scope(self.principal, "notify:read")
        row = await self.repo.get(notification_id, for_update=for_update)
        if row is None or not (reads_all(self.principal) or row.recipient_user_id == self.principal.user_id):
            raise NotificationNotFound(f"No notification {notification_id}", f"通知 {notification_id} 不存在")
        return row

    async def get(self, notification_id: int) -> NotificationDetail:
        row = await self._notification(notification_id)
        attempts = [AttemptRead.model_validate(a) for a in await self.repo.attempts(row.id)]
        return NotificationDetail(**NotificationRead.model_validate(row).model_dump(), attempts_log=attempts)

    async def resend(self, notification_id: int) -> NotificationDetail:
        """Send again (a dead-lettered one after fixing its channel, or a lost e-mail). Same key: receivers
        that already have it drop the repeat."""
        require_manage(self.principal)
        row = await self._notification(notification_id, for_update=True)
        if row.status in ("pending", "sending"):
            raise NotificationInFlight(f"Notification {row.id} is {row.status}", "该通知正在发送")
        row.status, row.attempts, row.last_error, row.send_after = "pending", 0, None, func.now()
        await self.repo.save(row)
        await audit.record(self.session, AuditLog, self.principal, "resend", "notification", row.id)
        return await self.get(row.id)
