"""Every query on indicators, their values (with revisions and attachments) and benchmarks."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_scoring.models import (
    Assessment,
    Benchmark,
    Indicator,
    IndicatorValue,
    Scheme,
    ValueAttachment,
    ValueRevision,
)


class IndicatorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, indicator_id: int, *, for_update: bool = False) -> Indicator | None:
        return await self.session.get(Indicator, indicator_id, with_for_update=for_update)

    def add(self, row: object) -> None:
        self.session.add(row)

    async def list(
        self, *, limit: int, after_id: int | None, plan_id: int | None, unit_id: int | None
    ) -> list[Indicator]:
        q = select(Indicator).order_by(Indicator.id).limit(limit + 1)
        if after_id is not None:
            q = q.where(Indicator.id > after_id)
        if plan_id is not None:
            q = q.where(Indicator.plan_id == plan_id)
        if unit_id is not None:
            q = q.where((Indicator.unit_ids == []) | Indicator.unit_ids.any(unit_id))
        return list(await self.session.scalars(q))

    async def of_plan(self, plan_id: int) -> list[Indicator]:
        """The plan's indicators an assessment scores: drafts are not complete yet."""
        q = select(Indicator).where(Indicator.plan_id == plan_id, Indicator.status == "active")
        return list(await self.session.scalars(q))

    async def value(self, value_id: int, *, for_update: bool = False) -> IndicatorValue | None:
        return await self.session.get(IndicatorValue, value_id, with_for_update=for_update)

    async def value_of(self, indicator_id: int, unit_id: int, period: str) -> IndicatorValue | None:
        q = select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator_id,
            IndicatorValue.unit_id == unit_id,
            IndicatorValue.period == period,
        )
        return await self.session.scalar(q)

    async def values(
        self,
        indicator_id: int,
        *,
        limit: int,
        after_id: int | None,
        period: str | None,
        unit_id: int | None,
    ) -> list[IndicatorValue]:
        q = (
            select(IndicatorValue)
            .where(IndicatorValue.indicator_id == indicator_id)
            .order_by(IndicatorValue.id)
            .limit(limit + 1)
        )
        if after_id is not None:
            q = q.where(IndicatorValue.id > after_id)
        if period:
            q = q.where(IndicatorValue.period == period)
        if unit_id is not None:
            q = q.where(IndicatorValue.unit_id == unit_id)
        return list(await self.session.scalars(q))

    async def revisions(self, value_id: int, *, limit: int, after: int | None) -> list[ValueRevision]:
        q = select(ValueRevision).where(ValueRevision.value_id == value_id).order_by(ValueRevision.revision)
        if after is not None:
            q = q.where(ValueRevision.revision > after)
        return list(await self.session.scalars(q.limit(limit + 1)))

    async def attachments(self, value_id: int, *, limit: int, after_id: int | None) -> list[ValueAttachment]:
        q = select(ValueAttachment).where(ValueAttachment.value_id == value_id).order_by(ValueAttachment.id)
        if after_id is not None:
            q = q.where(ValueAttachment.id > after_id)
        return list(await self.session.scalars(q.limit(limit + 1)))

    async def attachment(self, attachment_id: int) -> ValueAttachment | None:
        return await self.session.get(ValueAttachment, attachment_id)

    async def locked(self, indicator: Indicator, period: str) -> bool:
        """Whether a published assessment of this plan and period used the indicator's values."""
        q = select(
            exists().where(
                Assessment.plan_id == indicator.plan_id,
                Assessment.period == period,
                Assessment.published.is_(True),
            )
        )
        return bool(await self.session.scalar(q))

    async def locked_periods(self, plan_id: int) -> set[str]:
        q = select(Assessment.period).where(Assessment.plan_id == plan_id, Assessment.published.is_(True))
        return set(await self.session.scalars(q))

    async def benchmark_of(self, indicator_id: int, period: str) -> Benchmark | None:
        q = select(Benchmark).where(Benchmark.indicator_id == indicator_id, Benchmark.period == period)
        return await self.session.scalar(q)

    async def benchmarks(
        self, *, limit: int, after_id: int | None, indicator_id: int | None, period: str | None
    ) -> list[Benchmark]:
        q = select(Benchmark).order_by(Benchmark.id).limit(limit + 1)
        if after_id is not None:
            q = q.where(Benchmark.id > after_id)
        if indicator_id is not None:
            q = q.where(Benchmark.indicator_id == indicator_id)
        if period:
            q = q.where(Benchmark.period == period)
        return list(await self.session.scalars(q))

    async def scheme(self, scheme_id: int, *, for_update: bool = False) -> Scheme | None:
        return await self.session.get(Scheme, scheme_id, with_for_update=for_update)
