"""Reports (反馈) per reporting period, their review and attachments (extension requests: service/extensions.py)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_scope
from luoshi.clock import Clock
from luoshi.deadlines import Deadline, next_due, occurrences
from luoshi.errors import PayloadTooLarge
from luoshi.etag import check_if_match, etag_for
from luoshi.filenames import safe_content_type, safe_filename
from luoshi.outbox import emit
from luoshi.pagination import Page, make_page
from luoshi_tasks.errors import (
    AttachmentNotFound,
    CommentRequired,
    PeriodNotInSchedule,
    ReportNotAllowed,
    ReportNotFound,
    ReviewNotAllowed,
)
from luoshi_tasks.models import Assignment, Attachment, AuditLog, Event, Plan, Report, Task
from luoshi_tasks.repository.plans import PlanRepository
from luoshi_tasks.repository.reports import ReportRepository
from luoshi_tasks.schemas.workflow import (
    AttachmentRead,
    ReportCreate,
    ReportRead,
    ReviewIn,
)
from luoshi_tasks.service.access import (
    reads_everything,
    require_manage_plan,
    require_plan_writable,
    require_unit_writer,
)
from luoshi_tasks.service.announce import announce_report_submitted
from luoshi_tasks.service.assignments import AssignmentService

_DEADLINE: TypeAdapter[Any] = TypeAdapter(Deadline)
REPORTABLE = {"assigned", "acknowledged", "in_progress", "completion_requested"}


report_etag = etag_for("report")


def period_for(plan: Plan, assignment: Assignment, asked: date | None, today: date) -> date:
    """The reporting deadline a report is for: the one asked for (it must be on the plan's schedule),
    else the next one from today; with no schedule, the assignment's own deadline or today."""
    schedule = _DEADLINE.validate_python(plan.report_schedule) if plan.report_schedule else None
    if asked is not None:
        if schedule is not None and schedule.kind == "recurring" and asked not in occurrences(schedule, asked, asked):
            raise PeriodNotInSchedule(
                f"{asked} is not one of this plan's reporting deadlines",
                f"{asked} 不是本方案的报送时间节点",
            )
        return asked
    if schedule is not None:
        due = next_due(schedule, today)
        if due is not None:
            return due
    return assignment.due_on or today


class ReportService:
    def __init__(self, session: AsyncSession, principal: Principal, clock: Clock, settings: Any) -> None:
        self.session = session
        self.principal = principal
        self.clock = clock
        self.settings = settings
        self.repo = ReportRepository(session)
        self.assignments = AssignmentService(session, principal, clock)

    async def _read(self, reports: list[Report]) -> list[ReportRead]:
        atts = await self.repo.attachments([r.id for r in reports])
        units = {a.id: a.unit_id for a in [await self.session.get(Assignment, r.assignment_id) for r in reports] if a}
        return [
            ReportRead(
                id=r.id,
                assignment_id=r.assignment_id,
                unit_id=units[r.assignment_id],
                period_due_on=r.period_due_on,
                text=r.text,
                percent=r.percent,
                state=r.state,  # type: ignore[arg-type]
                late=r.late,
                submitted_by=r.submitted_by,
                submitted_at=r.submitted_at,
                reviewed_by=r.reviewed_by,
                reviewed_at=r.reviewed_at,
                review_comment=r.review_comment,
                version=r.version,
                attachments=[AttachmentRead.model_validate(a, from_attributes=True) for a in atts[r.id]],
            )
            for r in reports
        ]

    async def submit(self, assignment_id: int, body: ReportCreate) -> ReportRead:
        assignment, plan = await self.assignments.locked(assignment_id)
        require_unit_writer(self.principal, assignment.unit_id)
        if assignment.state not in REPORTABLE:
            raise ReportNotAllowed(f"The assignment is {assignment.state}", "该事项已办结，不能再提交反馈")
        now = self.clock.now()
        period = period_for(plan, assignment, body.period_due_on, self.clock.local_date(now))
        report = Report(
            assignment_id=assignment.id,
            period_due_on=period,
            text=body.text,
            percent=body.percent,
            late=self.clock.local_date(now) > period,
            submitted_by=self.principal.user_id,
            submitted_at=now,
        )
        self.repo.add(report)
        if assignment.state in ("assigned", "acknowledged"):
            # Reporting progress is taking the work on: the unit need not press "start" first.
            await self.assignments.move(assignment, "in_progress", "start")
        await self.session.flush()
        await self.session.refresh(report)
        read = (await self._read([report]))[0]
        await announce_report_submitted(self.session, report, assignment, plan)
        await audit.record(
            self.session, AuditLog, self.principal, "submit", "report", report.id, after=read.model_dump(mode="json")
        )
        return read

    async def _report(self, report_id: int, *, for_update: bool = False) -> tuple[Report, Any]:
        report = await self.repo.get(report_id, for_update=for_update)
        if report is None:
            raise ReportNotFound(f"No report {report_id}", f"反馈 {report_id} 不存在")
        try:
            row = await self.assignments.row(report.assignment_id)
        except Exception as exc:
            raise ReportNotFound(f"No report {report_id}", f"反馈 {report_id} 不存在") from exc
        return report, row

    async def get(self, report_id: int) -> ReportRead:
        report, _ = await self._report(report_id)
        return (await self._read([report]))[0]

    async def list(
        self, assignment_id: int, *, limit: int, cursor: list[Any] | None, period_due_on: date | None, state: str | None
    ) -> Page[ReportRead]:
        await self.assignments.row(assignment_id)
        reports = await self.repo.list(
            [assignment_id],
            limit=limit,
            after_id=int(cursor[0]) if cursor else None,
            period_due_on=period_due_on,
            state=state,
        )
        page = make_page(reports, limit, lambda r: [r.id])
        return Page[ReportRead](items=await self._read(page.items), next_cursor=page.next_cursor)

    async def search(
        self,
        *,
        limit: int,
        cursor: list[Any] | None,
        plan_id: int | None,
        unit_id: int | None,
        state: str | None,
        q: str | None,
        due_from: date | None,
        due_to: date | None,
    ) -> Page[ReportRead]:
        """Reports across assignments. A unit's people find their own unit's; office, leaders and admins all."""
        require_scope(self.principal, "tasks:read")
        if not reads_everything(self.principal):
            unit_id = self.principal.unit_id if self.principal.unit_id is not None else -1
        reports = await self.repo.search(
            limit=limit,
            after_id=int(cursor[0]) if cursor else None,
            plan_id=plan_id,
            unit_id=unit_id,
            state=state,
            q=q,
            due_from=due_from,
            due_to=due_to,
        )
        page = make_page(reports, limit, lambda r: [r.id])
        return Page[ReportRead](items=await self._read(page.items), next_cursor=page.next_cursor)

    async def review(self, report_id: int, body: ReviewIn, if_match: str | None) -> ReportRead:
        report, row = await self._report(report_id, for_update=True)
        assignment, plan = await self.assignments.locked(row["id"])
        require_manage_plan(self.principal, plan)
        check_if_match(if_match, report_etag(report))
        if report.state != "submitted":
            raise ReviewNotAllowed(f"The report is already {report.state}", "该反馈已审核")
        if body.decision == "return" and not (body.comment or "").strip():
            raise CommentRequired("Say why the report is returned", "退回反馈需要填写意见")
        before = {"state": report.state}
        report.state = "accepted" if body.decision == "accept" else "returned"
        report.reviewed_by = self.principal.user_id
        report.reviewed_at = self.clock.now()
        report.review_comment = body.comment
        if body.decision == "accept":
            assignment.progress = report.percent
        await self.session.flush()
        await self.session.refresh(report)
        if report.state == "returned":
            task = await self.session.get(Task, assignment.task_id)
            await emit(
                self.session,
                Event,
                "report.returned",
                f"report:{report.id}",
                {
                    "report_id": report.id,
                    "assignment_id": assignment.id,
                    "unit_id": assignment.unit_id,
                    "plan_id": plan.id,
                    "plan_title": plan.title,
                    "task_title": task.title if task else "",
                    "period_due_on": str(report.period_due_on),
                    "comment": body.comment,
                },
            )
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            f"review:{body.decision}",
            "report",
            report.id,
            before=before,
            after={"state": report.state, "comment": body.comment},
        )
        return (await self._read([report]))[0]

    async def attach(self, report_id: int, filename: str, content_type: str, data: bytes) -> AttachmentRead:
        report, row = await self._report(report_id, for_update=True)
        require_unit_writer(self.principal, row["unit_id"])
        plan = await PlanRepository(self.session).get(row["plan_id"])
        assert plan is not None
        require_plan_writable(plan)  # an archived plan takes no more files (409)
        if report.state != "submitted":
            raise ReportNotAllowed("Attach files before the report is reviewed", "反馈审核后不能再添加附件")
        limit = self.settings.attachment_max_bytes
        if len(data) + await self.repo.attachment_bytes(report.id) > limit:
            raise PayloadTooLarge(
                f"Attachments of one report are limited to {limit} bytes",
                f"每份反馈的附件合计不能超过 {limit // 1024 // 1024} MB",
            )
        att = Attachment(
            report_id=report.id,
            filename=safe_filename(filename, default="attachment"),
            content_type=safe_content_type(content_type),
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
        )
        self.repo.add(att)
        await self.session.flush()
        await self.session.refresh(att)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "attach",
            "report",
            report.id,
            after={"attachment_id": att.id, "filename": att.filename, "size": att.size},
        )
        return AttachmentRead.model_validate(att, from_attributes=True)

    async def attachment(self, report_id: int, attachment_id: int) -> Attachment:
        await self._report(report_id)
        att = await self.repo.attachment_with_data(attachment_id)
        if att is None or att.report_id != report_id:
            raise AttachmentNotFound(f"No attachment {attachment_id}", f"附件 {attachment_id} 不存在")
        return att
