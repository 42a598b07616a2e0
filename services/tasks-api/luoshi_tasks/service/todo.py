"""待办: what waits for the caller in tasks-api (`GET /v1/me/todo`), under the rules of the resources themselves.

- Whoever manages plans (luoshi.plan_access: admins, the plan's office, its creator): reports to review,
  extension requests and completion requests to decide; an office also its unit's open plan drafts.
- A unit's people: assignments to sign for (签收), the next reporting period each open assignment owes, and
  reports and completion requests returned to them with the reason.
- Leaders manage nothing and owe nothing: their queue is empty.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
from pydantic import TypeAdapter

from luoshi.auth import Principal, require_scope
from luoshi.clock import Clock
from luoshi.contracts.todo import todo_after
from luoshi.deadlines import Deadline, last_due_before, next_due
from luoshi.etag import etag
from luoshi.pagination import raw_page
from luoshi_tasks.repository.todo import TodoScope, fetch_todo, plans_owing_reports

_DEADLINE: TypeAdapter[Any] = TypeAdapter(Deadline)

# kind: (the resource's path prefix, its ETag's kind)
RESOURCES = {
    "report.review": ("/v1/reports", "report"),
    "report.returned": ("/v1/reports", "report"),
    "extension.decide": ("/v1/extensions", "extension"),
    "completion.decide": ("/v1/assignments", "assignment"),
    "completion.returned": ("/v1/assignments", "assignment"),
    "assignment.acknowledge": ("/v1/assignments", "assignment"),
    "report.due": ("/v1/assignments", "assignment"),
    "draft.finish": ("/v1/plan-drafts", "draft"),
}


def scope_of(principal: Principal) -> TodoScope:
    manages_all = principal.is_service or principal.is_admin
    office = principal.has_role("office")
    return TodoScope(
        manager=manages_all or office,
        unit=principal.has_role("unit") and principal.unit_id is not None,
        drafts=manages_all or office,  # a draft is its office's: the unit it was read for (none for none)
        manages_all=manages_all,
        unit_id=principal.unit_id,
        user_id=principal.user_id,
    )


def todo_item(row: Any) -> dict[str, Any]:
    """`TodoItem`'s fields from a row, without building the model."""
    prefix, etag_kind = RESOURCES[row["kind"]]
    return {
        "kind": row["kind"],
        "id": row["id"],
        "source": "tasks",
        "title": row["title"],
        "path": f"{prefix}/{row['id']}",
        "etag": etag(etag_kind, row["id"], row["version"]),
        "plan_id": row["plan_id"],
        "unit_id": row["unit_id"],
        "unit_name": row["unit_name"],
        "arrived_at": row["arrived_at"],
        "due_on": row["due_on"],
        "reason": row["reason"],
        "sort_on": row["sort_on"],
    }


async def owed_periods(pool: asyncpg.Pool, unit_id: int, today: date) -> list[tuple[int, date]]:
    """Per plan the unit works in, the reporting deadlines it may still owe: the last passed one and the next."""
    owed: list[tuple[int, date]] = []
    for plan in await plans_owing_reports(pool, unit_id):
        # a plan made without a schedule may hold JSON null, which the query's IS NOT NULL lets through
        if plan["report_schedule"] is None:
            continue
        schedule = _DEADLINE.validate_python(plan["report_schedule"])
        for period in (last_due_before(schedule, today), next_due(schedule, today)):
            if period is not None:
                owed.append((plan["id"], period))
    return owed


async def todo_page(
    pool: asyncpg.Pool, principal: Principal, clock: Clock, *, limit: int, cursor: list[Any] | None
) -> dict[str, Any]:
    """One page shaped as `TodoPage`, written straight from the rows (待办 is what the console opens on)."""
    require_scope(principal, "tasks:read")
    after = todo_after(cursor)
    scope = scope_of(principal)
    owed = await owed_periods(pool, scope.unit_id, clock.today()) if scope.unit and scope.unit_id is not None else []
    rows = await fetch_todo(pool, scope, owed=owed, tz=clock.tz.key, limit=limit, after=after)
    return raw_page(
        [todo_item(r) for r in rows], limit, lambda item: [item["sort_on"].isoformat(), item["kind"], item["id"]]
    )
