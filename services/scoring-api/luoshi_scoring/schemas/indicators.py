"""Indicators, their values and benchmarks."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi_scoring.rules import Rule

Comparator = Literal[">=", ">", "=", "<=", "<", "range"]
PeriodKind = Literal["monthly", "quarterly", "yearly", "cumulative"]
ValueStatus = Literal["entered", "verified"]
IndicatorStatus = Literal["draft", "active"]

PERIOD_DOC = "`2026` (yearly, cumulative), `2026-Q3` (quarterly) or `2026-09` (monthly)"
# Years 1000-9999 in ASCII digits: "0000" passed `\d{4}` and then broke every date computed from it.
PERIOD_PATTERN = r"^[1-9][0-9]{3}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"


class IndicatorCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "plan_id": 1,
                    "name": "主导产品监督抽查合格率",
                    "unit": "%",
                    "comparator": ">=",
                    "target": 90,
                    "baseline": 80,
                    "period": "yearly",
                    "weight": 10,
                    "rule": {"kind": "anchor", "anchor_share": 0.6, "step": 1, "per_step_up": 1, "per_step_down": 1},
                    "unit_ids": [3, 4],
                }
            ]
        },
    )

    plan_id: int = Field(description="The plan in tasks-api this indicator belongs to")
    task_id: int | None = Field(default=None, description="The task in tasks-api it measures, if any")
    name: str = Field(min_length=2, max_length=300, description="As the plan words it")
    unit: str | None = Field(default=None, max_length=50, examples=["%", "个", "万元/公顷"])
    comparator: Comparator = ">="
    target: float | None = Field(default=None, description="null for a target that is a benchmark (全省平均)")
    target_high: float | None = Field(default=None, description="Upper end of a `range` target")
    benchmark_name: str | None = Field(default=None, max_length=200, examples=["全省产业集聚区平均水平"])
    baseline: float | None = Field(default=None, description="Where the plan starts from (linear rule's zero)")
    period: PeriodKind = "yearly"
    target_year: int | None = Field(
        default=None, ge=1000, le=9999, description="For cumulative indicators: the year to reach it"
    )
    weight: float = Field(gt=0, le=1000, description="The most points it can earn")
    rule: Rule
    unit_ids: list[int] = Field(default_factory=list, description="Units that report it; empty: any unit")


class DraftIndicatorIn(BaseModel):
    """An indicator as a plan's text states it: what tasks-api's plan draft read, for the office to complete."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=300)
    unit: str | None = Field(default=None, max_length=50)
    comparator: Comparator = ">="
    target: float | None = None
    target_high: float | None = None
    benchmark_name: str | None = Field(default=None, max_length=200)


class DraftIndicatorsCreate(BaseModel):
    """A plan's indicators handed over as drafts (`status` draft): stored with a provisional rule (`pass_fail`),
    weight 1 and period yearly, left out of assessments and closed to values until the office completes each one
    (`PATCH` with `status: active`, which checks the rule against the indicator)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"plan_id": 1, "indicators": [{"name": "主导产品监督抽查合格率", "unit": "%", "target": 90}]}]
        },
    )

    plan_id: int
    indicators: list[DraftIndicatorIn] = Field(max_length=500)


class IndicatorUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"target": 95, "weight": 12}]})

    # Absent: unchanged. Fields whose column cannot be empty are not nullable: null is a 422, not a 500.
    name: str = Field(default=None, min_length=2, max_length=300)
    unit: str | None = Field(default=None, max_length=50)
    comparator: Comparator = None  # type: ignore[assignment]
    target: float | None = None
    target_high: float | None = None
    benchmark_name: str | None = Field(default=None, max_length=200)
    baseline: float | None = None
    weight: float = Field(default=None, gt=0, le=1000)
    rule: Rule = None  # type: ignore[assignment]
    unit_ids: list[int] = None  # type: ignore[assignment]
    period: PeriodKind = None  # type: ignore[assignment]
    target_year: int | None = Field(default=None, ge=1000, le=9999)
    status: Literal["active"] = Field(
        default=None,  # type: ignore[assignment]
        description="`active` completes a draft indicator: from then on it is scored and takes values",
    )


class IndicatorRead(BaseModel):
    id: int
    plan_id: int
    task_id: int | None
    name: str
    unit: str | None
    comparator: Comparator
    target: float | None
    target_high: float | None
    benchmark_name: str | None
    baseline: float | None
    period: PeriodKind
    target_year: int | None
    weight: float
    rule: Rule
    unit_ids: list[int]
    status: IndicatorStatus = Field(description="draft: handed over from a plan draft, to be completed by the office")
    version: int
    created_at: datetime
    updated_at: datetime


class ValueCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"unit_id": 3, "period": "2026", "value": 92.5, "unit": "%", "evidence": "2026年省抽查报告"}]
        },
    )

    unit_id: int | None = Field(default=None, description="The reporting unit; a unit user's own by default")
    period: str = Field(pattern=PERIOD_PATTERN, description=PERIOD_DOC)
    value: float
    unit: str | None = Field(default=None, description="If sent, must be the indicator's unit")
    evidence: str | None = Field(default=None, max_length=20000)


class ValueUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"value": 93.1, "evidence": "更正"}]})

    # Absent: unchanged. Fields whose column cannot be empty are not nullable: null is a 422, not a 500.
    value: float = None  # type: ignore[assignment]
    unit: str | None = None
    evidence: str | None = Field(default=None, max_length=20000)


class ValueRead(BaseModel):
    id: int
    indicator_id: int
    unit_id: int
    period: str
    value: float
    evidence: str | None
    status: ValueStatus
    entered_by: str | None
    verified_by: str | None
    verified_at: datetime | None
    revision: int
    locked: bool = Field(description="True once an assessment of this period is published")
    version: int
    created_at: datetime
    updated_at: datetime


class RevisionRead(BaseModel):
    revision: int
    value: float
    evidence: str | None
    status: ValueStatus
    by: str | None
    at: datetime


class AttachmentRead(BaseModel):
    id: int
    value_id: int
    filename: str
    content_type: str
    size: int
    created_by: str | None
    created_at: datetime


class BenchmarkUpsert(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"indicator_id": 1, "period": "2026", "value": 88.0, "source": "省统计公报"}]},
    )

    indicator_id: int
    period: str = Field(pattern=PERIOD_PATTERN, description=PERIOD_DOC)
    value: float
    source: str | None = Field(default=None, max_length=300)


class BenchmarkRead(BaseModel):
    id: int
    indicator_id: int
    period: str
    value: float
    source: str | None
    entered_by: str | None
    version: int
    updated_at: datetime
