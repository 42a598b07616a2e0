"""A plan's task list with its assignments' lights (a hot read, measured by `make bench`): statements on the raw
pool, no session."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from luoshi_tasks.repository.assignments import (
    ASSIGNMENT_COLUMNS,
    ASSIGNMENT_FROM,
    LIGHT_REASON_SQL,
    LIGHT_SQL,
    light_sql,
)

# A task's light: the worst of its open assignments'; once all are closed, yellow if one closed late and green
# otherwise; none without assignments — as TaskRead.
TASK_LIGHT_SQL = f"""(SELECT CASE WHEN count(*) = 0 THEN NULL WHEN bool_or(o AND l = 'red') THEN 'red'
                   WHEN bool_or(o AND l = 'yellow') THEN 'yellow' WHEN bool_or(o) THEN 'green'
                   WHEN bool_or(l = 'yellow') THEN 'yellow' ELSE 'green' END
       FROM (SELECT {LIGHT_SQL} AS l, a.state <> 'closed' AS o
             FROM {ASSIGNMENT_FROM} WHERE a.task_id = tasks.task.id) lights) = :light"""

# $1 plan, $2 limit, $3 after this position or null, $4 parent or null, $5 roots only, $6 ILIKE pattern or null,
# $7/$8 due from/to or null, $9 a unit with an assignment or null, $10 an assignment state or null, $11 the task's
# light or null, $12 today.
TASKS_SQL = f"""
SELECT id, plan_id, parent_id, position, number, title, measures, person_in_charge, weight, deadline, deadline_text,
       start_on, due_on, remarks, version
FROM tasks.task
WHERE plan_id = $1
  AND ($3::int IS NULL OR position > $3)
  AND ($4::bigint IS NULL OR parent_id = $4)
  AND ($4::bigint IS NOT NULL OR NOT $5 OR parent_id IS NULL)
  AND ($6::text IS NULL OR title ILIKE $6 OR measures ILIKE $6)
  AND ($7::date IS NULL OR due_on >= $7)
  AND ($8::date IS NULL OR due_on <= $8)
  AND ($9::bigint IS NULL AND $10::text IS NULL
       OR EXISTS (SELECT 1 FROM tasks.assignment x WHERE x.task_id = tasks.task.id
                  AND ($9::bigint IS NULL OR x.unit_id = $9) AND ($10::text IS NULL OR x.state = $10)))
  AND ($11::text IS NULL OR {TASK_LIGHT_SQL.replace(":light", "$11").replace("$today", "$12::date")})
ORDER BY position
LIMIT $2
"""

# The tasks' assignments, lead first: $1 the task ids, $2 today.
ASSIGNMENTS_SQL = f"""
SELECT {ASSIGNMENT_COLUMNS}, {light_sql("$2::date")} AS light,
       {LIGHT_REASON_SQL.replace("$today", "$2::date")} AS light_reason
FROM {ASSIGNMENT_FROM.replace("$today", "$2::date")}
WHERE a.task_id = ANY($1::bigint[])
ORDER BY a.task_id, a.role DESC, a.id
"""

PLAN_VISIBLE_SQL = """
SELECT EXISTS (SELECT 1 FROM tasks.plan WHERE id = $1)
   AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM tasks.assignment WHERE plan_id = $1 AND unit_id = $2))
"""


async def plan_visible(pool: asyncpg.Pool, plan_id: int, unit_id: int | None) -> bool:
    """Whether the plan exists and, for a unit (`unit_id`), whether it has work in it."""
    return bool(await pool.fetchval(PLAN_VISIBLE_SQL, plan_id, unit_id))


async def fetch_tasks(
    pool: asyncpg.Pool,
    plan_id: int,
    *,
    today: date,
    limit: int,
    after_position: int | None,
    parent_id: int | None,
    roots_only: bool,
    pattern: str | None,
    due_from: date | None,
    due_to: date | None,
    unit_id: int | None,
    state: str | None,
    light: str | None,
) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    """`limit` + 1 tasks in document order, and the assignments of those tasks."""
    async with pool.acquire() as conn:
        tasks = await conn.fetch(
            TASKS_SQL,
            plan_id,
            limit + 1,
            after_position,
            parent_id,
            roots_only,
            pattern,
            due_from,
            due_to,
            unit_id,
            state,
            light,
            today,
        )
        assignments: list[Any] = []
        if tasks:
            assignments = await conn.fetch(ASSIGNMENTS_SQL, [t["id"] for t in tasks[:limit]], today)
    return tasks, assignments
