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

import httpx
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from luoshi import audit
from luoshi.auth import Principal, require_roles, require_scope
from luoshi.clients.scoring import ScoringClient
from luoshi.clock import Clock
from luoshi.contracts.scoring import DraftIndicatorWire
from luoshi.deadlines import DeadlineParseError, format_deadline, parse_deadline
from luoshi.errors import FieldProblem, NotFound, ServiceUnavailable, UpstreamError
from luoshi.etag import check_if_match, etag_for
from luoshi.filelimits import LimitExceeded, document_too_long
from luoshi.jobs import JobContext, JobFailed, enqueue
from luoshi.pagination import Page, make_page
from luoshi_tasks.breakdown import FIELD_LABELS, BreakdownRow
from luoshi_tasks.errors import DocumentTypeUnsupported, DraftAlreadyAccepted, DraftNotFound, DraftRejected
from luoshi_tasks.models import AuditLog, Job, Plan, PlanDraft, Unit, Upload
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
from luoshi_tasks.schemas.drafts import (
    DraftAccept,
    DraftAccepted,
    DraftPatch,
    DraftProblem,
    DraftRead,
    DraftSummary,
    IndicatorHandover,
    LearnedAlias,
)
from luoshi_tasks.schemas.plans import GroupMemberIn, PhaseIn, PlanCreate
from luoshi_tasks.service.breakdown import BreakdownImporter, principal_from_payload, principal_payload
from luoshi_tasks.service.plans import PlanService
from luoshi_tasks.service.unit_names import UnitResolver

ALIASES_MAX = 50  # UnitCreate's limit

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

    async def _issuer_id(self, issuer: str | None) -> int | None:
        """The issuer's unit, or None for one we do not know (accept creates it, with no unit under it)."""
        if not issuer:
            return None
        try:
            return (await UnitResolver(self.session).load()).match(issuer)
        except UnitNameError:
            return None

    async def _issuer_matcher(self, issuer: str | None) -> UnitMatcher[int] | None:
        """Names are matched within the issuer's tree only; an issuer we do not know leaves them all unknown
        (matching across the whole directory would hand one county's 质监局 to another's plan)."""
        issuer_id = await self._issuer_id(issuer)
        if issuer_id is None:
            return None
        return (await UnitResolver(self.session, within=issuer_id).load()).matcher

    async def _rematch(self, draft: Draft, chosen: dict[str, int]) -> None:
        """Match every unit name the draft mentions again (new names, a new issuer), the office's choices first."""
        match_units(draft, await self._issuer_matcher(draft.plan.issuer))
        for ref in draft.units:
            if ref.name in chosen:
                ref.unit_id = chosen[ref.name]
        draft.unknown_units = [u.name for u in draft.units if u.unit_id is None and not u.collective]

    async def check(self, draft: Draft) -> list[DraftProblem]:
        """The draft's problems: what the plan needs (title, issuer, tasks), tasks nobody leads, and every row as
        the breakdown import checks it (titles, deadlines, unit names with candidates, numbers, lengths). The one
        check: every read and change answers it as `warnings`, and accept refuses on it."""
        problems = [DraftProblem(**p.model_dump()) for p in _plan_problems(draft)]
        rows = draft_rows(draft)
        parents = {t.parent for t in draft.tasks if t.parent is not None}
        for i, (task, row) in enumerate(zip(draft.tasks, rows, strict=True)):
            # a section whose tasks are led below it needs no lead of its own; a task with no task under it does
            if i not in parents and not row.lead_units:
                label = f"{task.number or i + 1} {task.title}".strip()[:60]
                problems.append(
                    DraftProblem(
                        loc=["draft", "tasks", i, "lead_units"],
                        code="lead_missing",
                        message=f"Task '{label}' has no lead unit: it would be given to no one",
                        message_zh=f"任务“{label}”没有牵头单位，将无人承办",
                        value=task.title[:200],
                    )
                )
        unit_map = {u.name: int(u.unit_id) for u in draft.units if u.unit_id is not None}
        errors, _ = await BreakdownImporter(self.session, self.principal, self.clock).check_rows(
            rows,
            {},
            issuer_unit_id=await self._issuer_id(draft.plan.issuer),
            plan_id=None,
            create_units=False,
            unit_map=unit_map,
        )
        problems += [_task_problem(e) for e in errors]
        return problems

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

    async def _full(self, row: PlanDraft, text: str) -> DraftRead:
        draft = Draft.model_validate(row.draft)
        warnings = await self.check(draft) if row.status == "open" else []
        return DraftRead(**_summary_fields(row), draft=draft, source_text=text, warnings=warnings)

    async def get(self, draft_id: int) -> DraftRead:
        self._require_office(write=False)
        row = await self._row(draft_id, with_text=True)
        return await self._full(row, row.source_text)

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
        changes = patch.model_dump(exclude_unset=True, mode="json")
        try:
            draft = Draft.model_validate({**row.draft, **changes})
        except ValidationError as exc:
            raise DraftRejected(
                "The edited draft is not valid",
                "修改后的草稿不合法",
                errors=[FieldProblem(loc=["body", *e["loc"]], code=e["type"], message=e["msg"]) for e in exc.errors()],
            ) from exc
        _check_parents(draft)
        if patch.units is not None:
            chosen = {u.name: u.unit_id for u in patch.units if u.unit_id is not None}
            await self._check_units(patch)
        elif draft.plan.issuer != (row.draft.get("plan") or {}).get("issuer"):
            chosen = {}  # the old issuer's matches mean nothing under the new one
        else:
            chosen = {u["name"]: u["unit_id"] for u in row.draft.get("units") or [] if u.get("unit_id") is not None}
        await self._rematch(draft, chosen)
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
        return await self._full(row, row.source_text)

    async def _check_units(self, patch: DraftPatch) -> None:
        assert patch.units is not None
        wanted = {u.unit_id for u in patch.units if u.unit_id is not None}
        found = set(await self.session.scalars(select(Unit.id).where(Unit.id.in_(wanted)))) if wanted else set()
        bad = [
            FieldProblem(
                loc=["body", "units", i, "unit_id"],
                code="unit_not_found",
                message=f"No unit {u.unit_id}",
                message_zh=f"单位 {u.unit_id} 不存在",
            )
            for i, u in enumerate(patch.units)
            if u.unit_id is not None and u.unit_id not in found
        ]
        if bad:
            raise DraftRejected("Some units chosen do not exist", "所选单位不存在", errors=bad)

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
        problems = await self.check(draft)
        refused = [
            p
            for p in problems
            if not (p.code == "unit_unknown" and body.create_units)
            and not (p.code == "lead_missing" and body.allow_tasks_without_lead)
        ]
        if refused:
            raise _refusal(refused)
        unit_map = {u.name: u.unit_id for u in draft.units if u.unit_id is not None}
        matcher = await self._issuer_matcher(draft.plan.issuer)  # before accept adds units: what was chosen
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
                errors=[_field_problem(_task_problem(e)) for e in exc.errors],
            ) from exc
        learned = await self._learn_aliases(draft, matcher)
        without_lead = [int(p.loc[2]) for p in problems if p.code == "lead_missing"]
        row.status, row.plan_id = "accepted", plan.id
        await self.session.flush()
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "accept",
            "plan_draft",
            row.id,
            after={
                "plan_id": plan.id,
                "tasks_created": result["tasks_created"],
                "tasks_without_lead": without_lead,
                "aliases_learned": [a.model_dump() for a in learned],
            },
        )
        return DraftAccepted(
            draft_id=row.id,
            plan=await plans.read(plan),
            tasks_created=result["tasks_created"],
            units_created=result["units_created"],
            tasks_without_lead=without_lead,
            aliases_learned=learned,
            indicators=IndicatorHandover(handed_over=False, count=len(draft.indicators)),
        )

    async def hand_over_indicators(
        self, scoring: ScoringClient, draft_id: int, plan_id: int, credentials: dict[str, str]
    ) -> IndicatorHandover:
        """After the accepted plan is committed: the draft's indicators to scoring-api as draft indicators the
        office completes there, sent with the caller's own credential (scoring-api checks that they run the
        plan). scoring-api down or refusing leaves the plan as it is and says so; the hand-over is audited."""
        row = await self._row(draft_id)
        draft = Draft.model_validate(row.draft)
        wires = [
            DraftIndicatorWire(
                name=i.name.strip()[:300],
                unit=i.unit[:50] if i.unit else None,
                comparator=i.comparator or ">=",
                target=i.target,
                target_high=i.target_high,
                benchmark_name=i.benchmark[:200] if i.benchmark else None,
            )
            for i in draft.indicators
            if len(i.name.strip()) >= 2
        ]
        handover = IndicatorHandover(handed_over=True, count=len(draft.indicators))
        if wires:
            try:
                made = await scoring.create_draft_indicators(plan_id, wires, credentials=credentials)
                handover.indicator_ids = [m.id for m in made]
            except (ServiceUnavailable, UpstreamError, NotFound) as exc:
                handover.handed_over = False
                handover.problem = f"scoring-api did not take the indicators: {exc.detail or exc.title_en}"
                handover.problem_zh = "考核系统未能接收指标，方案已生成；请在考核系统中录入指标"
            except (httpx.HTTPError, ValidationError) as exc:  # the plan is committed: say so, whatever happened
                handover.handed_over = False
                handover.problem = f"scoring-api's answer was not understood: {exc!r}"[:500]
                handover.problem_zh = "考核系统的应答无法识别，方案已生成；请在考核系统中核对指标"
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "hand_over_indicators",
            "plan_draft",
            draft_id,
            after={"plan_id": plan_id, **handover.model_dump(exclude={"problem_zh"})},
        )
        return handover

    async def _learn_aliases(self, draft: Draft, matcher: UnitMatcher[int] | None) -> list[LearnedAlias]:
        """Each name the office mapped to a unit the matcher did not find becomes an alias of that unit, so the
        same words in a later draft resolve by themselves. Audited as a change of the unit."""
        learned = []
        for ref in draft.units:
            if ref.unit_id is None or ref.collective:
                continue
            try:
                if matcher is not None and matcher.match(ref.name) == ref.unit_id:
                    continue
            except UnitNameError:
                pass
            unit = await self.session.get(Unit, int(ref.unit_id), with_for_update=True)
            name = ref.name.strip()
            if unit is None or not name or name in {unit.name, unit.short_name, *(unit.aliases or [])}:
                continue
            if len(unit.aliases or []) >= ALIASES_MAX:
                continue
            before = list(unit.aliases or [])
            unit.aliases = [*before, name]
            await self.session.flush()
            await audit.record(
                self.session,
                AuditLog,
                self.principal,
                "update",
                "unit",
                unit.id,
                before={"aliases": before},
                after={"aliases": unit.aliases, "learned_from": "plan_draft"},
            )
            learned.append(LearnedAlias(unit_id=unit.id, alias=name))
        return learned


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


def _refusal(problems: list[DraftProblem]) -> DraftRejected:
    """Accept's 422: every problem, and the tasks without a lead unit named in the detail."""
    leadless = [str(p.value or p.loc[2]) for p in problems if p.code == "lead_missing"]
    en, zh = "The draft cannot become a plan as it stands", "草稿存在问题，尚不能生成方案"
    if leadless:
        names = "; ".join(leadless[:10]) + (" …" if len(leadless) > 10 else "")
        names_zh = "；".join(leadless[:10]) + ("……" if len(leadless) > 10 else "")
        en += (
            f": {len(leadless)} task(s) have no lead unit ({names}); name one, or accept with allow_tasks_without_lead"
        )
        zh += f"：{len(leadless)} 项任务没有牵头单位（{names_zh}），请指定牵头单位，或以 allow_tasks_without_lead 确认"
    return DraftRejected(
        en,
        zh,
        errors=[_field_problem(p) for p in problems],
    )


def _field_problem(p: DraftProblem) -> FieldProblem:
    return FieldProblem(loc=p.loc, code=p.code, message=p.message, message_zh=p.message_zh)


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


def _task_problem(error: dict[str, Any]) -> DraftProblem:
    """An importer problem (by table row) as a problem in the draft (by task index)."""
    loc: list[str | int] = ["draft", "tasks"]
    if error.get("row"):
        loc.append(error["row"] - 1)
    if error.get("field"):
        loc.append(_DRAFT_FIELD.get(error["field"], error["field"]))
    value = error.get("value")
    return DraftProblem(
        loc=loc,
        code=error["code"],
        message=error["message"],
        message_zh=error["message_zh"],
        value=str(value)[:200] if value is not None else None,
        candidates=error.get("candidates") or [],
    )


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
