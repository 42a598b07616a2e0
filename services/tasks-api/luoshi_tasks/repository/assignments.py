"""Every query on assignments, with the traffic light computed in SQL so lists filter and sort by it.

The light (红黄绿灯) of an assignment on day `today`, and its reason (`light_reason`, a code; the texts are
written by `service.lights`):
- red, `overdue`: open and its deadline has passed;
- yellow, `due_soon`: open and its deadline is within the plan's `yellow_workdays` working days (official
  calendar);
- yellow, `behind_schedule`: open and its progress trails the share of its own time already elapsed (from its
  `start_on`: the task's start date, or the day it was assigned) by more than the plan's `yellow_progress_margin`;
- yellow, `closed_late`: closed after its deadline (办结 but 逾期办结) — it stays visible, not green;
- green, `on_track`, `no_deadline` or `closed_on_time` otherwise.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# `$today` is replaced by a bind parameter of each query; `w` is the calendar row of the due date and
# `cal` the calendar row of today.
LIGHT_REASON_SQL = """CASE
    WHEN a.state = 'closed' THEN CASE WHEN a.closed_on > a.due_on THEN 'closed_late' ELSE 'closed_on_time' END
    WHEN a.due_on IS NULL THEN 'no_deadline'
    WHEN a.due_on < $today THEN 'overdue'
    WHEN w.workday_index - cal.workday_index <= p.yellow_workdays THEN 'due_soon'
    WHEN a.start_on IS NOT NULL AND a.due_on > a.start_on AND $today > a.start_on
         AND a.progress + p.yellow_progress_margin < 100.0 * ($today - a.start_on) / (a.due_on - a.start_on)
         THEN 'behind_schedule'
    ELSE 'on_track' END"""

LIGHT_SQL = f"""CASE {LIGHT_REASON_SQL}
    WHEN 'overdue' THEN 'red'
    WHEN 'due_soon' THEN 'yellow' WHEN 'behind_schedule' THEN 'yellow' WHEN 'closed_late' THEN 'yellow'
    ELSE 'green' END"""

ASSIGNMENT_COLUMNS = """a.id, a.task_id, a.plan_id, a.unit_id, u.name AS unit_name, a.role, a.state, a.progress,
    a.start_on, a.due_on, a.original_due_on, a.state_changed_at, a.closed_at, a.closed_on, a.returned_at,
    a.return_reason, a.version, w.workday_index - cal.workday_index AS due_in_workdays,
    t.number AS task_number, t.title AS task_title"""

ASSIGNMENT_FROM = """tasks.assignment a
    JOIN tasks.plan p ON p.id = a.plan_id
    JOIN tasks.task t ON t.id = a.task_id
    JOIN tasks.unit u ON u.id = a.unit_id
    LEFT JOIN tasks.workday w ON w.day = a.due_on
    LEFT JOIN tasks.workday cal ON cal.day = $today"""


def light_sql(today_param: str) -> str:
    return LIGHT_SQL.replace("$today", today_param)


def _sa(sql: str) -> str:
    """The shared SQL with SQLAlchemy's named parameter for today."""
    return sql.replace("$today", "CAST(:today AS date)")


ASSIGNMENT_SELECT_SA = (
    f"SELECT {_sa(ASSIGNMENT_COLUMNS)}, {_sa(LIGHT_SQL)} AS light, {_sa(LIGHT_REASON_SQL)} AS light_reason "
    f"FROM {_sa(ASSIGNMENT_FROM)}"
)

# "My tasks": a unit's assignments by due date (nulls last), keyset-paginated, with optional filters.
# $1 today, $2 unit, $3 limit, $4 plan or null, $5 state or null, $6 light or null, $7 due from, $8 due to,
# $9/$10 the cursor (due_on, id), $11 whether the cursor's due_on was null.
MY_ASSIGNMENTS_SQL = f"""
SELECT * FROM (
    SELECT {ASSIGNMENT_COLUMNS}, {light_sql("$1::date")} AS light,
           {LIGHT_REASON_SQL.replace("$today", "$1::date")} AS light_reason
    FROM {ASSIGNMENT_FROM.replace("$today", "$1::date")}
    WHERE a.unit_id = $2
      AND ($4::bigint IS NULL OR a.plan_id = $4)
      AND ($5::text IS NULL OR a.state = $5)
      AND ($7::date IS NULL OR a.due_on >= $7)
      AND ($8::date IS NULL OR a.due_on <= $8)
      AND ($10::bigint IS NULL
           OR ($11 AND a.due_on IS NULL AND a.id > $10)
           OR (NOT $11 AND (a.due_on > $9 OR (a.due_on = $9 AND a.id > $10) OR a.due_on IS NULL)))
) mine
WHERE ($6::text IS NULL OR light = $6)
ORDER BY due_on NULLS LAST, id
LIMIT $3
"""


class AssignmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def read_rows(self, today: date, where: str, params: dict[str, Any], order: str = "a.id") -> list[Any]:
        sql = f"{ASSIGNMENT_SELECT_SA} WHERE {where} ORDER BY {order}"
        return list((await self.session.execute(text(sql), {"today": today, **params})).mappings())

    async def read_row(self, today: date, assignment_id: int) -> Any:
        rows = await self.read_rows(today, "a.id = :id", {"id": assignment_id})
        return rows[0] if rows else None

    async def units_with_accounts(self, unit_ids: list[int]) -> set[int]:
        """Of these units, those someone can act for: an active user, or an API key not revoked or expired."""
        if not unit_ids:
            return set()
        sql = """
            SELECT unit_id FROM tasks.user_account WHERE unit_id = ANY(:ids) AND is_active
            UNION
            SELECT unit_id FROM tasks.api_key
            WHERE unit_id = ANY(:ids) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
        """
        return set((await self.session.execute(text(sql), {"ids": unit_ids})).scalars())

    async def for_tasks(self, today: date, task_ids: list[int]) -> list[Any]:
        if not task_ids:
            return []
        return await self.read_rows(today, "a.task_id = ANY(:ids)", {"ids": task_ids}, "a.task_id, a.role DESC, a.id")


async def fetch_mine(
    pool: asyncpg.Pool,
    *,
    today: date,
    unit_id: int,
    limit: int,
    plan_id: int | None,
    state: str | None,
    light: str | None,
    due_from: date | None,
    due_to: date | None,
    cursor: list[Any] | None,
) -> list[asyncpg.Record]:
    """我的任务 (a hot read, measured by `make bench`): one statement on the raw pool, no session."""
    after_due, after_id, after_null = None, None, False
    if cursor:
        after_due = date.fromisoformat(cursor[0]) if cursor[0] else None
        after_id, after_null = int(cursor[1]), cursor[0] is None
    return await pool.fetch(
        MY_ASSIGNMENTS_SQL,
        today,
        unit_id,
        limit + 1,
        plan_id,
        state,
        light,
        due_from,
        due_to,
        after_due,
        after_id,
        after_null,
    )
