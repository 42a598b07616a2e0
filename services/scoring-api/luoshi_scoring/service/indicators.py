"""Indicators, the values units report against them (every revision kept), and benchmarks.

A unit enters its own values; the office verifies them. Once an assessment of a plan's period is published,
that period's values are locked (409).
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_scope
from luoshi.clock import Clock
from luoshi.errors import FieldProblem, Forbidden, NotFound, PayloadTooLarge, ReferenceOutsidePlan, ValidationFailed
from luoshi.etag import check_if_match, row_etag
from luoshi.filenames import safe_content_type, safe_filename
from luoshi.pagination import Page, make_page
from luoshi.plan_access import require_manage_plan
from luoshi_scoring.errors import (
    AttachmentNotFound,
    IndicatorDraft,
    IndicatorNotFound,
    ValueExists,
    ValueInvalid,
    ValueNotFound,
    ValuesLocked,
)
from luoshi_scoring.models import AuditLog, Benchmark, Indicator, IndicatorValue, ValueAttachment, ValueRevision
from luoshi_scoring.repository.indicators import IndicatorRepository
from luoshi_scoring.rules import IndicatorSpec, RuleError, check_rule, rule_adapter
from luoshi_scoring.schemas.indicators import (
    AttachmentRead,
    BenchmarkRead,
    BenchmarkUpsert,
    DraftIndicatorsCreate,
    IndicatorCreate,
    IndicatorRead,
    IndicatorUpdate,
    RevisionRead,
    ValueCreate,
    ValueRead,
    ValueUpdate,
)
from luoshi_scoring.service.access import fetch_plan, reads_everything, require_manage, require_read

PERIOD_ZH = {"yearly": "年度", "cumulative": "累计", "quarterly": "季度", "monthly": "月度"}
_PERIOD_FORMS = {
    "yearly": (re.compile(r"^\d{4}$"), "2026"),
    "cumulative": (re.compile(r"^\d{4}$"), "2026"),
    "quarterly": (re.compile(r"^\d{4}-Q[1-4]$"), "2026-Q3"),
    "monthly": (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), "2026-09"),
}


def period_range(period: str) -> tuple[date, date]:
    year = int(period[:4])
    if "-Q" in period:
        q = int(period[-1])
        return date(year, 3 * q - 2, 1), date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
    if len(period) == 7:
        month = int(period[5:])
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, 1, 1), date(year, 12, 31)


_SPEC_FIELDS = ("name", "unit", "comparator", "target", "target_high", "baseline", "weight", "rule")


def check_scorable(fields: dict[str, Any]) -> None:
    """The scoring engine's own check of an indicator and its rule, run when it is saved: a 422 now, rather than
    every assessment run of its plan failing later."""
    try:
        spec = IndicatorSpec(id=0, **{k: fields.get(k) for k in _SPEC_FIELDS if k != "rule"})
        check_rule(spec, rule_adapter.validate_python(fields["rule"]))
    except (RuleError, ValidationError) as exc:
        if isinstance(exc, ValidationError):  # pydantic words it in English: the Chinese says what is wrong
            message, message_zh = exc.errors()[0]["msg"], "规则参数与指标不相容"
        else:
            message, message_zh = str(exc), exc.zh
        raise ValidationFailed(
            f"This rule cannot score this indicator: {message}",
            f"该计分规则无法用于此指标：{message_zh}",
            errors=[
                FieldProblem(loc=["body", "rule"], code="rule_not_applicable", message=message, message_zh=message_zh)
            ],
        ) from exc


def indicator_read(row: Indicator) -> IndicatorRead:
    return IndicatorRead.model_validate({c: getattr(row, c) for c in IndicatorRead.model_fields}, from_attributes=False)


def value_read(row: IndicatorValue, locked: bool) -> ValueRead:
    return ValueRead(
        id=row.id,
        indicator_id=row.indicator_id,
        unit_id=row.unit_id,
        period=row.period,
        value=row.value,
        evidence=row.evidence,
        status=row.status,
        entered_by=row.entered_by,  # type: ignore[arg-type]
        verified_by=row.verified_by,
        verified_at=row.verified_at,
        revision=row.revision,
        locked=locked,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class IndicatorService:
    def __init__(self, session: AsyncSession, principal: Principal, clock: Clock, tasks: Any = None) -> None:
        self.session = session
        self.principal = principal
        self.clock = clock
        self.tasks = tasks
        self.repo = IndicatorRepository(session)

    async def _indicator(self, indicator_id: int, *, for_update: bool = False) -> Indicator:
        require_read(self.principal)
        row = await self.repo.get(indicator_id, for_update=for_update)
        if row is None:
            raise IndicatorNotFound(f"No indicator {indicator_id}", f"指标 {indicator_id} 不存在")
        return row

    # -- indicators --------------------------------------------------------------------------------------

    async def create(self, data: IndicatorCreate) -> IndicatorRead:
        check_scorable(data.model_dump(mode="json"))
        plan = await fetch_plan(self.tasks, data.plan_id)
        require_manage_plan(self.principal, plan, "scoring:write")
        if data.task_id is not None:
            await self._check_task(data.plan_id, data.task_id)
        row = Indicator(**data.model_dump(mode="json"), office_unit_id=plan.office_unit_id)
        self.repo.add(row)
        await self.session.flush()
        await self.session.refresh(row)
        read = indicator_read(row)
        await audit.record(
            self.session, AuditLog, self.principal, "create", "indicator", row.id, after=read.model_dump(mode="json")
        )
        return read

    async def create_drafts(self, data: DraftIndicatorsCreate) -> list[IndicatorRead]:
        """A plan's indicators as its text states them, as drafts: a provisional rule and weight the office
        replaces when it completes each (`status: active`); until then no assessment scores them and no value is
        entered against them."""
        plan = await fetch_plan(self.tasks, data.plan_id)
        require_manage_plan(self.principal, plan, "scoring:write")
        reads = []
        for item in data.indicators:
            row = Indicator(
                **item.model_dump(mode="json"),
                plan_id=data.plan_id,
                office_unit_id=plan.office_unit_id,
                period="yearly",
                weight=1.0,
                rule={"kind": "pass_fail"},
                unit_ids=[],
                status="draft",
            )
            self.repo.add(row)
            await self.session.flush()
            await self.session.refresh(row)
            read = indicator_read(row)
            after = read.model_dump(mode="json")
            await audit.record(self.session, AuditLog, self.principal, "create", "indicator", row.id, after=after)
            reads.append(read)
        return reads

    async def _check_task(self, plan_id: int, task_id: int) -> None:
        """An indicator measures a task of its own plan; another plan's task (or none) is a 422 on task_id."""
        try:
            task_plan: int | None = (await self.tasks.task(task_id)).plan_id
        except NotFound:
            task_plan = None
        if task_plan != plan_id:
            where = f"plan {task_plan}" if task_plan is not None else "no plan (no such task)"
            raise ReferenceOutsidePlan(
                f"Task {task_id} belongs to {where}, not to plan {plan_id}",
                f"任务 {task_id} 不属于方案 {plan_id}",
                errors=[
                    FieldProblem(
                        loc=["body", "task_id"],
                        code="reference_outside_plan",
                        message=f"Task {task_id} is not a task of plan {plan_id}",
                        message_zh=f"任务 {task_id} 不是方案 {plan_id} 的任务",
                    )
                ],
            )

    async def get(self, indicator_id: int) -> IndicatorRead:
        return indicator_read(await self._indicator(indicator_id))

    async def list(self, *, limit: int, cursor: list[Any] | None, plan_id: int | None) -> Page[IndicatorRead]:
        require_read(self.principal)
        unit_filter = None if reads_everything(self.principal) else (self.principal.unit_id or -1)
        rows = await self.repo.list(
            limit=limit, after_id=int(cursor[0]) if cursor else None, plan_id=plan_id, unit_id=unit_filter
        )
        page = make_page(rows, limit, lambda r: [r.id])
        return Page[IndicatorRead](items=[indicator_read(r) for r in page.items], next_cursor=page.next_cursor)

    async def update(self, indicator_id: int, data: IndicatorUpdate, if_match: str | None) -> IndicatorRead:
        row = await self._indicator(indicator_id, for_update=True)
        await require_manage(self.principal, self.tasks, row.plan_id, row.office_unit_id)
        check_if_match(if_match, row_etag("indicator", row))
        before = indicator_read(row).model_dump(mode="json")
        changes = data.model_dump(exclude_unset=True, mode="json")
        if row.status != "draft" and changes.get("period", row.period) != row.period:
            raise ValidationFailed(
                "An active indicator's period cannot change: its values are entered by it",
                "已启用指标的填报周期不能修改",
                errors=[FieldProblem(loc=["body", "period"], code="period_fixed", message="period is fixed")],
            )
        for field, value in changes.items():
            setattr(row, field, value)
        if row.status == "active":  # a draft keeps its provisional rule until the office completes it
            check_scorable({c: getattr(row, c) for c in _SPEC_FIELDS})  # the result, not just the change
        await self.session.flush()
        await self.session.refresh(row)
        read = indicator_read(row)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "update",
            "indicator",
            row.id,
            before=before,
            after=read.model_dump(mode="json"),
        )
        return read

    # -- values ------------------------------------------------------------------------------------------

    def _check_value(self, indicator: Indicator, value: float, unit: str | None, period: str | None) -> None:
        problems = []
        if period is not None:
            pattern, example = _PERIOD_FORMS[indicator.period]
            if not pattern.match(period):
                problems.append(
                    FieldProblem(
                        loc=["body", "period"],
                        code="period_form",
                        message=f"A {indicator.period} indicator's period looks like {example}",
                        message_zh=f"该指标按{PERIOD_ZH[indicator.period]}填报，期别格式应为 {example}",
                    )
                )
            elif period_range(period)[0] > self.clock.today():
                problems.append(
                    FieldProblem(
                        loc=["body", "period"],
                        code="period_not_open",
                        message=f"Period {period} has not begun",
                        message_zh=f"{period} 期尚未开始，不能填报",
                    )
                )
        if unit is not None and unit != (indicator.unit or ""):
            problems.append(
                FieldProblem(
                    loc=["body", "unit"],
                    code="unit_mismatch",
                    message=f"The indicator is measured in {indicator.unit or 'no unit'}",
                    message_zh=f"该指标的计量单位是“{indicator.unit or '无'}”",
                )
            )
        if indicator.unit == "%" and not 0 <= value <= 100:
            problems.append(
                FieldProblem(
                    loc=["body", "value"],
                    code="percent_range",
                    message="A percentage is between 0 and 100",
                    message_zh="百分比应在 0 到 100 之间",
                )
            )
        if problems:
            raise ValueInvalid(problems[0].message, problems[0].message_zh, errors=problems)

    async def _require_enter(self, indicator: Indicator, unit_id: int) -> None:
        """A unit enters its own values (for indicators it reports); the office may enter any."""
        require_scope(self.principal, "scoring:write")
        if self.principal.has_role("unit") and not self.principal.has_role("office", "admin"):
            if unit_id != self.principal.unit_id:
                raise Forbidden("A unit enters only its own values", "责任单位只能填报本单位的指标值")
            if indicator.unit_ids and unit_id not in indicator.unit_ids:
                raise Forbidden("Your unit does not report this indicator", "本单位不填报该指标")
            # An indicator naming no units is reported by the plan's units, not by any unit of any plan: a value
            # entered puts its unit in the plan's assessment.
            if not indicator.unit_ids and unit_id not in await self._plan_unit_ids(indicator.plan_id):
                raise Forbidden("Your unit has no task in this plan", "本单位不是该方案的责任单位")
            return
        await require_manage(self.principal, self.tasks, indicator.plan_id, indicator.office_unit_id)

    async def _plan_unit_ids(self, plan_id: int) -> set[int]:
        return {u.unit_id for u in (await self.tasks.plan_units(plan_id)).units}

    async def _check_open(self, indicator: Indicator, period: str) -> None:
        if indicator.status == "draft":
            raise IndicatorDraft(
                f"Indicator {indicator.id} is a draft: the office completes it before values are entered",
                f"指标 {indicator.id} 尚为草稿，办公室完善后才能填报",
            )
        if await self.repo.locked(indicator, period):
            raise ValuesLocked(
                f"Period {period} of this plan is published and locked", f"{period} 期考核已发布，指标值已锁定"
            )

    async def enter_value(self, indicator_id: int, data: ValueCreate) -> ValueRead:
        indicator = await self._indicator(indicator_id)
        unit_id = data.unit_id if data.unit_id is not None else self.principal.unit_id
        if unit_id is None:
            raise ValueInvalid(
                "Say which unit the value is for",
                "请指明填报单位",
                errors=[
                    FieldProblem(
                        loc=["body", "unit_id"],
                        code="missing",
                        message="unit_id is required",
                        message_zh="缺少填报单位",
                    )
                ],
            )
        await self._require_enter(indicator, unit_id)
        self._check_value(indicator, data.value, data.unit, data.period)
        await self._check_open(indicator, data.period)
        existing = await self.repo.value_of(indicator.id, unit_id, data.period)
        if existing is not None:
            raise ValueExists(
                f"Value {existing.id} exists; change it with PATCH /v1/values/{existing.id}",
                f"已有指标值 {existing.id}，请用 PATCH 修改",
                value_id=existing.id,
            )
        row = IndicatorValue(
            indicator_id=indicator.id,
            unit_id=unit_id,
            period=data.period,
            value=data.value,
            evidence=data.evidence,
            entered_by=self.principal.actor,
        )
        self.repo.add(row)
        await self.session.flush()
        self._revision(row)
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "create",
            "indicator_value",
            row.id,
            after={"indicator_id": indicator.id, "unit_id": unit_id, "period": data.period, "value": data.value},
        )
        return value_read(row, False)

    def _revision(self, row: IndicatorValue) -> None:
        self.repo.add(
            ValueRevision(
                value_id=row.id,
                revision=row.revision,
                value=row.value,
                evidence=row.evidence,
                status=row.status,
                by=self.principal.actor,
            )
        )

    async def _value(self, value_id: int, *, for_update: bool = False) -> tuple[IndicatorValue, Indicator]:
        require_read(self.principal)
        row = await self.repo.value(value_id, for_update=for_update)
        if row is None or not (reads_everything(self.principal) or row.unit_id == self.principal.unit_id):
            raise ValueNotFound(f"No value {value_id}", f"指标值 {value_id} 不存在")
        indicator = await self.repo.get(row.indicator_id)
        assert indicator is not None
        return row, indicator

    async def get_value(self, value_id: int) -> ValueRead:
        row, indicator = await self._value(value_id)
        return value_read(row, await self.repo.locked(indicator, row.period))

    async def change_value(self, value_id: int, data: ValueUpdate, if_match: str | None) -> ValueRead:
        row, indicator = await self._value(value_id, for_update=True)
        await self._require_enter(indicator, row.unit_id)
        check_if_match(if_match, row_etag("value", row))
        await self._check_open(indicator, row.period)
        changes = data.model_dump(exclude_unset=True)
        self._check_value(indicator, changes.get("value", row.value), data.unit, None)
        before = {"value": row.value, "evidence": row.evidence, "status": row.status}
        row.value = changes.get("value", row.value)
        row.evidence = changes.get("evidence", row.evidence)
        # A changed value needs verifying again.
        row.status, row.verified_by, row.verified_at = "entered", None, None
        row.revision += 1
        self._revision(row)
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "update",
            "indicator_value",
            row.id,
            before=before,
            after={"value": row.value, "evidence": row.evidence, "revision": row.revision},
        )
        return value_read(row, False)

    async def verify_value(self, value_id: int, if_match: str | None) -> ValueRead:
        row, indicator = await self._value(value_id, for_update=True)
        await require_manage(self.principal, self.tasks, indicator.plan_id, indicator.office_unit_id)
        check_if_match(if_match, row_etag("value", row))
        await self._check_open(indicator, row.period)
        row.status, row.verified_by, row.verified_at = "verified", self.principal.actor, datetime.now(UTC)
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "verify",
            "indicator_value",
            row.id,
            after={"revision": row.revision},
        )
        return value_read(row, False)

    async def values(
        self, indicator_id: int, *, limit: int, cursor: list[Any] | None, period: str | None, unit_id: int | None
    ) -> Page[ValueRead]:
        indicator = await self._indicator(indicator_id)
        if not reads_everything(self.principal):
            unit_id = self.principal.unit_id or -1
        rows = await self.repo.values(
            indicator.id, limit=limit, after_id=int(cursor[0]) if cursor else None, period=period, unit_id=unit_id
        )
        page = make_page(rows, limit, lambda r: [r.id])
        locked = await self.repo.locked_periods(indicator.plan_id)
        return Page[ValueRead](
            items=[value_read(r, r.period in locked) for r in page.items], next_cursor=page.next_cursor
        )

    async def revisions(self, value_id: int, *, limit: int, cursor: list[Any] | None) -> Page[RevisionRead]:
        row, _ = await self._value(value_id)
        rows = await self.repo.revisions(row.id, limit=limit, after=int(cursor[0]) if cursor else None)
        page = make_page(rows, limit, lambda r: [r.revision])
        items = [
            RevisionRead(
                revision=r.revision,
                value=r.value,
                evidence=r.evidence,
                status=r.status,  # type: ignore[arg-type]
                by=r.by,
                at=r.at,
            )
            for r in page.items
        ]
        return Page[RevisionRead](items=items, next_cursor=page.next_cursor)

    async def attach(
        self, value_id: int, filename: str, content_type: str, data: bytes, max_bytes: int
    ) -> AttachmentRead:
        row, indicator = await self._value(value_id, for_update=True)
        await self._require_enter(indicator, row.unit_id)
        await self._check_open(indicator, row.period)
        if len(data) > max_bytes:
            raise PayloadTooLarge(f"The file is larger than {max_bytes} bytes", f"附件超过 {max_bytes // 1048576} MB")
        attachment = ValueAttachment(
            value_id=row.id,
            filename=safe_filename(filename, default="attachment"),
            content_type=safe_content_type(content_type),
            size=len(data),
            data=data,
            created_by=self.principal.actor,
        )
        self.repo.add(attachment)
        await self.session.flush()
        await self.session.refresh(attachment)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "attach",
            "indicator_value",
            row.id,
            after={"attachment_id": attachment.id, "filename": attachment.filename},
        )
        return AttachmentRead.model_validate(attachment, from_attributes=True)

    async def attachments(self, value_id: int, *, limit: int, cursor: list[Any] | None) -> Page[AttachmentRead]:
        row, _ = await self._value(value_id)
        rows = await self.repo.attachments(row.id, limit=limit, after_id=int(cursor[0]) if cursor else None)
        page = make_page(rows, limit, lambda a: [a.id])
        return Page[AttachmentRead](
            items=[AttachmentRead.model_validate(a, from_attributes=True) for a in page.items],
            next_cursor=page.next_cursor,
        )

    async def attachment_content(self, attachment_id: int) -> ValueAttachment:
        attachment = await self.repo.attachment(attachment_id)
        if attachment is None:
            raise AttachmentNotFound(f"No attachment {attachment_id}", f"附件 {attachment_id} 不存在")
        await self._value(attachment.value_id)
        await self.session.refresh(attachment, ["data"])
        return attachment

    # -- benchmarks --------------------------------------------------------------------------------------

    async def upsert_benchmark(self, data: BenchmarkUpsert) -> tuple[BenchmarkRead, bool]:
        indicator = await self._indicator(data.indicator_id)
        await require_manage(self.principal, self.tasks, indicator.plan_id, indicator.office_unit_id)
        self._check_value(indicator, data.value, None, data.period)
        await self._check_open(indicator, data.period)
        row = await self.repo.benchmark_of(indicator.id, data.period)
        created = row is None
        before = None if row is None else {"value": row.value, "source": row.source}
        if row is None:
            row = Benchmark(
                indicator_id=indicator.id,
                period=data.period,
                value=data.value,
                source=data.source,
                entered_by=self.principal.actor,
            )
            self.repo.add(row)
        else:
            row.value, row.source, row.entered_by = data.value, data.source, self.principal.actor
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "create" if created else "update",
            "benchmark",
            row.id,
            before=before,
            after={"value": row.value, "source": row.source},
        )
        return BenchmarkRead.model_validate(row, from_attributes=True), created

    async def benchmarks(
        self, *, limit: int, cursor: list[Any] | None, indicator_id: int | None, period: str | None
    ) -> Page[BenchmarkRead]:
        require_read(self.principal)
        rows = await self.repo.benchmarks(
            limit=limit, after_id=int(cursor[0]) if cursor else None, indicator_id=indicator_id, period=period
        )
        page = make_page(rows, limit, lambda r: [r.id])
        return Page[BenchmarkRead](
            items=[BenchmarkRead.model_validate(r, from_attributes=True) for r in page.items],
            next_cursor=page.next_cursor,
        )
