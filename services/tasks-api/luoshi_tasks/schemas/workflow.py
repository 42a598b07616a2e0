"""Assignments (交办), their transitions, reports (反馈) and extensions (延期申请), and the views."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi_tasks.schemas.plans import AssignmentRole, Light, LightReason

AssignmentState = Literal["assigned", "acknowledged", "in_progress", "completion_requested", "closed"]
Action = Literal["acknowledge", "start", "request_completion", "close", "return", "reopen"]
ReportState = Literal["submitted", "accepted", "returned"]
ExtensionState = Literal["requested", "granted", "refused"]


class AssignmentRead(BaseModel):
    id: int
    task_id: int
    plan_id: int
    unit_id: int
    unit_name: str
    role: AssignmentRole
    state: AssignmentState
    progress: int = Field(description="Percent complete, from the last accepted report")
    start_on: date | None
    due_on: date | None = Field(description="The deadline in force (after any granted extension)")
    original_due_on: date | None = Field(description="The deadline as first assigned")
    light: Light
    light_reason: LightReason = Field(description="Why the light is what it is (code, English, Chinese)")
    closed_late: bool = Field(description="Closed after its deadline (逾期办结): yellow, not green")
    task_number: str | None
    task_title: str
    state_changed_at: datetime
    closed_at: datetime | None
    returned_at: datetime | None = Field(
        default=None, description="When the office last returned this assignment's completion request (退回)"
    )
    return_reason: str | None = Field(default=None, description="Why it was returned: the office's comment")
    closed_on: date | None = Field(description="The day it was closed (TIMEZONE)")
    version: int


class TransitionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"action": "acknowledge"}, {"action": "return", "comment": "请补充佐证材料"}]},
    )

    action: Action = Field(
        description=(
            "acknowledge (签收, unit): assigned → acknowledged; start (unit): acknowledged → in_progress; "
            "request_completion (办结申请, unit): → completion_requested; close (办结, office): → closed; "
            "return (退回, office, comment required): completion_requested → in_progress; "
            "close on behalf (office, comment required): assigned/acknowledged/in_progress → closed, only for a "
            "unit without accounts (no active user, no live API key), which cannot ask itself; "
            "reopen (office): closed → in_progress"
        )
    )
    comment: str | None = Field(default=None, max_length=4000)


class TaskCloseIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"comment": "配合单位无系统账号，经电话核实已完成，代为办结"}]}
    )

    comment: str = Field(max_length=4000, description="Why the office closes it (required; audited)")


class ReportCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"text": "已完成主导产品监督抽查，合格率92%。", "percent": 60, "period_due_on": "2026-11-30"}]
        },
    )

    text: str = Field(min_length=1, max_length=20000)
    percent: int = Field(ge=0, le=100, description="Percent complete")
    period_due_on: date | None = Field(
        default=None, description="The reporting deadline this report is for; default: the next one from today"
    )


class AttachmentRead(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class ReportRead(BaseModel):
    id: int
    assignment_id: int
    unit_id: int
    period_due_on: date
    text: str
    percent: int
    state: ReportState
    late: bool = Field(description="Submitted after its period's deadline (stored when submitted)")
    submitted_by: int | None
    submitted_at: datetime
    reviewed_by: int | None
    reviewed_at: datetime | None
    review_comment: str | None
    attachments: list[AttachmentRead]
    version: int


class ReviewIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"decision": "return", "comment": "数据不完整"}]}
    )

    decision: Literal["accept", "return"]
    comment: str | None = Field(default=None, max_length=4000, description="Required when returning")


class ExtensionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"requested_due_on": "2026-12-31", "reason": "检测设备到货延迟"}]},
    )

    requested_due_on: date
    reason: str = Field(min_length=2, max_length=4000)


class ExtensionRead(BaseModel):
    id: int
    assignment_id: int
    current_due_on: date | None = Field(description="The deadline in force when asked")
    requested_due_on: date
    reason: str
    state: ExtensionState
    requested_by: int | None
    requested_at: datetime
    decided_by: int | None
    decided_at: datetime | None
    decision_comment: str | None
    task_id: int
    plan_id: int
    unit_id: int = Field(description="The unit that asked")
    moved_assignment_ids: list[int] = Field(
        description="Granted: the assignments of the task whose `due_on` moved to `requested_due_on` — the asker's "
        "and, for the lead unit, the cooperating units' that had the same deadline. Empty otherwise."
    )
    version: int


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"decision": "grant"}]})

    decision: Literal["grant", "refuse"]
    comment: str | None = Field(default=None, max_length=4000)


class BoardUnitRow(BaseModel):
    unit_id: int
    unit_name: str
    assignments: int
    red: int
    yellow: int
    green: int
    closed: int
    closed_late: int = Field(description="Closed after their deadline (逾期办结), among `closed`")
    reports: int
    reports_on_time: int
    on_time_report_rate: float | None = Field(description="Share of reports submitted by their deadline")


class OverdueItem(BaseModel):
    assignment_id: int
    task_id: int
    task_number: str | None
    task_title: str
    unit_id: int
    unit_name: str
    due_on: date
    days_overdue: int


class BoardLightReason(BaseModel):
    """Why a plan's light is what it is: `overdue` (red), `at_risk` (yellow: due soon or behind elapsed time),
    `on_track` (green: nothing open overdue or at risk)."""

    code: Literal["overdue", "at_risk", "on_track"]
    text: str
    text_zh: str


class Board(BaseModel):
    """The office's view of one plan (per unit: lights, report punctuality, what is overdue)."""

    plan_id: int
    as_of: date
    light: Light | None = Field(description="The plan's light: the worst of its open assignments")
    light_reason: BoardLightReason | None = Field(description="Why the plan's light is what it is")
    totals: dict[str, int]
    units: list[BoardUnitRow]
    overdue: list[OverdueItem]


class OverviewRow(BaseModel):
    """One plan, or one unit across every plan, in the leader's overview."""

    id: int
    name: str
    plans: int = Field(description="Active plans it is counted over (1 for a plan's own row)")
    assignments: int
    red: int = Field(description="Open assignments by light")
    yellow: int
    green: int
    closed: int
    overdue: int = Field(description="Open assignments past their deadline")
    reports: int
    reports_on_time: int
    on_time_report_rate: float | None = Field(description="Share of reports submitted by their deadline; null: none")


class Overview(BaseModel):
    """Every active plan at a glance, for a leader (领导驾驶舱): per plan and per unit across plans, open work by
    light, overdue work, closed work and report punctuality; worst first."""

    as_of: date
    totals: OverviewRow
    plans: list[OverviewRow]
    units: list[OverviewRow]


class DeadlineItem(BaseModel):
    """A due date in a window, for notify: an assignment's deadline, or a reporting deadline."""

    kind: Literal["assignment", "report"]
    due_on: date
    original_due_on: date | None
    plan_id: int
    task_id: int | None
    assignment_id: int | None
    unit_id: int
    state: str | None
    key: str = Field(description="Stable identity of this occurrence, e.g. assignment:12:2026-11-30")
    task_title: str | None = None
    plan_title: str | None = None
    role: str | None = Field(default=None, description="lead or cooperating, for an assignment")
    unit_name: str | None = Field(default=None, description="The unit's short name (its full name if it has none)")
    office_unit_id: int | None = Field(default=None, description="The plan's office, which escalations reach")
    office_name: str | None = Field(default=None, description="The office's short name")
    unit_head_emails: list[str] = Field(
        default_factory=list, description="E-mail of the unit's head from its contacts, for an assignment"
    )
    leader_user_ids: list[int] = Field(
        default_factory=list, description="Accounts of the leading-group members in charge of this unit (分管领导)"
    )
