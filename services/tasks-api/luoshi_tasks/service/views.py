"""Read views: the office's board per plan, and deadlines falling in a window (for notify)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.auth import Principal, require_roles, require_scope
from luoshi.clock import Clock
from luoshi.deadlines import Deadline, occurrences
from luoshi.errors import BadRequest, FieldProblem
from luoshi.pagination import Page, encode_cursor
from luoshi_tasks.repository.views import ViewRepository
from luoshi_tasks.schemas.workflow import Board, BoardUnitRow, DeadlineItem, OverdueItem
from luoshi_tasks.service.plans import PlanService

_DEADLINE: TypeAdapter[Any] = TypeAdapter(Deadline)
MAX_WINDOW_DAYS = 400


async def board(session: AsyncSession, principal: Principal, clock: Clock, plan_id: int) -> Board:
    require_roles(principal, ("office", "leader"))
    await PlanService(session, principal).get_plan(plan_id)
    today = clock.today()
    units, overdue = await ViewRepository(session).board(plan_id, today)
    rows = [
        BoardUnitRow(**u, on_time_report_rate=round(u["reports_on_time"] / u["reports"], 4) if u["reports"] else None)
        for u in units
    ]
    totals = {
        key: sum(getattr(r, key) for r in rows)
        for key in ("assignments", "red", "yellow", "green", "closed", "reports", "reports_on_time")
    }
    light = next((name for name in ("red", "yellow", "green") if totals[name]), None)
    return Board(
        plan_id=plan_id,
        as_of=today,
        light=light,
        totals=totals,
        units=rows,  # type: ignore[arg-type]
        overdue=[OverdueItem(**o) for o in overdue],
    )


async def deadlines(
    session: AsyncSession,
    principal: Principal,
    *,
    start: date,
    end: date,
    kind: str | None,
    plan_id: int | None,
    unit_id: int | None,
    limit: int,
    cursor: list[Any] | None,
) -> Page[DeadlineItem]:
    """Assignment deadlines in [start, end] (active plans, open assignments), then each unit's reporting
    deadlines from its plans' schedules. The cursor walks the first list, then the second."""
    require_scope(principal, "tasks:read")
    require_roles(principal, ("office", "leader"))
    if end < start or (end - start).days > MAX_WINDOW_DAYS:
        raise BadRequest(
            f"The window must run forward and span at most {MAX_WINDOW_DAYS} days",
            f"时间窗口须从前到后，且不超过 {MAX_WINDOW_DAYS} 天",
            errors=[
                FieldProblem(
                    loc=["query", "to"], code="window_invalid", message="bad window", message_zh="时间窗口不合法"
                )
            ],
        )
    repo = ViewRepository(session)
    items: list[DeadlineItem] = []
    phase, after = (cursor[0], cursor[1:]) if cursor else ("assignment", None)
    if phase == "assignment" and kind in (None, "assignment"):
        rows = await repo.assignment_deadlines(
            start, end, after=after, limit=limit + 1, plan_id=plan_id, unit_id=unit_id
        )
        for r in rows[:limit]:
            items.append(
                DeadlineItem(
                    kind="assignment",
                    due_on=r["due_on"],
                    original_due_on=r["original_due_on"],
                    plan_id=r["plan_id"],
                    task_id=r["task_id"],
                    assignment_id=r["assignment_id"],
                    unit_id=r["unit_id"],
                    state=r["state"],
                    key=f"assignment:{r['assignment_id']}:{r['due_on']}",
                    task_title=r["task_title"],
                    plan_title=r["plan_title"],
                    role=r["role"],
                )
            )
        if len(rows) > limit:
            last = rows[limit - 1]
            return Page[DeadlineItem](
                items=items,
                next_cursor=encode_cursor(["assignment", last["due_on"].isoformat(), last["assignment_id"]]),
            )
        phase, after = "report", None
    if kind in (None, "report"):
        report_items = []
        for r in await repo.reporting_units(plan_id, unit_id):
            schedule = _DEADLINE.validate_python(r["report_schedule"])
            for due in occurrences(schedule, start, end):
                report_items.append(
                    DeadlineItem(
                        kind="report",
                        due_on=due,
                        original_due_on=due,
                        plan_id=r["plan_id"],
                        task_id=None,
                        assignment_id=None,
                        unit_id=r["unit_id"],
                        state=None,
                        key=f"report:{r['plan_id']}:{r['unit_id']}:{due}",
                        plan_title=r["plan_title"],
                    )
                )
        report_items.sort(key=lambda d: (d.due_on, d.plan_id, d.unit_id))
        offset = int(after[0]) if phase == "report" and after else 0
        room = limit - len(items)
        chunk = report_items[offset : offset + room]
        items.extend(chunk)
        if offset + room < len(report_items):
            return Page[DeadlineItem](items=items, next_cursor=encode_cursor(["report", offset + room]))
    return Page[DeadlineItem](items=items, next_cursor=None)
