"""Schemes (考核方案), assessment runs, scorecards, rankings, and the events other services read."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi_scoring.rules import DEFAULT_GRADE_BANDS, GradeBand, MissingPolicy
from luoshi_scoring.schemas.indicators import PERIOD_DOC, PERIOD_PATTERN, PeriodKind

Metric = Literal["on_time_completion_rate", "on_time_report_rate", "overdue", "reports_returned"]
TieRule = Literal["shared", "by_on_time_rate", "by_id"]
CarriedOver = Literal["count", "ignore"]
AssessmentStatus = Literal["queued", "running", "done", "failed"]

DEFAULT_BANDS = list(DEFAULT_GRADE_BANDS)


class SchemeIndicator(BaseModel):
    indicator_id: int
    weight: float | None = Field(default=None, gt=0, description="Overrides the indicator's weight in this scheme")


class PerformanceItem(BaseModel):
    """Task performance from tasks-api. A rate earns `points × rate`; a count loses `per_item` points for each
    one, down to zero. Worked example: on-time completion 18 of 20 (0.9) with points 10 → 9 points; 2 overdue
    tasks with points 5 and per_item 2 → 1 point."""

    metric: Metric
    points: float = Field(gt=0)
    per_item: float = Field(default=1, gt=0, description="For counts: points lost per overdue task or return")


class AdjustmentItem(BaseModel):
    """A deduction or bonus the office records per unit with evidence (e.g. 通报批评 −2, 新获中国名牌 +5),
    capped per unit."""

    item: str = Field(min_length=1, max_length=100, examples=["通报批评", "新获中国名牌"])
    kind: Literal["deduction", "bonus"]
    points: float = Field(gt=0, description="Points per occurrence")
    cap: float | None = Field(default=None, gt=0, description="Most points this item can add or remove in total")


class SchemeConfig(BaseModel):
    period_kind: PeriodKind = "yearly"
    indicators: list[SchemeIndicator] | None = Field(
        default=None, description="Scored indicators; null: every indicator of the plan with its own weight"
    )
    performance: list[PerformanceItem] = Field(default_factory=list)
    adjustments: list[AdjustmentItem] = Field(default_factory=list)
    grade_bands: list[GradeBand] = Field(default_factory=lambda: list(DEFAULT_BANDS))
    tie_rule: TieRule = Field(
        default="shared",
        description="shared: equal totals share a rank (1, 2, 2, 4); by_on_time_rate: the better on-time "
        "completion rate ranks first, then shared; by_id: then by unit id",
    )
    deadline_basis: Literal["original", "extended"] = Field(
        default="original", description="Judge on-time completion by the original or the extended deadline"
    )
    missing_policy: MissingPolicy = Field(default="zero", description="How a missing value scores (flagged)")
    carried_over: CarriedOver = Field(
        default="count",
        description="Overdue tasks carried over from earlier periods (due before the period, still open when it "
        "began: tasks-api's `overdue_carried_over`): `count` adds them to the `overdue` metric, `ignore` leaves "
        "them out. Counted by default, so a task overdue since last year does not give this year full marks",
    )
    unit_ids: list[int] | None = Field(default=None, description="Units assessed; null: every unit with data")


class SchemeCreate(SchemeConfig):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "plan_id": 1,
                    "name": "2026年度创建工作考核",
                    "performance": [
                        {"metric": "on_time_completion_rate", "points": 10},
                        {"metric": "overdue", "points": 5, "per_item": 1},
                    ],
                    "adjustments": [
                        {"item": "通报批评", "kind": "deduction", "points": 2, "cap": 10},
                        {"item": "新获中国名牌", "kind": "bonus", "points": 5},
                    ],
                }
            ]
        },
    )

    plan_id: int
    name: str = Field(min_length=2, max_length=300)


class SchemeUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"tie_rule": "by_on_time_rate"}]})

    # Absent: unchanged. Fields whose column cannot be empty are not nullable: null is a 422, not a 500.
    name: str = Field(default=None, min_length=2, max_length=300)
    indicators: list[SchemeIndicator] | None = None
    performance: list[PerformanceItem] = None  # type: ignore[assignment]
    adjustments: list[AdjustmentItem] = None  # type: ignore[assignment]
    grade_bands: list[GradeBand] = None  # type: ignore[assignment]
    tie_rule: TieRule = None  # type: ignore[assignment]
    deadline_basis: Literal["original", "extended"] = None  # type: ignore[assignment]
    missing_policy: MissingPolicy = None  # type: ignore[assignment]
    carried_over: CarriedOver = None  # type: ignore[assignment]
    unit_ids: list[int] | None = None


class SchemeRead(SchemeConfig):
    id: int
    plan_id: int
    name: str
    version: int
    created_at: datetime
    updated_at: datetime


class AdjustmentCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"unit_id": 3, "period": "2026", "item": "通报批评", "evidence": "夏政办通〔2026〕5号"}]
        },
    )

    unit_id: int
    period: str = Field(pattern=PERIOD_PATTERN, description=PERIOD_DOC)
    item: str = Field(description="One of the scheme's adjustment items")
    evidence: str = Field(min_length=2, max_length=5000, description="What it is based on (a 文号, a title won)")


class AdjustmentRead(BaseModel):
    id: int
    scheme_id: int
    unit_id: int
    period: str
    item: str
    points: float
    evidence: str | None
    entered_by: str | None
    created_at: datetime


class AssessmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"scheme_id": 1, "period": "2026"}]})

    scheme_id: int
    period: str = Field(pattern=PERIOD_PATTERN, description=PERIOD_DOC)


class AssessmentRead(BaseModel):
    id: int
    scheme_id: int
    plan_id: int
    period: str
    run_version: int = Field(description="1 for the first run of this scheme and period; reruns count up")
    status: AssessmentStatus
    job_id: int | None
    summary: dict[str, Any] | None
    published: bool
    published_at: datetime | None
    published_by: str | None
    version: int
    created_at: datetime


class ScoreLine(BaseModel):
    kind: Literal["indicator", "performance", "deduction", "bonus"]
    ref: str = Field(description="Indicator id, metric, or adjustment item")
    name: str
    value: float | None
    target: float | None = None
    benchmark: float | None = None
    rule: str
    points: float
    max_points: float
    flags: list[str] = Field(default_factory=list)
    explain_zh: str
    explain_en: str


class ScorecardRead(BaseModel):
    assessment_id: int
    unit_id: int
    unit_name: str | None
    total: float
    max_total: float
    percent: float = Field(description="total / max_total × 100: what grade bands apply to")
    rank: int
    grade: str
    lines: list[ScoreLine]


class RankingRow(BaseModel):
    rank: int
    unit_id: int
    unit_name: str | None
    total: float
    percent: float
    grade: str


class Distribution(BaseModel):
    indicator_id: int
    assessment_id: int
    units: int
    missing: int
    min: float | None
    max: float | None
    mean: float | None
    median: float | None
    histogram: list[dict[str, float]] = Field(description="Ten equal-width bins of the values: from, to, count")
    points_mean: float | None
