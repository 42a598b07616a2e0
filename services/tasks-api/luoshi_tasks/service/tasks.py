"""Tasks: the rows of the breakdown table, each with one lead unit (牵头) and any cooperating units (配合)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal
from luoshi.clock import Clock
from luoshi.deadlines import Deadline, DeadlineParseError, parse_deadline
from luoshi.errors import FieldProblem, ReferenceOutsidePlan
from luoshi.etag import check_if_match, etag_for
from luoshi.outbox import emit
from luoshi_tasks.errors import (
    DeadlineUnreadable,
    DuplicateTaskNumber,
    TaskHasReports,
    TaskNotFound,
)
from luoshi_tasks.models import Assignment, AuditLog, Event, Plan, Task
from luoshi_tasks.repository.assignments import AssignmentRepository
from luoshi_tasks.repository.tasks import TaskRepository
from luoshi_tasks.schemas.plans import TaskAssignmentBrief, TaskCreate, TaskRead, TaskUpdate
from luoshi_tasks.service.access import require_manage_plan, visible_assignments
from luoshi_tasks.service.assignments import AssignmentService, require_comment
from luoshi_tasks.service.lights import light_reason, worst
from luoshi_tasks.service.plans import PlanService
from luoshi_tasks.service.unit_names import UnitResolver

_DEADLINE = TypeAdapter(Deadline)


task_etag = etag_for("task")


def deadline_dates(deadline: Any) -> tuple[date | None, date | None]:
    """(start_on, due_on) of a deadline: a date's day, a window's ends, a recurring schedule's end;
    an open deadline has neither. A due date on a holiday moves on only where the plan says so."""
    if deadline is None:
        return None, None
    kind = deadline.kind
    if kind == "date":
        start, due = None, deadline.due_on
    elif kind == "window":
        start, due = deadline.start_on, deadline.due_on
    elif kind == "recurring":
        start, due = deadline.starts_on, deadline.ends_on
    else:
        return None, None
    if due is not None and getattr(deadline, "workdays", False):
        from luoshi.workdays import next_workday_on_or_after

        due = next_workday_on_or_after(due)
    return start, due


def read_deadline(value: Any, loc: list[str | int]) -> Any:
    """A deadline object, or text as plans write it (2012年6月底前, 每月30日)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return parse_deadline(value)
        except DeadlineParseError as exc:
            raise DeadlineUnreadable(
                f"Cannot read the deadline '{value}'",
                f"无法识别完成时限“{value}”",
                errors=[
                    FieldProblem(
                        loc=loc, code="deadline_unreadable", message=str(exc), message_zh=f"无法识别完成时限“{value}”"
                    )
                ],
            ) from exc
    return value


class TaskService:
    def __init__(self, session: AsyncSession, principal: Principal, clock: Clock) -> None:
        self.session = session
        self.principal = principal
        self.clock = clock
        self.repo = TaskRepository(session)
        self.plans = PlanService(session, principal)
        self.units = UnitResolver(session)

    async def _task(self, task_id: int, *, for_update: bool = False) -> tuple[Task, Plan]:
        task = await self.repo.get(task_id, for_update=for_update)
        if task is None:
            raise TaskNotFound(f"No task {task_id}", f"任务 {task_id} 不存在")
        try:
            plan = await self.plans.get_plan(task.plan_id)
        except Exception as exc:
            raise TaskNotFound(f"No task {task_id}", f"任务 {task_id} 不存在") from exc
        return task, plan

    async def read_many(self, tasks: list[Task]) -> list[TaskRead]:
        today = self.clock.today()
        rows = await AssignmentRepository(self.session).for_tasks(today, [t.id for t in tasks])
        by_task: dict[int, list[TaskAssignmentBrief]] = {t.id: [] for t in tasks}
        for r in rows:
            by_task[r["task_id"]].append(
                TaskAssignmentBrief(
                    assignment_id=r["id"],
                    unit_id=r["unit_id"],
                    unit_name=r["unit_name"],
                    role=r["role"],
                    state=r["state"],
                    progress=r["progress"],
                    due_on=r["due_on"],
                    light=r["light"],
                    light_reason=light_reason(r, today),
                    closed_late=r["light_reason"] == "closed_late",
                )
            )
        out = []
        for t in tasks:
            briefs = visible_assignments(self.principal, by_task[t.id])
            # the worst open assignment; once all are closed, the worst closed one (a late closing stays yellow)
            shown = worst([b for b in briefs if b.state != "closed"]) or worst(briefs)
            out.append(
                TaskRead(
                    id=t.id,
                    plan_id=t.plan_id,
                    parent_id=t.parent_id,
                    position=t.position,
                    number=t.number,
                    title=t.title,
                    measures=t.measures,
                    person_in_charge=t.person_in_charge,
                    weight=t.weight,
                    deadline=t.deadline,
                    deadline_text=t.deadline_text,
                    start_on=t.start_on,  # type: ignore[arg-type]
                    due_on=t.due_on,
                    remarks=t.remarks,
                    version=t.version,
                    assignments=briefs,
                    light=shown.light if shown else None,
                    light_reason=shown.light_reason if shown else None,
                )
            )
        return out

    async def get(self, task_id: int) -> TaskRead:
        task, _ = await self._task(task_id)
        return (await self.read_many([task]))[0]

    async def create(self, plan_id: int, data: TaskCreate) -> TaskRead:
        plan = await self.plans.get_plan(plan_id)
        require_manage_plan(self.principal, plan)
        task = await self.add_task(plan, data, position=await self.repo.next_position(plan.id))
        return (await self.read_many([task]))[0]

    async def add_task(
        self,
        plan: Plan,
        data: TaskCreate,
        *,
        position: int,
        loc: list[str | int] | None = None,
        audit_it: bool = True,
        check_number: bool = True,
    ) -> Task:
        """Create a task and its assignments (used by the API and by the breakdown import, which checks
        numbers itself)."""
        loc = loc or ["body"]
        if check_number and data.number and await self.repo.number_taken(plan.id, data.parent_id, data.number):
            raise DuplicateTaskNumber(
                f"A sibling task is already numbered {data.number}", f"同一层级中已有序号为 {data.number} 的任务"
            )
        if data.parent_id is not None:
            parent = await self.repo.get(data.parent_id)
            if parent is None:
                raise TaskNotFound(
                    f"No parent task {data.parent_id} in this plan", f"本方案中没有上级任务 {data.parent_id}"
                )
            if parent.plan_id != plan.id:
                raise ReferenceOutsidePlan(
                    f"Task {data.parent_id} belongs to another plan",
                    f"任务 {data.parent_id} 属于其他方案，不能作为上级任务",
                    errors=[
                        FieldProblem(
                            loc=[*loc, "parent_id"],
                            code="reference_outside_plan",
                            message=f"Task {data.parent_id} is not a task of plan {plan.id}",
                            message_zh=f"任务 {data.parent_id} 不是方案 {plan.id} 的任务",
                        )
                    ],
                )
        deadline = read_deadline(data.deadline, [*loc, "deadline"])
        start_on, due_on = deadline_dates(deadline)
        self.units.scope(plan.issuer_unit_id)
        lead_id, cooperating_ids = await self._unit_ids(data.lead_unit, data.cooperating_units, loc)
        task = Task(
            plan_id=plan.id,
            parent_id=data.parent_id,
            position=position,
            number=data.number,
            title=data.title,
            measures=data.measures,
            person_in_charge=data.person_in_charge,
            weight=data.weight,
            deadline=deadline.model_dump(mode="json") if deadline else None,
            deadline_text=(
                deadline.text
                if deadline is not None and getattr(deadline, "text", None)
                else (data.deadline if isinstance(data.deadline, str) else None)
            ),
            start_on=start_on,
            due_on=due_on,
            remarks=data.remarks,
        )
        self.repo.add(task)
        await self.session.flush()
        self._assign(task, plan, lead_id, cooperating_ids)
        await self.session.flush()
        if plan.status == "active":  # a draft plan's units hear of their tasks when it becomes active
            for a in await self.repo.assignments(task.id):
                await emit(
                    self.session,
                    Event,
                    "task.assigned",
                    f"assignment:{a.id}",
                    {
                        "assignment_id": a.id,
                        "task_id": task.id,
                        "unit_id": a.unit_id,
                        "role": a.role,
                        "plan_id": plan.id,
                        "plan_title": plan.title,
                        "task_title": task.title,
                        "due_on": str(task.due_on) if task.due_on else None,
                    },
                )
        if audit_it:
            await audit.record(
                self.session,
                AuditLog,
                self.principal,
                "create",
                "task",
                task.id,
                after=_task_audit(task, lead_id, cooperating_ids),
            )
        return task

    async def _unit_ids(self, lead: Any, cooperating: list[Any], loc: list[str | int]) -> tuple[int | None, list[int]]:
        lead_id = await self.units.resolve(lead, [*loc, "lead_unit"]) if lead not in (None, "") else None
        ids: list[int] = []
        for i, ref in enumerate(cooperating):
            unit_id = await self.units.resolve(ref, [*loc, "cooperating_units", i])
            if unit_id != lead_id and unit_id not in ids:
                ids.append(unit_id)
        if lead_id is None and ids:
            # Only 责任单位 given: by convention the first listed leads.
            lead_id, ids = ids[0], ids[1:]
        return lead_id, ids

    def _assign(self, task: Task, plan: Plan, lead_id: int | None, cooperating_ids: list[int]) -> None:
        # Elapsed time counts from the task's own start, or from the day it is assigned — never from the plan's
        # issue date, which made a task due next year yellow the day it was created.
        start = task.start_on or self.clock.today()
        for role, unit_ids in (("lead", [lead_id] if lead_id else []), ("cooperating", cooperating_ids)):
            for unit_id in unit_ids:
                self.session.add(
                    Assignment(
                        task_id=task.id,
                        plan_id=plan.id,
                        unit_id=unit_id,
                        role=role,
                        start_on=start,
                        due_on=task.due_on,
                        original_due_on=task.due_on,
                    )
                )

    async def update(self, task_id: int, data: TaskUpdate, if_match: str | None) -> TaskRead:
        task, plan = await self._task(task_id, for_update=True)
        require_manage_plan(self.principal, plan)
        check_if_match(if_match, task_etag(task))
        before = (await self.read_many([task]))[0].model_dump(mode="json")
        changes = data.model_dump(exclude_unset=True)
        if changes.get("number") and await self.repo.number_taken(
            plan.id, task.parent_id, changes["number"], exclude_id=task.id
        ):
            raise DuplicateTaskNumber(
                f"A sibling task is already numbered {changes['number']}",
                f"同一层级中已有序号为 {changes['number']} 的任务",
            )
        if "deadline" in changes:
            deadline = read_deadline(data.deadline, ["body", "deadline"])
            task.deadline = deadline.model_dump(mode="json") if deadline else None
            task.deadline_text = data.deadline if isinstance(data.deadline, str) else None
            task.start_on, task.due_on = deadline_dates(deadline)
            for a in await self.repo.assignments(task.id):
                # A granted extension keeps its later date; the original follows the task.
                a.original_due_on = task.due_on
                if task.start_on is not None:
                    a.start_on = task.start_on
                if a.due_on is None or task.due_on is None or a.due_on <= task.due_on or a.due_on == a.original_due_on:
                    a.due_on = task.due_on
        if "lead_unit" in changes or "cooperating_units" in changes:
            await self._reassign(task, plan, data)
        for field in ("number", "title", "measures", "person_in_charge", "weight", "remarks"):
            if field in changes:
                setattr(task, field, changes[field])
        await self.session.flush()
        await self.session.refresh(task)
        read = (await self.read_many([task]))[0]
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "update",
            "task",
            task.id,
            before=before,
            after=read.model_dump(mode="json"),
        )
        return read

    async def _reassign(self, task: Task, plan: Plan, data: TaskUpdate) -> None:
        current = await self.repo.assignments(task.id)
        lead = (
            data.lead_unit
            if "lead_unit" in data.model_fields_set
            else next((a.unit_id for a in current if a.role == "lead"), None)
        )
        cooperating = (
            data.cooperating_units
            if "cooperating_units" in data.model_fields_set
            else [a.unit_id for a in current if a.role == "cooperating"]
        )
        self.units.scope(plan.issuer_unit_id)
        lead_id, cooperating_ids = await self._unit_ids(lead, cooperating or [], ["body"])
        wanted = {lead_id: "lead"} if lead_id else {}
        wanted.update({u: "cooperating" for u in cooperating_ids})
        gone = [a for a in current if a.unit_id not in wanted]
        if await self.repo.has_reports([a.id for a in gone]):
            raise TaskHasReports("A unit being removed has reported on this task", "被移除的单位已提交过反馈")
        await self.repo.delete_assignments([a.id for a in gone])
        kept = {a.unit_id: a for a in current if a.unit_id in wanted}
        for a in kept.values():
            a.role = wanted[a.unit_id]
        await self.session.flush()
        new_lead = [u for u, r in wanted.items() if r == "lead" and u not in kept]
        new_coop = [u for u, r in wanted.items() if r == "cooperating" and u not in kept]
        self._assign(task, plan, new_lead[0] if new_lead else None, new_coop)

    async def close(self, task_id: int, comment: str | None, if_match: str | None) -> TaskRead:
        """办结 the whole task for the office: every open assignment that asked to close, and on behalf of units
        without accounts; comment required, each assignment audited."""
        task, plan = await self._task(task_id, for_update=True)
        require_manage_plan(self.principal, plan)
        check_if_match(if_match, task_etag(task))
        require_comment(comment, "close", "办结")
        assignments = await self.repo.assignments(task.id, for_update=True)
        await AssignmentService(self.session, self.principal, self.clock).close_open(assignments, comment or "")
        await audit.record(self.session, AuditLog, self.principal, "close", "task", task.id, after={"comment": comment})
        return (await self.read_many([task]))[0]

    async def delete(self, task_id: int, if_match: str | None) -> None:
        task, plan = await self._task(task_id, for_update=True)
        require_manage_plan(self.principal, plan)
        check_if_match(if_match, task_etag(task))
        assignments = await self.repo.assignments(task.id)
        if await self.repo.has_reports([a.id for a in assignments]):
            raise TaskHasReports("Units have reported on this task", "已有单位对该任务提交反馈，不能删除")
        before = (await self.read_many([task]))[0].model_dump(mode="json")
        await self.repo.delete(task)
        await audit.record(self.session, AuditLog, self.principal, "delete", "task", task_id, before=before)


def _task_audit(task: Task, lead_id: int | None, cooperating_ids: list[int]) -> dict[str, Any]:
    return {
        "plan_id": task.plan_id,
        "number": task.number,
        "title": task.title,
        "lead_unit_id": lead_id,
        "cooperating_unit_ids": cooperating_ids,
        "deadline": task.deadline,
        "due_on": str(task.due_on),
    }
