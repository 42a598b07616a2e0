"""The office's board and the deadlines-in-a-window view, as SQL over assignments and reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_tasks.repository.assignments import ASSIGNMENT_FROM, LIGHT_SQL

_FROM = ASSIGNMENT_FROM.replace("$today", "CAST(:today AS date)")
_LIGHT = LIGHT_SQL.replace("$today", "CAST(:today AS date)")

BOARD_SQL = f"""
WITH lit AS (
    SELECT a.id, a.unit_id, u.name AS unit_name, a.state, {_LIGHT} AS light
    FROM {_FROM}
    WHERE a.plan_id = :plan
), reps AS (
    SELECT a.unit_id, count(*) AS reports, count(*) FILTER (WHERE NOT r.late) AS on_time
    FROM tasks.report r JOIN tasks.assignment a ON a.id = r.assignment_id
    WHERE a.plan_id = :plan
    GROUP BY a.unit_id
)
SELECT lit.unit_id, min(lit.unit_name) AS unit_name, count(*) AS assignments,
       count(*) FILTER (WHERE light = 'red' AND state <> 'closed') AS red,
       count(*) FILTER (WHERE light = 'yellow' AND state <> 'closed') AS yellow,
       count(*) FILTER (WHERE light = 'green' AND state <> 'closed') AS green,
       count(*) FILTER (WHERE state = 'closed') AS closed,
       coalesce(min(reps.reports), 0) AS reports, coalesce(min(reps.on_time), 0) AS reports_on_time
FROM lit LEFT JOIN reps ON reps.unit_id = lit.unit_id
GROUP BY lit.unit_id
ORDER BY count(*) FILTER (WHERE light = 'red' AND state <> 'closed') DESC, min(lit.unit_name)
"""

OVERDUE_SQL = f"""
SELECT a.id AS assignment_id, a.task_id, t.number AS task_number, t.title AS task_title, a.unit_id,
       u.name AS unit_name, a.due_on, CAST(:today AS date) - a.due_on AS days_overdue
FROM {_FROM}
WHERE a.plan_id = :plan AND a.state <> 'closed' AND a.due_on < CAST(:today AS date)
ORDER BY a.due_on, a.id
LIMIT 500
"""

DEADLINES_SQL = """
SELECT a.id AS assignment_id, a.task_id, a.plan_id, a.unit_id, a.due_on, a.original_due_on, a.state,
       t.title AS task_title, p.title AS plan_title, a.role, coalesce(u.short_name, u.name) AS unit_name,
       p.office_unit_id
FROM tasks.assignment a JOIN tasks.plan p ON p.id = a.plan_id JOIN tasks.task t ON t.id = a.task_id
     JOIN tasks.unit u ON u.id = a.unit_id
WHERE a.state <> 'closed' AND p.status = 'active' AND a.due_on BETWEEN :start AND :end {filters}
ORDER BY a.due_on, a.id
LIMIT :limit
"""
# Only the filters given are written into the query: "(:x IS NULL OR ...)" would let PostgreSQL's generic plan
# for the prepared statement (after five runs) scan the whole window on every page.
_DEADLINE_FILTERS = {
    "on": "AND a.due_on = ANY(:on)",  # notify's few due dates with a notice today: one index range each
    "after_due": "AND (a.due_on, a.id) > (:after_due, :after_id)",
    "plan": "AND a.plan_id = :plan",
    "unit": "AND a.unit_id = :unit",
}


REPORTING_PLANS_SQL = """
SELECT id AS plan_id, title AS plan_title, report_schedule, office_unit_id
FROM tasks.plan
WHERE status = 'active' AND jsonb_typeof(report_schedule) = 'object' AND (CAST(:plan AS bigint) IS NULL OR id = :plan)
ORDER BY id
"""

# The units with open work in one plan, after a unit id: a keyset page of one plan's reporting deadline.
REPORTING_UNITS_SQL = """
SELECT DISTINCT a.unit_id, coalesce(u.short_name, u.name) AS unit_name
FROM tasks.assignment a JOIN tasks.unit u ON u.id = a.unit_id
WHERE a.plan_id = :plan AND a.state <> 'closed' AND a.unit_id > :after
  AND (CAST(:unit AS bigint) IS NULL OR a.unit_id = :unit)
ORDER BY a.unit_id
LIMIT :limit
"""


class ViewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def board(self, plan_id: int, today: date) -> tuple[list[Any], list[Any]]:
        params = {"plan": plan_id, "today": today}
        units = list((await self.session.execute(text(BOARD_SQL), params)).mappings())
        overdue = list((await self.session.execute(text(OVERDUE_SQL), params)).mappings())
        return units, overdue

    async def assignment_deadlines(
        self,
        start: date,
        end: date,
        *,
        after: list[Any] | None,
        limit: int,
        plan_id: int | None,
        unit_id: int | None,
        on: list[date] | None = None,
    ) -> list[Any]:
        given = {
            "on": on,
            "after_due": date.fromisoformat(after[0]) if after else None,  # the cursor carries it as text
            "plan": plan_id,
            "unit": unit_id,
        }
        params: dict[str, Any] = {"start": start, "end": end, "limit": limit}
        params.update((k, v) for k, v in given.items() if v is not None)
        if after:
            params["after_id"] = int(after[1])
        filters = " ".join(sql for k, sql in _DEADLINE_FILTERS.items() if given[k] is not None)
        sql = DEADLINES_SQL.format(filters=filters)
        return list((await self.session.execute(text(sql), params)).mappings())

    async def reporting_plans(self, plan_id: int | None) -> list[Any]:
        return list((await self.session.execute(text(REPORTING_PLANS_SQL), {"plan": plan_id})).mappings())

    async def reporting_units(self, plan_id: int, *, after: int, limit: int, unit_id: int | None) -> list[Any]:
        params = {"plan": plan_id, "after": after, "limit": limit, "unit": unit_id}
        return list((await self.session.execute(text(REPORTING_UNITS_SQL), params)).mappings())
