"""Plans (实施方案) and their tasks (the breakdown table's rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi.deadlines import Deadline, ReportSchedule

PlanStatus = Literal["draft", "active", "closed"]
PlanState = Literal["draft", "active", "closed", "archived"]
"""A plan's status as read: `archived` (POST /v1/plans/{id}/archive) is read-only, and set only by archiving."""
Light = Literal["red", "yellow", "green"]
LightReasonCode = Literal[
    "overdue", "due_soon", "behind_schedule", "closed_late", "closed_on_time", "on_track", "no_deadline"
]


class LightReason(BaseModel):
    """Why a light is what it is."""

    code: LightReasonCode = Field(
        description=(
            "red: overdue; yellow: due_soon (within the plan's yellow_workdays working days), behind_schedule "
            "(progress trails the share of the assignment's own time elapsed by more than yellow_progress_margin), "
            "closed_late (办结 after the deadline); green: on_track, no_deadline, closed_on_time"
        )
    )
    text: str
    text_zh: str


AssignmentRole = Literal["lead", "cooperating"]


class PhaseIn(BaseModel):
    name: str = Field(max_length=200, examples=["宣传发动"])
    start_on: date | None = None
    end_on: date | None = None
    repeat: Deadline | None = Field(default=None, description="e.g. yearly in September (考核评价)")


class PhaseRead(PhaseIn):
    id: int


class GroupMemberIn(BaseModel):
    role: str = Field(max_length=50, examples=["组长"], description="组长, 副组长, 成员, 办公室主任 …")
    name: str = Field(max_length=100, examples=["孙文涛"])
    title: str | None = Field(default=None, max_length=200, examples=["县委常委、统战部长"])
    unit: str | int | None = Field(default=None, description="Unit id, or a name matched by alias")
    user_id: int | None = Field(default=None, description="The member's account (role leader), if they have one")
    in_charge_units: list[str | int] = Field(
        default_factory=list,
        max_length=200,
        examples=[["质监局", "工信局"]],
        description="分管单位: units this member is in charge of (ids or names); escalations about them reach the "
        "member's account",
    )


class GroupMemberRead(BaseModel):
    id: int
    role: str
    name: str
    title: str | None
    unit_id: int | None
    user_id: int | None = None
    in_charge_unit_ids: list[int] = Field(default_factory=list)


class PlanCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "夏邑县创建河南省知名品牌创建示范产业集聚区实施方案",
                    "doc_number": "夏政〔2015〕29号",
                    "issuer_unit_id": "夏邑县人民政府",
                    "issued_on": "2015-04-09",
                    "office_unit_id": "产业集聚区管委会",
                    "report_schedule": {"kind": "recurring", "frequency": "monthly", "day": 30},
                    "phases": [{"name": "宣传发动", "start_on": "2015-04-09", "end_on": "2015-06-30"}],
                    "group": [{"role": "组长", "name": "孙文涛", "title": "县委常委、统战部长", "unit": None}],
                }
            ]
        },
    )

    title: str = Field(min_length=2, max_length=300)
    doc_number: str | None = Field(default=None, max_length=100, examples=["夏政〔2015〕29号"])
    issuer_unit_id: int | str | None = Field(
        default=None,
        description="The issuing government, as read: a unit id or any of its names (a new name is created)",
    )
    issuer: str | None = Field(
        default=None, min_length=2, max_length=200, description="The old name of `issuer_unit_id`, still accepted"
    )
    issued_on: date | None = None
    office_unit_id: int | str | None = Field(
        default=None,
        description="The office (办公室) that runs the plan, as read: a unit id or any of its names (full, short, "
        "alias); absent: the creating office user's unit",
    )
    office_unit: str | int | None = Field(default=None, description="The old name of `office_unit_id`, still accepted")
    summary: str | None = None
    status: PlanStatus = "draft"
    report_schedule: ReportSchedule | None = Field(
        default=None, description="When units report: an object, or as plans write it (每月30日, 每季度末)"
    )
    yellow_workdays: int = Field(default=5, ge=0, le=60, description="Yellow when due within this many working days")
    yellow_progress_margin: int = Field(
        default=20,
        ge=0,
        le=100,
        description="Yellow when progress trails the share of time elapsed by this many points",
    )
    phases: list[PhaseIn] = Field(default_factory=list, max_length=50)
    group: list[GroupMemberIn] = Field(default_factory=list, max_length=200)


class PlanUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "active"}]})

    # Absent: unchanged. Fields whose column cannot be empty are not nullable: null is a 422, not a 500.
    title: str = Field(default=None, min_length=2, max_length=300)
    doc_number: str | None = Field(default=None, max_length=100)
    issued_on: date | None = None
    office_unit_id: int | str | None = Field(default=None, description="A unit id or any of its names; null: none")
    office_unit: str | int | None = Field(default=None, description="The old name of `office_unit_id`")
    summary: str | None = None
    status: PlanStatus = None  # type: ignore[assignment]
    report_schedule: ReportSchedule | None = None
    yellow_workdays: int = Field(default=None, ge=0, le=60)
    yellow_progress_margin: int = Field(default=None, ge=0, le=100)
    phases: list[PhaseIn] | None = Field(default=None, max_length=50)
    group: list[GroupMemberIn] | None = Field(default=None, max_length=200)


class PlanRead(BaseModel):
    id: int
    title: str
    doc_number: str | None
    issuer_unit_id: int
    issued_on: date | None
    status: PlanState
    office_unit_id: int | None
    created_by: int | None = Field(
        default=None, description="The user who created the plan: besides its office, who may manage it"
    )
    summary: str | None
    report_schedule: Deadline | None
    yellow_workdays: int
    yellow_progress_margin: int
    phases: list[PhaseRead]
    group: list[GroupMemberRead]
    version: int
    created_at: datetime
    updated_at: datetime


class PlanSummary(BaseModel):
    id: int
    title: str
    doc_number: str | None
    issuer_unit_id: int
    issued_on: date | None
    status: PlanState
    office_unit_id: int | None
    report_schedule: Deadline | None = Field(default=None, description="When units report, e.g. 每月30日")
    version: int


class TaskCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "number": "（一）",
                    "parent_id": None,
                    "title": "产业集聚发展迅速",
                    "measures": "营业收入、固定资产投资、税收、从业人员增速达到或超过全省产业集聚区平均增速",
                    "lead_unit": "产业集聚区管委会",
                    "cooperating_units": ["发改委", "统计局"],
                    "deadline": {"kind": "date", "due_on": "2015-12-31"},
                    "person_in_charge": "孙战峰",
                }
            ]
        },
    )

    number: str | None = Field(default=None, max_length=50, description="As the document numbers it: 一、 （一） 1.")
    parent_id: int | None = None
    title: str = Field(min_length=1, max_length=4000)
    measures: str | None = Field(default=None, max_length=20000)
    lead_unit: str | int | None = Field(default=None, description="牵头单位: id, or a name matched by alias")
    cooperating_units: list[str | int] = Field(default_factory=list, max_length=100, description="配合单位")
    deadline: Deadline | str | None = Field(default=None, description="A deadline object, or text as plans write it")
    person_in_charge: str | None = Field(default=None, max_length=200)
    weight: float = Field(default=1.0, ge=0, le=1000)
    remarks: str | None = Field(default=None, max_length=4000)


class TaskUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"person_in_charge": "张新民"}]})

    number: str | None = Field(default=None, max_length=50)
    # Absent: unchanged. Fields whose column cannot be empty are not nullable: null is a 422, not a 500.
    title: str = Field(default=None, min_length=1, max_length=4000)
    measures: str | None = Field(default=None, max_length=20000)
    lead_unit: str | int | None = None
    cooperating_units: list[str | int] | None = Field(default=None, max_length=100)
    deadline: Deadline | str | None = None
    person_in_charge: str | None = Field(default=None, max_length=200)
    weight: float = Field(default=None, ge=0, le=1000)
    remarks: str | None = Field(default=None, max_length=4000)


class TaskAssignmentBrief(BaseModel):
    assignment_id: int
    unit_id: int
    unit_name: str
    role: AssignmentRole
    state: str
    progress: int
    due_on: date | None
    light: Light
    light_reason: LightReason
    closed_late: bool = Field(description="Closed after its deadline (逾期办结)")


class TaskRead(BaseModel):
    id: int
    plan_id: int
    parent_id: int | None
    position: int
    number: str | None
    title: str
    measures: str | None
    person_in_charge: str | None
    weight: float
    deadline: Deadline | None
    deadline_text: str | None
    start_on: date | None
    due_on: date | None
    remarks: str | None
    light: Light | None = Field(
        description="The worst light of its open assignments; once all are closed, yellow if one closed late"
    )
    light_reason: LightReason | None = Field(description="The reason of the assignment that gives the task its light")
    assignments: list[TaskAssignmentBrief]
    version: int


@dataclass(frozen=True)
class TaskFilter:
    """What a plan's task list is narrowed to; None is "any"."""

    q: str | None = None
    unit_id: int | None = None
    state: str | None = None
    light: str | None = None
    due_from: date | None = None
    due_to: date | None = None
