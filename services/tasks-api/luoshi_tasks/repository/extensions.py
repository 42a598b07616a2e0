"""Every query on extension requests (延期申请)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_tasks.models import Assignment, Extension

# An extension with what it belongs to: its assignment's task, plan and unit.
_WITH_OWNER = select(Extension, Assignment.task_id, Assignment.plan_id, Assignment.unit_id).join(
    Assignment, Assignment.id == Extension.assignment_id
)


def _read(row: Any) -> dict[str, Any]:
    ext, task_id, plan_id, unit_id = row
    return {
        **{c.key: getattr(ext, c.key) for c in Extension.__table__.columns},
        "task_id": task_id,
        "plan_id": plan_id,
        "unit_id": unit_id,
    }


class ExtensionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, ext: Extension) -> None:
        self.session.add(ext)

    async def get(self, extension_id: int, *, for_update: bool = False) -> Extension | None:
        return await self.session.get(Extension, extension_id, with_for_update=for_update)

    async def read(self, extension_id: int) -> dict[str, Any] | None:
        row = (await self.session.execute(_WITH_OWNER.where(Extension.id == extension_id))).one_or_none()
        return _read(row) if row is not None else None

    async def pending(self, assignment_id: int) -> Extension | None:
        q = select(Extension).where(Extension.assignment_id == assignment_id, Extension.state == "requested")
        return await self.session.scalar(q)

    async def list(
        self,
        *,
        limit: int,
        after_id: int | None,
        assignment_id: int | None = None,
        plan_id: int | None = None,
        unit_id: int | None = None,
        state: str | None = None,
    ) -> list[dict[str, Any]]:
        """Oldest first, by id; `plan_id` runs on the assignment's plan index."""
        q = _WITH_OWNER.order_by(Extension.id).limit(limit + 1)
        if assignment_id is not None:
            q = q.where(Extension.assignment_id == assignment_id)
        if plan_id is not None:
            q = q.where(Assignment.plan_id == plan_id)
        if unit_id is not None:
            q = q.where(Assignment.unit_id == unit_id)
        if state:
            q = q.where(Extension.state == state)
        if after_id is not None:
            q = q.where(Extension.id > after_id)
        return [_read(row) for row in (await self.session.execute(q)).all()]

    async def followers(self, lead: Assignment, due_on: Any) -> list[Assignment]:
        """The cooperating assignments of the lead's task still open and due on the lead's deadline, locked: they
        work to the lead's date, so a later one granted to the lead is theirs too."""
        q = (
            select(Assignment)
            .where(
                Assignment.task_id == lead.task_id,
                Assignment.role == "cooperating",
                Assignment.state != "closed",
                Assignment.due_on == due_on,
            )
            .order_by(Assignment.id)
            .with_for_update()
        )
        return list(await self.session.scalars(q))
