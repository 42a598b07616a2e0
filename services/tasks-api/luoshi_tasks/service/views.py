"""Read views: the office's board per plan, the leader's overview of every plan, and deadlines falling in a
window (for notify)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.auth import Principal, require_roles, require_scope
from luoshi.clock import Clock
from luoshi.contracts.plans import PlanUnit, PlanUnits
from luoshi.db import Database, raw_pool
from luoshi.deadlines import Deadline, occurrences
from luoshi.errors import BadRequest, FieldProblem, Forbidden
from luoshi.pagination import encode_cursor
from luoshi_tasks.repository.deadlines import DeadlineRepository
from luoshi_tasks.repository.views import ViewRepository, fetch_board
from luoshi_tasks.schemas.workflow import BoardLightReason, Overview, OverviewRow
from luoshi_tasks.service.access import reads_everything
from luoshi_tasks.service.plans import PlanService

_DEADLINE: TypeAdapter[Any] = TypeAdapter(Deadline)
MAX_WINDOW_DAYS = 400


_BOARD_TOTALS = ("assignments", "red", "yellow", "green", "closed", "closed_late", "reports", "reports_on_time")


async def board(session: AsyncSession, principal: Principal, clock: Clock, plan_id: int) -> dict[str, Any]:
    """The board as `Board` writes it, built from rows (a big plan's has thousands of units and 500 overdue items:
    no model per row; the route writes it with orjson)."""
    require_roles(principal, ("office", "leader"))
    await PlanService(session, principal).get_plan(plan_id)
    today = clock.today()
    units, overdue = await fetch_board(raw_pool(session), plan_id, today)
    rows = [
        {**u, "on_time_report_rate": round(u["reports_on_time"] / u["reports"], 4) if u["reports"] else None}
        for u in units
    ]
    totals = {key: sum(r[key] for r in rows) for key in _BOARD_TOTALS}
    light = next((name for name in ("red", "yellow", "green") if totals[name]), None)
    reason = _board_reason(light, totals)
    return {
        "plan_id": plan_id,
        "as_of": today,
        "light": light,
        "light_reason": reason.model_dump() if reason else None,
        "totals": totals,
        "units": rows,
        "overdue": [dict(o) for o in overdue],
    }


def _board_reason(light: str | None, totals: dict[str, int]) -> BoardLightReason | None:
    if light == "red":
        n = totals["red"]
        return BoardLightReason(code="overdue", text=f"{n} open assignment(s) overdue", text_zh=f"{n} 项交办事项已逾期")
    if light == "yellow":
        n = totals["yellow"]
        return BoardLightReason(
            code="at_risk",
            text=f"{n} open assignment(s) due soon or behind elapsed time",
            text_zh=f"{n} 项交办事项临近期限或进度落后于时间进度",
        )
    if light == "green":
        return BoardLightReason(code="on_track", text="Nothing open is overdue or at risk", text_zh="无逾期或预警事项")
    return None


async def overview(session: AsyncSession, principal: Principal, clock: Clock) -> Overview:
    require_scope(principal, "tasks:read")
    require_roles(principal, ("office", "leader"))
    today = clock.today()
    plans: list[OverviewRow] = []
    units: list[OverviewRow] = []
    totals = OverviewRow(
        id=0,
        name="合计",
        plans=0,
        assignments=0,
        red=0,
        yellow=0,
        green=0,
        closed=0,
        overdue=0,
        reports=0,
        reports_on_time=0,
        on_time_report_rate=None,
    )
    for r in await ViewRepository(session).overview(today):
        fields = {k: r[k] for k in OverviewRow.model_fields if k in r}
        row = OverviewRow(
            **fields, on_time_report_rate=round(r["reports_on_time"] / r["reports"], 4) if r["reports"] else None
        )
        if r["by_plan"] and r["by_unit"]:
            totals = row.model_copy(update={"name": "合计"})
        elif r["by_plan"]:
            plans.append(row)
        else:
            units.append(row)
    return Overview(as_of=today, totals=totals, plans=plans, units=units)


async def plan_units(session: AsyncSession, principal: Principal, plan_id: int) -> PlanUnits:
    """Who is responsible in the plan: for the office, leaders, the services (scoring-api admits values only
    from these units) and the plan's own units."""
    require_scope(principal, "tasks:read")
    await PlanService(session, principal).get_plan(plan_id)
    units = [PlanUnit(**u) for u in await ViewRepository(session).plan_units(plan_id)]
    if not reads_everything(principal) and principal.unit_id not in {u.unit_id for u in units}:
        raise Forbidden("Only the plan's units see who else is in it", "只有方案的责任单位可以查看")
    return PlanUnits(plan_id=plan_id, units=units)


async def deadlines(
    db: Database,
    principal: Principal,
    *,
    start: date,
    end: date,
    kind: str | None,
    plan_id: int | None,
    unit_id: int | None,
    limit: int,
    cursor: list[Any] | None,
    on: list[date] | None = None,
    exclude_states: list[str] | None = None,
) -> dict[str, Any]:
    """Assignment deadlines in [start, end] (active plans, open assignments), then each unit's reporting
    deadlines from its plans' schedules; only those falling on one of the dates `on`, if given. The cursor
    walks the first list, then the second. A hot path for notify: the page is plain dicts, shaped as
    `Page[DeadlineItem]`, straight to JSON."""
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
    async with db.pool.acquire() as conn:
        repo = DeadlineRepository(conn)
        items: list[dict[str, Any]] = []
        phase, after = (cursor[0], cursor[1:]) if cursor else ("assignment", None)
        if phase == "assignment" and kind in (None, "assignment"):
            rows = await repo.assignments(
                start,
                end,
                after=after,
                limit=limit + 1,
                plan_id=plan_id,
                unit_id=unit_id,
                on=on,
                exclude_states=exclude_states,
            )
            # the row's columns are DeadlineItem's fields, less the two made here
            items.extend(
                {"kind": "assignment", **r, "key": f"assignment:{r['assignment_id']}:{r['due_on']}"}
                for r in rows[:limit]
            )
            if len(rows) > limit:
                last = rows[limit - 1]
                return {
                    "items": items,
                    "next_cursor": encode_cursor(["assignment", last["due_on"].isoformat(), last["assignment_id"]]),
                }
            phase, after = "report", None
        if kind in (None, "report"):
            # Reporting deadlines in (due date, plan, unit) order; the cursor is the last one given.
            wanted = set(on) if on is not None else None
            occurrences_ = sorted(
                (due, plan["plan_id"], plan)
                for plan in await repo.reporting_plans(plan_id)
                for due in occurrences(_DEADLINE.validate_python(plan["report_schedule"]), start, end)
                if wanted is None or due in wanted
            )
            resume = (
                (date.fromisoformat(after[0]), int(after[1]), int(after[2])) if phase == "report" and after else None
            )
            for due, _plan_id, plan in occurrences_:
                if resume and (due, plan["plan_id"]) < resume[:2]:
                    continue
                after_unit = resume[2] if resume and (due, plan["plan_id"]) == resume[:2] else 0
                room = limit - len(items)
                units = await repo.reporting_units(plan["plan_id"], after=after_unit, limit=room + 1, unit_id=unit_id)
                for r in units[:room]:
                    items.append(
                        {
                            "kind": "report",
                            "due_on": due,
                            "original_due_on": due,
                            "plan_id": plan["plan_id"],
                            "task_id": None,
                            "assignment_id": None,
                            "unit_id": r["unit_id"],
                            "state": None,
                            "key": f"report:{plan['plan_id']}:{r['unit_id']}:{due}",
                            "task_title": None,
                            "plan_title": plan["plan_title"],
                            "role": None,
                            "unit_name": r["unit_name"],
                            "office_unit_id": plan["office_unit_id"],
                            "office_name": plan["office_name"],
                            "unit_head_emails": [],
                            "leader_user_ids": [],
                        }
                    )
                if len(items) >= limit:
                    last = items[-1]
                    more = len(units) > room or (due, plan["plan_id"]) != occurrences_[-1][:2]
                    if more:
                        cursor_out = ["report", last["due_on"].isoformat(), last["plan_id"], last["unit_id"]]
                        return {"items": items, "next_cursor": encode_cursor(cursor_out)}
                    break
        return {"items": items, "next_cursor": None}
