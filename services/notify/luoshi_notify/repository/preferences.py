"""Every query on users' notification preferences."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_notify.models import Preference


class PreferenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_user(self, user_id: int, *, for_update: bool = False) -> Preference | None:
        q = select(Preference).where(Preference.user_id == user_id)
        return await self.session.scalar(q.with_for_update() if for_update else q)

    async def all(self) -> list[Preference]:
        return list(await self.session.scalars(select(Preference)))

    async def add(self, row: Preference) -> Preference:
        self.session.add(row)
        return await self.save(row)

    async def save(self, row: Preference) -> Preference:
        await self.session.flush()
        await self.session.refresh(row)
        return row
