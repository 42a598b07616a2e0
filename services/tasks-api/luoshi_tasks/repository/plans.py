"""Every query on plans, their phases and leading group."""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy import delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.search import contains_pattern
from luoshi_tasks.models import Assignment, Extension, GroupMember, Plan, PlanPhase, Report

# The plans list (a hot read, measured by `make bench`): PlanSummary's columns, newest first, keyset by id.
# $1 limit, $2 after this id or null, $3 status or null, $4 ILIKE pattern or null, $5 a unit that must have work in
# the plan, or null.
PLAN_LIST_SQL = """
SELECT p.id, p.title, p.doc_number, p.issuer_unit_id, p.issued_on, p.status, p.office_unit_id, p.report_schedule,
       p.version
FROM tasks.plan p
WHERE ($2::bigint IS NULL OR p.id < $2)
  AND ($3::text IS NULL OR p.status = $3)
  AND ($4::text IS NULL OR p.title ILIKE $4 OR p.doc_number ILIKE $4)
  AND ($5::bigint IS NULL OR EXISTS (SELECT 1 FROM tasks.assignment a WHERE a.plan_id = p.id AND a.unit_id = $5))
ORDER BY p.id DESC
LIMIT $1
"""


async def fetch_plans(
    pool: asyncpg.Pool, *, limit: int, after_id: int | None, status: str | None, q: str | None, unit_id: int | None
) -> list[asyncpg.Record]:
    """One statement on the raw pool, no session; `limit` + 1 rows."""
    return await pool.fetch(PLAN_LIST_SQL, limit + 1, after_id, status, contains_pattern(q) if q else None, unit_id)


class PlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, plan_id: int, *, for_update: bool = False) -> Plan | None:
        return await self.session.get(Plan, plan_id, with_for_update=for_update)

    def add(self, plan: Plan) -> None:
        self.session.add(plan)

    async def activity(self, plan_id: int) -> dict[str, int]:
        """What has been done on the plan's assignments: reports filed, assignments moved on from `assigned` (a
        transition), extension requests."""
        of_plan = select(Assignment.id).where(Assignment.plan_id == plan_id)
        reports = select(func.count()).select_from(Report).where(Report.assignment_id.in_(of_plan))
        moved = select(func.count()).where(Assignment.plan_id == plan_id, Assignment.state != "assigned")
        extensions = select(func.count()).select_from(Extension).where(Extension.assignment_id.in_(of_plan))
        return {
            "reports": int(await self.session.scalar(reports) or 0),
            "transitions": int(await self.session.scalar(moved) or 0),
            "extensions": int(await self.session.scalar(extensions) or 0),
        }

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
