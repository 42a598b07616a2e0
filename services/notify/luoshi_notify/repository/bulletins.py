"""Every query on bulletins (one per plan and reporting deadline)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_notify.models import Bulletin


class BulletinRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, plan_id: int, period_due_on: date, title: str, data: dict[str, Any]) -> Bulletin:
        """Store the bulletin of a period, replacing an earlier compilation of it."""
        await self.session.execute(
            insert(Bulletin)
            .values(plan_id=plan_id, period_due_on=period_due_on, title=title, data=data)
            .on_conflict_do_update(index_elements=["plan_id", "period_due_on"], set_={"data": data, "title": title})
        )
        row = await self.session.scalar(
            select(Bulletin).where(Bulletin.plan_id == plan_id, Bulletin.period_due_on == period_due_on)
        )
        assert row is not None
        return row

    async def get(self, bulletin_id: int) -> Bulletin | None:
        return await self.session.get(Bulletin, bulletin_id)

    async def list(self, *, limit: int, after_id: int | None, plan_id: int | None) -> list[Bulletin]:
        q = select(Bulletin).order_by(Bulletin.id.desc()).limit(limit + 1)
        if after_id is not None:
            q = q.where(Bulletin.id < after_id)
        if plan_id is not None:
            q = q.where(Bulletin.plan_id == plan_id)
        return list(await self.session.scalars(q))

    async def existing_periods(self, periods: set[tuple[int, date]]) -> set[tuple[int, date]]:
        """Which of these (plan, reporting deadline) pairs already have a bulletin."""
        existing = await self.session.execute(
            select(Bulletin.plan_id, Bulletin.period_due_on).where(
                tuple_(Bulletin.plan_id, Bulletin.period_due_on).in_(sorted(periods))
            )
        )
        return {(plan_id, due_on) for plan_id, due_on in existing}
