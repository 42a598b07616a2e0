"""The outbox events that put an item in someone's work queue (issue 17), for notify to tell them:

- the plan's office hears of what waits for its decision: `report.submitted`, `extension.requested`,
  `completion.requested` (payload: `office_unit_id` and `created_by`, who manage the plan);
- the unit hears of what was handed back, with the reason: `report.returned` (service/reports.py) and
  `completion.returned`.

Each is written in the transaction of the change it reports (luoshi.outbox).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.outbox import emit
from luoshi_tasks.models import Assignment, Event, Plan, Task

REPORT_SUBMITTED = "report.submitted"
EXTENSION_REQUESTED = "extension.requested"
COMPLETION_REQUESTED = "completion.requested"
COMPLETION_RETURNED = "completion.returned"


async def _context(session: AsyncSession, assignment: Assignment, plan: Plan) -> dict[str, Any]:
    task = await session.get(Task, assignment.task_id)
    return {
        "assignment_id": assignment.id,
        "task_id": assignment.task_id,
        "unit_id": assignment.unit_id,
        "plan_id": plan.id,
        "plan_title": plan.title,
        "office_unit_id": plan.office_unit_id,
        "created_by": plan.created_by,
        "task_title": task.title if task else "",
        "due_on": str(assignment.due_on) if assignment.due_on else None,
    }


async def announce_assignment(
    session: AsyncSession, kind: str, assignment: Assignment, plan: Plan, comment: str | None = None
) -> None:
    """A completion request made (to the office) or returned (to the unit, with the office's reason)."""
    payload = await _context(session, assignment, plan)
    payload["comment"] = comment
    await emit(session, Event, kind, f"assignment:{assignment.id}", payload)


async def announce_report_submitted(session: AsyncSession, report: Any, assignment: Assignment, plan: Plan) -> None:
    payload = await _context(session, assignment, plan)
    payload |= {"report_id": report.id, "period_due_on": str(report.period_due_on), "late": report.late}
    await emit(session, Event, REPORT_SUBMITTED, f"report:{report.id}", payload)


async def announce_extension_requested(session: AsyncSession, ext: Any, assignment: Assignment, plan: Plan) -> None:
    payload = await _context(session, assignment, plan)
    payload |= {
        "extension_id": ext.id,
        "requested_due_on": str(ext.requested_due_on),
        "comment": ext.reason,
    }
    await emit(session, Event, EXTENSION_REQUESTED, f"extension:{ext.id}", payload)
