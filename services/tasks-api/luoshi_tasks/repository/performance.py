"""Per unit, how a plan's assignments and reports went in a window: one query over assignments and reports.

Reporting periods owed come in as a date array (the plan's schedule, expanded in Python by
luoshi.deadlines.occurrences because of month-end clamping and the official holiday calendar); the query
crosses them with the assignments that were open then and joins the reports filed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

PERFORMANCE_SQL = """
WITH a AS (
    SELECT a.id, a.unit_id,
           CASE WHEN CAST(:original AS boolean) THEN a.original_due_on ELSE a.due_on END AS deadline,
           CASE WHEN a.state = 'closed' THEN CAST(a.closed_at AT TIME ZONE CAST(:tz AS text) AS date) END
               AS closed_on,
           coalesce(a.start_on, CAST(a.created_at AT TIME ZONE CAST(:tz AS text) AS date)) AS started_on
    FROM tasks.assignment a
    WHERE a.plan_id = :plan AND (CAST(:unit AS bigint) IS NULL OR a.unit_id = :unit)
), work AS (
    SELECT unit_id, count(*) AS assignments,
           count(*) FILTER (WHERE in_window) AS due,
           count(*) FILTER (WHERE in_window AND closed_on IS NOT NULL) AS completed,
           count(*) FILTER (WHERE in_window AND closed_on <= deadline) AS completed_on_time,
           count(*) FILTER (WHERE in_window AND closed_on IS NULL AND deadline < CAST(:today AS date)) AS overdue,
           -- due before the window and still open when it began: overdue work carried over from earlier years
           count(*) FILTER (
               WHERE deadline < CAST(:start AS date) AND deadline < CAST(:today AS date)
                 AND (closed_on IS NULL OR closed_on >= CAST(:start AS date))
           ) AS overdue_carried_over
    FROM (SELECT *, deadline BETWEEN CAST(:start AS date) AND CAST(:end AS date) AS in_window FROM a) w
    GROUP BY unit_id
), owed AS (
    -- each passed period of the schedule, for each assignment started by then and not yet closed
    SELECT a.id AS assignment_id, a.unit_id, p.period
    FROM a CROSS JOIN unnest(CAST(:periods AS date[])) AS p(period)
    WHERE p.period >= a.started_on AND (a.closed_on IS NULL OR a.closed_on > p.period)
), filed AS (
    SELECT r.assignment_id, a.unit_id, r.period_due_on AS period,
           bool_or(NOT r.late) AS on_time, count(*) FILTER (WHERE r.state = 'returned') AS returned
    FROM tasks.report r JOIN a ON a.id = r.assignment_id
    WHERE r.period_due_on BETWEEN CAST(:start AS date) AND CAST(:end AS date)
    GROUP BY r.assignment_id, a.unit_id, r.period_due_on
), reps AS (
    SELECT coalesce(f.unit_id, o.unit_id) AS unit_id, count(*) AS reports_due,
           count(*) FILTER (WHERE f.on_time) AS reports_on_time,
           count(*) FILTER (WHERE NOT f.on_time) AS reports_late,
           CAST(coalesce(sum(f.returned), 0) AS bigint) AS reports_returned
    FROM owed o FULL JOIN filed f ON f.assignment_id = o.assignment_id AND f.period = o.period
    GROUP BY 1
)
SELECT w.unit_id, u.name AS unit_name, w.assignments, w.due, w.completed, w.completed_on_time, w.overdue,
       w.overdue_carried_over,
       coalesce(r.reports_due, 0) AS reports_due, coalesce(r.reports_on_time, 0) AS reports_on_time,
       coalesce(r.reports_late, 0) AS reports_late, coalesce(r.reports_returned, 0) AS reports_returned
FROM work w JOIN tasks.unit u ON u.id = w.unit_id LEFT JOIN reps r ON r.unit_id = w.unit_id
ORDER BY w.unit_id
"""


class PerformanceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def per_unit(
        self,
        plan_id: int,
        *,
        start: date,
        end: date,
        today: date,
        original: bool,
        periods: list[date],
        timezone: str,
        unit_id: int | None,
    ) -> list[Any]:
        """One row per unit with assignments in the plan (only `unit_id`'s when given), by unit id.
        `periods` are the reporting deadlines owed in the window (already cut at today)."""
        params = {
            "plan": plan_id,
            "start": start,
            "end": end,
            "today": today,
            "original": original,
            "periods": periods,
            "tz": timezone,
            "unit": unit_id,
        }
        return list((await self.session.execute(text(PERFORMANCE_SQL), params)).mappings())
