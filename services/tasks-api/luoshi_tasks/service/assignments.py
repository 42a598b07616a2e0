"""An assignment's life: 交办 → 签收 → in progress → 办结申请 → 办结, with 退回 back to in progress.

Each step is allowed only to the right role, stamped, audited, and guarded by the assignment's ETag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_scope
from luoshi.clock import Clock
from luoshi.etag import check_if_match, etag_for
from luoshi.pagination import raw_page
from luoshi_tasks.errors import AssignmentNotFound, CommentRequired, TransitionNotAllowed
from luoshi_tasks.models import Assignment, AuditLog, Plan
from luoshi_tasks.repository.assignments import AssignmentRepository, fetch_mine
from luoshi_tasks.repository.plans import PlanRepository
from luoshi_tasks.schemas.workflow import AssignmentRead, TransitionIn
from luoshi_tasks.service.access import (
    reads_everything,
    require_manage_plan,
    require_plan_writable,
    require_unit_writer,
)
from luoshi_tasks.service.announce import COMPLETION_REQUESTED, COMPLETION_RETURNED, announce_assignment
from luoshi_tasks.service.lights import light_reason


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    by: str  # "unit" (the responsible unit) or "office" (the plan's office)
    needs_comment: bool = False


TRANSITIONS: dict[str, Step] = {
    "acknowledge": Step(frozenset({"assigned"}), "acknowledged", "unit"),
    "start": Step(frozenset({"acknowledged"}), "in_progress", "unit"),
    "request_completion": Step(frozenset({"acknowledged", "in_progress"}), "completion_requested", "unit"),
    "close": Step(frozenset({"completion_requested"}), "closed", "office"),
    "return": Step(frozenset({"completion_requested"}), "in_progress", "office", needs_comment=True),
    "reopen": Step(frozenset({"closed"}), "in_progress", "office", needs_comment=True),
}


# The office may close an assignment from these states only for a unit nobody can act for (see _close_on_behalf).
ON_BEHALF_SOURCES = frozenset({"assigned", "acknowledged", "in_progress"})

assignment_etag = etag_for("assignment")

# The transitions another party must hear of: the office, of a request to close; the unit, of its return.
ANNOUNCED = {"request_completion": COMPLETION_REQUESTED, "return": COMPLETION_RETURNED}


def require_comment(comment: str | None, action_en: str, action_zh: str) -> None:
    if not (comment or "").strip():
        raise CommentRequired(f"'{action_en}' needs a comment saying why", f"“{action_zh}”需要填写意见")


_ITEM_COLUMNS = tuple(f for f in AssignmentRead.model_fields if f not in ("light_reason", "closed_late"))


def assignment_item(row: Any, today: date) -> dict[str, Any]:
    """`AssignmentRead`'s fields straight from a row, for 我的任务's hot list: the JSON the model gives, without
    building and validating one per row."""
    item = {k: row[k] for k in _ITEM_COLUMNS}
    item["light_reason"] = light_reason(row, today)
    item["closed_late"] = row["light_reason"] == "closed_late"
    return item


def assignment_read(row: Any, today: date) -> AssignmentRead:
    return AssignmentRead.model_validate(
        {**row, "light_reason": light_reason(row, today), "closed_late": row["light_reason"] == "closed_late"}
    )


class AssignmentService:
    def __init__(self, session: AsyncSession, principal: Principal, clock: Clock) -> None:
        self.session = session
        self.principal = principal
        self.clock = clock
        self.repo = AssignmentRepository(session)

    async def may_read(self, row: Any) -> bool:
        """Own unit; the lead unit of the same task; or a role that reads everything."""
        if reads_everything(self.principal):
            return True
        unit_id = self.principal.unit_id
        if unit_id is None:
            return False
        if row["unit_id"] == unit_id:
            return True
        leads = await self.repo.read_rows(
            self.clock.today(),
            "a.task_id = :task AND a.role = 'lead' AND a.unit_id = :unit",
            {"task": row["task_id"], "unit": unit_id},
        )
        return bool(leads)

    async def row(self, assignment_id: int) -> Any:
        require_scope(self.principal, "tasks:read")
        row = await self.repo.read_row(self.clock.today(), assignment_id)
        if row is None or not await self.may_read(row):
            raise AssignmentNotFound(f"No assignment {assignment_id}", f"交办事项 {assignment_id} 不存在")
        return row

    async def get(self, assignment_id: int) -> AssignmentRead:
        return assignment_read(await self.row(assignment_id), self.clock.today())

    async def locked(self, assignment_id: int) -> tuple[Assignment, Plan]:
        """The assignment row locked for a change, after checking the caller may see it."""
        await self.row(assignment_id)
        assignment = await self.session.get(Assignment, assignment_id, with_for_update=True)
        assert assignment is not None
        plan = await PlanRepository(self.session).get(assignment.plan_id)
        assert plan is not None
        require_plan_writable(plan)
        return assignment, plan

    async def transition(self, assignment_id: int, body: TransitionIn, if_match: str | None) -> AssignmentRead:
        assignment, plan = await self.locked(assignment_id)
        if body.action == "close" and assignment.state in ON_BEHALF_SOURCES:
            return await self._close_on_behalf(assignment, plan, body, if_match)
        step = TRANSITIONS[body.action]
        if step.by == "unit":
            require_unit_writer(self.principal, assignment.unit_id)
        else:
            require_manage_plan(self.principal, plan)
        check_if_match(if_match, assignment_etag(assignment))
        if assignment.state not in step.sources:
            raise TransitionNotAllowed(
                f"Cannot {body.action} an assignment that is {assignment.state}",
                f"交办事项当前状态为“{STATE_ZH[assignment.state]}”，不能执行“{ACTION_ZH[body.action]}”",
                state=assignment.state,
                allowed=sorted(a for a, s in TRANSITIONS.items() if assignment.state in s.sources),
            )
        if step.needs_comment and not (body.comment or "").strip():
            raise CommentRequired(
                f"'{body.action}' needs a comment saying why", f"“{ACTION_ZH[body.action]}”需要填写意见"
            )
        await self.move(assignment, step.target, body.action, body.comment)
        if body.action in ANNOUNCED:
            await announce_assignment(self.session, ANNOUNCED[body.action], assignment, plan, body.comment)
        return await self.get(assignment_id)

    async def _close_on_behalf(
        self, assignment: Assignment, plan: Plan, body: TransitionIn, if_match: str | None
    ) -> AssignmentRead:
        """办结 by the office for a unit nobody can act for (no active user, no live API key): the unit cannot
        ask to close, so the office closes it from any open state, saying why (audited as on behalf)."""
        require_manage_plan(self.principal, plan)
        check_if_match(if_match, assignment_etag(assignment))
        if assignment.unit_id in await self.repo.units_with_accounts([assignment.unit_id]):
            raise TransitionNotAllowed(
                f"Cannot close an assignment that is {assignment.state}: its unit has accounts and asks to close "
                "(request_completion) first",
                f"交办事项当前状态为“{STATE_ZH[assignment.state]}”，该单位有账号，须先由单位申请办结",
                state=assignment.state,
                allowed=sorted(a for a, s in TRANSITIONS.items() if assignment.state in s.sources),
            )
        require_comment(body.comment, "close on behalf", "代为办结")
        await self.move(assignment, "closed", "close", body.comment, on_behalf=True)
        return await self.get(assignment.id)

    async def close_open(self, assignments: list[Assignment], comment: str) -> None:
        """Close a task's open assignments for the office: those that asked to close, and those of units without
        accounts (on behalf); a unit with accounts that has not asked is a 409 naming it."""
        open_ = [a for a in assignments if a.state != "closed"]
        if not open_:
            raise TransitionNotAllowed("Every assignment of this task is already closed", "该任务的交办事项均已办结")
        waiting = [a for a in open_ if a.state in ON_BEHALF_SOURCES]
        with_accounts = await self.repo.units_with_accounts([a.unit_id for a in waiting])
        blocked = [a for a in waiting if a.unit_id in with_accounts]
        if blocked:
            raise TransitionNotAllowed(
                "Units with accounts have not asked to close: "
                + ", ".join(f"assignment {a.id} ({a.state})" for a in blocked),
                "以下单位有账号，尚未申请办结：" + "、".join(f"交办事项 {a.id}" for a in blocked),
                assignment_ids=[a.id for a in blocked],
            )
        for a in open_:
            await self.move(a, "closed", "close", comment, on_behalf=a.state in ON_BEHALF_SOURCES)

    async def move(
        self, assignment: Assignment, target: str, action: str, comment: str | None = None, *, on_behalf: bool = False
    ) -> None:
        before = {"state": assignment.state}
        now = self.clock.now()
        assignment.state = target
        assignment.state_changed_at = now
        assignment.closed_at = now if target == "closed" else None
        if action == "return":  # 退回: the unit reads why on the assignment (and in its queue, while it stands)
            assignment.returned_at, assignment.return_reason = now, comment
        assignment.closed_on = self.clock.today() if target == "closed" else None
        await self.session.flush()
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            f"transition:{action}",
            "assignment",
            assignment.id,
            before=before,
            after={"state": target, "comment": comment} | ({"on_behalf": True} if on_behalf else {}),
        )


async def list_mine(
    pool: asyncpg.Pool,
    principal: Principal,
    clock: Clock,
    *,
    unit_id: int | None,
    limit: int,
    cursor: list[Any] | None,
    plan_id: int | None,
    state: str | None,
    light: str | None,
    due_from: date | None,
    due_to: date | None,
) -> dict[str, Any]:
    """我的任务: a unit's work sorted by due date, a page shaped as `Page[AssignmentRead]`. Units see their own; the
    office and leaders may name a unit. A hot read (`make bench`): the raw pool only, no session, no models."""
    require_scope(principal, "tasks:read")
    if unit_id is None or not reads_everything(principal):
        unit_id = principal.unit_id
    if unit_id is None:
        return {"items": [], "next_cursor": None}
    today = clock.today()
    rows = await fetch_mine(
        pool,
        today=today,
        unit_id=unit_id,
        limit=limit,
        plan_id=plan_id,
        state=state,
        light=light,
        due_from=due_from,
        due_to=due_to,
        cursor=cursor,
    )
    items = [assignment_item(r, today) for r in rows]
    return raw_page(items, limit, lambda a: [a["due_on"].isoformat() if a["due_on"] else None, a["id"]])


STATE_ZH = {
    "assigned": "已交办",
    "acknowledged": "已签收",
    "in_progress": "办理中",
    "completion_requested": "申请办结",
    "closed": "已办结",
}
ACTION_ZH = {
    "acknowledge": "签收",
    "start": "开始办理",
    "request_completion": "申请办结",
    "close": "办结",
    "return": "退回",
    "reopen": "重新打开",
}
