"""Every query on tasks and the assignments they create."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_tasks.models import Assignment, Report, Task


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
