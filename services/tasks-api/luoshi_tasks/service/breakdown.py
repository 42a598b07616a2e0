"""The breakdown table (任务分解表) in and out, as offices keep it in Excel/WPS.

An import is one job and one transaction: every row is checked first and every problem is listed by row,
column and reason; if there is any, nothing is written. With `create_units`, unknown unit names become new
units under the plan's issuer instead of errors.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from luoshi import audit
from luoshi.auth import Principal
from luoshi.clock import Clock
from luoshi.deadlines import Deadline, DeadlineParseError, format_deadline, parse_deadline
from luoshi.errors import PayloadTooLarge
from luoshi.filelimits import LimitExceeded
from luoshi.jobs import JobContext, JobFailed, enqueue
from luoshi_tasks.breakdown import (
    BreakdownFileError,
    BreakdownRow,
    SheetLimits,
    read_breakdown,
    write_breakdown_docx,
    write_breakdown_xlsx,
)
from luoshi_tasks.models import AuditLog, Job, Plan, Upload
from luoshi_tasks.naming import UnitNameAmbiguous, UnitNameError, UnitNameUnknown
from luoshi_tasks.repository.tasks import TaskRepository
from luoshi_tasks.repository.units import UnitRepository
from luoshi_tasks.schemas.plans import TaskCreate
from luoshi_tasks.service.access import require_manage_plan
from luoshi_tasks.service.breakdown_problems import cell_problem, overlong_cells
from luoshi_tasks.service.plans import PlanService
from luoshi_tasks.service.tasks import TaskService
from luoshi_tasks.service.unit_names import UnitResolver, candidates_of
from luoshi_tasks.service.units import UnitService

IMPORT_JOB = "breakdown_import"
_DEADLINE: TypeAdapter[Any] = TypeAdapter(Deadline)


async def start_import(
    session: AsyncSession,
    principal: Principal,
    plan_id: int,
    filename: str,
    content_type: str,
    data: bytes,
    *,
    create_units: bool,
    max_bytes: int,
) -> int:
    """Check the caller may change the plan, keep the file, queue the job (all in the request's transaction)."""
    plan = await PlanService(session, principal).get_plan(plan_id)
    require_manage_plan(principal, plan)
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"The file is larger than {max_bytes} bytes", f"文件超过 {max_bytes // 1024 // 1024} MB")
    upload = Upload(
        filename=filename[:300], content_type=content_type, size=len(data), data=data, created_by=principal.user_id
    )
    session.add(upload)
    await session.flush()
    return await enqueue(
        session,
        Job,
        IMPORT_JOB,
        {
            "plan_id": plan_id,
            "upload_id": upload.id,
            "create_units": create_units,
            "principal": principal_payload(principal),
        },
        principal,
        max_attempts=1,
    )


def principal_payload(principal: Principal) -> dict[str, Any]:
    """The caller, as a job's payload carries it to the worker that acts for them."""
    return {
        "kind": principal.kind,
        "subject": principal.subject,
        "user_id": principal.user_id,
        "username": principal.username,
        "unit_id": principal.unit_id,
        "roles": sorted(principal.roles),
        "scopes": sorted(principal.scopes),
    }


def principal_from_payload(data: dict[str, Any]) -> Principal:
    return Principal(
        kind=data["kind"],
        subject=data["subject"],
        user_id=data["user_id"],
        username=data["username"],
        unit_id=data["unit_id"],
        roles=frozenset(data["roles"]),
        scopes=frozenset(data["scopes"]),
    )


class BreakdownImporter:
    def __init__(self, session: AsyncSession, principal: Principal, clock: Clock) -> None:
        self.session = session
        self.principal = principal
        self.tasks = TaskService(session, principal, clock)
        self.resolver = UnitResolver(session)
        self.units = UnitService(session, principal)
        self.unit_map: dict[str, int] = {}

    async def run(
        self,
        plan: Plan,
        data: bytes,
        filename: str,
        *,
        create_units: bool,
        progress: Any = None,
        limits: SheetLimits | None = None,
    ) -> dict[str, Any]:
        try:
            # In a thread: the worker shares the web process's event loop, which must keep answering.
            sheet = await asyncio.to_thread(read_breakdown, data, filename, limits)
        except LimitExceeded as exc:
            raise JobFailed([exc.problem()]) from exc
        except BreakdownFileError as exc:
            raise JobFailed(
                [cell_problem(None, None, None, "file_unreadable", str(exc), getattr(exc, "message_zh", str(exc)))]
            ) from exc
        result = await self.import_rows(plan, sheet.rows, sheet.columns, create_units=create_units, progress=progress)
        result.update(header_row=sheet.header_row, ignored_columns=sheet.ignored_columns)
        return result

    async def import_rows(
        self,
        plan: Plan,
        rows: list[BreakdownRow],
        columns: dict[str, str],
        *,
        create_units: bool,
        unit_map: dict[str, int] | None = None,
        progress: Any = None,
    ) -> dict[str, Any]:
        """Check every row, then write them all; raises JobFailed listing every problem, writing nothing.

        `unit_map` maps names as written to unit ids the office chose (from a reviewed draft).
        """
        created_units: list[dict[str, Any]] = []
        errors, prepared = await self.check_rows(
            rows,
            columns,
            issuer_unit_id=plan.issuer_unit_id,
            plan_id=plan.id,
            create_units=create_units,
            unit_map=unit_map,
            created_units=created_units,
        )
        if errors:
            raise JobFailed(errors)
        return await self._write(plan, prepared, created_units, progress)

    async def check_rows(
        self,
        rows: list[BreakdownRow],
        columns: dict[str, str],
        *,
        issuer_unit_id: int | None,
        plan_id: int | None,
        create_units: bool,
        unit_map: dict[str, int] | None = None,
        created_units: list[dict[str, Any]] | None = None,
    ) -> tuple[list[dict[str, Any]], list[tuple[BreakdownRow, TaskCreate, Any]]]:
        """Every problem of the rows, by row, and the tasks they make. Writes nothing unless `create_units`
        (then unknown units are created under the issuer, into `created_units`). A plan draft is checked with
        this before it is accepted (`plan_id` None: a plan not made yet; `issuer_unit_id` None: an issuer
        accept will create, so no unit is under it yet)."""
        self.unit_map = unit_map or {}
        # an issuer still to be created has no units under it: no id is 0
        await self.resolver.scope(issuer_unit_id if issuer_unit_id is not None else 0).load()
        col = columns
        errors: list[dict[str, Any]] = []
        created_units = created_units if created_units is not None else []
        # Numbers repeat across sections (（一） under 一 and under 二): only siblings must differ.
        existing_roots = await TaskRepository(self.session).root_numbers(plan_id) if plan_id is not None else set()
        seen_siblings: set[tuple[int | None, str]] = set()
        prepared: list[tuple[BreakdownRow, TaskCreate, Any]] = []
        unit_column = col.get("lead") or col.get("responsible")
        for row in rows:
            if not (row.title or "").strip():
                errors.append(
                    cell_problem(row.row, col.get("title"), "title", "title_empty", "The task is empty", "工作任务为空")
                )
            deadline = None
            if row.deadline_text:
                try:
                    deadline = parse_deadline(row.deadline_text)
                except DeadlineParseError:
                    errors.append(
                        cell_problem(
                            row.row,
                            col.get("deadline"),
                            "deadline",
                            "deadline_unreadable",
                            f"Cannot read the deadline '{row.deadline_text}'",
                            f"无法识别完成时限“{row.deadline_text}”",
                            value=row.deadline_text,
                        )
                    )
            if row.number:
                sibling = (row.parent_row, row.number)
                if sibling in seen_siblings or (row.parent_row is None and row.number in existing_roots):
                    errors.append(
                        cell_problem(
                            row.row,
                            col.get("number"),
                            "number",
                            "duplicate_number",
                            f"Number {row.number} appears twice at this level",
                            f"同一层级中序号 {row.number} 重复",
                        )
                    )
                seen_siblings.add(sibling)
            lead_ids, coop_ids = [], []
            for names, out, field, column in (
                (row.lead_units, lead_ids, "lead", unit_column),
                (row.cooperating_units, coop_ids, "cooperating", col.get("cooperating") or col.get("responsible")),
            ):
                for name in names:
                    unit_id = await self._unit(
                        name, issuer_unit_id, create_units, created_units, errors, row.row, column, field
                    )
                    if unit_id is not None:
                        out.append(unit_id)
            prepared.append(
                (
                    row,
                    TaskCreate.model_construct(
                        number=row.number or None,
                        parent_id=None,
                        title=(row.title or "").strip(),
                        measures=row.measures,
                        lead_unit=lead_ids[0] if lead_ids else None,
                        cooperating_units=[*lead_ids[1:], *coop_ids],
                        deadline=None,
                        person_in_charge=row.person,
                        weight=1.0,
                        remarks=row.remarks,
                    ),
                    deadline,
                )
            )
            errors.extend(overlong_cells(row, col))
        return sorted(errors, key=lambda e: (e.get("row") or 0, e.get("column") or "")), prepared

    async def _write(
        self,
        plan: Plan,
        prepared: list[tuple[BreakdownRow, TaskCreate, Any]],
        created_units: list[dict[str, Any]],
        progress: Any,
    ) -> dict[str, Any]:
        task_of_row: dict[int, int] = {}
        position = await TaskRepository(self.session).next_position(plan.id)
        created = 0
        for i, (row, create, deadline) in enumerate(prepared):
            create.parent_id = task_of_row.get(row.parent_row) if row.parent_row else None
            create.deadline = deadline.model_copy(update={"text": row.deadline_text}) if deadline is not None else None
            task = await self.tasks.add_task(plan, create, position=position + i, audit_it=False, check_number=False)
            task_of_row[row.row] = task.id
            created += 1
            if progress is not None and i % 50 == 0:
                await progress(i, len(prepared))
        result = {
            "plan_id": plan.id,
            "tasks_created": created,
            "units_created": created_units,
        }
        await audit.record(self.session, AuditLog, self.principal, "import", "plan", plan.id, after=result)
        return result

    async def _unit(
        self,
        name: str,
        issuer_unit_id: int | None,
        create_units: bool,
        created: list[dict[str, Any]],
        errors: list[dict[str, Any]],
        row: int,
        column: str | None,
        field: str,
    ) -> int | None:
        if name in self.unit_map:
            return self.unit_map[name]
        try:
            return self.resolver.match(name)
        except UnitNameAmbiguous as exc:
            errors.append(
                cell_problem(
                    row,
                    column,
                    field,
                    "unit_ambiguous",
                    f"'{name}' matches several units",
                    f"单位“{name}”对应多个单位",
                    value=name,
                    candidates=candidates_of(exc),
                )
            )
        except UnitNameUnknown as exc:
            if not create_units:
                errors.append(
                    cell_problem(
                        row,
                        column,
                        field,
                        "unit_unknown",
                        f"No unit is called '{name}'",
                        f"找不到单位“{name}”",
                        value=name,
                        candidates=candidates_of(exc),
                    )
                )
                return None
            unit = await self.units.create_named(
                name, kind="department", parent_id=issuer_unit_id, reason="breakdown import"
            )
            self.resolver.add(unit.id, unit.name, unit.short_name, [])
            created.append({"id": unit.id, "name": name, "full_name": unit.name})
            return unit.id
        except UnitNameError as exc:  # pragma: no cover - the two above are all there are
            errors.append(cell_problem(row, column, field, "unit_name", str(exc), str(exc), value=name))
        return None


async def run_import_job(ctx: JobContext, clock: Clock, limits: SheetLimits | None = None) -> dict[str, Any]:
    payload = ctx.payload
    session = ctx.session
    principal = principal_from_payload(payload["principal"])
    plan = await session.get(Plan, payload["plan_id"], with_for_update=True)
    if plan is None:
        raise JobFailed([cell_problem(None, None, None, "plan_not_found", "The plan is gone", "方案不存在")])
    upload = await session.get(Upload, payload["upload_id"], options=[undefer(Upload.data)])
    if upload is None:
        raise JobFailed(
            [cell_problem(None, None, None, "upload_missing", "The uploaded file is gone", "上传的文件不存在")]
        )
    importer = BreakdownImporter(session, principal, clock)
    result = await importer.run(
        plan, upload.data, upload.filename, create_units=payload["create_units"], progress=ctx.progress, limits=limits
    )
    await session.delete(upload)
    return result


async def export_rows(session: AsyncSession, plan_id: int) -> tuple[Plan, list[BreakdownRow]]:
    plan = await session.get(Plan, plan_id)
    assert plan is not None
    repo = TaskRepository(session)
    tasks = await repo.all_in_plan(plan_id)
    by_id = {t.id: t for t in tasks}
    units = {r.id: r for r in await UnitRepository(session).all_names()}
    resolver = await UnitResolver(session, within=plan.issuer_unit_id).load()

    def label(unit_id: int) -> str:
        # Offices write short names (质监局); use one only where it comes back to the same unit.
        unit = units[unit_id]
        if unit.short_name:
            try:
                if resolver.match(unit.short_name) == unit_id:
                    return unit.short_name
            except UnitNameError:
                pass
        return unit.name

    links: dict[int, dict[str, list[int]]] = {t.id: {"lead": [], "cooperating": []} for t in tasks}
    for task_id, unit_id, role in await repo.assignments_of_plan(plan_id):
        links[task_id][role].append(unit_id)
    rows = []
    for t in document_order(tasks):
        deadline_text = t.deadline_text
        if not deadline_text and t.deadline:
            deadline_text = format_deadline(_DEADLINE.validate_python(t.deadline))
        parent = by_id.get(t.parent_id) if t.parent_id else None
        rows.append(
            BreakdownRow(
                row=0,
                number=t.number,
                parent_number=parent.number if parent else None,
                title=t.title,
                measures=t.measures,
                lead_units=[label(u) for u in links[t.id]["lead"]],
                cooperating_units=[label(u) for u in links[t.id]["cooperating"]],
                deadline_text=deadline_text,
                person=t.person_in_charge,
                remarks=t.remarks,
                cells={},
            )
        )
    return plan, rows


def document_order(tasks: list[Any]) -> list[Any]:
    """Tasks (in `position` order) depth first, so a child added later still follows its parent and the
    numbers read back into the same tree."""
    ids = {t.id for t in tasks}
    children: dict[int | None, list[Any]] = {}
    for t in tasks:
        children.setdefault(t.parent_id if t.parent_id in ids else None, []).append(t)
    ordered: list[Any] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        t = stack.pop()
        ordered.append(t)
        stack.extend(reversed(children.get(t.id, [])))
    return ordered


EXPORT_WRITERS = {"xlsx": write_breakdown_xlsx, "docx": write_breakdown_docx}


async def export(session: AsyncSession, principal: Principal, plan_id: int, kind: str) -> tuple[str, bytes]:
    """The plan's breakdown table as `kind` (xlsx, docx) and the plan's title."""
    plan = await PlanService(session, principal).get_plan(plan_id)
    _, rows = await export_rows(session, plan.id)
    return plan.title, await asyncio.to_thread(EXPORT_WRITERS[kind], plan.title, rows)
