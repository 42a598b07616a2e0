"""The deadlines-in-a-window view, on a raw asyncpg connection: notify reads thousands of rows every sweep.

Only the filters given are written into a query: "($n IS NULL OR ...)" would let PostgreSQL's generic plan for
the prepared statement (after five runs) scan the whole window on every page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

# The unit head's e-mail addresses from its contacts: escalations reach them.
HEAD_EMAILS = """ARRAY(SELECT c->>'email' FROM jsonb_array_elements(u.contacts) c
             WHERE (c->>'is_head')::boolean AND coalesce(c->>'email', '') <> '')"""

ASSIGNMENTS_SQL = """
SELECT a.id AS assignment_id, a.task_id, a.plan_id, a.unit_id, a.due_on, a.original_due_on, a.state,
       t.title AS task_title, p.title AS plan_title, a.role, coalesce(u.short_name, u.name) AS unit_name,
       p.office_unit_id, coalesce(o.short_name, o.name) AS office_name, {heads} AS unit_head_emails,
       ARRAY(SELECT m.user_id FROM tasks.plan_group_member m
             WHERE m.plan_id = a.plan_id AND m.user_id IS NOT NULL AND a.unit_id = ANY(m.in_charge_unit_ids)
             ORDER BY m.position) AS leader_user_ids
FROM tasks.assignment a JOIN tasks.plan p ON p.id = a.plan_id JOIN tasks.task t ON t.id = a.task_id
     JOIN tasks.unit u ON u.id = a.unit_id LEFT JOIN tasks.unit o ON o.id = p.office_unit_id
WHERE a.state <> 'closed' AND p.status = 'active' AND a.due_on BETWEEN $1 AND $2 {filters}
ORDER BY a.due_on, a.id
LIMIT $3
""".replace("{heads}", HEAD_EMAILS)

REPORTING_PLANS_SQL = """
SELECT p.id AS plan_id, p.title AS plan_title, p.report_schedule, p.office_unit_id,
       coalesce(o.short_name, o.name) AS office_name
FROM tasks.plan p LEFT JOIN tasks.unit o ON o.id = p.office_unit_id
WHERE p.status = 'active' AND jsonb_typeof(p.report_schedule) = 'object' {filters}
ORDER BY p.id
"""

# The units with open work in one plan, after a unit id: a keyset page of one plan's reporting deadline.
REPORTING_UNITS_SQL = """
SELECT DISTINCT a.unit_id, coalesce(u.short_name, u.name) AS unit_name
FROM tasks.assignment a JOIN tasks.unit u ON u.id = a.unit_id
WHERE a.plan_id = $1 AND a.state <> 'closed' AND a.unit_id > $2 {filters}
ORDER BY a.unit_id
LIMIT $3
"""


class _Args(list[Any]):
    def __call__(self, value: Any) -> str:
        """Add a parameter; its placeholder."""
        self.append(value)
        return f"${len(self)}"


class DeadlineRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def assignments(
        self,
        start: date,
        end: date,
        *,
        after: list[Any] | None,
        limit: int,
        plan_id: int | None,
        unit_id: int | None,
        on: list[date] | None = None,
        exclude_states: list[str] | None = None,
    ) -> list[asyncpg.Record]:
        """Open assignments of active plans due in [start, end] (on the dates `on`, if given), after the cursor
        (due date, id), in that order."""
        if on is not None:
            # One index range per date: PostgreSQL would walk every earlier date of an `= ANY(...)` list again
            # for each page.
            after_due = date.fromisoformat(after[0]) if after else None
            rows: list[asyncpg.Record] = []
            for day in sorted(d for d in set(on) if start <= d <= end and (after_due is None or d >= after_due)):
                rows += await self.assignments(
                    day,
                    day,
                    after=after if day == after_due else None,
                    limit=limit - len(rows),
                    plan_id=plan_id,
                    unit_id=unit_id,
                    exclude_states=exclude_states,
                )
                if len(rows) >= limit:
                    break
            return rows
        arg = _Args([start, end, limit])
        filters = []
        if after:  # the cursor carries the date as text
            filters.append(f"AND (a.due_on, a.id) > ({arg(date.fromisoformat(after[0]))}, {arg(int(after[1]))})")
        if plan_id is not None:
            filters.append(f"AND a.plan_id = {arg(plan_id)}")
        if unit_id is not None:
            filters.append(f"AND a.unit_id = {arg(unit_id)}")
        if exclude_states:
            filters.append(f"AND a.state <> ALL({arg(exclude_states)}::text[])")
        return await self.conn.fetch(ASSIGNMENTS_SQL.format(filters=" ".join(filters)), *arg)

    async def reporting_plans(self, plan_id: int | None) -> list[asyncpg.Record]:
        arg = _Args()
        filters = f"AND p.id = {arg(plan_id)}" if plan_id is not None else ""
        return await self.conn.fetch(REPORTING_PLANS_SQL.format(filters=filters), *arg)

    async def reporting_units(
        self, plan_id: int, *, after: int, limit: int, unit_id: int | None
    ) -> list[asyncpg.Record]:
        arg = _Args([plan_id, after, limit])
        filters = f"AND a.unit_id = {arg(unit_id)}" if unit_id is not None else ""
        return await self.conn.fetch(REPORTING_UNITS_SQL.format(filters=filters), *arg)
