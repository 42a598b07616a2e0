"""待办 in scoring-api (`GET /v1/me/todo`): the values the caller is to verify (核实) — those entered for the
plans it manages (luoshi.plan_access: admins, the plan's office, its creator), in periods still open."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.auth import Principal
from luoshi.clock import Clock
from luoshi.contracts.todo import TodoItem, TodoPage, todo_after, todo_key
from luoshi.etag import etag
from luoshi.pagination import make_page
from luoshi.plan_access import may_manage_plan
from luoshi_scoring.repository.todo import TodoRepository
from luoshi_scoring.service.access import fetch_plan, require_read


def todo_item(row: Any) -> TodoItem:
    return TodoItem(
        kind=row["kind"],
        id=row["id"],
        source="scoring",
        title=row["title"],
        path=f"/v1/values/{row['id']}",
        etag=etag("value", row["id"], row["version"]),
        plan_id=row["plan_id"],
        unit_id=row["unit_id"],
        arrived_at=row["arrived_at"],
        sort_on=row["sort_on"],
    )


class TodoService:
    def __init__(self, session: AsyncSession, principal: Principal, clock: Clock, tasks: Any) -> None:
        self.principal = principal
        self.clock = clock
        self.tasks = tasks
        self.repo = TodoRepository(session)

    async def _created_plans(self) -> list[int]:
        """Of the plans another office runs, those the caller created (asked of tasks-api, plan by plan)."""
        plans = []
        for plan_id in await self.repo.plans_of_other_offices(self.principal.unit_id):
            if may_manage_plan(self.principal, await fetch_plan(self.tasks, plan_id)):
                plans.append(plan_id)
        return plans

    async def page(self, *, limit: int, cursor: list[Any] | None) -> TodoPage:
        require_read(self.principal)
        after = todo_after(cursor)
        manages_all = self.principal.is_service or self.principal.is_admin
        if not (manages_all or self.principal.has_role("office")):
            return TodoPage(items=[])
        rows = await self.repo.page(
            manages_all=manages_all,
            unit_id=self.principal.unit_id,
            created_plans=[] if manages_all else await self._created_plans(),
            tz=self.clock.tz.key,
            limit=limit,
            after=after,
        )
        page = make_page([todo_item(r) for r in rows], limit, todo_key)
        return TodoPage(items=page.items, next_cursor=page.next_cursor)
