"""Every query on schemes, adjustments, assessments, scorecards and the event outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.db import driver_connection
from luoshi_scoring.models import Adjustment, Assessment, Benchmark, Job, Scheme, Scorecard

# The assessment's one big read: every value of the scheme's indicators for the period.
RAW_VALUES_SQL = (
    "SELECT indicator_id, unit_id, value FROM scoring.indicator_value WHERE indicator_id = ANY($1) AND period = $2"
)
SCORECARD_COLUMNS = [
    "assessment_id",
    "unit_id",
    "unit_name",
    "total",
    "max_total",
    "percent",
    "rank",
    "grade",
    "lines",
]


class AssessmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: object) -> None:
        self.session.add(row)

    async def scheme(self, scheme_id: int, *, for_update: bool = False) -> Scheme | None:
        return await self.session.get(Scheme, scheme_id, with_for_update=for_update)

    async def schemes(self, *, limit: int, after_id: int | None, plan_id: int | None) -> list[Scheme]:
        q = select(Scheme).order_by(Scheme.id).limit(limit + 1)
        if after_id is not None:
            q = q.where(Scheme.id > after_id)
        if plan_id is not None:
            q = q.where(Scheme.plan_id == plan_id)
        return list(await self.session.scalars(q))

    async def adjustments(
        self, scheme_id: int, period: str | None = None, *, limit: int | None = None, after_id: int | None = None
    ) -> list[Adjustment]:
        """All of them (a run reads every one), or a page: `limit` + 1 after `after_id`."""
        q = select(Adjustment).where(Adjustment.scheme_id == scheme_id).order_by(Adjustment.id)
        if period:
            q = q.where(Adjustment.period == period)
        if after_id is not None:
            q = q.where(Adjustment.id > after_id)
        if limit is not None:
            q = q.limit(limit + 1)
        return list(await self.session.scalars(q))

    async def get(self, assessment_id: int, *, for_update: bool = False) -> Assessment | None:
        return await self.session.get(Assessment, assessment_id, with_for_update=for_update)

    async def next_run_version(self, scheme_id: int, period: str) -> int:
        q = select(func.max(Assessment.run_version)).where(
            Assessment.scheme_id == scheme_id, Assessment.period == period
        )
        return (await self.session.scalar(q) or 0) + 1

    async def published_version(self, scheme_id: int, period: str) -> Assessment | None:
        q = select(Assessment).where(
            Assessment.scheme_id == scheme_id, Assessment.period == period, Assessment.published.is_(True)
        )
        return await self.session.scalar(q)

    async def list(
        self, *, limit: int, after_id: int | None, scheme_id: int | None, period: str | None, published: bool | None
    ) -> list[Assessment]:
        q = select(Assessment).order_by(Assessment.id.desc()).limit(limit + 1)
        if after_id is not None:
            q = q.where(Assessment.id < after_id)
        if scheme_id is not None:
            q = q.where(Assessment.scheme_id == scheme_id)
        if period:
            q = q.where(Assessment.period == period)
        if published is not None:
            q = q.where(Assessment.published.is_(published))
        return list(await self.session.scalars(q))

    async def failed_jobs(self, job_ids: list[int]) -> set[int]:
        q = select(Job.c.id).where(Job.c.id.in_(job_ids), Job.c.status == "failed")
        return set(await self.session.scalars(q))

    async def values(self, indicator_ids: list[int], period: str) -> list[Any]:
        driver = await driver_connection(self.session)
        return await driver.fetch(RAW_VALUES_SQL, indicator_ids, period)

    async def benchmarks(self, indicator_ids: list[int], period: str) -> dict[int, float]:
        q = select(Benchmark.indicator_id, Benchmark.value).where(
            Benchmark.indicator_id.in_(indicator_ids), Benchmark.period == period
        )
        return {i: v for i, v in (await self.session.execute(q)).all()}

    async def write_scorecards(self, rows: list[tuple[Any, ...]]) -> None:
        """Rows in SCORECARD_COLUMNS order, `lines` already JSON text; written with COPY."""
        if rows:
            driver = await driver_connection(self.session)
            await driver.copy_records_to_table(
                "scorecard", schema_name="scoring", columns=SCORECARD_COLUMNS, records=rows
            )

    async def scorecards(
        self,
        assessment_id: int,
        *,
        limit: int,
        after: tuple[int, int] | None,
        unit_id: int | None = None,
        grade: str | None = None,
        with_lines: bool = True,
    ) -> list[Any]:
        cols = [
            Scorecard.__table__.c[c] for c in ("unit_id", "unit_name", "total", "max_total", "percent", "rank", "grade")
        ]
        if with_lines:
            cols.append(Scorecard.__table__.c.lines)
        q = (
            select(*cols)
            .where(Scorecard.assessment_id == assessment_id)
            .order_by(Scorecard.rank, Scorecard.unit_id)
            .limit(limit + 1)
        )
        if after is not None:
            q = q.where((Scorecard.rank > after[0]) | ((Scorecard.rank == after[0]) & (Scorecard.unit_id > after[1])))
        if unit_id is not None:
            q = q.where(Scorecard.unit_id == unit_id)
        if grade:
            q = q.where(Scorecard.grade == grade)
        return list((await self.session.execute(q)).all())

    async def indicator_lines(self, assessment_id: int, indicator_id: int) -> list[Any]:
        """(value, points) of one indicator's lines: stored as `[ref, value, points, …]`, or worded objects."""
        q = text(
            "SELECT CASE WHEN json_typeof(l) = 'array' THEN (l->>1)::float ELSE (l->>'value')::float END AS value, "
            "CASE WHEN json_typeof(l) = 'array' THEN (l->>2)::float ELSE (l->>'points')::float END AS points "
            "FROM scoring.scorecard s, json_array_elements(s.lines) l WHERE s.assessment_id = :a AND "
            "((json_typeof(l) = 'array' AND l->>0 = :ref) OR (l->>'kind' = 'indicator' AND l->>'ref' = :ref))"
        )
        return list((await self.session.execute(q, {"a": assessment_id, "ref": str(indicator_id)})).all())
