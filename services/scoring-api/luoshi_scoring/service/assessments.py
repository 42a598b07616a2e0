"""Assessment runs (考核): queued as jobs, computed from a snapshot of their inputs, versioned, published.

A run reads every input once — values, benchmarks, deductions and bonuses, and task performance fetched from
tasks-api — computes each unit's scorecard, ranks and grades, and stores scorecards whose lines say where
every point came from. A rerun is a new version; publishing one locks the period's values and leaves an
`assessment.published` event in the outbox for notify.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal
from luoshi.etag import check_if_match, row_etag
from luoshi.jobs import JobContext, JobFailed, enqueue
from luoshi.jsonutil import dumps_str
from luoshi.outbox import emit
from luoshi.pagination import Page, make_page
from luoshi_scoring.errors import (
    AssessmentNotFound,
    AssessmentNotReady,
    AssessmentPublished,
    PeriodPublished,
    SchemeNotFound,
    ScorecardNotFound,
)
from luoshi_scoring.models import Assessment, AuditLog, Event, Indicator, Job, Scheme
from luoshi_scoring.repository.assessments import AssessmentRepository
from luoshi_scoring.repository.indicators import IndicatorRepository
from luoshi_scoring.rules import IndicatorSpec, rule_adapter
from luoshi_scoring.schemas.assessments import (
    AssessmentCreate,
    AssessmentRead,
    RankingRow,
    SchemeConfig,
    ScorecardRead,
)
from luoshi_scoring.service.access import reads_everything, require_manage, require_read
from luoshi_scoring.service.compute import Inputs, ScoredIndicator, compute, expand
from luoshi_scoring.service.indicators import period_range

ASSESSMENT_JOB = "assessment_run"


async def assessment_reads(repo: AssessmentRepository, rows: list[Assessment]) -> list[AssessmentRead]:
    """A run still queued or running whose job failed reads as failed; one query for the whole page."""
    unfinished = [r.job_id for r in rows if r.status in ("queued", "running") and r.job_id is not None]
    failed = await repo.failed_jobs(unfinished) if unfinished else set()
    return [_read(row, "failed" if row.job_id in failed else row.status) for row in rows]


async def assessment_read(repo: AssessmentRepository, row: Assessment) -> AssessmentRead:
    return (await assessment_reads(repo, [row]))[0]


def _read(row: Assessment, status: str) -> AssessmentRead:
    return AssessmentRead(
        id=row.id,
        scheme_id=row.scheme_id,
        plan_id=row.plan_id,
        period=row.period,
        run_version=row.run_version,
        status=status,
        job_id=row.job_id,
        summary=row.summary,
        published=row.published,  # type: ignore[arg-type]
        published_at=row.published_at,
        published_by=row.published_by,
        version=row.version,
        created_at=row.created_at,
    )


class AssessmentService:
    def __init__(self, session: AsyncSession, principal: Principal, tasks: Any = None) -> None:
        self.session = session
        self.principal = principal
        self.tasks = tasks
        self.repo = AssessmentRepository(session)

    async def _assessment(self, assessment_id: int, *, for_update: bool = False) -> Assessment:
        require_read(self.principal)
        row = await self.repo.get(assessment_id, for_update=for_update)
        # A unit sees an assessment only once it is published.
        if row is None or not (reads_everything(self.principal) or row.published):
            raise AssessmentNotFound(f"No assessment {assessment_id}", f"考核 {assessment_id} 不存在")
        return row

    async def start(self, data: AssessmentCreate) -> AssessmentRead:
        require_read(self.principal)
        scheme = await self.repo.scheme(data.scheme_id, for_update=True)  # serialises run numbering
        if scheme is None:
            raise SchemeNotFound(f"No scheme {data.scheme_id}", f"考核方案 {data.scheme_id} 不存在")
        await require_manage(self.principal, self.tasks, scheme.plan_id, scheme.office_unit_id)
        row = Assessment(
            scheme_id=scheme.id,
            plan_id=scheme.plan_id,
            period=data.period,
            run_version=await self.repo.next_run_version(scheme.id, data.period),
            created_by=self.principal.actor,
        )
        self.repo.add(row)
        await self.session.flush()
        row.job_id = await enqueue(self.session, Job, ASSESSMENT_JOB, {"assessment_id": row.id}, self.principal)
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "run",
            "assessment",
            row.id,
            after={"scheme_id": scheme.id, "period": data.period, "run_version": row.run_version},
        )
        return await assessment_read(self.repo, row)

    async def get(self, assessment_id: int) -> AssessmentRead:
        return await assessment_read(self.repo, await self._assessment(assessment_id))

    async def list(
        self, *, limit: int, cursor: list[Any] | None, scheme_id: int | None, period: str | None
    ) -> Page[AssessmentRead]:
        require_read(self.principal)
        published = None if reads_everything(self.principal) else True
        rows = await self.repo.list(
            limit=limit,
            after_id=int(cursor[0]) if cursor else None,
            scheme_id=scheme_id,
            period=period,
            published=published,
        )
        page = make_page(rows, limit, lambda r: [r.id])
        return Page[AssessmentRead](items=await assessment_reads(self.repo, page.items), next_cursor=page.next_cursor)

    async def publish(self, assessment_id: int, if_match: str | None) -> AssessmentRead:
        row = await self._assessment(assessment_id, for_update=True)
        scheme = await self.repo.scheme(row.scheme_id)
        assert scheme is not None
        await require_manage(self.principal, self.tasks, scheme.plan_id, scheme.office_unit_id)
        check_if_match(if_match, row_etag("assessment", row))
        if row.published:
            raise AssessmentPublished(f"Assessment {row.id} is published", f"考核 {row.id} 已发布")
        if row.status != "done":
            raise AssessmentNotReady(f"Assessment {row.id} is {row.status}", f"考核 {row.id} 尚未完成计算")
        other = await self.repo.published_version(row.scheme_id, row.period)
        if other is not None:
            raise PeriodPublished(
                f"Version {other.run_version} of {row.period} is published",
                f"{row.period} 期已发布第 {other.run_version} 版",
            )
        row.published, row.published_at, row.published_by = True, datetime.now(UTC), self.principal.actor
        top = await self.repo.scorecards(row.id, limit=10, after=None, with_lines=False)
        # The outbox row commits with the publication: notify reads it whenever it runs, so it cannot be lost.
        await emit(
            self.session,
            Event,
            "assessment.published",
            f"assessment:{row.id}",
            {
                "assessment_id": row.id,
                "scheme_id": row.scheme_id,
                "scheme": scheme.name,
                "plan_id": row.plan_id,
                "period": row.period,
                "run_version": row.run_version,
                "summary": row.summary,
                "top": [
                    {"rank": r.rank, "unit_id": r.unit_id, "unit_name": r.unit_name, "total": r.total, "grade": r.grade}
                    for r in top
                ],
            },
        )
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "publish",
            "assessment",
            row.id,
            after={"run_version": row.run_version, "period": row.period},
        )
        return await assessment_read(self.repo, row)

    def _own_unit_only(self) -> int | None:
        return None if reads_everything(self.principal) else (self.principal.unit_id or -1)

    async def scorecards(
        self, assessment_id: int, *, limit: int, cursor: list[Any] | None, unit_id: int | None, grade: str | None
    ) -> Page[ScorecardRead]:
        row = await self._assessment(assessment_id)
        own = self._own_unit_only()
        rows = await self.repo.scorecards(
            row.id,
            limit=limit,
            after=(cursor[0], cursor[1]) if cursor else None,
            unit_id=own if own is not None else unit_id,
            grade=grade,
        )
        page = make_page(rows, limit, lambda r: [r.rank, r.unit_id])
        snapshot = await self._snapshot(row)
        return Page[ScorecardRead](
            items=[self._card(row, r, snapshot) for r in page.items], next_cursor=page.next_cursor
        )

    async def _snapshot(self, row: Assessment) -> dict[str, Any]:
        await self.session.refresh(row, ["inputs"])
        return dict(row.inputs or {})

    @staticmethod
    def _card(row: Assessment, card: Any, snapshot: dict[str, Any]) -> ScorecardRead:
        fields = dict(card._mapping)
        fields["lines"] = expand(fields["lines"], snapshot)
        return ScorecardRead(assessment_id=row.id, **fields)

    async def scorecard(self, assessment_id: int, unit_id: int) -> ScorecardRead:
        row = await self._assessment(assessment_id)
        own = self._own_unit_only()
        found = (
            []
            if own is not None and own != unit_id
            else await self.repo.scorecards(row.id, limit=1, after=None, unit_id=unit_id)
        )
        if not found:
            raise ScorecardNotFound(f"No scorecard of unit {unit_id}", f"没有单位 {unit_id} 的评分表")
        return self._card(row, found[0], await self._snapshot(row))

    async def ranking(self, assessment_id: int, *, limit: int, cursor: list[Any] | None) -> Page[RankingRow]:
        row = await self._assessment(assessment_id)
        rows = await self.repo.scorecards(
            row.id, limit=limit, after=(cursor[0], cursor[1]) if cursor else None, with_lines=False
        )
        page = make_page(rows, limit, lambda r: [r.rank, r.unit_id])
        return Page[RankingRow](
            items=[RankingRow(**{k: v for k, v in r._mapping.items() if k != "max_total"}) for r in page.items],
            next_cursor=page.next_cursor,
        )

    async def all_scorecards(self, assessment_id: int) -> tuple[Assessment, list[Any]]:
        row = await self._assessment(assessment_id)
        if not reads_everything(self.principal):
            raise AssessmentNotFound(f"No assessment {assessment_id}", f"考核 {assessment_id} 不存在")
        snapshot = await self._snapshot(row)
        cards = await self.repo.scorecards(row.id, limit=1_000_000, after=None)
        return row, [self._card(row, c, snapshot) for c in cards]


async def gather_inputs(session: AsyncSession, scheme: Scheme, period: str, tasks: Any) -> tuple[Inputs, dict]:
    """Everything the run uses, read once. Also returned as a JSON snapshot kept with the assessment."""
    config = SchemeConfig.model_validate(scheme.config)
    repo = AssessmentRepository(session)
    plan_indicators = {i.id: i for i in await IndicatorRepository(session).of_plan(scheme.plan_id)}
    chosen: list[tuple[Indicator, float]] = []
    if config.indicators is None:
        chosen = [(i, i.weight) for i in plan_indicators.values()]
    else:
        for item in config.indicators:
            if item.indicator_id not in plan_indicators:
                raise JobFailed(
                    [
                        {
                            "code": "indicator_missing",
                            "message": f"Indicator {item.indicator_id} is gone, or a draft not completed yet",
                            "message_zh": f"指标 {item.indicator_id} 已不存在，或尚为未完善的草稿",
                        }
                    ]
                )
            indicator = plan_indicators[item.indicator_id]
            chosen.append((indicator, item.weight or indicator.weight))
    ids = [i.id for i, _ in chosen]
    values: dict[int, dict[int, float]] = {i: {} for i in ids}
    seen_units: set[int] = set()
    for indicator_id, unit_id, value in await repo.values(ids, period):
        values[indicator_id][unit_id] = value
        seen_units.add(unit_id)
    benchmarks = await repo.benchmarks(ids, period) if ids else {}
    performance: dict[int, dict[str, Any]] = {}
    names: dict[int, str | None] = {}
    if config.performance or config.tie_rule == "by_on_time_rate" or config.unit_ids is None:
        start, end = period_range(period)
        result = await tasks.plan_performance(scheme.plan_id, start, end, config.deadline_basis)
        for unit in result.units:
            performance[unit.unit_id] = unit.model_dump(mode="json")
            names[unit.unit_id] = unit.unit_name
    item_of = {a.item: a for a in config.adjustments}
    adjustments = [
        {
            "unit_id": a.unit_id,
            "item": a.item,
            "kind": item_of[a.item].kind,
            "points": item_of[a.item].points,
            "cap": item_of[a.item].cap,
            "evidence": a.evidence,
        }
        for a in await repo.adjustments(scheme.id, period)
        if a.item in item_of
    ]
    if config.unit_ids is not None:
        unit_ids = list(config.unit_ids)
    else:
        reporting = {u for i, _ in chosen for u in (i.unit_ids or [])}
        unit_ids = sorted(seen_units | reporting | set(performance) | {a["unit_id"] for a in adjustments})
    inputs = Inputs(
        indicators=[
            ScoredIndicator(
                spec=IndicatorSpec(
                    id=i.id,
                    name=i.name,
                    unit=i.unit,
                    comparator=i.comparator,
                    target=i.target,  # type: ignore[arg-type]
                    target_high=i.target_high,
                    baseline=i.baseline,
                    weight=weight,
                ),
                rule=rule_adapter.validate_python(i.rule),
            )
            for i, weight in chosen
        ],
        values=values,
        benchmarks=benchmarks,
        performance=performance,
        performance_items=[{**p.model_dump(), "carried_over": config.carried_over} for p in config.performance],
        adjustments=adjustments,
        unit_ids=unit_ids,
        unit_names=names,
        missing_policy=config.missing_policy,
        grade_bands=config.grade_bands,
        tie_rule=config.tie_rule,
    )
    snapshot = {
        "scheme": {"id": scheme.id, "name": scheme.name, "version": scheme.version, "config": scheme.config},
        "indicators": [
            {
                "id": i.id,
                "name": i.name,
                "unit": i.unit,
                "comparator": i.comparator,
                "target": i.target,
                "target_high": i.target_high,
                "baseline": i.baseline,
                "weight": w,
                "rule": i.rule,
                "version": i.version,
            }
            for i, w in chosen
        ],
        "benchmarks": {str(k): v for k, v in benchmarks.items()},
        "performance": {str(k): v for k, v in performance.items()},
        "adjustments": adjustments,
        "units": unit_ids,
        "values_read": sum(len(v) for v in values.values()),
    }
    return inputs, snapshot


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    grades: dict[str, int] = {}
    for r in rows:
        grades[r["grade"]] = grades.get(r["grade"], 0) + 1
    totals = sorted(r["total"] for r in rows)
    return {
        "units": len(rows),
        "grades": grades,
        "mean": round(sum(totals) / len(totals), 2) if totals else None,
        "max": totals[-1] if totals else None,
        "min": totals[0] if totals else None,
    }


async def run_assessment(session: AsyncSession, assessment_id: int, tasks: Any, progress: Any = None) -> dict:
    repo = AssessmentRepository(session)
    row = await repo.get(assessment_id, for_update=True)
    if row is None:
        raise JobFailed(
            [{"code": "assessment_missing", "message": "The assessment is gone", "message_zh": "考核不存在"}]
        )
    scheme = await repo.scheme(row.scheme_id)
    assert scheme is not None
    inputs, snapshot = await gather_inputs(session, scheme, row.period, tasks)
    if progress is not None:
        await progress(1, 3)
    rows = compute(inputs)
    if progress is not None:
        await progress(2, 3)

    await repo.write_scorecards(
        [
            (
                row.id,
                r["unit_id"],
                r["unit_name"],
                r["total"],
                r["max_total"],
                r["percent"],
                r["rank"],
                r["grade"],
                dumps_str(r["lines"]),
            )
            for r in rows
        ]
    )
    row.inputs, row.summary, row.status = snapshot, summarise(rows), "done"
    await session.flush()
    return {"assessment_id": row.id, "run_version": row.run_version, **(row.summary or {})}


async def run_assessment_job(ctx: JobContext, tasks: Any) -> dict[str, Any]:
    result = await run_assessment(ctx.session, ctx.payload["assessment_id"], tasks, ctx.progress)
    await ctx.progress(3, 3)
    return result
