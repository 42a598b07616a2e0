"""Plan drafts: read a policy document into a proposed plan, let the office edit it, accept it into a plan.

A draft is read by the job worker (`DRAFT_JOB`), never in the request: the document is kept as an upload and
the job checks the limits (unpacked size, characters, tasks; luoshi.filelimits) before and while it parses,
in a thread, so the web process keeps answering. Accepting goes through the same importer as an uploaded
breakdown table, so a draft and the table it amounts to make the same plan. Unit names keep the document's
words; each is matched within the issuer's tree, and the office maps the rest (`units[].unit_id`) or lets
accept create them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from luoshi import audit
from luoshi.auth import Principal, require_roles, require_scope
from luoshi.clock import Clock
from luoshi.deadlines import DeadlineParseError, format_deadline, parse_deadline
from luoshi.errors import FieldProblem
from luoshi.etag import check_if_match, etag_for
from luoshi.filelimits import LimitExceeded, document_too_long
from luoshi.jobs import JobContext, JobFailed, enqueue
from luoshi.pagination import Page, make_page
from luoshi_tasks.breakdown import FIELD_LABELS, BreakdownRow
from luoshi_tasks.errors import DocumentTypeUnsupported, DraftAlreadyAccepted, DraftNotFound, DraftRejected
from luoshi_tasks.models import AuditLog, Job, Plan, PlanDraft, Upload
from luoshi_tasks.naming import UnitMatcher, UnitNameError
from luoshi_tasks.planparse import DraftTask, PlanParseError, match_units, read_plan
from luoshi_tasks.planparse import PlanDraft as Draft
from luoshi_tasks.planparse.documents import (
    Document,
    DocumentLimits,
    DocumentUnreadable,
    read_document,
    unsupported_format,
)
from luoshi_tasks.repository.drafts import DraftRepository
from luoshi_tasks.schemas.drafts import DraftAccept, DraftAccepted, DraftPatch, DraftRead, DraftSummary
from luoshi_tasks.schemas.plans import GroupMemberIn, PhaseIn, PlanCreate
from luoshi_tasks.service.breakdown import BreakdownImporter, principal_from_payload, principal_payload
from luoshi_tasks.service.plans import PlanService
from luoshi_tasks.service.unit_names import UnitResolver

DRAFT_JOB = "plan_draft"

draft_etag = etag_for("draft")


def _summary_fields(row: PlanDraft) -> dict[str, Any]:
    draft = row.draft or {}
    return {
        "id": row.id,
        "title": row.title,
        "source_name": row.source_name,
        "status": row.status,
        "plan_id": row.plan_id,
        "tasks": len(draft.get("tasks") or []),
        "unknown_units": len(draft.get("unknown_units") or []),
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def draft_rows(draft: Draft) -> list[BreakdownRow]:
    """The draft's tasks as the rows of a breakdown table (row = task index + 1). A collective recipient
    (各有关省级人民政府, 市直有关单位) names no one unit: it is left out unless the office mapped it to one."""
    collective = {u.name for u in draft.units if u.collective and u.unit_id is None}

    def named(units: list[str]) -> list[str]:
        return [u for u in units if u not in collective]

    rows = []
    for i, task in enumerate(draft.tasks):
        rows.append(
            BreakdownRow(
                row=i + 1,
                number=task.number,
                parent_row=None if task.parent is None else task.parent + 1,
                title=task.title,
                measures=task.measures,
                lead_units=named(task.lead_units),
                cooperating_units=named(task.cooperating_units),
                deadline_text=_deadline_text(task) or None,
                person=task.person,
                remarks=task.remarks,
            )
        )
    return rows


def _deadline_text(task: DraftTask) -> str | None:
    """The words as written while they still say the draft's deadline (a table's `2015年12月底前` stays so, as
    its import keeps it); the deadline written out once the office changed it, or when the words need the
    plan's year to be read."""
    if task.deadline is None:
        return task.deadline_text
    if task.deadline_text:
        try:
            as_written = parse_deadline(task.deadline_text)
        except DeadlineParseError:
            as_written = None
        if as_written is not None and as_written.model_dump(exclude={"text"}) == task.deadline.model_dump(
            exclude={"text"}
        ):
            return task.deadline_text
    return format_deadline(task.deadline)


class DraftService:
    def __init__(self, session: AsyncSession, principal: Principal, clock: Clock) -> None:
        self.session = session
        self.principal = principal
        self.clock = clock
        self.repo = DraftRepository(session)

    def _require_office(self, *, write: bool) -> None:
        require_scope(self.principal, "tasks:write" if write else "tasks:read")
        require_roles(self.principal, ("office",))

    async def _row(self, draft_id: int, *, for_update: bool = False, with_text: bool = False) -> PlanDraft:
        row = await self.repo.get(draft_id, for_update=for_update, with_text=with_text)
        if row is None or not (self.principal.has_role("admin") or row.unit_id == self.principal.unit_id):
            raise DraftNotFound(f"No draft {draft_id}", f"草稿 {draft_id} 不存在")
        return row

    async def _read(self, document: Document, max_tasks: int | None) -> Draft:
        """Parse (in a thread), find the issuer, then match unit names within the issuer's tree."""
        draft = await asyncio.to_thread(read_plan, document, today=self.clock.today(), max_tasks=max_tasks)
        match_units(draft, await self._issuer_matcher(draft.plan.issuer))
        return draft

    async def _issuer_matcher(self, issuer: str | None) -> UnitMatcher[int] | None:
        """Names are matched within the issuer's tree only; an issuer we do not know leaves them all unknown
        (matching across the whole directory would hand one county's 质监局 to another's plan)."""
        if not issuer:
            return None
        resolver = await UnitResolver(self.session).load()
        try:
            issuer_id = resolver.match(issuer)
        except UnitNameError:
            return None
        return (await resolver.scope(issuer_id).load()).matcher

    async def start(
        self, data: bytes, filename: str, content_type: str, *, is_text: bool, source_name: str | None
    ) -> int:
        """Keep the document and queue the job that reads it (in the request's transaction); the job's id.
        A format we cannot read (.doc, .wps, .ofd …) is a 415 at once, saying what to save it as."""
        self._require_office(write=True)
        if not is_text and (unsupported := unsupported_format(filename)) is not None:
            raise DocumentTypeUnsupported(unsupported.message, unsupported.message_zh)
        upload = Upload(
            filename=filename[:300],
            content_type=content_type[:200],
            size=len(data),
            data=data,
            created_by=self.principal.user_id,
        )
        self.session.add(upload)
        await self.session.flush()
        return await enqueue(
            self.session,
            Job,
            DRAFT_JOB,
            {
                "upload_id": upload.id,
                "is_text": is_text,
                "source_name": source_name[:300] if source_name else None,
                "principal": principal_payload(self.principal),
            },
            self.principal,
            max_attempts=1,
        )

    async def create(
        self,
        data: bytes,
        filename: str,
        *,
        is_text: bool,
        source_name: str | None,
        limits: DocumentLimits,
        max_tasks: int,
        progress: Callable[[int, int], Awaitable[None]] | None = None,
    ) -> PlanDraft:
        """Read the document into a stored draft. Raises DocumentUnreadable, PlanParseError, LimitExceeded.
        `progress` hears (pages done, pages) while scanned pages are read (seconds each)."""
        self._require_office(write=True)
        if is_text:
            document = Document(data.decode("utf-8"))
            if len(document.text) > limits.max_chars:
                raise document_too_long(len(document.text), limits.max_chars)
        else:
            loop = asyncio.get_running_loop()

            def page_done(done: int, total: int) -> None:  # from the reading thread
                if progress is not None:
                    asyncio.run_coroutine_threadsafe(progress(done, total), loop).result(timeout=30)

            document = await asyncio.to_thread(read_document, data, filename, limits, page_done)
        text = document.text
        draft = await self._read(document, max_tasks)
        row = PlanDraft(
            title=draft.plan.title,
            source_name=source_name,
            source_text=text,
            draft=draft.model_dump(mode="json"),
            unit_id=self.principal.unit_id,
            created_by=self.principal.user_id,
        )
        self.repo.add(row)
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "create",
            "plan_draft",
            row.id,
            after={"source_name": source_name, "tasks": len(draft.tasks)},
        )
        return row

    def _full(self, row: PlanDraft, text: str) -> DraftRead:
        return DraftRead(**_summary_fields(row), draft=Draft.model_validate(row.draft), source_text=text)

    async def get(self, draft_id: int) -> DraftRead:
        self._require_office(write=False)
        row = await self._row(draft_id, with_text=True)
        return self._full(row, row.source_text)

    async def list(self, *, limit: int, cursor: list[Any] | None, status: str | None) -> Page[DraftSummary]:
        self._require_office(write=False)
        rows = await self.repo.list(
            limit=limit,
            after_id=int(cursor[0]) if cursor else None,
            status=status,
            unit_id=self.principal.unit_id,
            everyone=self.principal.has_role("admin"),
        )
        page = make_page(rows, limit, lambda r: [r.id])
        return Page[DraftSummary](
            items=[DraftSummary(**_summary_fields(r)) for r in page.items], next_cursor=page.next_cursor
        )

    async def update(self, draft_id: int, patch: DraftPatch, if_match: str | None) -> DraftRead:
        self._require_office(write=True)
        row = await self._row(draft_id, for_update=True, with_text=True)
        check_if_match(if_match, draft_etag(row))
        if row.status != "open":
            raise DraftAlreadyAccepted(
                f"Draft {draft_id} is already plan {row.plan_id}", f"草稿已生成方案 {row.plan_id}"
            )
        changes = patch.model_dump(exclude_unset=True)
        try:
            draft = Draft.model_validate({**row.draft, **changes})
        except ValidationError as exc:
            raise DraftRejected(
                "The edited draft is not valid",
                "修改后的草稿不合法",
                errors=[FieldProblem(loc=["body", *e["loc"]], code=e["type"], message=e["msg"]) for e in exc.errors()],
            ) from exc
        _check_parents(draft)
        if "units" not in changes and draft.plan.issuer != (row.draft.get("plan") or {}).get("issuer"):
            match_units(draft, await self._issuer_matcher(draft.plan.issuer))
        before = {k: row.draft.get(k) for k in changes}
        row.draft = draft.model_dump(mode="json")
        row.title = draft.plan.title
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "update",
            "plan_draft",
            row.id,
            before=before,
            after={k: row.draft.get(k) for k in changes},
        )
        return self._full(row, row.source_text)

    async def delete(self, draft_id: int, if_match: str | None) -> None:
        """Delete a draft of the caller's office (an accepted one too: its plan stays). If-Match is checked when
        sent but not required, so a draft too big to read can still be removed."""
        self._require_office(write=True)
        row = await self._row(draft_id, for_update=True)
        if if_match:
            check_if_match(if_match, draft_etag(row))
        before = {
            "title": row.title,
            "source_name": row.source_name,
            "status": row.status,
            "plan_id": row.plan_id,
            "tasks": len((row.draft or {}).get("tasks") or []),
        }
        await self.session.delete(row)
        await self.session.flush()
        await audit.record(self.session, AuditLog, self.principal, "delete", "plan_draft", draft_id, before=before)

    async def accept(self, draft_id: int, body: DraftAccept, if_match: str | None) -> DraftAccepted:
        """Create the plan and its tasks in this one transaction, or nothing with every problem listed."""
        self._require_office(write=True)
        row = await self._row(draft_id, for_update=True)
        check_if_match(if_match, draft_etag(row))
        if row.status != "open":
            raise DraftAlreadyAccepted(
                f"Draft {draft_id} is already plan {row.plan_id}", f"草稿已生成方案 {row.plan_id}"
            )
        draft = Draft.model_validate(row.draft)
        problems = _plan_problems(draft)
        if problems:
            raise DraftRejected("The draft lacks what a plan needs", "草稿缺少方案必需的信息", errors=problems)
        unit_map = {u.name: u.unit_id for u in draft.units if u.unit_id is not None}
        plans = PlanService(self.session, self.principal)
        office = draft.office.unit if draft.office else None
        plan_read = await plans.create(
            PlanCreate(
                title=draft.plan.title or "",
                doc_number=draft.plan.doc_number,
                issuer=draft.plan.issuer or "",
                issued_on=draft.plan.issued_on,
                status=body.status,
                report_schedule=body.report_schedule,
                office_unit=unit_map.get(office) if office else None,
                phases=[
                    PhaseIn(name=p.name[:200], start_on=p.start, end_on=p.end, repeat=p.schedule if p.repeat else None)
                    for p in draft.phases
                ],
                # A member may be written as a post or a unit only (镇分管领导, 质监分局): that is its name then.
                group=[
                    GroupMemberIn(
                        role=m.role[:50],
                        name=(m.name or m.title or m.unit or m.role)[:100],
                        title=m.title[:200] if m.title else None,
                        unit=unit_map.get(m.unit or ""),
                    )
                    for m in draft.group
                ],
            )
        )
        plan = await self.session.get(Plan, plan_read.id)
        assert plan is not None
        importer = BreakdownImporter(self.session, self.principal, self.clock)
        try:
            result = await importer.import_rows(
                plan, draft_rows(draft), {}, create_units=body.create_units, unit_map=unit_map
            )
        except JobFailed as exc:
            raise DraftRejected(
                f"{len(exc.errors)} problem(s) in the tasks",
                f"任务中有 {len(exc.errors)} 处问题",
                errors=[_task_problem(e) for e in exc.errors],
            ) from exc
        row.status, row.plan_id = "accepted", plan.id
        await self.session.flush()
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "accept",
            "plan_draft",
            row.id,
            after={"plan_id": plan.id, "tasks_created": result["tasks_created"]},
        )
        return DraftAccepted(
            draft_id=row.id,
            plan=await plans.read(plan),
            tasks_created=result["tasks_created"],
            units_created=result["units_created"],
        )


def _check_parents(draft: Draft) -> None:
    bad = [
        FieldProblem(
            loc=["body", "tasks", i, "parent"],
            code="parent_invalid",
            message="parent must be the index of an earlier task",
            message_zh="上级任务必须是前面某个任务的序号",
        )
        for i, t in enumerate(draft.tasks)
        if t.parent is not None and not 0 <= t.parent < i
    ]
    if bad:
        raise DraftRejected("Some tasks point at no earlier task", "部分任务的上级任务无效", errors=bad)


def _plan_problems(draft: Draft) -> list[FieldProblem]:
    problems = []
    for field, zh in (("title", "方案标题"), ("issuer", "发文单位")):
        if len((getattr(draft.plan, field) or "").strip()) < 2:
            problems.append(
                FieldProblem(
                    loc=["draft", "plan", field],
                    code="missing",
                    message=f"The plan's {field} is missing",
                    message_zh=f"缺少{zh}",
                )
            )
    if not draft.tasks:
        problems.append(
            FieldProblem(
                loc=["draft", "tasks"], code="missing", message="The draft has no tasks", message_zh="草稿中没有任务"
            )
        )
    return problems


# The importer names fields by their table headers (FIELD_LABELS); a draft names them by its own keys.
_DRAFT_FIELD = {
    FIELD_LABELS[field]: key
    for field, key in (
        ("number", "number"),
        ("title", "title"),
        ("measures", "measures"),
        ("lead", "lead_units"),
        ("cooperating", "cooperating_units"),
        ("responsible", "lead_units"),
        ("deadline", "deadline_text"),
    )
}


def _task_problem(error: dict[str, Any]) -> FieldProblem:
    """An importer problem (by table row) as a problem in the draft (by task index)."""
    loc: list[str | int] = ["draft", "tasks"]
    if error.get("row"):
        loc.append(error["row"] - 1)
    if error.get("field"):
        loc.append(_DRAFT_FIELD.get(error["field"], error["field"]))
    return FieldProblem(loc=loc, code=error["code"], message=error["message"], message_zh=error["message_zh"])


async def run_draft_job(
    ctx: JobContext, clock: Clock, limits: DocumentLimits | None = None, max_tasks: int = 2_000
) -> dict[str, Any]:
    """Read a kept document into a draft. A document that is no plan, or over a limit, fails the job with the
    reason (its `code` names the limit) and the document is dropped either way."""
    payload = ctx.payload
    session = ctx.session
    principal = principal_from_payload(payload["principal"])
    upload = await session.get(Upload, payload["upload_id"], options=[undefer(Upload.data)])
    if upload is None:
        raise JobFailed(
            [{"code": "upload_missing", "message": "The uploaded file is gone", "message_zh": "上传的文件不存在"}]
        )
    await ctx.progress(0, 2)
    service = DraftService(session, principal, clock)
    try:
        row = await service.create(
            upload.data,
            upload.filename,
            is_text=payload["is_text"],
            source_name=payload.get("source_name"),
            limits=limits or DocumentLimits(),
            max_tasks=max_tasks,
            progress=ctx.progress,
        )
    except (LimitExceeded, DocumentUnreadable, PlanParseError) as exc:
        await session.rollback()
        gone = await session.get(Upload, payload["upload_id"])
        if gone is not None:
            await session.delete(gone)
            await session.commit()
        field = "text" if payload["is_text"] else "file"
        problem = exc.problem() if isinstance(exc, LimitExceeded) else _document_problem(exc)
        raise JobFailed([{"loc": ["body", field], **problem}]) from exc
    if not row.draft.get("scanned_pages"):  # a scan's progress counted its pages
        await ctx.progress(1, 2)
    await session.delete(upload)
    return {
        "draft_id": row.id,
        "location": f"/v1/plan-drafts/{row.id}",
        "title": row.title,
        "tasks": _summary_fields(row)["tasks"],
    }


def _document_problem(exc: DocumentUnreadable | PlanParseError) -> dict[str, Any]:
    return {"code": exc.code, "message": exc.message, "message_zh": exc.message_zh}
