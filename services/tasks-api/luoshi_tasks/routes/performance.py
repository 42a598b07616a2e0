"""Task performance per unit on a plan, for scoring-api's assessments."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from luoshi.errors import BadRequest, responses
from luoshi.inputguard import GuardedRoute
from luoshi_tasks.deps import ClockDep, CurrentPrincipal, SessionDep
from luoshi_tasks.errors import PlanNotFound
from luoshi_tasks.schemas.performance import DeadlineBasis, PlanPerformance
from luoshi_tasks.service import performance

router = APIRouter(route_class=GuardedRoute, tags=["views"])


@router.get(
    "/v1/plans/{plan_id}/performance",
    response_model=PlanPerformance,
    responses=responses(PlanNotFound, BadRequest),
)
async def plan_performance(
    plan_id: int,
    principal: CurrentPrincipal,
    session: SessionDep,
    clock: ClockDep,
    from_: Annotated[date, Query(alias="from", description="First day of the window")],
    to: Annotated[date, Query(description="Last day of the window, inclusive (at most five years after `from`)")],
    deadline: Annotated[
        DeadlineBasis, Query(description="`original`: the deadline as first assigned; `extended`: after extensions")
    ] = "extended",
) -> PlanPerformance:
    """Per unit, how the plan's tasks were carried out in [from, to], as of today (for assessments).

    Assignments, by the chosen deadline (`original_due_on`, or `due_on` after granted extensions):
    **due** — the deadline falls in [from, to]; **completed** — of those, closed (办结);
    **completed_on_time** — closed on a day (in the service's TIMEZONE) on or before the deadline;
    **on_time_completion_rate** = completed_on_time / due (null when due = 0: not applicable, named in
    **not_applicable**, and left out of scoring-api's scorecards);
    **overdue** — due, not closed, and the deadline is before `as_of`.

    Reports, counted per reporting period (one assignment, one period deadline), for periods in [from, to]:
    **reports_due** — every deadline of the plan's report schedule before `as_of`, from the assignment's start
    (its `start_on`: the task's start date, or the day it was assigned), while the assignment was not closed on or
    before that day; plus any other period a report was filed for. A unit that never reported still owes its
    periods. **reports_on_time** — the period's first report was not late (the `late` flag stored at
    submission), even if later returned; **reports_late** — reported, but only late; the rest are missing.
    **on_time_report_rate** = reports_on_time / reports_due (null when none). **reports_returned** — report
    rows in the window the office returned.

    Office users, leaders, admins and services see every unit; a unit user sees only its own unit's row.
    """
    return await performance.plan_performance(
        session, principal, clock, plan_id, start=from_, end=to, deadline=deadline
    )
