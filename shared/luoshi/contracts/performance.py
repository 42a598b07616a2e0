"""How each unit carried out a plan's tasks in a period: tasks-api's `GET /v1/plans/{id}/performance`,
read by scoring-api for its yearly assessments through `TasksClient.plan_performance`.

The definitions are in the field descriptions; they are the contract, so tasks-api serves these models as
they are."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DeadlineBasis = Literal["original", "extended"]


class UnitPerformance(BaseModel):
    """One unit's record on one plan in the window [from, to]. Every count is of the unit's own
    assignments in the plan (as lead or cooperating unit)."""

    unit_id: int
    unit_name: str
    assignments: int = Field(description="All of the unit's assignments in the plan, whatever their deadline")
    due: int = Field(
        description=(
            "Assignments whose deadline falls in [from, to]: `original_due_on` with deadline=original, "
            "`due_on` (after any granted extension) with deadline=extended. Assignments without a deadline "
            "(长期) are never due"
        )
    )
    completed: int = Field(description="Of `due`: closed (办结) by `as_of`, on time or not")
    completed_on_time: int = Field(
        description=(
            "Of `due`: closed on or before the deadline, comparing the day of closing in the service's time zone "
            "(its TIMEZONE setting) with the deadline. A reopened assignment is not closed"
        )
    )
    on_time_completion_rate: float | None = Field(
        description="completed_on_time / due, rounded to 4 places; null (not applicable) when due = 0"
    )
    overdue: int = Field(description="Of `due`: not closed, and the deadline is before `as_of`")
    overdue_carried_over: int = Field(
        default=0,
        description=(
            "Not in `due`: assignments whose deadline is before `from` (and before `as_of`) that were still open "
            "when the window began — not closed, or closed on or after `from`. Overdue work carried over from an "
            "earlier period (a task overdue since last year still counts against this year)"
        ),
    )
    reports_due: int = Field(
        description=(
            "Reporting periods (one per assignment and period deadline) in [from, to] that are owed or were "
            "reported: every occurrence of the plan's report schedule before `as_of`, from the assignment's "
            "start (`start_on`, i.e. the task's start date or the day it was assigned; else the day it was created), "
            "while the assignment was not closed on or before that day; plus any period in [from, to] a report "
            "was filed for (so a report filed early, or for a period not on the schedule, counts too). "
            "A period with no report is missing: reports_due = reports_on_time + reports_late + missing"
        )
    )
    reports_on_time: int = Field(
        description=(
            "Of `reports_due`: periods whose first report was submitted on or before the period's deadline "
            "(the stored `late` flag is false), even if that report was later returned"
        )
    )
    reports_late: int = Field(description="Of `reports_due`: periods reported, but only late (every report `late`)")
    on_time_report_rate: float | None = Field(
        description="reports_on_time / reports_due, rounded to 4 places; null (not applicable) when reports_due = 0"
    )
    reports_returned: int = Field(
        description="Report rows (not periods) for periods in [from, to] that the office returned (退回)"
    )
    not_applicable: list[Literal["on_time_completion_rate", "on_time_report_rate"]] = Field(
        default_factory=list,
        description=(
            "The rates with nothing to measure (no assignment due, no reporting period owed): null above, and "
            "not applicable rather than zero — scoring-api leaves them out of a scorecard"
        ),
    )


class PlanPerformance(BaseModel):
    """Per unit, how the plan's tasks were carried out in [from, to], as of `as_of` (tasks-api's today)."""

    model_config = ConfigDict(populate_by_name=True)

    plan_id: int
    from_: date = Field(alias="from", description="First day of the window")
    to: date = Field(description="Last day of the window (inclusive)")
    deadline: DeadlineBasis = Field(
        description="Which deadline counts: `original` (as first assigned) or `extended` (after granted extensions)"
    )
    as_of: date = Field(description="The day the figures are computed on (today in the TIMEZONE of tasks-api)")
    units: list[UnitPerformance] = Field(
        description="One entry per unit with assignments in the plan (only the caller's own for a unit user), "
        "by unit_id"
    )
