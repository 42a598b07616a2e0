"""A plan's task list with its assignments' lights, written straight from rows (the list the console reads most):
the JSON `Page[TaskRead]` gives, without building and validating a model per task and per assignment."""

from __future__ import annotations

from datetime import date
from operator import getitem
from typing import Any

import asyncpg

from luoshi.auth import Principal, require_scope
from luoshi.deadlines import deadline_item
from luoshi.pagination import raw_page
from luoshi.search import contains_pattern
from luoshi_tasks.errors import PlanNotFound
from luoshi_tasks.repository.task_list import fetch_tasks, plan_visible
from luoshi_tasks.schemas.plans import TaskFilter
from luoshi_tasks.service.access import reads_everything, visible_assignments
from luoshi_tasks.service.lights import light_reason, worst


async def list_tasks(
    pool: asyncpg.Pool,
    principal: Principal,
    plan_id: int,
    *,
    today: date,
    limit: int,
    cursor: list[Any] | None,
    parent_id: int | None,
    roots_only: bool,
    where: TaskFilter,
) -> dict[str, Any]:
    """A page shaped as `Page[TaskRead]`: the tasks in document order, each with the assignments the caller may
    see and the task's light. A plan the caller may not see is not found."""
    require_scope(principal, "tasks:read")
    unit_id = None if reads_everything(principal) else (principal.unit_id or -1)
    if not await plan_visible(pool, plan_id, unit_id):
        raise PlanNotFound(f"No plan {plan_id}", f"方案 {plan_id} 不存在")
    tasks, assignments = await fetch_tasks(
        pool,
        plan_id,
        today=today,
        limit=limit,
        after_position=int(cursor[0]) if cursor else None,
        parent_id=parent_id,
        roots_only=roots_only,
        pattern=contains_pattern(where.q) if where.q else None,
        due_from=where.due_from,
        due_to=where.due_to,
        unit_id=where.unit_id,
        state=where.state,
        light=where.light,
    )
    by_task: dict[int, list[dict[str, Any]]] = {}
    for row in assignments:
        by_task.setdefault(row["task_id"], []).append(_brief(row, today))
    items = [_task_item(task, visible_assignments(principal, by_task.get(task["id"], []), getitem)) for task in tasks]
    return raw_page(items, limit, lambda t: [t["position"]])


def _brief(row: asyncpg.Record, today: date) -> dict[str, Any]:
    """`TaskAssignmentBrief`'s fields."""
    return {
        "assignment_id": row["id"],
        "unit_id": row["unit_id"],
        "unit_name": row["unit_name"],
        "role": row["role"],
        "state": row["state"],
        "progress": row["progress"],
        "due_on": row["due_on"],
        "light": row["light"],
        "light_reason": light_reason(row, today),
        "closed_late": row["light_reason"] == "closed_late",
    }


def _task_item(task: asyncpg.Record, briefs: list[dict[str, Any]]) -> dict[str, Any]:
    """`TaskRead`'s fields: the light is the worst open assignment's; once all are closed, the worst closed one's
    (a late closing stays yellow)."""
    shown = worst([b for b in briefs if b["state"] != "closed"], getitem) or worst(briefs, getitem)
    return {
        **task,
        "deadline": deadline_item(task["deadline"]),
        "light": shown["light"] if shown else None,
        "light_reason": shown["light_reason"] if shown else None,
        "assignments": briefs,
    }
