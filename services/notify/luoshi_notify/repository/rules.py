"""Every query on reminder rule sets (one per plan; plan 0 holds the defaults)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_notify.models import RuleSet


class RuleSetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_plan(self, plan_id: int, *, for_update: bool = False) -> RuleSet | None:
        q = select(RuleSet).where(RuleSet.plan_id == plan_id)
        return await self.session.scalar(q.with_for_update() if for_update else q)

    async def all(self) -> list[RuleSet]:
        return list(await self.session.scalars(select(RuleSet)))

    async def add(self, row: RuleSet) -> RuleSet:
        self.session.add(row)
        return await self.save(row)

    async def save(self, row: RuleSet) -> RuleSet:
        await self.session.flush()
        await self.session.refresh(row)
        return row
