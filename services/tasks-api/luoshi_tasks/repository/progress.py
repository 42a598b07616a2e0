"""The progress table's rows: every assignment of a plan with its light and its latest report, in one query."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_tasks.repository.assignments import ASSIGNMENT_FROM, LIGHT_REASON_SQL, LIGHT_SQL

_FROM = ASSIGNMENT_FROM.replace("$today", "CAST(:today AS date)")
_LIGHT = LIGHT_SQL.replace("$today", "CAST(:today AS date)")
_REASON = LIGHT_REASON_SQL.replace("$today", "CAST(:today AS date)")

PROGRESS_SQL = f"""
SELECT a.id AS assignment_id, a.task_id, u.name AS unit_name, a.role, a.state, a.progress, a.due_on,
       a.start_on, a.closed_on, w.workday_index - cal.workday_index AS due_in_workdays,
       {_LIGHT} AS light, {_REASON} AS light_reason, latest.text AS report_text, latest.submitted_at AS report_at
FROM {_FROM}
LEFT JOIN LATERAL (
    SELECT r.text, r.submitted_at FROM tasks.report r
    WHERE r.assignment_id = a.id AND r.state <> 'returned'
    ORDER BY r.submitted_at DESC, r.id DESC LIMIT 1
) latest ON true
WHERE a.plan_id = :plan AND (CAST(:unit AS bigint) IS NULL OR a.unit_id = :unit)
ORDER BY a.task_id, a.role <> 'lead', u.name
"""


class ProgressRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rows(self, plan_id: int, today: date, unit_id: int | None) -> list[Any]:
        params = {"plan": plan_id, "today": today, "unit": unit_id}
        return list((await self.session.execute(text(PROGRESS_SQL), params)).mappings())
