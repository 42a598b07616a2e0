"""Plan drafts: a policy document read into a proposed plan and breakdown table, for the office to review."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi.deadlines import Deadline
from luoshi_tasks.planparse import PlanDraft
from luoshi_tasks.schemas.plans import PlanRead, PlanStatus

DraftStatus = Literal["open", "accepted"]


class DraftCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "夏邑县人民政府\n夏政〔2015〕29号\n…\n一、工作目标\n（一）产业集聚发展迅速。…",
                    "source_name": "夏邑县创建方案.txt",
                }
            ]
        },
    )

    text: str = Field(min_length=1, max_length=2_000_000, description="The plan's text as copied from the document")
    source_name: str | None = Field(default=None, max_length=300)


class DraftSummary(BaseModel):
    id: int
    title: str | None
    source_name: str | None
    status: DraftStatus
    plan_id: int | None = Field(description="The plan made from it, once accepted")
    tasks: int
    unknown_units: int
    version: int
    created_at: datetime
    updated_at: datetime


class DraftRead(DraftSummary):
    draft: PlanDraft = Field(description="What was read; `span`s index `source_text`")
    source_text: str


class DraftPatch(BaseModel):
    """Replace any top-level part of the draft (send the whole list you change). `units` maps each name as
    written to the unit the office means (`unit_id`), for names the matcher did not resolve."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "plan": {
                        "title": "夏邑县创建河南省知名品牌示范区实施方案",
                        "doc_number": "夏政〔2015〕29号",
                        "issuer": "夏邑县人民政府",
                        "issued_on": "2015-04-09",
                    },
                    "units": [{"name": "县质监局", "unit_id": 12}],
                }
            ]
        },
    )

    plan: dict[str, Any] | None = None
    phases: list[dict[str, Any]] | None = None
    group: list[dict[str, Any]] | None = None
    office: dict[str, Any] | None = None
    tasks: list[dict[str, Any]] | None = None
    indicators: list[dict[str, Any]] | None = None
    quantities: list[dict[str, Any]] | None = None
    units: list[dict[str, Any]] | None = None


class DraftAccept(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"create_units": True}]})

    create_units: bool = Field(
        default=False, description="Create units still unknown under the issuer instead of refusing"
    )
    status: PlanStatus = Field(default="active", description="The new plan's status")
    report_schedule: Deadline | None = Field(default=None, description="When units report, e.g. 每月30日")


class DraftAccepted(BaseModel):
    draft_id: int
    plan: PlanRead
    tasks_created: int
    units_created: list[dict[str, Any]]
