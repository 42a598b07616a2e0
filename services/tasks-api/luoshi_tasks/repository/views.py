"""The office's board, as SQL over assignments and reports."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
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
       count(*) FILTER (WHERE state = 'closed' AND light = 'yellow') AS closed_late,
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


# The leader's overview: every active plan's assignments with their lights, counted per plan and per unit.
OVERVIEW_SQL = f"""
WITH lit AS (
    SELECT a.id, a.plan_id, p.title AS plan_title, a.unit_id, u.name AS unit_name, a.state,
           a.state <> 'closed' AND a.due_on < CAST(:today AS date) AS overdue, {_LIGHT} AS light
    FROM {_FROM}
    WHERE p.status = 'active'
), reps AS (
    SELECT a.plan_id, a.unit_id, count(*) AS reports, count(*) FILTER (WHERE NOT r.late) AS on_time
    FROM tasks.report r JOIN tasks.assignment a ON a.id = r.assignment_id JOIN tasks.plan p ON p.id = a.plan_id
    WHERE p.status = 'active'
    GROUP BY a.plan_id, a.unit_id
), cells AS (
    SELECT lit.plan_id, min(lit.plan_title) AS plan_title, lit.unit_id, min(lit.unit_name) AS unit_name,
           count(*) AS assignments,
           count(*) FILTER (WHERE light = 'red' AND state <> 'closed') AS red,
           count(*) FILTER (WHERE light = 'yellow' AND state <> 'closed') AS yellow,
           count(*) FILTER (WHERE light = 'green' AND state <> 'closed') AS green,
           count(*) FILTER (WHERE state = 'closed') AS closed,
           count(*) FILTER (WHERE overdue) AS overdue,
           coalesce(min(reps.reports), 0) AS reports, coalesce(min(reps.on_time), 0) AS reports_on_time
    FROM lit LEFT JOIN reps ON reps.plan_id = lit.plan_id AND reps.unit_id = lit.unit_id
    GROUP BY lit.plan_id, lit.unit_id
)
SELECT GROUPING(plan_id) AS by_unit, GROUPING(unit_id) AS by_plan,
       coalesce(plan_id, unit_id, 0) AS id,
       CASE WHEN GROUPING(unit_id) = 1 THEN min(plan_title) ELSE min(unit_name) END AS name,
       count(DISTINCT plan_id) AS plans, sum(assignments)::int AS assignments, sum(red)::int AS red,
       sum(yellow)::int AS yellow, sum(green)::int AS green, sum(closed)::int AS closed,
       sum(overdue)::int AS overdue, sum(reports)::int AS reports, sum(reports_on_time)::int AS reports_on_time
FROM cells
GROUP BY GROUPING SETS ((plan_id), (unit_id), ())
ORDER BY sum(red) DESC, sum(overdue) DESC, name
"""

PLAN_UNITS_SQL = """
SELECT a.unit_id, min(u.name) AS unit_name,
       count(*) FILTER (WHERE a.role = 'lead') AS lead, count(*) FILTER (WHERE a.role <> 'lead') AS cooperating
FROM tasks.assignment a JOIN tasks.unit u ON u.id = a.unit_id
WHERE a.plan_id = :plan
GROUP BY a.unit_id
ORDER BY min(u.name)
"""


def _positional(sql: str) -> str:
    """A statement above (SQLAlchemy's :name parameters) for asyncpg: $1 the plan, $2 today."""
    return sql.replace("CAST(:today AS date)", "$2::date").replace(":plan", "$1")


_BOARD_ROWS = _positional(BOARD_SQL)
_OVERDUE_ROWS = _positional(OVERDUE_SQL)


async def fetch_board(
    pool: asyncpg.Pool, plan_id: int, today: date
) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    """The board's rows per unit and its overdue list, on the raw pool: a big plan's board is thousands of rows."""
    async with pool.acquire() as conn:
        return await conn.fetch(_BOARD_ROWS, plan_id, today), await conn.fetch(_OVERDUE_ROWS, plan_id, today)


class ViewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def overview(self, today: date) -> list[Any]:
        """Rows per plan (`by_plan`), per unit (`by_unit`) and one for the whole (both set)."""
        return list((await self.session.execute(text(OVERVIEW_SQL), {"today": today})).mappings())

    async def plan_units(self, plan_id: int) -> list[Any]:
        return list((await self.session.execute(text(PLAN_UNITS_SQL), {"plan": plan_id})).mappings())
