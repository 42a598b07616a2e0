"""Every query on tasks and the assignments they create."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, exists, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.search import contains_pattern
from luoshi_tasks.models import Assignment, Report, Task
from luoshi_tasks.repository.assignments import ASSIGNMENT_FROM, LIGHT_SQL
from luoshi_tasks.schemas.plans import TaskFilter

# A task's light: the worst of its open assignments'; once all are closed, yellow if one closed late and green
# otherwise; none without assignments — as TaskRead.
_TASK_LIGHT_SQL = f"""(SELECT CASE WHEN count(*) = 0 THEN NULL WHEN bool_or(o AND l = 'red') THEN 'red'
                   WHEN bool_or(o AND l = 'yellow') THEN 'yellow' WHEN bool_or(o) THEN 'green'
                   WHEN bool_or(l = 'yellow') THEN 'yellow' ELSE 'green' END
       FROM (SELECT {LIGHT_SQL} AS l, a.state <> 'closed' AS o
             FROM {ASSIGNMENT_FROM} WHERE a.task_id = tasks.task.id) lights) = :light"""
_TASK_LIGHT = text(_TASK_LIGHT_SQL.replace("$today", "CAST(:today AS date)"))


class TaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, task_id: int, *, for_update: bool = False) -> Task | None:
        return await self.session.get(Task, task_id, with_for_update=for_update)

    async def next_position(self, plan_id: int) -> int:
        current = await self.session.scalar(select(func.max(Task.position)).where(Task.plan_id == plan_id))
        return (current or 0) + 1

    async def number_taken(
        self, plan_id: int, parent_id: int | None, number: str, exclude_id: int | None = None
    ) -> bool:
        """Whether a sibling (same plan and parent) already has this number."""
        parent = Task.parent_id.is_(None) if parent_id is None else Task.parent_id == parent_id
        q = select(
            exists().where(Task.plan_id == plan_id, parent, Task.number == number, Task.id != (exclude_id or -1))
        )
        return bool(await self.session.scalar(q))

    async def root_numbers(self, plan_id: int) -> set[str]:
        q = select(Task.number).where(Task.plan_id == plan_id, Task.parent_id.is_(None), Task.number.is_not(None))
        return set(await self.session.scalars(q))

    def add(self, task: Task) -> None:
        self.session.add(task)

    async def list(
        self,
        plan_id: int,
        *,
        limit: int,
        after_position: int | None,
        parent_id: int | None,
        roots_only: bool,
        where: TaskFilter = TaskFilter(),  # frozen: one shared "no filter" is safe
        today: date | None = None,
    ) -> list[Task]:
        q = select(Task).where(Task.plan_id == plan_id).order_by(Task.position).limit(limit + 1)
        if after_position is not None:
            q = q.where(Task.position > after_position)
        if parent_id is not None:
            q = q.where(Task.parent_id == parent_id)
        elif roots_only:
            q = q.where(Task.parent_id.is_(None))
        if where.q:  # ILIKE on the trigram-indexed columns (ix_task_title_trgm, ix_task_measures_trgm)
            pattern = contains_pattern(where.q)
            q = q.where(Task.title.ilike(pattern) | Task.measures.ilike(pattern))
        if where.due_from is not None:
            q = q.where(Task.due_on >= where.due_from)
        if where.due_to is not None:
            q = q.where(Task.due_on <= where.due_to)
        if where.unit_id is not None or where.state is not None:
            has = select(Assignment.id).where(Assignment.task_id == Task.id)
            if where.unit_id is not None:
                has = has.where(Assignment.unit_id == where.unit_id)
            if where.state is not None:
                has = has.where(Assignment.state == where.state)
            q = q.where(exists(has))
        if where.light is not None:
            q = q.where(_TASK_LIGHT.bindparams(bindparam("light", where.light), bindparam("today", today)))
        return list(await self.session.scalars(q))

    async def all_in_plan(self, plan_id: int) -> list[Task]:
        return list(await self.session.scalars(select(Task).where(Task.plan_id == plan_id).order_by(Task.position)))

    async def assignments(self, task_id: int, *, for_update: bool = False) -> list[Assignment]:
        q = select(Assignment).where(Assignment.task_id == task_id).order_by(Assignment.id)
        if for_update:
            q = q.with_for_update()
        return list(await self.session.scalars(q))

    async def assignments_of_plan(self, plan_id: int) -> list[Any]:
        q = select(Assignment.task_id, Assignment.unit_id, Assignment.role).where(Assignment.plan_id == plan_id)
        return list((await self.session.execute(q.order_by(Assignment.task_id, Assignment.id))).all())

    async def has_reports(self, assignment_ids: list[int]) -> bool:
        if not assignment_ids:
            return False
        q = select(exists().where(Report.assignment_id.in_(assignment_ids)))
        return bool(await self.session.scalar(q))

    async def delete_assignments(self, assignment_ids: list[int]) -> None:
        if assignment_ids:
            await self.session.execute(delete(Assignment).where(Assignment.id.in_(assignment_ids)))

    async def delete(self, task: Task) -> None:
        await self.session.delete(task)
