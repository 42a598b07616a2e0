"""The work queue's one query (待办, `GET /v1/me/todo`): every kind of item a UNION, ordered and keyset-paged on
(sort_on, kind, id). Who sees what is decided by the parameters the service passes (service/todo.py):

- `manager`: the plans the caller manages (luoshi.plan_access in SQL): all (`manages_all`), or those whose office
  is the caller's unit, that name no office, or that the caller created;
- `unit`: the caller's own unit's work, in active plans;
- `drafts`: the open drafts of the caller's office (`manages_all`: every draft).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg

from luoshi.contracts.todo import TodoAfter

UNIT_NAME = "coalesce(u.short_name, u.name)"
ASSIGNMENT_JOINS = """JOIN tasks.plan p ON p.id = a.plan_id
    JOIN tasks.task t ON t.id = a.task_id
    JOIN tasks.unit u ON u.id = a.unit_id"""
MANAGED = """(:manages_all OR p.office_unit_id IS NULL OR p.office_unit_id = :unit
    OR p.created_by = :user)"""
OWN_UNIT = "a.unit_id = :unit AND p.status = 'active'"

COLUMNS = "kind, id, title, version, plan_id, unit_id, unit_name, arrived_at, due_on, reason"
# each part: kind, id, title, version, plan_id, unit_id, unit_name, arrived_at, due_on, reason
REPORT_REVIEW = f"""
SELECT 'report.review' AS kind, r.id, '审核反馈：' || {UNIT_NAME} || '「' || left(t.title, 30) || '」' AS title,
       r.version, a.plan_id, a.unit_id, {UNIT_NAME} AS unit_name, r.submitted_at AS arrived_at,
       r.period_due_on AS due_on, NULL::text AS reason
FROM tasks.report r JOIN tasks.assignment a ON a.id = r.assignment_id {ASSIGNMENT_JOINS}
WHERE r.state = 'submitted' AND {MANAGED}"""

EXTENSION_DECIDE = f"""
SELECT 'extension.decide', e.id, '审批延期：' || {UNIT_NAME} || '「' || left(t.title, 30) || '」',
       e.version, a.plan_id, a.unit_id, {UNIT_NAME}, e.requested_at, e.current_due_on, e.reason
FROM tasks.extension e JOIN tasks.assignment a ON a.id = e.assignment_id {ASSIGNMENT_JOINS}
WHERE e.state = 'requested' AND {MANAGED}"""

COMPLETION_DECIDE = f"""
SELECT 'completion.decide', a.id, '审核办结：' || {UNIT_NAME} || '「' || left(t.title, 30) || '」',
       a.version, a.plan_id, a.unit_id, {UNIT_NAME}, a.state_changed_at, a.due_on, NULL
FROM tasks.assignment a {ASSIGNMENT_JOINS}
WHERE a.state = 'completion_requested' AND {MANAGED}"""

DRAFT_FINISH = """
SELECT 'draft.finish', d.id, '完成方案草稿：' || left(coalesce(d.title, d.source_name, '未命名'), 40),
       d.version, NULL::bigint, d.unit_id, NULL, d.created_at, NULL::date, NULL
FROM tasks.plan_draft d
WHERE d.status = 'open' AND (:manages_all OR d.unit_id IS NOT DISTINCT FROM CAST(:unit AS bigint))"""

ACKNOWLEDGE = f"""
SELECT 'assignment.acknowledge', a.id, '签收任务：「' || left(t.title, 30) || '」', a.version, a.plan_id,
       a.unit_id, {UNIT_NAME}, a.created_at, a.due_on, NULL
FROM tasks.assignment a {ASSIGNMENT_JOINS}
WHERE a.state = 'assigned' AND {OWN_UNIT}"""

# The first reporting period each open assignment still owes (no report at all for it): the periods asked about
# are the plans' last passed and next deadlines, owed only by assignments that existed by then.
REPORT_DUE = f"""
SELECT DISTINCT ON (a.id) 'report.due', a.id,
       '报送进展：「' || left(t.title, 30) || '」' || to_char(owed.period_due_on, 'FMMM"月"FMDD"日"') || '前',
       a.version, a.plan_id, a.unit_id, {UNIT_NAME}, NULL::timestamptz, owed.period_due_on, NULL
FROM unnest(CAST(:owed_plans AS bigint[]), CAST(:owed_periods AS date[])) AS owed(plan_id, period_due_on)
JOIN tasks.assignment a ON a.plan_id = owed.plan_id {ASSIGNMENT_JOINS}
WHERE {OWN_UNIT} AND a.state IN ('assigned', 'acknowledged', 'in_progress')
  AND (a.created_at AT TIME ZONE :tz)::date <= owed.period_due_on
  AND NOT EXISTS (SELECT 1 FROM tasks.report r
                  WHERE r.assignment_id = a.id AND r.period_due_on = owed.period_due_on)
ORDER BY a.id, owed.period_due_on"""

# A returned report until the unit reports on that period again.
REPORT_RETURNED = f"""
SELECT 'report.returned', r.id, '反馈被退回：「' || left(t.title, 30) || '」', r.version, a.plan_id, a.unit_id,
       {UNIT_NAME}, r.reviewed_at, r.period_due_on, r.review_comment
FROM tasks.report r JOIN tasks.assignment a ON a.id = r.assignment_id {ASSIGNMENT_JOINS}
WHERE r.state = 'returned' AND {OWN_UNIT}
  AND NOT EXISTS (SELECT 1 FROM tasks.report later WHERE later.assignment_id = r.assignment_id
                  AND later.period_due_on = r.period_due_on AND later.id > r.id)"""

# A returned completion request while the return is the assignment's last change of state.
COMPLETION_RETURNED = f"""
SELECT 'completion.returned', a.id, '办结申请被退回：「' || left(t.title, 30) || '」', a.version, a.plan_id,
       a.unit_id, {UNIT_NAME}, a.returned_at, a.due_on, a.return_reason
FROM tasks.assignment a {ASSIGNMENT_JOINS}
WHERE a.state = 'in_progress' AND a.returned_at = a.state_changed_at AND {OWN_UNIT}"""

PAGE = """
SELECT * FROM (
    SELECT q.*, coalesce(q.due_on, (q.arrived_at AT TIME ZONE :tz)::date) AS sort_on FROM ({parts}) q
) todo
WHERE CAST(:after_sort AS date) IS NULL
   OR (sort_on, kind COLLATE "C", id)
      > (CAST(:after_sort AS date), CAST(:after_kind AS text), CAST(:after_id AS bigint))
ORDER BY sort_on, kind COLLATE "C", id
LIMIT :limit"""


@dataclass(frozen=True)
class TodoScope:
    manager: bool
    unit: bool
    drafts: bool
    manages_all: bool
    unit_id: int | None
    user_id: int | None


PLANS_OWING_REPORTS_SQL = """
SELECT DISTINCT p.id, p.report_schedule FROM tasks.plan p
JOIN tasks.assignment a ON a.plan_id = p.id
WHERE a.unit_id = $1 AND p.status = 'active' AND p.report_schedule IS NOT NULL
  AND a.state IN ('assigned', 'acknowledged', 'in_progress')"""


async def plans_owing_reports(pool: asyncpg.Pool, unit_id: int) -> list[asyncpg.Record]:
    """Active plans with a report schedule in which the unit has open work: (id, report_schedule)."""
    return await pool.fetch(PLANS_OWING_REPORTS_SQL, unit_id)


@functools.lru_cache(maxsize=64)
def _statement(parts: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The queue's SQL for these parts, with asyncpg's $n parameters, and the parameters' names in their order;
    compiled once per combination of parts (a caller's role decides which)."""
    union = " UNION ALL ".join(f"SELECT * FROM ({part}) AS part{i}({COLUMNS})" for i, part in enumerate(parts))
    compiled = text(PAGE.format(parts=union)).compile(dialect=PGDialect_asyncpg())
    return compiled.string, tuple(compiled.positiontup or ())


def todo_statement(
    scope: TodoScope, *, owed: list[tuple[int, date]], tz: str, limit: int, after: TodoAfter | None
) -> tuple[str, list[Any]] | None:
    """The statement and its arguments for one page of the queue (`limit` + 1 rows); None when the caller's role
    has no queue."""
    parts: list[str] = []
    if scope.manager:
        parts += [REPORT_REVIEW, EXTENSION_DECIDE, COMPLETION_DECIDE]
    if scope.drafts:
        parts.append(DRAFT_FINISH)
    if scope.unit:
        parts += [ACKNOWLEDGE, REPORT_RETURNED, COMPLETION_RETURNED]
        if owed:
            parts.append(REPORT_DUE)
    if not parts:
        return None
    sql, names = _statement(tuple(parts))
    params = {
        "manages_all": scope.manages_all,
        "unit": scope.unit_id,
        "user": scope.user_id,
        "tz": tz,
        "owed_plans": [plan_id for plan_id, _ in owed],
        "owed_periods": [period for _, period in owed],
        "after_sort": after[0] if after else None,
        "after_kind": after[1] if after else None,
        "after_id": after[2] if after else None,
        "limit": limit + 1,
    }
    return sql, [params[name] for name in names]


async def fetch_todo(
    pool: asyncpg.Pool, scope: TodoScope, *, owed: list[tuple[int, date]], tz: str, limit: int, after: TodoAfter | None
) -> list[asyncpg.Record]:
    """One page of the queue (a hot read: one statement on the raw pool, no session)."""
    statement = todo_statement(scope, owed=owed, tz=tz, limit=limit, after=after)
    return [] if statement is None else await pool.fetch(statement[0], *statement[1])
