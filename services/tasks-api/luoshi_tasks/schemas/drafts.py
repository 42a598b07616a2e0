"""Plan drafts: a policy document read into a proposed plan and breakdown table, for the office to review."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi.deadlines import ReportSchedule
from luoshi.errors import Candidate
from luoshi_tasks.planparse import DraftTask, GroupMember, Indicator, Office, Phase, PlanDraft, PlanMeta
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


class DraftProblem(BaseModel):
    """One thing that keeps the draft from becoming a plan as it stands: where (`loc` in the draft), a machine
    code, what, and for a unit name the units it could mean. Accept refuses while any is left (`unit_unknown`
    only without `create_units`, `lead_missing` only without `allow_tasks_without_lead`)."""

    loc: list[str | int] = Field(examples=[["draft", "tasks", 12, "lead_units"]])
    code: str = Field(examples=["lead_missing"])
    message: str
    message_zh: str | None = None
    value: str | None = Field(default=None, description="The words at fault (a unit name, a deadline) as written")
    candidates: list[Candidate] = Field(default_factory=list, description="Units a unit name could mean, best first")


class DraftRead(DraftSummary):
    draft: PlanDraft = Field(description="What was read; `span`s index `source_text`")
    source_text: str
    warnings: list[DraftProblem] = Field(
        default_factory=list,
        description="The draft's problems, checked again on every read and change by the check accept runs: tasks "
        "without a lead unit, deadlines that cannot be read, unit names no unit matches (with candidates) …",
    )


class UnitChoice(BaseModel):
    """A unit name as the draft writes it, and the unit it means (null: not decided)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    unit_id: int | None = None
    collective: bool = Field(default=False, description="A collective recipient, matched to no one unit")


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

    plan: PlanMeta | None = None
    phases: list[Phase] | None = None
    group: list[GroupMember] | None = None
    office: Office | None = None
    tasks: list[DraftTask] | None = Field(default=None, description="The whole task list, in order")
    indicators: list[Indicator] | None = None
    quantities: list[Indicator] | None = None
    units: list[UnitChoice] | None = Field(
        default=None,
        description="Each name as written and the unit the office means; a mapping the matcher could not make is "
        "learned as an alias of that unit when the draft is accepted",
    )


class DraftAccept(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"create_units": True}]})

    create_units: bool = Field(
        default=False, description="Create units still unknown under the issuer instead of refusing"
    )
    status: PlanStatus = Field(default="active", description="The new plan's status")
    report_schedule: ReportSchedule | None = Field(
        default=None, description="When units report: an object, or as plans write it (每月30日, 每季度末)"
    )
    allow_tasks_without_lead: bool = Field(
        default=False,
        description="Accept although some tasks have no lead unit (they get no assignment); refused otherwise",
    )


class LearnedAlias(BaseModel):
    unit_id: int
    alias: str


class IndicatorHandover(BaseModel):
    """The draft's indicators, handed to scoring-api as draft indicators the office completes there."""

    handed_over: bool = Field(description="False when scoring-api could not take them: the plan stands regardless")
    count: int = Field(description="How many indicators the draft has")
    indicator_ids: list[int] = Field(default_factory=list, description="The draft indicators made in scoring-api")
    problem: str | None = Field(default=None, description="Why they were not handed over")
    problem_zh: str | None = None


class DraftAccepted(BaseModel):
    draft_id: int
    plan: PlanRead
    tasks_created: int
    units_created: list[dict[str, Any]]
    tasks_without_lead: list[int] = Field(
        default_factory=list, description="Indexes in the draft of the tasks accepted without a lead unit"
    )
    aliases_learned: list[LearnedAlias] = Field(
        default_factory=list, description="Unit names the office mapped, now aliases of those units"
    )
    indicators: IndicatorHandover = Field(description="Whether the draft's indicators reached scoring-api")
