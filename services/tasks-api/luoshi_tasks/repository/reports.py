"""Every query on reports and attachments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from luoshi.search import contains_pattern
from luoshi_tasks.models import Assignment, Attachment, Report


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, report_id: int, *, for_update: bool = False) -> Report | None:
        return await self.session.get(Report, report_id, with_for_update=for_update)

    def add(self, obj: Any) -> None:
        self.session.add(obj)

    async def list(
        self,
        assignment_ids: list[int],
        *,
        limit: int,
        after_id: int | None,
        period_due_on: Any = None,
        state: str | None = None,
    ) -> list[Report]:
        q = select(Report).where(Report.assignment_id.in_(assignment_ids)).order_by(Report.id.desc()).limit(limit + 1)
        if after_id is not None:
            q = q.where(Report.id < after_id)
        if period_due_on is not None:
            q = q.where(Report.period_due_on == period_due_on)
        if state:
            q = q.where(Report.state == state)
        return list(await self.session.scalars(q))

    async def search(
        self,
        *,
        limit: int,
        after_id: int | None,
        plan_id: int | None,
        unit_id: int | None,
        state: str | None,
        q: str | None,
        due_from: Any,
        due_to: Any,
    ) -> list[Report]:
        """Newest first; `q` on the trigram index of the report's text (ix_report_text_trgm)."""
        query = (
            select(Report)
            .join(Assignment, Assignment.id == Report.assignment_id)
            .order_by(Report.id.desc())
            .limit(limit + 1)
        )
        if after_id is not None:
            query = query.where(Report.id < after_id)
        if plan_id is not None:
            query = query.where(Assignment.plan_id == plan_id)
        if unit_id is not None:
            query = query.where(Assignment.unit_id == unit_id)
        if state:
            query = query.where(Report.state == state)
        if q:
            query = query.where(Report.text.ilike(contains_pattern(q)))
        if due_from is not None:
            query = query.where(Report.period_due_on >= due_from)
        if due_to is not None:
            query = query.where(Report.period_due_on <= due_to)
        return list(await self.session.scalars(query))

    async def attachments(self, report_ids: list[int]) -> dict[int, list[Attachment]]:
        out: dict[int, list[Attachment]] = {rid: [] for rid in report_ids}
        if report_ids:
            q = select(Attachment).where(Attachment.report_id.in_(report_ids)).order_by(Attachment.id)
            for att in await self.session.scalars(q):
                out[att.report_id].append(att)
        return out

    async def attachment_with_data(self, attachment_id: int) -> Attachment | None:
        q = select(Attachment).where(Attachment.id == attachment_id).options(undefer(Attachment.data))
        return await self.session.scalar(q)

    async def attachment_bytes(self, report_id: int) -> int:
        q = select(func.coalesce(func.sum(Attachment.size), 0)).where(Attachment.report_id == report_id)
        return int(await self.session.scalar(q) or 0)
