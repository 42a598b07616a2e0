"""Every query on plans, their phases and leading group."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_tasks.models import Assignment, GroupMember, Plan, PlanPhase


class PlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, plan_id: int, *, for_update: bool = False) -> Plan | None:
        return await self.session.get(Plan, plan_id, with_for_update=for_update)

    def add(self, plan: Plan) -> None:
        self.session.add(plan)

    async def phases(self, plan_id: int) -> list[PlanPhase]:
        q = select(PlanPhase).where(PlanPhase.plan_id == plan_id).order_by(PlanPhase.position)
        return list(await self.session.scalars(q))

    async def group(self, plan_id: int) -> list[GroupMember]:
        q = select(GroupMember).where(GroupMember.plan_id == plan_id).order_by(GroupMember.position)
        return list(await self.session.scalars(q))

    async def replace_phases(self, plan_id: int, phases: list[dict[str, Any]]) -> None:
        await self.session.execute(delete(PlanPhase).where(PlanPhase.plan_id == plan_id))
        for position, phase in enumerate(phases):
            self.session.add(PlanPhase(plan_id=plan_id, position=position, **phase))

    async def replace_group(self, plan_id: int, members: list[dict[str, Any]]) -> None:
        await self.session.execute(delete(GroupMember).where(GroupMember.plan_id == plan_id))
        for position, member in enumerate(members):
            self.session.add(GroupMember(plan_id=plan_id, position=position, **member))

    async def unit_takes_part(self, plan_id: int, unit_id: int) -> bool:
        q = select(exists().where(Assignment.plan_id == plan_id, Assignment.unit_id == unit_id))
        return bool(await self.session.scalar(q))

    async def list(
        self, *, limit: int, after_id: int | None, status: str | None, q: str | None, unit_id: int | None
    ) -> list[Plan]:
        stmt = select(Plan).order_by(Plan.id.desc()).limit(limit + 1)
        if after_id is not None:
            stmt = stmt.where(Plan.id < after_id)
        if status:
            stmt = stmt.where(Plan.status == status)
        if q:
            stmt = stmt.where(or_(Plan.title.ilike(f"%{q}%"), Plan.doc_number.ilike(f"%{q}%")))
        if unit_id is not None:
            stmt = stmt.where(exists().where(Assignment.plan_id == Plan.id, Assignment.unit_id == unit_id))
        return list(await self.session.scalars(stmt))
