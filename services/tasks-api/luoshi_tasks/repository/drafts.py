"""Every query on plan drafts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from luoshi_tasks.models import PlanDraft


class DraftRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, draft_id: int, *, for_update: bool = False, with_text: bool = False) -> PlanDraft | None:
        options = [undefer(PlanDraft.source_text)] if with_text else []
        return await self.session.get(PlanDraft, draft_id, with_for_update=for_update, options=options)

    def add(self, draft: PlanDraft) -> None:
        self.session.add(draft)

    async def list(
        self, *, limit: int, after_id: int | None, status: str | None, unit_id: int | None, everyone: bool
    ) -> list[PlanDraft]:
        """Newest first; an office sees its own unit's drafts, an admin every draft."""
        q = select(PlanDraft).order_by(PlanDraft.id.desc()).limit(limit + 1)
        if after_id is not None:
            q = q.where(PlanDraft.id < after_id)
        if status:
            q = q.where(PlanDraft.status == status)
        if not everyone:
            q = q.where(PlanDraft.unit_id == unit_id)
        return list(await self.session.scalars(q))
