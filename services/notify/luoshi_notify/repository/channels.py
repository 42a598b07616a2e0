"""Every query on notification channels."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_notify.models import Channel


class ChannelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, channel_id: int, *, for_update: bool = False) -> Channel | None:
        return await self.session.get(Channel, channel_id, with_for_update=for_update)

    async def after(self, after_id: int | None, limit: int) -> list[Channel]:
        q = select(Channel).order_by(Channel.id).limit(limit)
        if after_id is not None:
            q = q.where(Channel.id > after_id)
        return list(await self.session.scalars(q))

    async def enabled(self) -> list[Channel]:
        return list(await self.session.scalars(select(Channel).where(Channel.enabled.is_(True))))

    async def name_taken(self, name: str) -> bool:
        return bool(await self.session.scalar(select(Channel.id).where(Channel.name == name)))

    async def add(self, row: Channel) -> Channel:
        self.session.add(row)
        await self.session.flush()
        await self.session.refresh(row)
        return row

    async def save(self, row: Channel) -> Channel:
        """Write a changed row and read back what the database set (its version)."""
        await self.session.flush()
        await self.session.refresh(row)
        return row
