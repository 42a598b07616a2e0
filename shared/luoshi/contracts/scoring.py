"""What other services send to and read from scoring-api."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class DraftIndicatorWire(BaseModel):
    """An indicator as a plan's text states it, handed to scoring-api as a draft (POST /v1/indicators/drafts)."""

    name: str = Field(min_length=2, max_length=300)
    unit: str | None = Field(default=None, max_length=50)
    comparator: Literal[">=", ">", "=", "<=", "<", "range"] = ">="
    target: float | None = None
    target_high: float | None = None
    benchmark_name: str | None = Field(default=None, max_length=200)


class IndicatorBrief(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    plan_id: int
    name: str
    status: str


class IndicatorPage(BaseModel):
    items: list[IndicatorBrief]
    next_cursor: str | None = None


class ValueBrief(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    unit_id: int
    period: str


class ValuePage(BaseModel):
    items: list[ValueBrief]
    next_cursor: str | None = None
