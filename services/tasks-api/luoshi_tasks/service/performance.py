"""Task performance per unit on one plan in a window, for scoring-api's yearly assessments.

Assignments (deadline = `original_due_on` or `due_on`, per the caller's choice):
- due: the deadline falls in [from, to]; completed: of those, closed; completed_on_time: closed on a day
  (in the service's time zone) on or before the deadline; overdue: not closed and the deadline is before today.
- overdue_carried_over: the deadline is before `from` (and before today) and the assignment was still open when
  the window began — not closed, or closed on or after `from`: work overdue since an earlier year that the unit
  carried into this one. Not part of `due` or `overdue`; scoring-api's schemes count it with `overdue` unless
  they say `carried_over: "ignore"`.
Reports, counted per reporting period (assignment × period deadline), for periods in [from, to]:
- owed: each occurrence of the plan's report schedule before today, from the assignment's start, while the
  assignment was not closed on or before that day; reports_due is the owed periods together with any other
  period a report was filed for;
- on time: the period's first report was not late (the stored flag); late: reported, but only late;
  the rest of reports_due is missing. reports_returned counts report rows the office returned.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.auth import Principal, require_scope
from luoshi.clock import Clock
from luoshi.deadlines import deadline_adapter, occurrences
from luoshi.errors import BadRequest, FieldProblem
from luoshi_tasks.repository.performance import PerformanceRepository
from luoshi_tasks.schemas.performance import DeadlineBasis, PlanPerformance, UnitPerformance
from luoshi_tasks.service.access import reads_everything
from luoshi_tasks.service.plans import PlanService

MAX_WINDOW_DAYS = 1830  # five years: enough for a plan's whole life, bounded for the periods × assignments join


def _check_window(start: date, end: date) -> None:
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


def owed_periods(report_schedule: dict[str, Any] | None, start: date, end: date, today: date) -> list[date]:
    """The plan's reporting deadlines in [start, end] that have passed by `today` (a period due today is
    not owed yet: a report may still come in on time)."""
    if not report_schedule:
        return []
    schedule = deadline_adapter.validate_python(report_schedule)
    return occurrences(schedule, start, min(end, today - timedelta(days=1)))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def plan_performance(
    session: AsyncSession,
    principal: Principal,
    clock: Clock,
    plan_id: int,
    *,
    start: date,
    end: date,
    deadline: DeadlineBasis,
) -> PlanPerformance:
    """Per unit with assignments in the plan, by unit id. Office, leaders, admins and services see every
    unit; a unit user (or an API key bound to a unit) sees only its own; a plan it takes no part in is
    not found."""
    require_scope(principal, "tasks:read")
    _check_window(start, end)
    plan = await PlanService(session, principal).get_plan(plan_id)
    today = clock.today()
    only_unit = None if reads_everything(principal) else principal.unit_id
    rows = await PerformanceRepository(session).per_unit(
        plan.id,
        start=start,
        end=end,
        today=today,
        original=deadline == "original",
        periods=owed_periods(plan.report_schedule, start, end, today),
        timezone=clock.tz.key,
        unit_id=only_unit,
    )
    units = [
        UnitPerformance(
            **r,
            on_time_completion_rate=_rate(r["completed_on_time"], r["due"]),
            on_time_report_rate=_rate(r["reports_on_time"], r["reports_due"]),
            not_applicable=[
                name
                for name, whole in (("on_time_completion_rate", r["due"]), ("on_time_report_rate", r["reports_due"]))
                if not whole
            ],
        )
        for r in rows
    ]
    return PlanPerformance(plan_id=plan.id, from_=start, to=end, deadline=deadline, as_of=today, units=units)
