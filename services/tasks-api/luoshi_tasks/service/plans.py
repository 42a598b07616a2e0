"""Plans (实施方案): their metadata, phases (实施步骤), leading group (领导小组) and office."""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_roles, require_scope
from luoshi.deadlines import deadline_item
from luoshi.errors import FieldProblem, ValidationFailed
from luoshi.etag import check_if_match, etag_for
from luoshi.pagination import raw_page
from luoshi_tasks.errors import PlanHasActivity, PlanNotFound, UnitNameUnresolved
from luoshi_tasks.models import AuditLog, Plan, User
from luoshi_tasks.naming import UnitNameError, UnitNameUnknown
from luoshi_tasks.repository.plans import PlanRepository, fetch_plans
from luoshi_tasks.schemas.plans import (
    GroupMemberIn,
    GroupMemberRead,
    PhaseRead,
    PlanCreate,
    PlanRead,
    PlanUpdate,
)
from luoshi_tasks.service.access import reads_everything, require_manage_plan
from luoshi_tasks.service.unit_names import UnitResolver
from luoshi_tasks.service.units import UnitService

plan_etag = etag_for("plan")


async def list_plans(
    pool: asyncpg.Pool,
    principal: Principal,
    *,
    limit: int,
    cursor: list[Any] | None,
    status: str | None,
    q: str | None,
) -> dict[str, Any]:
    """A page shaped as `Page[PlanSummary]`, written straight from the rows (a list the console reads most). A unit
    sees the plans it has work in."""
    require_scope(principal, "tasks:read")
    unit_filter = None if reads_everything(principal) else (principal.unit_id or -1)
    rows = await fetch_plans(
        pool, limit=limit, after_id=int(cursor[0]) if cursor else None, status=status, q=q, unit_id=unit_filter
    )
    items = [{**row, "report_schedule": deadline_item(row["report_schedule"])} for row in rows]
    return raw_page(items, limit, lambda p: [p["id"]])


class PlanService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repo = PlanRepository(session)
        self.units = UnitResolver(session)

    async def get_plan(self, plan_id: int, *, for_update: bool = False) -> Plan:
        """The plan if the caller may see it; otherwise not found."""
        require_scope(self.principal, "tasks:read")
        plan = await self.repo.get(plan_id, for_update=for_update)
        if plan is None or not await self.may_read(plan):
            raise PlanNotFound(f"No plan {plan_id}", f"方案 {plan_id} 不存在")
        return plan

    async def may_read(self, plan: Plan) -> bool:
        if reads_everything(self.principal):
            return True
        return self.principal.unit_id is not None and await self.repo.unit_takes_part(plan.id, self.principal.unit_id)

    async def read(self, plan: Plan) -> PlanRead:
        phases = await self.repo.phases(plan.id)
        group = await self.repo.group(plan.id)
        return PlanRead(
            id=plan.id,
            title=plan.title,
            doc_number=plan.doc_number,
            issuer_unit_id=plan.issuer_unit_id,
            issued_on=plan.issued_on,
            status=plan.status,
            office_unit_id=plan.office_unit_id,  # type: ignore[arg-type]
            created_by=plan.created_by,
            summary=plan.summary,
            report_schedule=plan.report_schedule,  # type: ignore[arg-type]
            yellow_workdays=plan.yellow_workdays,
            yellow_progress_margin=plan.yellow_progress_margin,
            phases=[
                PhaseRead(id=p.id, name=p.name, start_on=p.start_on, end_on=p.end_on, repeat=p.repeat) for p in phases
            ],
            group=[
                GroupMemberRead(
                    id=m.id,
                    role=m.role,
                    name=m.name,
                    title=m.title,
                    unit_id=m.unit_id,
                    user_id=m.user_id,
                    in_charge_unit_ids=list(m.in_charge_unit_ids or []),
                )
                for m in group
            ],
            version=plan.version,
            created_at=plan.created_at,
            updated_at=plan.updated_at,
        )

    async def _issuer_id(self, issuer: str | int, loc: list[str | int]) -> int:
        """The issuing government, by id or matched by name; created (as a government) when unknown."""
        if isinstance(issuer, int) or issuer.strip().isdigit():
            return await self.units.resolve(issuer, loc)
        await self.units.load()
        try:
            return self.units.match(issuer)
        except UnitNameUnknown:
            unit = await UnitService(self.session, self.principal).create_named(
                issuer.strip(), kind="government", parent_id=None, reason="plan issuer"
            )
            self.units.add(unit.id, unit.name, None, [])
            return unit.id
        except UnitNameError:
            return await self.units.resolve(issuer, loc)

    async def _office_id(self, ref: str | int, loc: list[str | int]) -> int:
        """The office by id or any of its names: first as the issuer's tree knows them, then anywhere (an office
        often stands outside the issuer's tree, e.g. a zone committee's 创建办)."""
        try:
            return await self.units.resolve(ref, loc)
        except UnitNameUnresolved as exc:
            if self.units.within is None:
                raise
            try:
                return await UnitResolver(self.session).resolve(ref, loc)
            except UnitNameUnresolved:
                raise exc from None

    async def _group_rows(self, members: list[GroupMemberIn]) -> list[dict[str, Any]]:
        rows = []
        for i, member in enumerate(members):
            unit_id = None
            if member.unit not in (None, ""):
                unit_id = await self.units.resolve(member.unit, ["body", "group", i, "unit"])  # type: ignore[arg-type]
            in_charge = [
                await self.units.resolve(unit, ["body", "group", i, "in_charge_units", j])  # type: ignore[arg-type]
                for j, unit in enumerate(member.in_charge_units)
            ]
            if member.user_id is not None and await self.session.get(User, member.user_id) is None:
                raise ValidationFailed(
                    f"No user {member.user_id}",
                    f"用户 {member.user_id} 不存在",
                    errors=[
                        FieldProblem(
                            loc=["body", "group", i, "user_id"],
                            code="user_unknown",
                            message=f"no user {member.user_id}",
                            message_zh="用户不存在",
                        )
                    ],
                )
            rows.append(
                {
                    "role": member.role,
                    "name": member.name,
                    "title": member.title,
                    "unit_id": unit_id,
                    "user_id": member.user_id,
                    "in_charge_unit_ids": sorted(set(in_charge)),
                }
            )
        return rows

    async def create(self, data: PlanCreate) -> PlanRead:
        require_scope(self.principal, "tasks:write")
        require_roles(self.principal, ("office",))
        issuer, issuer_loc = _one_of(data, "issuer_unit_id", "issuer")
        if issuer in (None, ""):
            raise _missing("issuer_unit_id")
        issuer_id = await self._issuer_id(issuer, issuer_loc)  # type: ignore[arg-type]
        self.units.scope(issuer_id)  # the office and group members are named as the issuer knows them
        office_id = None
        office, office_loc = _one_of(data, "office_unit_id", "office_unit")
        if office not in (None, ""):
            office_id = await self._office_id(office, office_loc)  # type: ignore[arg-type]
        elif self.principal.has_role("office"):
            office_id = self.principal.unit_id
        plan = Plan(
            title=data.title,
            doc_number=data.doc_number,
            issuer_unit_id=issuer_id,
            issued_on=data.issued_on,
            status=data.status,
            office_unit_id=office_id,
            summary=data.summary,
            report_schedule=data.report_schedule.model_dump(mode="json") if data.report_schedule else None,
            yellow_workdays=data.yellow_workdays,
            yellow_progress_margin=data.yellow_progress_margin,
            created_by=self.principal.user_id,
        )
        self.repo.add(plan)
        await self.session.flush()
        await self.repo.replace_phases(plan.id, [_phase_row(p) for p in data.phases])
        await self.repo.replace_group(plan.id, await self._group_rows(data.group))
        await self.session.flush()
        await self.session.refresh(plan)
        read = await self.read(plan)
        await audit.record(
            self.session, AuditLog, self.principal, "create", "plan", plan.id, after=read.model_dump(mode="json")
        )
        return read

    async def update(self, plan_id: int, data: PlanUpdate, if_match: str | None) -> PlanRead:
        plan = await self.get_plan(plan_id, for_update=True)
        require_manage_plan(self.principal, plan)
        check_if_match(if_match, plan_etag(plan))
        before = (await self.read(plan)).model_dump(mode="json")
        changes = data.model_dump(exclude_unset=True)
        self.units.scope(plan.issuer_unit_id)
        if "office_unit" in changes or "office_unit_id" in changes:
            office, loc = _one_of(data, "office_unit_id", "office_unit")
            changes.pop("office_unit", None)
            changes.pop("office_unit_id", None)
            plan.office_unit_id = await self._office_id(office, loc) if office not in (None, "") else None
        if "report_schedule" in changes:
            changes.pop("report_schedule")
            plan.report_schedule = data.report_schedule.model_dump(mode="json") if data.report_schedule else None
        if "phases" in changes:
            changes.pop("phases")
            await self.repo.replace_phases(plan.id, [_phase_row(p) for p in data.phases or []])
        if "group" in changes:
            changes.pop("group")
            await self.repo.replace_group(plan.id, await self._group_rows(data.group or []))
        for field, value in changes.items():
            setattr(plan, field, value)
        await self.session.flush()
        # Phases and the group live in their own tables: bump the plan's version so its ETag changes.
        await _touch(self.session, plan)
        await self.session.refresh(plan)
        read = await self.read(plan)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "update",
            "plan",
            plan.id,
            before=before,
            after=read.model_dump(mode="json"),
        )
        return read

    async def archive(self, plan_id: int, if_match: str | None) -> PlanRead:
        """Status archived: read-only from now on (require_manage_plan and every assignment change refuse it)."""
        plan = await self.get_plan(plan_id, for_update=True)
        require_manage_plan(self.principal, plan)  # an archived one: 409 plan_archived
        check_if_match(if_match, plan_etag(plan))
        before = plan.status
        plan.status = "archived"
        await self.session.flush()
        await self.session.refresh(plan)
        read = await self.read(plan)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "archive",
            "plan",
            plan.id,
            before={"status": before},
            after={"status": "archived"},
        )
        return read

    async def delete(self, plan_id: int, if_match: str | None, scoring: Any, credentials: dict[str, str]) -> None:
        """Delete a plan nothing has been done on yet (an archived one too), its tasks and assignments with it;
        409 naming the activity otherwise."""
        plan = await self.get_plan(plan_id, for_update=True)
        require_manage_plan(self.principal, plan, archived_too=True)
        check_if_match(if_match, plan_etag(plan))
        activity = await self.repo.activity(plan.id)
        activity["values"] = await scoring.plan_value_count(plan.id, credentials=credentials)
        done = {k: n for k, n in activity.items() if n}
        if done:
            en = ", ".join(f"{n} {k}" for k, n in done.items())
            zh = "、".join(f"{_ACTIVITY_ZH[k]} {n} 条" for k, n in done.items())
            raise PlanHasActivity(
                f"Plan {plan.id} has {en}: it cannot be deleted, archive it instead",
                f"方案 {plan.id} 已有{zh}，不能删除，可以归档",
                activity=activity,
            )
        before = (await self.read(plan)).model_dump(mode="json")
        await self.session.delete(plan)
        await self.session.flush()
        await audit.record(self.session, AuditLog, self.principal, "delete", "plan", plan_id, before=before)


_ACTIVITY_ZH = {"reports": "反馈", "transitions": "办理状态变更", "extensions": "延期申请", "values": "指标值"}


async def _touch(session: AsyncSession, plan: Plan) -> None:
    await session.execute(
        update(Plan)
        .where(Plan.id == plan.id)
        .values(updated_at=func.now(), version=Plan.version + 1)
        .execution_options(synchronize_session=False)
    )


def _phase_row(phase: Any) -> dict[str, Any]:
    return {
        "name": phase.name,
        "start_on": phase.start_on,
        "end_on": phase.end_on,
        "repeat": phase.repeat.model_dump(mode="json") if phase.repeat else None,
    }


def _one_of(data: Any, name: str, old_name: str) -> tuple[Any, list[str | int]]:
    """A field written by its read name or by its old write name, not both."""
    given = data.model_fields_set
    if name in given and old_name in given:
        raise ValidationFailed(
            f"Give {name} or its old name {old_name}, not both",
            f"{name} 与旧字段名 {old_name} 只能填写一个",
            errors=[
                FieldProblem(
                    loc=["body", old_name],
                    code="duplicate_field",
                    message=f"{old_name} is the old name of {name}",
                    message_zh=f"{old_name} 是 {name} 的旧字段名",
                )
            ],
        )
    if old_name in given:
        return getattr(data, old_name), ["body", old_name]
    return getattr(data, name), ["body", name]


def _missing(name: str) -> ValidationFailed:
    return ValidationFailed(
        f"{name} is required",
        f"缺少必填字段 {name}",
        errors=[FieldProblem(loc=["body", name], code="missing", message="Field required", message_zh="缺少必填字段")],
    )
