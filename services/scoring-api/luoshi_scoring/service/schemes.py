"""Schemes (考核方案) and the deductions and bonuses recorded against them."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal
from luoshi.errors import FieldProblem, ReferenceOutsidePlan, ValidationFailed
from luoshi.etag import check_if_match, row_etag
from luoshi.pagination import Page, make_page
from luoshi.plan_access import require_manage_plan
from luoshi_scoring.errors import AdjustmentItemUnknown, SchemeNotFound
from luoshi_scoring.models import Adjustment, AuditLog, Scheme
from luoshi_scoring.repository.assessments import AssessmentRepository
from luoshi_scoring.repository.indicators import IndicatorRepository
from luoshi_scoring.schemas.assessments import (
    AdjustmentCreate,
    AdjustmentRead,
    SchemeConfig,
    SchemeCreate,
    SchemeRead,
    SchemeUpdate,
)
from luoshi_scoring.service.access import fetch_plan, require_manage, require_read


def scheme_read(row: Scheme) -> SchemeRead:
    return SchemeRead(
        **SchemeConfig.model_validate(row.config).model_dump(),
        id=row.id,
        plan_id=row.plan_id,
        name=row.name,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SchemeService:
    def __init__(self, session: AsyncSession, principal: Principal, tasks: Any = None) -> None:
        self.session = session
        self.principal = principal
        self.tasks = tasks
        self.repo = AssessmentRepository(session)

    async def _scheme(self, scheme_id: int, *, for_update: bool = False) -> Scheme:
        require_read(self.principal)
        row = await self.repo.scheme(scheme_id, for_update=for_update)
        if row is None:
            raise SchemeNotFound(f"No scheme {scheme_id}", f"考核方案 {scheme_id} 不存在")
        return row

    async def create(self, data: SchemeCreate) -> SchemeRead:
        plan = await fetch_plan(self.tasks, data.plan_id)
        require_manage_plan(self.principal, plan, "scoring:write")
        config = SchemeConfig.model_validate(data.model_dump(exclude={"plan_id", "name"})).model_dump(mode="json")
        await self._check_indicators(data.plan_id, config.get("indicators"))
        row = Scheme(plan_id=data.plan_id, office_unit_id=plan.office_unit_id, name=data.name, config=config)
        self.repo.add(row)
        await self.session.flush()
        await self.session.refresh(row)
        read = scheme_read(row)
        await audit.record(
            self.session, AuditLog, self.principal, "create", "scheme", row.id, after=read.model_dump(mode="json")
        )
        return read

    async def _check_indicators(self, plan_id: int, items: list[dict[str, Any]] | None) -> None:
        """A scheme scores its own plan's indicators; another plan's (or none) is a 422 naming the entry."""
        indicators = IndicatorRepository(self.session)
        for i, item in enumerate(items or []):
            found = await indicators.get(item["indicator_id"])
            if found is None or found.plan_id != plan_id:
                raise ReferenceOutsidePlan(
                    f"Indicator {item['indicator_id']} is not an indicator of plan {plan_id}",
                    f"指标 {item['indicator_id']} 不是方案 {plan_id} 的指标",
                    errors=[
                        FieldProblem(
                            loc=["body", "indicators", i, "indicator_id"],
                            code="reference_outside_plan",
                            message=f"Indicator {item['indicator_id']} is not an indicator of plan {plan_id}",
                            message_zh=f"指标 {item['indicator_id']} 不是方案 {plan_id} 的指标",
                        )
                    ],
                )

    async def get(self, scheme_id: int) -> SchemeRead:
        return scheme_read(await self._scheme(scheme_id))

    async def list(self, *, limit: int, cursor: list[Any] | None, plan_id: int | None) -> Page[SchemeRead]:
        require_read(self.principal)
        rows = await self.repo.schemes(limit=limit, after_id=int(cursor[0]) if cursor else None, plan_id=plan_id)
        page = make_page(rows, limit, lambda r: [r.id])
        return Page[SchemeRead](items=[scheme_read(r) for r in page.items], next_cursor=page.next_cursor)

    async def update(self, scheme_id: int, data: SchemeUpdate, if_match: str | None) -> SchemeRead:
        row = await self._scheme(scheme_id, for_update=True)
        await require_manage(self.principal, self.tasks, row.plan_id, row.office_unit_id)
        check_if_match(if_match, row_etag("scheme", row))
        before = scheme_read(row).model_dump(mode="json")
        changes = data.model_dump(exclude_unset=True, mode="json")
        if "name" in changes:
            row.name = changes.pop("name")
        try:
            config = SchemeConfig.model_validate({**row.config, **changes})
            await self._check_indicators(row.plan_id, changes.get("indicators"))
        except ValidationError as exc:  # the change is fine alone but not with what the scheme already holds
            raise ValidationFailed(
                "The scheme would not be valid after this change",
                "修改后的考核方案不合法",
                errors=[FieldProblem(loc=["body", *e["loc"]], code=e["type"], message=e["msg"]) for e in exc.errors()],
            ) from exc
        row.config = config.model_dump(mode="json")
        await self.session.flush()
        await self.session.refresh(row)
        read = scheme_read(row)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "update",
            "scheme",
            row.id,
            before=before,
            after=read.model_dump(mode="json"),
        )
        return read

    async def add_adjustment(self, scheme_id: int, data: AdjustmentCreate) -> AdjustmentRead:
        row = await self._scheme(scheme_id)
        await require_manage(self.principal, self.tasks, row.plan_id, row.office_unit_id)
        items = {i["item"]: i for i in row.config.get("adjustments", [])}
        if data.item not in items:
            raise AdjustmentItemUnknown(
                f"The scheme has no item '{data.item}'; it has: {', '.join(items) or 'none'}",
                f"考核方案中没有“{data.item}”，可用：{'、'.join(items) or '无'}",
            )
        item = items[data.item]
        sign = -1 if item["kind"] == "deduction" else 1
        adjustment = Adjustment(
            scheme_id=row.id,
            unit_id=data.unit_id,
            period=data.period,
            item=data.item,
            points=sign * float(item["points"]),
            evidence=data.evidence,
            entered_by=self.principal.actor,
        )
        self.repo.add(adjustment)
        await self.session.flush()
        await self.session.refresh(adjustment)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "create",
            "adjustment",
            adjustment.id,
            after={
                "scheme_id": row.id,
                "unit_id": data.unit_id,
                "item": data.item,
                "points": adjustment.points,
                "evidence": data.evidence,
            },
        )
        return AdjustmentRead.model_validate(adjustment, from_attributes=True)

    async def adjustments(
        self, scheme_id: int, period: str | None, *, limit: int, cursor: list[Any] | None
    ) -> Page[AdjustmentRead]:
        row = await self._scheme(scheme_id)
        rows = await self.repo.adjustments(row.id, period, limit=limit, after_id=int(cursor[0]) if cursor else None)
        page = make_page(rows, limit, lambda a: [a.id])
        return Page[AdjustmentRead](
            items=[AdjustmentRead.model_validate(a, from_attributes=True) for a in page.items],
            next_cursor=page.next_cursor,
        )
