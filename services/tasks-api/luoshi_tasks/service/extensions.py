"""Extension requests (延期申请): a unit asks before its deadline, the plan's office grants or refuses.

A granted request moves the asker's `due_on` (the first deadline stays in `original_due_on`). The lead unit's
moves the cooperating units' of the same task too, where they had the lead's deadline: they deliver to the lead,
so the lead's later date is theirs as well. A cooperating unit's own request moves only its own. Which
assignments moved is kept on the request (`moved_assignment_ids`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal
from luoshi.clock import Clock
from luoshi.etag import check_if_match, etag_for
from luoshi.outbox import emit
from luoshi.pagination import Page, make_page
from luoshi_tasks.errors import (
    ExtensionInvalid,
    ExtensionNotAllowed,
    ExtensionNotFound,
    PlanArchived,
    PlanNotFound,
    TransitionNotAllowed,
)
from luoshi_tasks.models import Assignment, AuditLog, Event, Extension, Task
from luoshi_tasks.repository.extensions import ExtensionRepository
from luoshi_tasks.repository.plans import PlanRepository
from luoshi_tasks.schemas.workflow import DecisionIn, ExtensionCreate, ExtensionRead, ExtensionState
from luoshi_tasks.service.access import reads_everything, require_manage_plan, require_unit_writer
from luoshi_tasks.service.announce import announce_extension_requested
from luoshi_tasks.service.assignments import AssignmentService

extension_etag = etag_for("extension")


class ExtensionService:
    def __init__(self, session: AsyncSession, principal: Principal, clock: Clock) -> None:
        self.session = session
        self.principal = principal
        self.clock = clock
        self.repo = ExtensionRepository(session)
        self.assignments = AssignmentService(session, principal, clock)

    def _not_found(self, extension_id: int) -> ExtensionNotFound:
        return ExtensionNotFound(f"No extension request {extension_id}", f"延期申请 {extension_id} 不存在")

    async def _read(self, extension_id: int) -> ExtensionRead:
        row = await self.repo.read(extension_id)
        assert row is not None
        return ExtensionRead.model_validate(row)

    async def request(self, assignment_id: int, body: ExtensionCreate) -> ExtensionRead:
        assignment, plan = await self.assignments.locked(assignment_id)
        require_unit_writer(self.principal, assignment.unit_id)
        today = self.clock.today()
        if assignment.state == "closed":
            raise ExtensionNotAllowed("The assignment is closed", "该事项已办结")
        if assignment.due_on is None:
            raise ExtensionNotAllowed("The assignment has no deadline to extend", "该事项没有完成时限")
        if today > assignment.due_on:
            raise ExtensionNotAllowed(
                f"Ask before the deadline ({assignment.due_on})",
                f"延期须在期限（{assignment.due_on}）前申请",
            )
        if body.requested_due_on <= assignment.due_on:
            raise ExtensionInvalid(
                f"{body.requested_due_on} is not after {assignment.due_on}", f"申请的新期限须晚于 {assignment.due_on}"
            )
        if await self.repo.pending(assignment.id):
            raise ExtensionNotAllowed("An extension request is already pending", "已有待审批的延期申请")
        ext = Extension(
            assignment_id=assignment.id,
            current_due_on=assignment.due_on,
            requested_due_on=body.requested_due_on,
            reason=body.reason,
            requested_by=self.principal.user_id,
            requested_at=self.clock.now(),
        )
        self.repo.add(ext)
        await self.session.flush()
        read = await self._read(ext.id)
        await announce_extension_requested(self.session, ext, assignment, plan)
        await audit.record(
            self.session, AuditLog, self.principal, "request", "extension", ext.id, after=read.model_dump(mode="json")
        )
        return read

    async def get(self, extension_id: int) -> ExtensionRead:
        row = await self.repo.read(extension_id)
        if row is None:
            raise self._not_found(extension_id)
        try:
            await self.assignments.row(row["assignment_id"])
        except Exception as exc:  # an assignment the caller may not see: so is its request
            raise self._not_found(extension_id) from exc
        return ExtensionRead.model_validate(row)

    async def of_assignment(self, assignment_id: int, *, limit: int, cursor: list[Any] | None) -> Page[ExtensionRead]:
        await self.assignments.row(assignment_id)
        rows = await self.repo.list(
            limit=limit, after_id=int(cursor[0]) if cursor else None, assignment_id=assignment_id
        )
        return self._page(rows, limit)

    async def of_plan(
        self, plan_id: int, *, limit: int, cursor: list[Any] | None, state: ExtensionState | None, unit_id: int | None
    ) -> Page[ExtensionRead]:
        """A plan's requests, oldest first. A unit's people see their own unit's."""
        if await PlanRepository(self.session).get(plan_id) is None:
            raise PlanNotFound(f"No plan {plan_id}", f"方案 {plan_id} 不存在")
        if not reads_everything(self.principal):
            unit_id = self.principal.unit_id if self.principal.unit_id is not None else -1
        rows = await self.repo.list(
            limit=limit,
            after_id=int(cursor[0]) if cursor else None,
            plan_id=plan_id,
            unit_id=unit_id,
            state=state,
        )
        return self._page(rows, limit)

    def _page(self, rows: list[dict[str, Any]], limit: int) -> Page[ExtensionRead]:
        page = make_page(rows, limit, lambda r: [r["id"]])
        return Page[ExtensionRead](
            items=[ExtensionRead.model_validate(r) for r in page.items], next_cursor=page.next_cursor
        )

    async def decide(self, extension_id: int, body: DecisionIn, if_match: str | None) -> ExtensionRead:
        ext = await self.repo.get(extension_id, for_update=True)
        if ext is None:
            raise self._not_found(extension_id)
        try:
            assignment, plan = await self.assignments.locked(ext.assignment_id)
        except PlanArchived:
            raise
        except Exception as exc:
            raise self._not_found(extension_id) from exc
        require_manage_plan(self.principal, plan)
        check_if_match(if_match, extension_etag(ext))
        if ext.state != "requested":
            raise TransitionNotAllowed(f"The request was already {ext.state}", "该延期申请已处理")
        before = {"state": ext.state, "due_on": str(assignment.due_on)}
        ext.state = "granted" if body.decision == "grant" else "refused"
        ext.decided_by = self.principal.user_id
        ext.decided_at = self.clock.now()
        ext.decision_comment = body.comment
        if ext.state == "granted":
            moved = [assignment]
            if assignment.role == "lead":
                moved += await self.repo.followers(assignment, assignment.due_on)
            for each in moved:  # original_due_on keeps the first deadline: scoring may use either
                each.due_on = ext.requested_due_on
            ext.moved_assignment_ids = [a.id for a in moved]
        await self.session.flush()
        await self._announce(ext, assignment, plan, body)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            f"decide:{body.decision}",
            "extension",
            ext.id,
            before=before,
            after={
                "state": ext.state,
                "due_on": str(assignment.due_on),
                "assignment_id": assignment.id,
                "moved_assignment_ids": ext.moved_assignment_ids,
            },
        )
        return await self._read(ext.id)

    async def _announce(self, ext: Extension, assignment: Assignment, plan: Any, body: DecisionIn) -> None:
        task = await self.session.get(Task, assignment.task_id)
        await emit(
            self.session,
            Event,
            "extension.decided",
            f"extension:{ext.id}",
            {
                "extension_id": ext.id,
                "assignment_id": assignment.id,
                "unit_id": assignment.unit_id,
                "plan_id": plan.id,
                "plan_title": plan.title,
                "task_title": task.title if task else "",
                "decision": ext.state,
                "new_due_on": str(ext.requested_due_on),
                "due_on": str(assignment.due_on),
                "moved_assignment_ids": list(ext.moved_assignment_ids or []),
                "comment": body.comment,
            },
        )
